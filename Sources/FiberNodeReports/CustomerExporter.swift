import Foundation
import FiberNodeDomain
import FiberNodeStore

/// Export format.
public enum ExportFormat: String, CaseIterable, Sendable {
    case csv, xlsx
}

/// Writes the customer list in the import's columns, so an export re-imports.
public enum CustomerExporter {
    /// Returns the number of customers written.
    @discardableResult
    public static func export(db: AppDatabase, actor: Actor, format: ExportFormat, to path: String) throws -> Int {
        var count = 0
        switch format {
        case .csv:
            let file = try CSVFile(path: path)
            do {
                try file.row(CustomerCSV.header)
                try db.forEachCustomerForExport(actor: actor) { try file.row($0); count += 1 }
                try file.finish()
            } catch {
                file.abandon()
                throw error
            }
        case .xlsx:
            let file = try XLSXFile(path: path)
            let moneyColumns: Set<String> = ["diskon", "paket_tarif", "total_bayar"]
            file.addSheet("Pelanggan", columns: CustomerCSV.header.map {
                XLSXColumn($0, width: $0 == "nama" || $0 == "area" || $0 == "paket_nama" ? 24 : 14, money: moneyColumns.contains($0))
            })
            try db.forEachCustomerForExport(actor: actor) { file.row($0); count += 1 }
            try file.finish()
        }
        return count
    }
}
