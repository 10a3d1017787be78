import Foundation
import GRDB
import FiberNodeDomain
import FiberNodeStore

/// The ledger rows of `make bench` (issue 14): paying one invoice (payment row, invoice
/// recomputed from its payments, aggregates by trigger, audit, receipt outbox row), the
/// ledger of one invoice, and `finance collected` over every payment and over one month.
func benchLedger(database: AppDatabase, admin: Actor, context: StoreContext, reps: Int) throws -> [Row] {
    var rows: [Row] = []
    let payments = try database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM payments") ?? 0 }
    let size = "\(payments) pay"
    // Paying: unpaid invoices, each paid in full once; undone afterwards in one transaction.
    let unpaid = try database.read { d in
        try String.fetchAll(d, sql: "SELECT id FROM invoices WHERE status = 'unpaid' ORDER BY due_date DESC LIMIT ?", arguments: [max(reps, 10)])
    }
    var pay: [Double] = []
    var paidIds: [String] = []
    for id in unpaid {
        pay.append(try time {
            let r = try database.recordPayment(PaymentRequest(invoice: id, method: .transfer, reference: "BENCH"), actor: admin, context: context)
            paidIds.append(r.payment.id)
        })
    }
    if let inv = unpaid.first {
        let (lm, lp) = try measure(reps) { _ = try database.payments(invoice: inv, actor: admin) }
        rows.append(Row(op: "ledger: the payments of one invoice", size: size, median: lm, p95: lp))
    }
    try database.write { d in
        for id in unpaid {
            try d.execute(sql: "DELETE FROM payments WHERE invoice_id = ? AND reference = 'BENCH'", arguments: [id])
            try d.execute(sql: "DELETE FROM message_outbox WHERE invoice_id = ?", arguments: [id])
            try d.execute(sql: """
                UPDATE invoices SET status = 'unpaid', paid_amount = 0, paid_at = NULL, paid_by = NULL, payment_method = NULL WHERE id = ?
                """, arguments: [id])
        }
        try d.execute(sql: "DELETE FROM activity_logs WHERE action = 'invoice.pay' AND metadata LIKE '%BENCH%'")
    }
    rows.append(Row(op: "ledger: pay one invoice (row + recompute + aggregates + audit + outbox)", size: size,
                    median: percentile(pay, 0.5), p95: percentile(pay, 0.95)))
    // Collected over everything, and over the latest month with payments.
    let (am, ap) = try measure(reps) {
        _ = try database.collected(actor: admin, from: LocalDate("2000-01-01")!, to: LocalDate("2099-12-31")!)
    }
    rows.append(Row(op: "finance collected: all payments (by day, method, owner)", size: size, median: am, p95: ap))
    if let last = try database.read({ try String.fetchOne($0, sql: "SELECT max(paid_on) FROM payments") }).flatMap(LocalDate.init) {
        let from = LocalDate(year: last.year, month: last.month, day: 1)!
        let (mm, mp) = try measure(reps) { _ = try database.collected(actor: admin, from: from, to: last) }
        rows.append(Row(op: "finance collected: one month (Uang masuk view, dashboard)", size: size, median: mm, p95: mp))
    }
    return rows
}
