import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// Inactive customers (issue 14 §4): a stopped service. Superadmin only, audited; no invoices,
/// not overdue, no isolation candidate, no reminders; activating brings the customer back.
final class InactiveTests: XCTestCase {
    func testInactiveCustomerGetsNoInvoicesRemindersOrIsolationAndComesBack() throws {
        let f = try Fixture(start: "2026-03-01T00:00:00Z")
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        // demo: PLG-000001 (mitra1, day 5), PLG-000002 (mitra1, day 10), PLG-000003 (superadmin, day 15)
        XCTAssertThrowsError(try f.db.setInactive("PLG-000001", inactive: true, actor: m1, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }
        let c = try f.db.setInactive("PLG-000001", inactive: true, actor: admin, context: f.context)
        XCTAssertEqual(c.status, "inactive")
        XCTAssertEqual(try f.db.setInactive("PLG-000001", inactive: true, actor: admin, context: f.context).version, c.version, "twice changes nothing")
        let audit = try f.db.read { try String.fetchAll($0, sql: "SELECT action FROM activity_logs WHERE resource_id = ? ORDER BY rowid", arguments: [c.id]) }
        XCTAssertEqual(audit.filter { $0.hasPrefix("customer.") && $0.contains("activate") }, ["customer.deactivate"])
        // no invoice for the inactive customer
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        let billed = try f.db.read { try String.fetchAll($0, sql: """
            SELECT c.code FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.period = '2026-04' ORDER BY c.code
            """) }
        XCTAssertFalse(billed.contains("PLG-000001"))
        XCTAssertTrue(billed.contains("PLG-000002"))
        // an older unpaid invoice of the stopped customer: not overdue, no candidate, no reminder, no auto-isolation
        try f.db.setInactive("PLG-000001", inactive: false, actor: admin, context: f.context)
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        try f.db.setInactive("PLG-000001", inactive: true, actor: admin, context: f.context)
        try f.db.setSetting("isolation.auto", "true", actor: admin, context: f.context)
        try f.db.setSetting("wa.reminder_days", "3,1,-1", actor: admin, context: f.context)
        let tz = TimeZone(identifier: "Asia/Jakarta")!
        var day = LocalDate("2026-03-01")!
        while day <= LocalDate("2026-03-20")! {
            f.clock.set(day.startOfDay(in: tz).addingTimeInterval(6 * 3600))
            let r = try DailyJob.run(db: f.db, businessDate: day, context: f.context)
            XCTAssertFalse(r.isolated.contains("PLG-000001"), "\(day)")
            day = day.adding(days: 1)
        }
        XCTAssertFalse(try f.db.isolationCandidates(actor: admin, today: LocalDate("2026-03-20")!).map(\.code).contains("PLG-000001"))
        let queued = try f.db.read { try Int.fetchOne($0, sql: """
            SELECT count(*) FROM wa_message_queue q JOIN customers c ON c.id = q.customer_id WHERE c.code = 'PLG-000001'
            """)! }
        XCTAssertEqual(queued, 0, "no reminders to an inactive customer")
        XCTAssertGreaterThan(try f.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM wa_message_queue WHERE message_type = 'reminder'")! }, 0,
                             "the active customers were reminded")
        XCTAssertEqual(try f.db.customer(id: "PLG-000001", actor: admin).status, "inactive")
        // and back: active again, billed again, audited
        XCTAssertEqual(try f.db.setInactive("PLG-000001", inactive: false, actor: admin, context: f.context).status, "active")
        try f.db.generateInvoices(period: Period("2026-05")!, actor: admin, context: f.context)
        XCTAssertEqual(try f.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.code = 'PLG-000001' AND i.period = '2026-05'")! },
                       1, "billed again once active")
        let actions = try f.db.read { try String.fetchAll($0, sql: "SELECT action FROM activity_logs WHERE resource_id = ? ORDER BY rowid", arguments: [c.id]) }
        XCTAssertEqual(actions.filter { $0 == "customer.deactivate" || $0 == "customer.activate" },
                       ["customer.deactivate", "customer.activate", "customer.deactivate", "customer.activate"])
    }
}
