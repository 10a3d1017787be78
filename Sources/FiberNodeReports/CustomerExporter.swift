import Foundation
import FiberNodeDomain
import FiberNodeStore

/// Export format.
public enum ExportFormat: String, CaseIterable, Sendable {
    case csv, xlsx

    /// The file name extensions that fit the format (the first one is proposed).
    public var extensions: [String] { [rawValue] }
}

/// Writes the customer list in the import's columns, so an export re-imports.
public enum CustomerExporter {
    /// Returns the number of customers written.
    @discardableResult
    /// The file goes through the user's `OutputPolicy` (a mitra: only its export folder; never
    /// the database, a backup, a directory or a symlink; an existing file only with `force`).
    public static func export(db: AppDatabase, actor: Actor, format: ExportFormat, to path: String, force: Bool = false) throws -> Int {
        guard actor.can(.exportCustomers) else { throw StoreError.notPermitted }
        var count = 0
        switch format {
        case .csv:
            let file = try CSVFile(staged: try db.outputPolicy(for: actor).stage(path, force: force))
            do {
                try file.row(CustomerCSV.header)
                try db.forEachCustomerForExport(actor: actor) { try file.row($0); count += 1 }
                try file.finish()
            } catch {
                file.abandon()
                throw error
            }
        case .xlsx:
            let file = try XLSXFile(staged: try db.outputPolicy(for: actor).stage(path, force: force))
            let moneyColumns: Set<String> = ["diskon", "paket_tarif", "total_bayar"]
            file.addSheet("Pelanggan", columns: CustomerCSV.header.map {
                XLSXColumn($0, width: $0 == "nama" || $0 == "area" || $0 == "paket_nama" ? 24 : 14, money: moneyColumns.contains($0))
            })
            do {
                try db.forEachCustomerForExport(actor: actor) { file.row($0); count += 1 }
            } catch {
                file.abandon()
                throw error
            }
            try file.finish()
        }
        return count
    }
}
