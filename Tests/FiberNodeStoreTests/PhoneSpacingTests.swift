import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// One phone number serving several connections (issue 14 §5): its reminders are spaced,
/// never planned back-to-back.
final class PhoneSpacingTests: XCTestCase {
    func testRemindersToOneNumberAreSpacedNotABurst() throws {
        let f = try Fixture(start: "2026-03-01T00:00:00Z")
        let admin = try f.actor("superadmin")
        try f.db.setSetting("wa.reminder_days", "1", actor: admin, context: f.context)
        let pkg = try f.db.packages()[0].id
        let people = [("Rumah Satu", "6281299990001"), ("Rumah Dua", "6281299990004"), ("Kios", "6281299990002"),
                      ("Rumah Tiga", "6281299990005"), ("Warung", "6281299990003")]
        for (name, phone) in people {
            try f.db.createCustomer(CustomerInput(name: name, phone: phone, packageId: pkg, billingDate: "20", registerDate: "2026-01-01"),
                                    actor: admin, context: f.context)
        }
        // one household, three connections: the add form still refuses a shared number, so the
        // shared phone is written directly (as an import from an older system would leave it)
        try f.db.write { try $0.execute(sql: "UPDATE customers SET phone = '6281299990001' WHERE name IN ('Rumah Dua', 'Rumah Tiga')") }
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        let tz = TimeZone(identifier: "Asia/Jakarta")!
        f.clock.set(LocalDate("2026-03-19")!.startOfDay(in: tz).addingTimeInterval(9 * 3600))
        XCTAssertGreaterThanOrEqual(try f.db.enqueueReminders(businessDate: LocalDate("2026-03-19")!, context: f.context), 5)
        let rows = try f.db.read { try Row.fetchAll($0, sql: "SELECT phone, scheduled_at FROM wa_message_queue ORDER BY scheduled_at")
            .map { ($0[0] as String, $0[1] as Date) } }
        let shared = rows.filter { $0.0 == "6281299990001" }.map(\.1)
        XCTAssertEqual(shared.count, 3)
        let gap = AppDatabase.samePhoneGap(try f.db.read { try AppDatabase.settings($0) }.sendPolicy)
        XCTAssertGreaterThanOrEqual(gap, 60)
        for (a, b) in zip(shared, shared.dropFirst()) {
            XCTAssertGreaterThanOrEqual(b.timeIntervalSince(a), gap, "messages to one number are spaced: \(shared)")
        }
        // the other numbers are not held back behind the shared one: they go in the first round
        let firstShared = shared[0], secondShared = shared[1]
        for other in rows where other.0 != "6281299990001" && other.0.hasPrefix("62812999900") {
            XCTAssertLessThan(other.1, secondShared, "\(other.0) waits for nobody")
            _ = firstShared
        }
    }
}
