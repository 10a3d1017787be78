import Foundation
import XCTest
import FiberNodeStore
import FiberNodeDomain
@testable import FiberNodeWhatsApp
import FiberNodeFakes

/// Issue 18 item 5: a backlog due in the past is not drained at exactly the minimum spacing.
/// Seeded generator, virtual clock: the clock jumps to the next planned instant each tick.
final class BacklogSpreadTests: XCTestCase {
    func testBacklogGapsAreSpreadAcrossTheRangeWithBatchRests() throws {
        let fake = try FakeWAHA()
        let url = try fake.start()
        defer { fake.stop() }
        let f = try WAFixture(start: "2026-03-04T01:00:00Z")   // 08:00 WIB
        try f.useWAHA(url)
        fake.setState("mitra1", "WORKING")
        let admin = try f.actor("superadmin")
        let owner = try f.db.read { try String.fetchOne($0, sql: "SELECT id FROM users WHERE username='mitra1'")! }
        let ids = try f.db.bulkRecipients(.owner(owner), actor: admin)
        let perBulk = ids.count
        XCTAssertGreaterThan(perBulk, 0)
        var queued = 0
        while queued < 200 {   // planned with delays 0: everything due at once
            queued += try f.db.enqueueBulk(try ids.map { try f.db.compose(kind: .custom, customerId: $0.customerId, actor: admin, context: f.context) },
                                           actor: admin, context: f.context)
        }
        // The real rules now apply, and the gateway was "down" for hours: the whole queue is overdue.
        for (k, v) in [("wa.max_delay_s", "15"), ("wa.min_delay_s", "8"), ("wa.jitter_s", "5"), ("wa.batch_size", "20"),
                       ("wa.batch_cooldown_s", "300")] {
            try f.db.setSetting(k, v, actor: admin, context: f.context)
        }
        f.clock.advance(by: 3 * 3600)
        let w = QueueWorker(db: f.db, context: f.context, service: WhatsAppService(db: f.db, context: f.context, timeout: 3))
        var sendTimes: [Date] = []
        for _ in 0..<2000 {
            let n = w.runOnce().sent
            XCTAssertLessThanOrEqual(n, 1)       // never two at the same instant
            for _ in 0..<n { sendTimes.append(f.clock.now()) }
            if sendTimes.count >= 200 { break }
            guard let next = try f.db.nextScheduled() else { break }
            f.clock.set(max(next, f.clock.now().addingTimeInterval(0.001)))
        }
        XCTAssertEqual(sendTimes.count, 200)
        let gaps = zip(sendTimes.dropFirst(), sendTimes).map { $0.timeIntervalSince($1) }
        XCTAssertGreaterThanOrEqual(gaps.min() ?? 0, 8, "no gap below wa.min_delay_s")
        let ordinary = gaps.filter { $0 < 300 }
        let rests = gaps.filter { $0 >= 300 }
        XCTAssertTrue(ordinary.allSatisfy { $0 <= 15 + 5 }, "ordinary gaps stay within max + jitter")
        // Spread: many distinct values, both ends of the range reached, a mean near the middle.
        XCTAssertGreaterThanOrEqual(Set(ordinary.map { Int($0) }).count, 10)
        XCTAssertLessThanOrEqual(ordinary.min()!, 10)
        XCTAssertGreaterThanOrEqual(ordinary.max()!, 18)
        let mean = ordinary.reduce(0, +) / Double(ordinary.count)
        XCTAssertTrue((12.0...16.0).contains(mean), "mean gap \(mean)")
        // A long backlog is cut into batch rests too: one after every 20 sends.
        XCTAssertGreaterThanOrEqual(rests.count, 9)
        XCTAssertLessThanOrEqual(rests.count, 10)
        print("BACKLOG-SPREAD gaps: n=\(gaps.count) min=\(gaps.min()!) max ordinary=\(ordinary.max()!) mean=\(mean) distinct=\(Set(ordinary.map { Int($0) }).count) rests=\(rests.count)")
    }
}

/// Issue 18 item 6: a reminder queued in the evening and held by quiet hours greets by the
/// hour it goes out (business time), in the text and the Cloud parameters alike.
final class GreetingTimeTests: XCTestCase {
    func testHeldReminderIsRetimedWhenItGoesOut() throws {
        let fake = try FakeWAHA()
        let url = try fake.start()
        defer { fake.stop() }
        let f = try WAFixture(start: "2026-03-04T14:00:00Z")    // 21:00 WIB
        try f.useWAHA(url)
        fake.setState("mitra1", "WORKING")
        let admin = try f.actor("superadmin")
        try f.db.setSetting("wa.greetings", "Selamat siang", actor: admin, context: f.context)
        try f.db.setSetting("wa.template.reminder", "{greeting} *{name}*, {time_greeting}. Tagihan {period}.", actor: admin, context: f.context)
        try f.db.setSetting("wa.quiet_start", "21:30", actor: admin, context: f.context)
        try f.db.setSetting("wa.quiet_end", "08:00", actor: admin, context: f.context)
        _ = try DailyJob.run(db: f.db, businessDate: LocalDate("2026-03-04")!, context: f.context)
        let queued = try XCTUnwrap(try f.db.queueItems(actor: admin).first)
        XCTAssertTrue(queued.content.hasPrefix("Selamat malam *Ahmad Fauzi*, Selamat malam."), queued.content)
        f.clock.set(date("2026-03-04T14:45:00Z"))                 // 21:45: quiet, held until 08:00
        let w = QueueWorker(db: f.db, context: f.context, service: WhatsAppService(db: f.db, context: f.context, timeout: 3))
        XCTAssertEqual(w.runOnce().sent, 0)
        f.clock.set(date("2026-03-05T01:00:10Z"))                 // 08:00 WIB
        XCTAssertEqual(w.runOnce().sent, 1)
        XCTAssertTrue(fake.sent[0].text.hasPrefix("Selamat pagi *Ahmad Fauzi*, Selamat pagi."), fake.sent[0].text)
        let log = try f.db.messageLog(actor: admin, timeZone: TimeZone(identifier: "Asia/Jakarta")!)
        XCTAssertEqual(log.first?.content, fake.sent[0].text)
    }
}
