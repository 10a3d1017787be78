import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// Reminders before and after the due date (issue 14) on a virtual calendar across a month
/// and a year end: H-3, H-1, H+1 exactly once per invoice and stage, invoices made early
/// enough for H-3, none after payment, none to isolated customers, wording per stage.
final class ReminderStageTests: XCTestCase {
    struct Queued: Equatable { var number: String; var stage: Int; var type: String; var status: String; var text: String }

    func queued(_ f: Fixture) throws -> [Queued] {
        try f.db.read { d in
            try Row.fetchAll(d, sql: """
                SELECT i.number, q.stage, q.message_type, q.status, q.content FROM wa_message_queue q JOIN invoices i ON i.id = q.invoice_id
                ORDER BY i.number, q.stage DESC
                """).map { Queued(number: $0[0], stage: $0[1], type: $0[2], status: $0[3], text: $0[4]) }
        }
    }

    /// 06:00 in Jakarta on `day`.
    func morning(_ day: LocalDate) -> Date { day.startOfDay(in: TimeZone(identifier: "Asia/Jakarta")!).addingTimeInterval(6 * 3600) }

    func testStagesAcrossMonthAndYearEnds() throws {
        let f = try Fixture(start: "2026-12-20T00:00:00Z")
        let admin = try f.actor("superadmin")
        XCTAssertThrowsError(try f.db.setSetting("wa.reminder_days", "3,-29", actor: admin, context: f.context))
        try f.db.setSetting("wa.reminder_days", "3,1,-1", actor: admin, context: f.context)
        let pkg = try f.db.packages()[0].id
        // billed on the 1st (due 1 Jan: H-3 on 29 Dec, H+1 on 2 Jan) and the 2nd; one to be isolated, one to pay
        for (name, phone, day) in [("Satu Januari", "6281200000001", "1"), ("Dua Januari", "6281200000002", "2"),
                                   ("Diisolir", "6281200000003", "1"), ("Bayar Dulu", "6281200000004", "2")] {
            try f.db.createCustomer(CustomerInput(name: name, phone: phone, packageId: pkg, billingDate: day, registerDate: "2026-06-01"),
                                    actor: admin, context: f.context)
        }
        let code = { (name: String) throws -> String in
            try f.db.read { try String.fetchOne($0, sql: "SELECT code FROM customers WHERE name = ?", arguments: [name])! }
        }
        try f.db.setIsolated(try code("Diisolir"), isolated: true, actor: admin, context: f.context)
        var day = LocalDate("2026-12-26")!
        while day <= LocalDate("2027-01-06")! {
            f.clock.set(morning(day))
            _ = try DailyJob.run(db: f.db, businessDate: day, context: f.context)
            _ = try DailyJob.run(db: f.db, businessDate: day, context: f.context)       // twice is safe
            if day == LocalDate("2026-12-30")! {
                // H-3 of the 2 January invoice is queued: pay it now; its later stages never come
                let inv = try f.db.read { try String.fetchOne($0, sql: """
                    SELECT i.number FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.name = 'Bayar Dulu' AND i.period = '2027-02'
                    """)! }
                try f.db.markPaid(inv, method: .cash, expectedVersion: nil, actor: admin, context: f.context)
                try f.db.releaseStaleClaims(lease: 300, context: f.context)
            }
            day = day.adding(days: 1)
        }
        let rows = try queued(f)
        func stages(_ customer: String) throws -> [Int] {
            let c = try code(customer)
            return rows.filter { $0.number.hasSuffix(String(c.dropFirst(4))) && $0.number.hasPrefix("INV-202702") }.map(\.stage)
        }
        XCTAssertEqual(try stages("Satu Januari"), [3, 1, -1])
        XCTAssertEqual(try stages("Dua Januari"), [3, 1, -1])
        XCTAssertEqual(try stages("Diisolir"), [], "no reminders to an isolated customer")
        XCTAssertEqual(try stages("Bayar Dulu"), [3], "none after it was paid")
        let paidSuffix = String(try code("Bayar Dulu").dropFirst(4))
        XCTAssertEqual(rows.first { $0.number.hasSuffix(paidSuffix) }?.status, "cancelled",
                       "the H-3 still waiting is cancelled once paid")
        // wording per stage; the overdue one uses its own template
        let oneSuffix = String(try code("Satu Januari").dropFirst(4))
        let one = rows.filter { $0.number.hasSuffix(oneSuffix) && $0.number.hasPrefix("INV-202702") }
        XCTAssertTrue(one[0].text.contains("akan jatuh tempo dalam 3 hari, pada 1 Jan 2027"), one[0].text)
        XCTAssertTrue(one[1].text.contains("akan jatuh tempo besok, 1 Jan 2027"), one[1].text)
        XCTAssertTrue(one[2].text.contains("sudah jatuh tempo kemarin, 1 Jan 2027"), one[2].text)
        XCTAssertTrue(one[2].text.contains("Tagihan WiFi Terlambat"), one[2].text)
        XCTAssertEqual(one.map(\.type), ["reminder", "reminder", "reminder"])
        // made early enough: each invoice existed on its H-3 day (the 29th / 30th of December)
        let made = try f.db.read { try Row.fetchAll($0, sql: """
            SELECT i.due_date, i.created_at FROM invoices i WHERE i.period = '2027-02'
            """).map { (LocalDate($0[0] as String)!, $0[1] as Date) } }
        XCTAssertEqual(made.count, 4)
        for (due, created) in made {
            XCTAssertLessThanOrEqual(LocalDate.from(created, in: TimeZone(identifier: "Asia/Jakarta")!), due.adding(days: -3))
        }
        // a bulk reminder for an invoice whose reminder is still queued adds nothing; twice neither
        let pending = try f.db.read { try String.fetchOne($0, sql: "SELECT invoice_id FROM wa_message_queue WHERE status = 'pending' LIMIT 1") }
        if let pending {
            let cid = try f.db.read { try String.fetchOne($0, sql: "SELECT customer_id FROM invoices WHERE id = ?", arguments: [pending])! }
            let m = try f.db.compose(kind: .reminder, customerId: cid, invoiceId: pending, actor: admin, context: f.context)
            XCTAssertEqual(try f.db.enqueueBulk([m], actor: admin, context: f.context), 0)
        }
        try f.db.generateInvoices(period: Period("2027-04")!, actor: admin, context: f.context)
        let open = try f.db.read { try Row.fetchAll($0, sql: """
            SELECT i.customer_id, i.id FROM invoices i JOIN customers c ON c.id = i.customer_id
            WHERE i.status != 'paid' AND c.status = 'active' AND NOT EXISTS (SELECT 1 FROM wa_message_queue q WHERE q.invoice_id = i.id AND q.status IN ('pending','held','sending'))
            LIMIT 1
            """).map { ($0[0] as String, $0[1] as String) } }.first!
        let m = try f.db.compose(kind: .reminder, customerId: open.0, invoiceId: open.1, actor: admin, context: f.context)
        XCTAssertEqual(try f.db.enqueueBulk([m], actor: admin, context: f.context), 1)
        XCTAssertEqual(try f.db.enqueueBulk([m], actor: admin, context: f.context), 0)
    }

    func testWhenWording() {
        XCTAssertEqual(MessageTemplates.when(days: 0, dueDate: "5 Mar 2026"), "hari ini, 5 Mar 2026")
        XCTAssertEqual(MessageTemplates.when(days: 1, dueDate: "5 Mar 2026"), "besok, 5 Mar 2026")
        XCTAssertEqual(MessageTemplates.when(days: 3, dueDate: "5 Mar 2026"), "dalam 3 hari, pada 5 Mar 2026")
        XCTAssertEqual(MessageTemplates.when(days: -1, dueDate: "5 Mar 2026"), "kemarin, 5 Mar 2026")
        XCTAssertEqual(MessageTemplates.when(days: -7, dueDate: "5 Mar 2026"), "7 hari yang lalu, pada 5 Mar 2026")
    }
}
