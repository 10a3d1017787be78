import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// Automatic isolation with promises to pay, and automatic restore (issue 14).
final class AutoIsolationTests: XCTestCase {
    func status(_ f: Fixture, _ code: String) throws -> String {
        try f.db.read { try String.fetchOne($0, sql: "SELECT status || '|' || isolated_auto FROM customers WHERE code = ?", arguments: [code])! }
    }

    func testIsolatesAfterOverdueDaysUnlessPromisedAndRestoresOnlyAutomaticOnes() throws {
        let f = try Fixture(start: "2026-03-01T00:00:00Z")
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1"), m2 = try f.actor("mitra2")
        // demo: PLG-000001 (mitra1, day 5), PLG-000002 (mitra1, day 10), PLG-000003 (superadmin, day 15); April invoices fall due in March
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        let tz = TimeZone(identifier: "Asia/Jakarta")!
        func run(_ day: String) throws -> DailyJob.Result {
            let d = LocalDate(day)!
            f.clock.set(d.startOfDay(in: tz).addingTimeInterval(6 * 3600))
            return try DailyJob.run(db: f.db, businessDate: d, context: f.context)
        }
        // off by default: nothing happens however late
        XCTAssertEqual(try run("2026-03-20").isolated, [])
        XCTAssertEqual(try status(f, "PLG-000001"), "active|0")
        try f.db.setSetting("isolation.auto", "true", actor: admin, context: f.context)
        // PLG-000002 promises to pay until 25 March; mitra2 cannot promise for it
        XCTAssertThrowsError(try f.db.promise("PLG-000002", until: LocalDate("2026-03-25")!, today: LocalDate("2026-03-13")!, actor: m2, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }
        XCTAssertThrowsError(try f.db.promise("PLG-000002", until: LocalDate("2026-03-12")!, today: LocalDate("2026-03-13")!, actor: m1, context: f.context))
        try f.db.promise("PLG-000002", until: LocalDate("2026-03-25")!, note: "gajian tanggal 25", today: LocalDate("2026-03-13")!,
                         actor: m1, context: f.context)
        // dry run for the 13th, then the job on the 13th: due 5 Mar + 7 days → PLG-000001 only (PLG-000002 due 10 Mar is not yet > 7 days)
        XCTAssertEqual(try f.db.autoIsolationPreview(actor: admin, day: LocalDate("2026-03-13")!).map(\.code), ["PLG-000001"])
        XCTAssertEqual(try f.db.autoIsolationPreview(actor: m2, day: LocalDate("2026-03-13")!).map(\.code), [])
        XCTAssertEqual(try run("2026-03-13").isolated, ["PLG-000001"])
        XCTAssertEqual(try status(f, "PLG-000001"), "isolated|1")
        XCTAssertTrue(try f.db.collectionState(customer: "PLG-000001", actor: m1).isolatedAutomatically)
        // the notice is owed through the outbox, tied to the invoice that caused it
        XCTAssertEqual(try f.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM message_outbox WHERE kind = 'isolation' AND invoice_id IS NOT NULL") }, 1)
        // 18th: PLG-000002 would be due for isolation but its promise is ahead; PLG-000003 (due 15th) not yet
        XCTAssertEqual(try run("2026-03-18").isolated, [])
        XCTAssertEqual(try run("2026-03-18").isolated, [], "twice is safe")
        // the superadmin isolates PLG-000003 by hand on the 20th
        try f.db.setIsolated("PLG-000003", isolated: true, actor: admin, context: f.context)
        // 26th: the promise has passed → PLG-000002 isolated
        XCTAssertEqual(try run("2026-03-26").isolated, ["PLG-000002"])
        // paying in full restores the automatic ones only, at once
        for n in ["INV-202604-000001", "INV-202604-000003"] {
            let inv = try f.db.markPaid(n, method: .cash, expectedVersion: nil, actor: admin, context: f.context)
            try DailyJob.restoreAfterPayment(db: f.db, customerId: inv.customerId, today: LocalDate("2026-03-26")!, context: f.context)
        }
        XCTAssertEqual(try status(f, "PLG-000001"), "active|0")
        XCTAssertEqual(try status(f, "PLG-000003"), "isolated|0", "isolated by hand stays until a person restores it")
        // a partial payment restores nothing; the daily job restores once the rest is paid
        try f.db.markPaid("INV-202604-000002", method: .cash, amount: 40_000, expectedVersion: nil, actor: m1, context: f.context)
        XCTAssertEqual(try run("2026-03-27").restored, [])
        try f.db.markPaid("INV-202604-000002", method: .transfer, expectedVersion: nil, actor: m1, context: f.context)
        XCTAssertEqual(try run("2026-03-28").restored, ["PLG-000002"])
        let audit = try f.db.activityLog(actor: admin).filter { $0.action == "customer.isolate" || $0.action == "customer.promise" }
        XCTAssertTrue(audit.contains { $0.action == "customer.promise" && ($0.metadata ?? "").contains("gajian") })
        XCTAssertTrue(audit.contains { ($0.metadata ?? "").contains("\"automatic\":true") })
    }
}
