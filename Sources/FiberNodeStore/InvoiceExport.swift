import Foundation
import GRDB
import FiberNodeDomain

/// One invoice as exported: text cells ready for CSV/XLSX, plus what the summary rows need.
public struct InvoiceExportRow: Sendable {
    public var ownerId: String
    public var cells: [String]
    public var total: Int
    public var paid: Int
    public var isPaid: Bool
}

extension AppDatabase {
    /// Streams every invoice whose due date is in `from...to` (inclusive) in the actor's scope
    /// (a mitra: its own; the superadmin: all, or one owner), ordered by due date and number,
    /// one row at a time (a cursor, never the whole set in memory). Columns are
    /// `InvoiceExportRow.columns`. Paid-at times are shown in `timeZone`.
    public func forEachInvoiceForExport(actor: Actor, from: LocalDate, to: LocalDate, ownerId: String? = nil,
                                        timeZone: TimeZone, _ body: (InvoiceExportRow) throws -> Void) throws {
        guard actor.can(.exportFinance) else { throw StoreError.notPermitted }
        let owner = try Self.financeOwner(actor: actor, ownerId: ownerId)
        guard from <= to else { throw StoreError.invalid(field: "to", reason: .badFormat(expected: "--to >= --from (\(from))")) }
        try read { db in
            var w = "i.due_date BETWEEN ? AND ?"
            var args: [DatabaseValueConvertible?] = [from.description, to.description]
            if let owner { w += " AND i.owner_id = ?"; args.append(owner) }
            // Paid-at is stored in UTC; shift it to the business zone in SQL (fixed offset per zone).
            let offset = timeZone.secondsFromGMT()
            let rows = try Row.fetchCursor(db, sql: """
                SELECT i.owner_id, i.number, c.code, c.name, u.business_name, p.name, i.period, i.due_date,
                       i.amount, i.discount, i.total_amount, i.status, i.paid_amount,
                       coalesce(strftime('%Y-%m-%d %H:%M', i.paid_at, '\(offset) seconds'), ''), coalesce(pb.name, ''),
                       coalesce(i.payment_method, '')
                FROM invoices i
                JOIN customers c ON c.id = i.customer_id
                JOIN users u ON u.id = i.owner_id
                JOIN packages p ON p.id = c.package_id
                LEFT JOIN users pb ON pb.id = i.paid_by
                WHERE \(w) ORDER BY i.due_date, i.number
                """, arguments: StatementArguments(args)!)
            while let r = try rows.next() {
                let total: Int = r[10], paid: Int = r[12], status: String = r[11]
                try body(InvoiceExportRow(ownerId: r[0], cells: [
                    r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                    String(r[8] as Int), String(r[9] as Int), String(total), status, String(paid), r[13], r[14], r[15],
                ], total: total, paid: paid, isPaid: status == "paid"))
            }
        }
    }
}
