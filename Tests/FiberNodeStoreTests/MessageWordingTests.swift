import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// Issue 13 item 8 (collect3): messages whose words fit the facts — the bank block goes whole
/// when the owner has no bank account, a reminder about a past date is an overdue notice, and
/// the greeting fits the hour on every path (the outbox too).
final class MessageWordingTests: XCTestCase {
    func testBankBlockDroppedCleanlyWithoutAnAccount() throws {
        let f = try Fixture(start: "2026-03-01T02:00:00Z")
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        // mitra1 has no bank account in the demo
        let m = try f.db.compose(kind: .reminder, customerId: "PLG-000001", actor: m1, context: f.context)
        XCTAssertFalse(m.text.contains("Pembayaran via Transfer"), m.text)
        XCTAssertFalse(m.text.contains("Bank:"))
        XCTAssertFalse(m.text.contains("No. Rek"))
        XCTAssertFalse(m.text.contains("\n\n\n"), "no empty lines left behind")
        XCTAssertTrue(m.text.contains("Nominal: Rp 100.000"), "the invoice's own details stay")
        for kind in [MessageKind.isolation, .overdue] {
            let t = MessageTemplates.render(MessageTemplates.defaultTemplate(kind),
                                            values: ["bank": String?.none, "account": String?.none, "holder": String?.none])
            XCTAssertFalse(t.contains("Transfer"), "\(kind)")
            XCTAssertFalse(t.contains("\n\n\n"), "\(kind)")
        }
        // with an account the block is there, whole
        try f.db.updateProfile(name: "Budi Santoso", bankName: "BCA", bankAccount: "1234567890", bankHolder: "Budi Santoso",
                               actor: m1, context: f.context)
        let withBank = try f.db.compose(kind: .reminder, customerId: "PLG-000001", actor: m1, context: f.context)
        XCTAssertTrue(withBank.text.contains("Pembayaran via Transfer"))
        XCTAssertTrue(withBank.text.contains("No. Rek: 1234567890"))
    }

    func testReminderAboutAPastDateIsOverdueWording() throws {
        let f = try Fixture(start: "2026-03-01T02:00:00Z")
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)   // due 5 and 10 March
        let ahead = try f.db.compose(kind: .reminder, customerId: "PLG-000001", actor: m1, context: f.context)
        XCTAssertTrue(ahead.text.contains("akan jatuh tempo dalam 4 hari"), ahead.text)
        XCTAssertEqual(ahead.kind, .reminder)
        f.clock.set(ISO8601DateFormatter().date(from: "2026-03-08T02:00:00Z")!)
        let past = try f.db.compose(kind: .reminder, customerId: "PLG-000001", actor: m1, context: f.context)
        XCTAssertFalse(past.text.contains("akan jatuh tempo"), past.text)
        XCTAssertTrue(past.text.contains("sudah jatuh tempo 3 hari yang lalu"), past.text)
        XCTAssertEqual(past.kind, .overdue)
        // queued in bulk as a reminder all the same
        XCTAssertEqual(try f.db.enqueueBulk([past], actor: m1, context: f.context), 1)
        XCTAssertEqual(try f.db.read { try String.fetchOne($0, sql: "SELECT message_type FROM wa_message_queue") }, "reminder")
    }

    func testOutboxMessageGreetingFitsTheHour() throws {
        // 20:32 in Jakarta (UTC+7) is evening: never "Selamat siang"/"pagi"
        let f = try Fixture(start: "2026-03-01T13:32:00Z")
        let admin = try f.actor("superadmin")
        try f.db.setSetting("wa.greetings", "Selamat siang", actor: admin, context: f.context)
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        try f.db.markPaid("INV-202604-000001", method: .cash, expectedVersion: nil, actor: admin, context: f.context)
        let items = try f.db.pendingOutbox(olderThan: 0, context: f.context)
        XCTAssertFalse(items.isEmpty, "the receipt is owed through the outbox")
        for item in items {
            let m = try f.db.composeOutbox(item, context: f.context)
            XCTAssertTrue(m.text.contains("Selamat malam"), m.text)
            XCTAssertFalse(m.text.contains("Selamat siang"))
        }
        XCTAssertEqual(DayPart.at(ISO8601DateFormatter().date(from: "2026-03-01T13:32:00Z")!, in: TimeZone(identifier: "Asia/Jakarta")!), .malam)
        XCTAssertEqual(DayPart.at(ISO8601DateFormatter().date(from: "2026-03-01T05:00:00Z")!, in: TimeZone(identifier: "Asia/Jakarta")!), .siang)
    }
}
