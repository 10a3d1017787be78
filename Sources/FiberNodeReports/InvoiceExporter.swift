import Foundation
import FiberNodeDomain
import FiberNodeStore

/// What an invoice export wrote: the rows and the figures of its summary.
public struct InvoiceExportResult: Sendable, Equatable {
    public var rows: Int
    public var figures: FinanceFigures
}

/// Invoices whose due date is in a range, in the user's scope, with summary rows (total,
/// paid, unpaid) at the end. CSV: RFC 4180, UTF-8, optional BOM for Excel. XLSX: numeric
/// rupiah cells; when the superadmin exports everything, one more sheet per owner.
public enum InvoiceExporter {
    /// Column headers (the product's two languages).
    public static func header(language: String) -> [String] {
        language == "en"
            ? ["number", "customer_code", "customer", "area", "package", "period", "due_date", "amount", "discount", "total",
               "status", "paid_amount", "paid_at", "paid_by", "method"]
            : ["nomor", "kode_pelanggan", "pelanggan", "area", "paket", "periode", "jatuh_tempo", "tarif", "diskon", "total",
               "status", "dibayar", "waktu_bayar", "dibayar_oleh", "metode"]
    }

    static let moneyColumns: Set<Int> = [7, 8, 9, 11]
    static let widths: [Double] = [20, 12, 24, 20, 16, 9, 11, 11, 9, 11, 8, 11, 16, 18, 9]
    /// Excel's sheet limit (1,048,576 rows) less the header and the summary rows.
    public static let maxXLSXRows = 1_048_576 - 5

    static func summary(_ f: FinanceFigures, language: String) -> [[String]] {
        let en = language == "en"
        func line(_ label: String, _ count: Int, _ amount: Int) -> [String] {
            var r = Array(repeating: "", count: 15)
            r[0] = label; r[1] = String(count); r[9] = String(amount)
            return r
        }
        return [line(en ? "TOTAL" : "TOTAL", f.invoices, f.billed),
                line(en ? "PAID" : "TERBAYAR", f.paidCount, f.collected),
                line(en ? "UNPAID" : "BELUM TERBAYAR", f.unpaidCount, f.outstanding)]
    }

    @discardableResult
    public static func export(db: AppDatabase, actor: Actor, from: LocalDate, to: LocalDate, ownerId: String? = nil,
                              format: ExportFormat, to path: String, force: Bool = false, language: String = "id", bom: Bool = false,
                              timeZone: TimeZone, progress: ((Int, Int) -> Void)? = nil) throws -> InvoiceExportResult {
        // Scope first (a refused export must not even create a temporary file), then the
        // user's `OutputPolicy` stages the file.
        guard actor.can(.exportFinance) else { throw StoreError.notPermitted }
        if let ownerId, !actor.canAccess(ownerId: ownerId) { throw StoreError.notPermitted }
        guard from <= to else { throw StoreError.invalid(field: "to", reason: .badFormat(expected: "--to >= --from (\(from))")) }
        var figures = FinanceFigures()
        var count = 0
        // issue 13: how far a long export is (rows written of the rows in range)
        let total = progress == nil ? 0
            : try db.invoiceTotals(actor: actor, filter: InvoiceFilter(dueFrom: from.description, dueTo: to.description, ownerId: ownerId)).count
        progress?(0, total)
        func add(_ r: InvoiceExportRow, to f: inout FinanceFigures) {
            f.invoices += 1; f.billed += r.total; f.collected += r.paid; if r.isPaid { f.paidCount += 1 }
            if count % 1000 == 0 { progress?(count, max(total, count)) }
        }
        switch format {
        case .csv:
            let file = try CSVFile(staged: try db.outputPolicy(for: actor).stage(path, force: force), bom: bom)
            do {
                try file.row(header(language: language))
                try db.forEachInvoiceForExport(actor: actor, from: from, to: to, ownerId: ownerId, timeZone: timeZone) { r in
                    try file.row(r.cells); add(r, to: &figures); count += 1
                }
                try file.row([])
                for line in summary(figures, language: language) { try file.row(line) }
                try file.finish()
            } catch {
                file.abandon()
                throw error
            }
        case .xlsx:
            let file = try XLSXFile(staged: try db.outputPolicy(for: actor).stage(path, force: force))
            let columns = header(language: language).enumerated().map {
                XLSXColumn($0.element, width: widths[$0.offset], money: moneyColumns.contains($0.offset))
            }
            file.addSheet(language == "en" ? "Invoices" : "Tagihan", columns: columns)
            // The superadmin exporting every owner: one more sheet per owner, in menu order.
            var sheetOf: [String: Int] = [:]
            var ownerFigures: [String: FinanceFigures] = [:]
            if actor.can(.viewAllOwners), ownerId == nil {
                for o in try db.owners(actor: actor) {
                    sheetOf[o.id] = file.addSheet(o.businessName, columns: columns)
                }
            }
            do {
                try db.forEachInvoiceForExport(actor: actor, from: from, to: to, ownerId: ownerId, timeZone: timeZone) { r in
                    count += 1
                    guard count <= maxXLSXRows else { throw ExportError.tooManyRows(maxXLSXRows) }
                    file.row(r.cells); add(r, to: &figures)
                    if let s = sheetOf[r.ownerId] {
                        file.row(r.cells, sheet: s); add(r, to: &ownerFigures[r.ownerId, default: FinanceFigures()])
                    }
                }
            } catch {
                file.abandon()
                throw error
            }
            file.row([])
            for line in summary(figures, language: language) { file.row(line, bold: true) }
            for (owner, s) in sheetOf {
                file.row([], sheet: s)
                for line in summary(ownerFigures[owner] ?? FinanceFigures(), language: language) { file.row(line, sheet: s, bold: true) }
            }
            try file.finish()
        }
        progress?(count, max(total, count))
        return InvoiceExportResult(rows: count, figures: figures)
    }
}
