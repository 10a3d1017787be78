import Foundation
import FiberNodeDomain
import FiberNodeStore

/// The ledger by payment date (issue 14): one row per payment in the range (voided ones
/// included, marked, so the file reconciles with the audit), then the total of the live ones.
/// Written through the same `CSVFile` / `XLSXFile` writers as the invoice export, so every
/// output rule applied there applies here.
public enum PaymentExporter {
    public static func header(language: String) -> [String] {
        language == "en"
            ? ["paid_on", "paid_at", "invoice", "customer_code", "customer", "area", "amount", "method", "reference", "note",
               "recorded_by", "device", "flag", "voided_at", "void_reason"]
            : ["tanggal_bayar", "waktu_bayar", "nota", "kode_pelanggan", "pelanggan", "area", "jumlah", "metode", "referensi",
               "catatan", "dicatat_oleh", "perangkat", "tanda", "dibatalkan", "alasan_batal"]
    }
    static let moneyColumns: Set<Int> = [6]
    static let widths: [Double] = [11, 17, 20, 12, 24, 20, 12, 10, 18, 20, 16, 12, 9, 17, 20]

    public struct Result: Sendable, Equatable {
        public var rows: Int
        public var total: Int      // live payments only
        public var count: Int      // live payments only
    }

    @discardableResult
    public static func export(db: AppDatabase, actor: Actor, from: LocalDate, to: LocalDate, ownerId: String? = nil,
                              format: ExportFormat, to path: String, force: Bool = false, language: String = "id", bom: Bool = false,
                              timeZone: TimeZone) throws -> Result {
        // Scope first (a refused export creates nothing), then the user's output policy stages the file.
        guard actor.can(.exportFinance) else { throw StoreError.notPermitted }
        if let ownerId, !actor.canAccess(ownerId: ownerId) { throw StoreError.notPermitted }
        let rows = try db.payments(actor: actor, filter: PaymentFilter(from: from, to: to, ownerId: ownerId), limit: InvoiceExporter.maxXLSXRows + 1)
            .reversed()   // oldest first
        if format == .xlsx, rows.count > InvoiceExporter.maxXLSXRows { throw ExportError.tooManyRows(InvoiceExporter.maxXLSXRows) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = timeZone; f.dateFormat = "yyyy-MM-dd HH:mm"
        var result = Result(rows: 0, total: 0, count: 0)
        func cells(_ p: PaymentRow) -> [String] {
            [p.paidOn, f.string(from: p.paidAt), p.invoiceNumber, p.customerCode, p.customerName, p.area, String(p.amount), p.method,
             p.reference ?? "", p.note ?? "", p.recordedByName ?? "", p.deviceId ?? "", p.flag ?? "",
             p.voidedAt.map { f.string(from: $0) } ?? "", p.voidReason ?? ""]
        }
        var totalLine = Array(repeating: "", count: 15)
        func finishTotals() {
            totalLine[0] = "TOTAL"; totalLine[2] = String(result.count); totalLine[6] = String(result.total)
        }
        switch format {
        case .csv:
            // The actor's output policy (issue 12): a mitra only in its export folder; never the
            // database, a backup, a folder or a symlink; an existing file only with `force`.
            let file = try CSVFile(staged: try db.outputPolicy(for: actor).stage(path, force: force), bom: bom)
            do {
                try file.row(header(language: language))
                for p in rows {
                    try file.row(cells(p)); result.rows += 1
                    if !p.isVoided { result.total += p.amount; result.count += 1 }
                }
                finishTotals()
                try file.row([]); try file.row(totalLine)
                try file.finish()
            } catch { file.abandon(); throw error }
        case .xlsx:
            let file = try XLSXFile(staged: try db.outputPolicy(for: actor).stage(path, force: force))
            let columns = header(language: language).enumerated().map {
                XLSXColumn($0.element, width: widths[$0.offset], money: moneyColumns.contains($0.offset))
            }
            file.addSheet(language == "en" ? "Payments" : "Pembayaran", columns: columns)
            for p in rows {
                file.row(cells(p)); result.rows += 1
                if !p.isVoided { result.total += p.amount; result.count += 1 }
            }
            finishTotals()
            file.row([]); file.row(totalLine, bold: true)
            try file.finish()
        }
        return result
    }
}
