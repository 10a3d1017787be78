import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// `fibernode demo --history` (issue 13 item 10): months lived through with the real use
/// cases, so every figure reconciles.
final class DemoHistoryTests: XCTestCase {
    func testHistoryIsMadeByTheUseCasesAndEveryFigureReconciles() throws {
        let f = try Fixture(start: "2026-11-30T07:00:00Z", demo: false)
        let h = try Seeder.demoHistory(into: f.db, months: 4, perOwner: 8, context: f.context)
        let today = LocalDate("2026-11-30")!

        // The spec's seed is still there, plus the customers who joined during the history.
        XCTAssertEqual(try f.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM users") }, 3)
        XCTAssertEqual(h.customers, 24)
        XCTAssertEqual(try f.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM customers") }, 27)
        XCTAssertGreaterThan(h.invoices, 60)
        XCTAssertGreaterThan(h.payments, h.invoices / 2)

        try f.db.read { d in
            // Paid amounts follow from the live ledger, invoice by invoice.
            let drift = try Int.fetchOne(d, sql: """
                SELECT count(*) FROM invoices i
                WHERE i.paid_amount != (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.invoice_id = i.id AND p.voided_at IS NULL)
                """)
            XCTAssertEqual(drift, 0)
            // The trigger-kept aggregates equal direct sums (the dashboard and finance read them).
            let stats = try Row.fetchAll(d, sql: "SELECT period, sum(invoices) n, sum(billed) b, sum(collected) c FROM invoice_stats GROUP BY period HAVING sum(invoices) > 0 ORDER BY period")
            let direct = try Row.fetchAll(d, sql: "SELECT period, count(*) n, sum(total_amount) b, sum(paid_amount) c FROM invoices GROUP BY period ORDER BY period")
            XCTAssertEqual(stats.map { [$0["period"] as String, "\($0["n"] as Int)", "\($0["b"] as Int)", "\($0["c"] as Int)"] },
                           direct.map { [$0["period"] as String, "\($0["n"] as Int)", "\($0["b"] as Int)", "\($0["c"] as Int)"] })
            // Cash, transfer and QRIS; some partial; some never paid (overdue).
            let methods = Set(try String.fetchAll(d, sql: "SELECT DISTINCT method FROM payments"))
            XCTAssertTrue(methods.isSuperset(of: ["cash", "transfer", "qris"]), "\(methods)")
            XCTAssertGreaterThan(try Int.fetchOne(d, sql: "SELECT count(*) FROM invoices WHERE status = 'partial'")!, 0)
            XCTAssertGreaterThan(try Int.fetchOne(d, sql: "SELECT count(*) FROM invoices WHERE status != 'paid' AND due_date < ?",
                                                   arguments: [today.description])!, 0)
            // Money came in over the months, not on one day.
            XCTAssertGreaterThanOrEqual(try Int.fetchOne(d, sql: "SELECT count(DISTINCT substr(paid_on, 1, 7)) FROM payments")!, 3)
            // Nothing happened after the real now.
            XCTAssertEqual(try Int.fetchOne(d, sql: "SELECT count(*) FROM payments WHERE paid_at > ?", arguments: [f.clock.now()]), 0)
            // Receipts and reminders are in the WhatsApp log, sent.
            let logged = try Row.fetchAll(d, sql: "SELECT message_type, count(*) n FROM wa_message_logs WHERE status = 'sent' GROUP BY message_type")
            let byType = Dictionary(uniqueKeysWithValues: logged.map { ($0["message_type"] as String, $0["n"] as Int) })
            XCTAssertGreaterThan(byType["receipt"] ?? 0, 0, "\(byType)")
            XCTAssertGreaterThan(byType["reminder"] ?? 0, 0, "\(byType)")
            XCTAssertEqual(h.messages, byType.values.reduce(0, +))
        }
        // The same users log in as in the plain demo.
        XCTAssertNoThrow(try f.actor("mitra1"))
        XCTAssertThrowsError(try Seeder.demoHistory(into: f.db, months: 4, context: f.context), "never twice")
    }

    /// `make run` at 00:50 on the 1st (Jakarta): this month's money is not empty, because
    /// customers due within days pay ahead on the history's last day (it was Rp 0 before).
    func testHistoryStartedJustAfterMidnightOnTheFirstHasMoneyThisMonth() throws {
        let f = try Fixture(start: "2026-11-30T17:50:00Z", demo: false)   // 1 Dec 2026, 00:50 WIB
        try Seeder.demoHistory(into: f.db, months: 3, perOwner: 8, context: f.context)
        try f.db.read { d in
            let thisMonth = try Int.fetchOne(d, sql: "SELECT count(*) FROM payments WHERE paid_on >= '2026-12-01' AND voided_at IS NULL")!
            let a = try Row.fetchAll(d, sql: "SELECT due_date, status FROM invoices WHERE due_date >= '2026-11-28' ORDER BY due_date")
            let b = try Row.fetchAll(d, sql: "SELECT paid_on, paid_at FROM payments ORDER BY paid_at DESC LIMIT 3")
            XCTAssertGreaterThan(thisMonth, 0, "\(a) \(b)")
            XCTAssertEqual(try Int.fetchOne(d, sql: "SELECT count(*) FROM payments WHERE paid_at > ?", arguments: [f.clock.now()]), 0)
        }
    }

    func testHistoryLengthIsBounded() throws {
        let f = try Fixture(demo: false)
        XCTAssertThrowsError(try Seeder.demoHistory(into: f.db, months: 0, context: f.context))
        XCTAssertThrowsError(try Seeder.demoHistory(into: f.db, months: 25, context: f.context))
        XCTAssertEqual(try f.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM users") }, 0, "nothing written")
    }
}
