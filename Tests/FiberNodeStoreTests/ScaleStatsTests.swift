import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// The aggregates that keep the dashboard flat in customers (issue 17): after random
/// customer, invoice and payment writes (status changes, deletes, voids, unpays) every
/// aggregate equals a direct sum over its table, and the dashboard / methods / collected
/// figures equal the direct definitions.
final class ScaleStatsTests: XCTestCase {
    func lines(_ f: Fixture, _ sql: String) throws -> [String] { try lines(f.db, sql) }
    func lines(_ db: AppDatabase, _ sql: String) throws -> [String] {
        try db.read { d in
            try Row.fetchAll(d, sql: sql).map { r in
                (0..<r.count).map { i -> String in
                    let v: DatabaseValue = r[i]
                    if case .string(let s) = v.storage { return s }
                    return "\(v)"
                }.joined(separator: " ")
            }
        }
    }

    func assertAggregatesExact(_ f: Fixture, file: StaticString = #filePath, line: UInt = #line) throws {
        try assertAggregatesExact(f.db, file: file, line: line)
    }

    func assertAggregatesExact(_ f: AppDatabase, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try lines(f, "SELECT owner_id, status, month, customers FROM customer_stats WHERE customers != 0 ORDER BY 1, 2, 3"),
                       try lines(f, """
                           SELECT owner_id, status, substr(register_date, 1, 7), count(*) FROM customers WHERE deleted_at IS NULL
                           GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                           """), "customer_stats", file: file, line: line)
        XCTAssertEqual(try lines(f, "SELECT due_date, owner_id, status, invoices, billed, collected FROM due_stats WHERE invoices != 0 ORDER BY 1, 2, 3"),
                       try lines(f, """
                           SELECT due_date, owner_id, status, count(*), sum(total_amount), sum(paid_amount) FROM invoices
                           GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                           """), "due_stats", file: file, line: line)
        XCTAssertEqual(try lines(f, "SELECT period, owner_id, method, invoices, amount FROM method_stats WHERE invoices != 0 ORDER BY 1, 2, 3"),
                       try lines(f, """
                           SELECT period, owner_id, coalesce(payment_method, 'other'), count(*), sum(paid_amount) FROM invoices
                           WHERE status != 'unpaid' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                           """), "method_stats", file: file, line: line)
        XCTAssertEqual(try lines(f, "SELECT month, owner_id, method, payments, amount FROM payment_month_stats WHERE payments != 0 ORDER BY 1, 2, 3"),
                       try lines(f, """
                           SELECT substr(paid_on, 1, 7), owner_id, method, count(*), sum(amount) FROM payments WHERE voided_at IS NULL
                           GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                           """), "payment_month_stats", file: file, line: line)
        XCTAssertEqual(try lines(f, "SELECT owner_id, day, payments, amount FROM payment_day_totals WHERE payments != 0 ORDER BY 1, 2"),
                       try lines(f, """
                           SELECT * FROM (SELECT owner_id, paid_on, count(*), sum(amount) FROM payments WHERE voided_at IS NULL GROUP BY 1, 2
                           UNION ALL SELECT '', paid_on, count(*), sum(amount) FROM payments WHERE voided_at IS NULL GROUP BY 2) ORDER BY 1, 2
                           """), "payment_day_totals", file: file, line: line)
    }

    func testAggregatesFollowRandomWritesAndFiguresMatchDirectSums() throws {
        let f = try Fixture(start: "2026-01-05T03:00:00Z")
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        let pkg = try f.db.packages()
        let owners = try f.db.owners(actor: admin)
        var rng = SplitMix64(seed: 17)
        var codes: [String] = []
        for n in 0..<50 {
            let c = try f.db.createCustomer(CustomerInput(name: "Pelanggan \(n)", phone: "62813\(String(format: "%08d", n))",
                                                          packageId: pkg[Int(rng.next() % UInt64(pkg.count))].id,
                                                          ownerId: owners[Int(rng.next() % UInt64(owners.count))].id,
                                                          billingDate: String(1 + Int(rng.next() % 28)), discount: n % 4 == 0 ? "5000" : "0"),
                                            actor: admin, context: f.context)
            codes.append(c.code)
            if n % 7 == 0 { f.clock.advance(by: 86_400 * 9) }    // registrations over several months
        }
        for p in ["2026-02", "2026-03", "2026-04"] { try f.db.generateInvoices(period: Period(p)!, actor: admin, context: f.context) }
        try assertAggregatesExact(f)
        var all = try f.db.invoices(actor: admin, filter: InvoiceFilter(), limit: 10_000)
        let methods = PaymentMethod.allCases
        var live: [String] = []
        for step in 0..<500 {
            f.clock.advance(by: Double(rng.next() % 30_000))
            let code = codes[Int(rng.next() % UInt64(codes.count))]
            switch rng.next() % 16 {
            case 0...6:
                let inv = try f.db.invoice(all[Int(rng.next() % UInt64(all.count))].id, actor: admin)
                guard inv.status != "paid" else { break }
                let amount = rng.next() % 2 == 0 ? nil : max(1, inv.remaining / (2 + Int(rng.next() % 3)))
                let r = try f.db.recordPayment(PaymentRequest(invoice: inv.number, amount: amount, method: methods[Int(rng.next() % 5)],
                                                              reference: "R\(step)", expectedVersion: inv.version), actor: admin, context: f.context)
                live.append(r.payment.id)
            case 7...8 where !live.isEmpty:
                let id = live.remove(at: Int(rng.next() % UInt64(live.count)))
                try f.db.voidPayment(id, reason: "salah catat \(step)", actor: admin, context: f.context)
            case 9:
                let inv = try f.db.invoice(all[Int(rng.next() % UInt64(all.count))].id, actor: admin)
                guard inv.status != "unpaid" else { break }
                try f.db.markUnpaid(inv.number, reason: "batal", expectedVersion: nil, actor: admin, context: f.context)
                let gone = Set(try f.db.payments(invoice: inv.id, actor: admin).map(\.id))
                live.removeAll { gone.contains($0) }
            case 10:
                _ = try? f.db.setIsolated(code, isolated: rng.next() % 2 == 0, actor: admin, context: f.context)
            case 11:
                _ = try? f.db.setInactive(code, inactive: rng.next() % 2 == 0, actor: admin, context: f.context)
            case 12:
                let c = try f.db.read { d in try Row.fetchOne(d, sql: "SELECT id, deleted_at FROM customers WHERE code = ?", arguments: [code])! }
                if (c[1] as String?) == nil { try f.db.deleteCustomer(id: c[0], actor: admin, context: f.context) }
                else { try f.db.restoreCustomer(id: c[0], actor: admin, context: f.context) }
            case 13:   // an owner change and a register-date change straight in SQL: the triggers, not the use case, keep the sums
                try f.db.write { d in
                    try d.execute(sql: "UPDATE customers SET owner_id = ?, register_date = date(register_date, '-40 days') WHERE code = ?",
                                  arguments: [owners[Int(rng.next() % UInt64(owners.count))].id, code])
                    try d.execute(sql: "UPDATE invoices SET owner_id = (SELECT owner_id FROM customers WHERE code = ?), due_date = date(due_date, '+1 day') WHERE customer_id = (SELECT id FROM customers WHERE code = ?)",
                                  arguments: [code, code])
                }
            case 14:   // a hard delete cascades to invoices and payments
                if step % 5 == 0 {
                    try f.db.write { d in try d.execute(sql: "DELETE FROM customers WHERE code = ?", arguments: [code]) }
                    codes.removeAll { $0 == code }
                    all = try f.db.invoices(actor: admin, filter: InvoiceFilter(), limit: 10_000)
                    let ids = Set(try f.db.read { d in try String.fetchAll(d, sql: "SELECT id FROM payments") })
                    live.removeAll { !ids.contains($0) }
                }
            default: break
            }
        }
        try assertAggregatesExact(f)
        XCTAssertGreaterThan(try lines(f, "SELECT 1 FROM payments WHERE voided_at IS NOT NULL").count, 10)
        XCTAssertGreaterThan(try lines(f, "SELECT 1 FROM customers WHERE status = 'isolated' AND deleted_at IS NULL").count, 0)

        // Dashboard figures against their direct definitions, for the superadmin, one owner and a mitra.
        let today = LocalDate.from(f.clock.now(), in: TimeZone(identifier: "Asia/Jakarta")!)
        for (actor, owner) in [(admin, nil), (admin, owners[1].id), (m1, nil)] as [(Actor, String?)] {
            let scope = actor.userId == m1.userId ? m1.userId : owner
            let w = scope.map { "owner_id = '\($0)'" } ?? "1"
            let d = try f.db.dashboard(actor: actor, period: today.period, today: today, ownerId: owner)
            func one(_ sql: String) throws -> Int { try f.db.read { try Int.fetchOne($0, sql: sql) ?? 0 } }
            XCTAssertEqual(d.activeCustomers, try one("SELECT count(*) FROM customers WHERE deleted_at IS NULL AND status = 'active' AND \(w)"))
            XCTAssertEqual(d.isolatedCustomers, try one("SELECT count(*) FROM customers WHERE deleted_at IS NULL AND status = 'isolated' AND \(w)"))
            for (k, g) in d.growth.enumerated() {
                let end = g.period.next.description + "-01"
                XCTAssertEqual(g.customers, try one("SELECT count(*) FROM customers WHERE deleted_at IS NULL AND register_date < '\(end)' AND \(w)"), "growth \(k)")
            }
            for (day, fig) in [(today, d.dueToday), (today.adding(days: 1), d.dueTomorrow)] {
                XCTAssertEqual(fig.invoices, try one("SELECT count(*) FROM invoices WHERE due_date = '\(day)' AND \(w)"))
                XCTAssertEqual(fig.paidCount, try one("SELECT count(*) FROM invoices WHERE due_date = '\(day)' AND status = 'paid' AND \(w)"))
                XCTAssertEqual(fig.billed, try one("SELECT coalesce(sum(total_amount), 0) FROM invoices WHERE due_date = '\(day)' AND \(w)"))
                XCTAssertEqual(fig.collected, try one("SELECT coalesce(sum(paid_amount), 0) FROM invoices WHERE due_date = '\(day)' AND \(w)"))
            }
            XCTAssertEqual(d.overdueCount, try one("SELECT count(*) FROM invoices WHERE status != 'paid' AND due_date < '\(today)' AND \(w)"))
            XCTAssertEqual(d.overdueAmount, try one("SELECT coalesce(sum(total_amount - paid_amount), 0) FROM invoices WHERE status != 'paid' AND due_date < '\(today)' AND \(w)"))
            for r in d.received {
                XCTAssertEqual(r.amount, try one("SELECT coalesce(sum(amount), 0) FROM payments WHERE voided_at IS NULL AND substr(paid_on, 1, 7) = '\(r.period)' AND \(w)"))
            }
            for p in ["2026-02", "2026-03", "2026-04"] {
                let ms = try f.db.financeMethods(actor: actor, period: Period(p)!, ownerId: owner)
                XCTAssertEqual(ms.map { "\($0.method) \($0.invoices) \($0.amount)" }, try lines(f, """
                    SELECT coalesce(payment_method, 'other'), count(*), sum(paid_amount) FROM invoices
                    WHERE period = '\(p)' AND status != 'unpaid' AND \(w) GROUP BY 1 ORDER BY 3 DESC, 1
                    """), p)
            }
            if actor.userId == admin.userId && owner == nil {
                for o in try f.db.financePerOwner(actor: admin, period: Period("2026-03")!) {
                    XCTAssertEqual(o.customers, try one("SELECT count(*) FROM customers WHERE deleted_at IS NULL AND owner_id = '\(o.ownerId)'"))
                }
                let ov = try f.db.overview(actor: admin)
                XCTAssertEqual(ov.unpaidTotal, try one("SELECT coalesce(sum(total_amount - paid_amount), 0) FROM invoices WHERE status != 'paid'"))
                XCTAssertEqual(ov.unpaidInvoices, try one("SELECT count(*) FROM invoices WHERE status != 'paid'"))
            }
            // `collected` over ranges with whole months, edges and single days equals the ledger.
            let days = try f.db.read { d in try String.fetchAll(d, sql: "SELECT DISTINCT paid_on FROM payments ORDER BY 1") }
            XCTAssertGreaterThan(days.count, 20)
            let ranges: [(String, String)] = [(days[0], days[days.count - 1]), ("2026-01-01", "2026-03-31"), ("2026-01-17", "2026-03-04"),
                                              ("2026-02-01", "2026-02-28"), ("2026-02-03", "2026-02-27"), (days[3], days[3]),
                                              ("2025-12-15", "2026-02-14")]
            for (a, b) in ranges {
                let c = try f.db.collected(actor: actor, from: LocalDate(a)!, to: LocalDate(b)!, ownerId: owner)
                let rows = try lines(f, "SELECT method, count(*), sum(amount) FROM payments WHERE voided_at IS NULL AND paid_on BETWEEN '\(a)' AND '\(b)' AND \(w) GROUP BY 1 ORDER BY 1")
                XCTAssertEqual(c.byMethod.keys.sorted().map { "\($0) \(c.countByMethod[$0]!) \(c.byMethod[$0]!)" }, rows, "\(a)…\(b)")
                XCTAssertEqual(c.byOwner.map { "\($0.ownerId) \($0.count) \($0.amount)" }.sorted(),
                               try lines(f, "SELECT owner_id, count(*), sum(amount) FROM payments WHERE voided_at IS NULL AND paid_on BETWEEN '\(a)' AND '\(b)' AND \(w) GROUP BY 1 ORDER BY 1"))
                XCTAssertEqual(c.byDay.map { "\($0.day) \($0.count) \($0.amount)" },
                               try lines(f, "SELECT paid_on, count(*), sum(amount) FROM payments WHERE voided_at IS NULL AND paid_on BETWEEN '\(a)' AND '\(b)' AND \(w) GROUP BY 1 ORDER BY 1"))
                XCTAssertEqual(c.total, c.byDay.map(\.amount).reduce(0, +))
                XCTAssertEqual(c.count, c.byDay.map(\.count).reduce(0, +))
            }
        }
    }

    /// The migration fills the aggregates from the rows of a database written before it.
    func testMigrationBackfillsFromExistingRows() throws {
        let path = tempPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            let f = try Fixture(start: "2026-03-12T03:00:00Z", file: path)
            let admin = try f.actor("superadmin")
            for p in ["2026-03", "2026-04"] { try f.db.generateInvoices(period: Period(p)!, actor: admin, context: f.context) }
            for (i, inv) in try f.db.invoices(actor: admin, filter: InvoiceFilter(), limit: 10_000).enumerated() where i % 3 != 0 {
                try f.db.recordPayment(PaymentRequest(invoice: inv.number, amount: i % 4 == 0 ? inv.remaining / 2 : nil, method: .transfer),
                                       actor: admin, context: f.context)
            }
            // Back to the schema before this migration, the rows kept (then the migration
            // itself runs again; later migrations are not undone, so not by position).
            try f.db.writer.writeWithoutTransaction { d in
                for t in ["customer_stats", "due_stats", "method_stats", "payment_month_stats", "payment_day_totals"] {
                    try d.execute(sql: "DROP TABLE \(t)")
                }
                for t in ["customer_stats_ai", "customer_stats_ad", "customer_stats_au", "scale_invoice_ai", "scale_invoice_ad",
                          "scale_invoice_au", "scale_payment_ai", "scale_payment_ad", "scale_payment_au"] {
                    try d.execute(sql: "DROP TRIGGER \(t)")
                }
            }
        }
        let db = try AppDatabase.open(path: path, create: false)
        try db.writer.writeWithoutTransaction { d in try d.inTransaction { try Migrations.scaleStats(d); return .commit } }
        let f = db
        XCTAssertGreaterThan(try lines(f, "SELECT 1 FROM due_stats").count, 5)
        XCTAssertGreaterThan(try lines(f, "SELECT 1 FROM payment_day_totals").count, 1)
        try assertAggregatesExact(f)
    }

    /// The first page of one status seeks (period, status) instead of walking the period
    /// (the growth table's linear row: 7 → 30 → 122 ms from s to l).
    func testStatusFilterPageSeeksItsIndex() throws {
        let f = try Fixture(start: "2026-03-12T03:00:00Z")
        let admin = try f.actor("superadmin")
        for (filter, index) in [(InvoiceFilter(period: "2026-03", status: "partial"), "idx_invoices_period_status_due"),
                                (InvoiceFilter(status: "unpaid"), "idx_invoices_status_due")] {
            let (w, args) = AppDatabase.invoiceWhere(filter, actor: admin)
            let plan = try f.db.read { d in
                try Row.fetchAll(d, sql: "EXPLAIN QUERY PLAN " + InvoiceRow.select + " WHERE \(w) ORDER BY i.due_date, i.number LIMIT 50",
                                 arguments: StatementArguments(args)!).map { $0["detail"] as String }
            }
            XCTAssertTrue(plan.contains { $0.contains(index) }, "\(plan)")
            XCTAssertFalse(plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        }
    }
}
