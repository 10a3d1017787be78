import Foundation
import XCTest
import FiberNodeStore
import GRDB
import FiberNodeDomain

/// 5 mitra × 500 customers through the store: the planned queue obeys every rule, and a
/// second run (also from a second connection, as after a restart) adds nothing.
final class ScaleTests: XCTestCase {
    func testFiveMitraTimesFiveHundredRemindersPlannedInTheStore() throws {
        let path = NSTemporaryDirectory() + "fn-wa-scale-\(UUID().uuidString).db"
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let f = try WAFixture(start: "2026-03-04T23:00:00Z", file: path)          // 06:00 WIB on 03-05
        let admin = try f.actor("superadmin")
        try f.db.setSetting("wa.max_per_day", "500", actor: admin, context: f.context)
        let pkg = try f.db.read { try String.fetchOne($0, sql: "SELECT id FROM packages ORDER BY price LIMIT 1")! }
        var owners: [String] = []
        for i in 0..<5 {
            owners.append(try f.db.createMitra(MitraInput(username: "scale\(i)", name: "Scale \(i)", businessName: "Scale Net \(i)",
                                                          password: "Mitra123!x"), actor: admin, context: f.context).id)
        }
        let now = f.clock.now()
        try f.db.write { d in
            var no = 20_000
            for o in owners {
                for _ in 0..<500 {
                    no += 1
                    try d.execute(sql: """
                        INSERT INTO customers(id, no, code, owner_id, package_id, name, phone, billing_date, discount, total_bill, status,
                                              register_date, version, created_at, updated_at)
                        SELECT ?, ?, ?, ?, id, ?, ?, 6, 0, price, 'active', '2026-01-01', 1, ?, ? FROM packages WHERE id = ?
                        """, arguments: [UUID().uuidString.lowercased(), no, String(format: "PLG-%06d", no), o, "Pelanggan \(no)",
                                         "62812\(String(format: "%08d", no))", now, now, pkg])
                }
            }
        }
        let r = try DailyJob.run(db: f.db, businessDate: LocalDate("2026-03-05")!, context: f.context)
        XCTAssertEqual(r.created, 2500)
        XCTAssertEqual(r.queued, 2500)
        XCTAssertEqual(try DailyJob.run(db: f.db, businessDate: LocalDate("2026-03-05")!, context: f.context).queued, 0)
        let restarted = try AppDatabase.open(path: path, create: false)
        XCTAssertEqual(try restarted.enqueueReminders(businessDate: LocalDate("2026-03-05")!, context: f.context), 0)

        let policy = try f.db.settings().sendPolicy
        let tz = policy.timeZone
        let rows = try f.db.read { try Row.fetchAll($0, sql: "SELECT session_id, scheduled_at FROM wa_message_queue ORDER BY session_id, scheduled_at") }
        XCTAssertEqual(rows.count, 2500)
        let bySession = Dictionary(grouping: rows) { $0["session_id"] as String }.mapValues { $0.map { $0["scheduled_at"] as Date } }
        XCTAssertEqual(bySession.count, 5)
        for (_, times) in bySession {
            XCTAssertEqual(times.count, 500)
            for t in times {
                XCTAssertFalse(policy.isQuiet(t))
                XCTAssertEqual(LocalDate.from(t, in: tz).description, "2026-03-05")
            }
            for i in 1..<times.count { XCTAssertGreaterThanOrEqual(times[i].timeIntervalSince(times[i - 1]), Double(policy.minDelay)) }
            for i in 0..<(times.count - policy.maxPerHour) {
                XCTAssertGreaterThanOrEqual(times[i + policy.maxPerHour].timeIntervalSince(times[i]), 3600)
            }
        }
        // The contents vary (greeting/closing) and name the customer.
        let contents = try f.db.read { try String.fetchAll($0, sql: "SELECT content FROM wa_message_queue LIMIT 50") }
        let greetings = contents.map { $0.split(separator: "\n", omittingEmptySubsequences: false)[2].components(separatedBy: " *").first ?? "" }
        XCTAssertGreaterThan(Set(greetings).count, 2, "\(greetings)")
        XCTAssertTrue(contents.allSatisfy { $0.contains("*Pelanggan ") })
    }
}
