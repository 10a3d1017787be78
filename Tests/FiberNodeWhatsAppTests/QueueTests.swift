import Foundation
import XCTest
import FiberNodeStore
import FiberNodeDomain
@testable import FiberNodeWhatsApp
import FiberNodeFakes

/// Queue and worker against the fake WAHA: exactly once, claims, leases, retries, direct sends.
final class QueueTests: XCTestCase {
    var fake: FakeWAHA!
    var url: URL!

    override func setUpWithError() throws {
        fake = try FakeWAHA()
        url = try fake.start()
    }
    override func tearDown() { fake.stop() }

    func queueCount(_ f: WAFixture) throws -> Int {
        try f.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM wa_message_queue")! }
    }

    func testDailyJobTwiceAndWorkerRestartSendEachReminderOnce() throws {
        let f = try WAFixture()
        try f.useWAHA(url)
        fake.setState("default", "WORKING"); fake.setState("mitra1", "WORKING"); fake.setState("mitra2", "WORKING")
        let day = LocalDate("2026-03-04")!
        let r1 = try DailyJob.run(db: f.db, businessDate: day, context: f.context)
        XCTAssertEqual(r1.created, 1)
        XCTAssertEqual(r1.queued, 1)
        let r2 = try DailyJob.run(db: f.db, businessDate: day, context: f.context)
        XCTAssertEqual(r2.queued, 0)
        XCTAssertEqual(try queueCount(f), 1)
        // The UNIQUE key itself refuses a second row even when the check is bypassed.
        XCTAssertThrowsError(try f.db.write { db in
            try db.execute(sql: "INSERT INTO wa_message_queue(id, session_id, dedupe_key, phone, content, scheduled_at, created_at, updated_at) SELECT 'x', session_id, dedupe_key, phone, content, scheduled_at, created_at, updated_at FROM wa_message_queue")
        })
        let service = WhatsAppService(db: f.db, context: f.context, timeout: 3)
        let w1 = QueueWorker(db: f.db, context: f.context, service: service)
        XCTAssertEqual(w1.runOnce().sent, 1)
        // A restarted worker and a third job run send nothing more.
        _ = try DailyJob.run(db: f.db, businessDate: day, context: f.context)
        let w2 = QueueWorker(db: f.db, context: f.context, service: service)
        XCTAssertEqual(w2.runOnce().sent, 0)
        XCTAssertEqual(fake.sent.count, 1)
        XCTAssertEqual(fake.sent[0].session, "mitra1")                 // the owner's session
        XCTAssertEqual(fake.sent[0].chatId, "6281234567890@c.us")
        XCTAssertTrue(fake.sent[0].text.contains("Ahmad Fauzi"))
        XCTAssertTrue(fake.sent[0].text.contains("Rp 100.000") || fake.sent[0].text.contains("Rp "))
        let log = try f.db.messageLog(actor: try f.actor("superadmin"), timeZone: TimeZone(identifier: "Asia/Jakarta")!)
        XCTAssertEqual(log.map(\.status), ["sent"])
        XCTAssertNotNil(log[0].waMessageId)
    }

    func testTwoWorkersNeverClaimTheSameMessage() throws {
        let path = NSTemporaryDirectory() + "fn-wa-\(UUID().uuidString).db"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let f = try WAFixture(file: path)
        try f.useWAHA(url)
        let admin = try f.actor("superadmin")
        let ids = try f.db.bulkRecipients(.owner(try f.db.read { try String.fetchOne($0, sql: "SELECT id FROM users WHERE username='mitra1'")! }), actor: admin)
        var queued = 0
        for _ in 0..<40 {   // one bulk send reaches a customer once; 40 sends of 2
            let msgs = try ids.map { try f.db.compose(kind: .custom, customerId: $0.customerId, actor: admin, context: f.context) }
            queued += try f.db.enqueueBulk(msgs + msgs, actor: admin, context: f.context)
        }
        XCTAssertEqual(queued, 80)
        let session = try f.db.read { try String.fetchOne($0, sql: "SELECT DISTINCT session_id FROM wa_message_queue")! }
        // Two connections (two "processes") claim concurrently.
        let other = try AppDatabase.open(path: path, create: false)
        let claimed = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let db = i == 0 ? f.db : other
            while let item = try? db.claimNext(sessionId: session, context: f.context) { claimed.mutate { $0.append(item.id) } }
        }
        XCTAssertEqual(claimed.value.count, 80)
        XCTAssertEqual(Set(claimed.value).count, 80)
    }

    func testStaleClaimGoesBackToPendingAndNotReadyKeepsTries() throws {
        let f = try WAFixture()
        try f.useWAHA(url)
        _ = try DailyJob.run(db: f.db, businessDate: LocalDate("2026-03-04")!, context: f.context)
        let session = try f.db.read { try String.fetchOne($0, sql: "SELECT session_id FROM wa_message_queue")! }
        // A worker claims then "crashes".
        XCTAssertNotNil(try f.db.claimNext(sessionId: session, context: f.context))
        XCTAssertNil(try f.db.claimNext(sessionId: session, context: f.context))
        f.clock.advance(by: 60)
        XCTAssertEqual(try f.db.releaseStaleClaims(lease: 300, context: f.context), 0)
        f.clock.advance(by: 300)
        XCTAssertEqual(try f.db.releaseStaleClaims(lease: 300, context: f.context), 1)
        // Gateway not ready (session mitra1 not WORKING on the fake: 404) → waits, tries kept.
        let w = QueueWorker(db: f.db, context: f.context, service: WhatsAppService(db: f.db, context: f.context, timeout: 3))
        let s1 = w.runOnce()
        XCTAssertEqual(s1.waiting, 1)
        let item = try XCTUnwrap(try f.db.queueItems(actor: try f.actor("superadmin")).first)
        XCTAssertEqual(item.status, "pending")
        XCTAssertEqual(item.retryCount, 0)
        XCTAssertEqual(fake.sent.count, 0)
        // Now 5xx on every try: retried after the delay, then failed after the last try.
        fake.setState("mitra1", "WORKING")
        fake.failNextSends(100)
        let admin = try f.actor("superadmin")
        try f.db.setSetting("wa.retry_max", "2", actor: admin, context: f.context)
        try f.db.setSetting("wa.retry_delay_s", "600", actor: admin, context: f.context)
        // max_retries was fixed at enqueue time (3): four tries in all.
        var tries = 0
        for _ in 0..<10 {
            f.clock.advance(by: 601)
            tries += w.runOnce().failedTries
        }
        XCTAssertEqual(tries, 4)
        let failed = try XCTUnwrap(try f.db.queueItems(actor: admin).first)
        XCTAssertEqual(failed.status, "failed")
        XCTAssertEqual(try f.db.queueCounts(actor: admin).failed, 1)
        XCTAssertEqual(try f.db.failureStreak(actor: admin), 4)
        // Retry by hand, then it goes.
        fake.failNextSends(0)
        try f.db.retryMessage(failed.id, actor: admin, context: f.context)
        XCTAssertEqual(w.runOnce().sent, 1)
        XCTAssertEqual(try f.db.failureStreak(actor: admin), 0)
    }

    func testQuietHoursHoldAtSendTime() throws {
        let f = try WAFixture(start: "2026-03-04T15:00:00Z")   // 22:00 WIB
        try f.useWAHA(url)
        fake.setState("mitra1", "WORKING")
        let admin = try f.actor("superadmin")
        try f.db.setSetting("wa.quiet_start", "21:00", actor: admin, context: f.context)
        try f.db.setSetting("wa.quiet_end", "08:00", actor: admin, context: f.context)
        let c = try f.db.bulkRecipients(.owner(try f.db.read { try String.fetchOne($0, sql: "SELECT id FROM users WHERE username='mitra1'")! }), actor: admin)
        let m = try f.db.compose(kind: .custom, customerId: c[0].customerId, actor: admin, context: f.context)
        XCTAssertEqual(try f.db.enqueueBulk([m], actor: admin, context: f.context), 1)
        XCTAssertEqual(try f.db.queueCounts(actor: admin).held, 1)   // planned for 08:00, held
        let w = QueueWorker(db: f.db, context: f.context, service: WhatsAppService(db: f.db, context: f.context, timeout: 3))
        XCTAssertEqual(w.runOnce().sent, 0)
        f.clock.set(date("2026-03-05T01:00:30Z"))                // 08:00 WIB
        XCTAssertEqual(w.runOnce().sent, 1)
    }

    func testMitraSeesOnlyOwnQueueAndCannotTouchOthers() throws {
        let f = try WAFixture()
        try f.useWAHA(url)
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1"), m2 = try f.actor("mitra2")
        let rudi = try f.db.bulkRecipients(.owner(admin.userId), actor: admin)
        let m = try f.db.compose(kind: .custom, customerId: rudi[0].customerId, actor: admin, context: f.context)
        try f.db.enqueueBulk([m], actor: admin, context: f.context)
        XCTAssertEqual(try f.db.queueItems(actor: m1).count, 0)
        XCTAssertEqual(try f.db.queueCounts(actor: m2).pending, 0)
        let id = try f.db.queueItems(actor: admin)[0].id
        XCTAssertThrowsError(try f.db.cancelMessage(id, actor: m1, context: f.context)) { XCTAssertEqual($0 as? StoreError, .notPermitted) }
        XCTAssertThrowsError(try f.db.compose(kind: .custom, customerId: rudi[0].customerId, actor: m1, context: f.context))
        XCTAssertThrowsError(try f.db.bulkRecipients(.customers([rudi[0].customerId]), actor: m1))
        XCTAssertThrowsError(try f.db.enqueueBulk([m], actor: m1, context: f.context))
        XCTAssertEqual(try f.db.cancelMessage(id, actor: admin, context: f.context).status, "cancelled")
    }

    func testReceiptGoesDirectlyFromOwnerSessionWithLinkAndToggles() throws {
        let f = try WAFixture()
        try f.useWAHA(url)
        fake.setState("mitra1", "WORKING")
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        try f.db.setSetting("receipt.base_url", "https://bayar.example.id", actor: admin, context: f.context)
        try f.db.setSetting("receipt.show_payment_method", "false", actor: admin, context: f.context)
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        let inv = try f.db.invoices(actor: m1, filter: InvoiceFilter()).first!
        let paid = try f.db.markPaid(inv.id, method: .transfer, expectedVersion: nil, actor: m1, context: f.context)
        let service = WhatsAppService(db: f.db, context: f.context, timeout: 3)
        let r = try service.sendReceipt(invoice: paid.id, actor: m1)
        XCTAssertTrue(r.sent)
        XCTAssertEqual(fake.sent.last?.session, "mitra1")
        XCTAssertEqual(fake.sent.last?.chatId, "\(paid.customerPhone)@c.us")
        let text = fake.sent.last!.text
        XCTAssertTrue(text.contains("Nota Pembayaran"))
        XCTAssertTrue(text.contains("https://bayar.example.id/receipt/\(paid.receiptToken!)"))
        XCTAssertTrue(text.contains("Budi Santoso"))               // paid by
        XCTAssertFalse(text.contains("Metode:"))                   // toggle off → line gone
        XCTAssertFalse(text.contains("NIK:"))                      // off by default
        // Unknown placeholders are refused at save time.
        XCTAssertThrowsError(try f.db.setSetting("wa.template.receipt", "Halo {nama}", actor: admin, context: f.context))
        // No gateway: nothing blocks; logged failed with the reason; fallback link offered.
        try f.db.setSetting("wa.gateway", "none", actor: admin, context: f.context)
        let none = try service.sendIsolationNotice(customer: paid.customerId, actor: admin)
        XCTAssertFalse(none.sent)
        XCTAssertEqual(none.failure, .notConfigured)
        XCTAssertTrue(none.fallbackLink.hasPrefix("https://wa.me/\(paid.customerPhone)?text="))
        let log = try f.db.messageLog(actor: m1, filter: MessageLogFilter(type: "isolation"), timeZone: TimeZone(identifier: "Asia/Jakarta")!)
        XCTAssertEqual(log.first?.status, "failed")
        XCTAssertEqual(log.first?.errorMessage, GatewayError.notConfigured.description)
        XCTAssertEqual(try f.db.messageLog(actor: try f.actor("mitra2"), timeZone: TimeZone(identifier: "Asia/Jakarta")!).count, 0)
    }

    func testOneConnectAtATimePerOwner() throws {
        let f = try WAFixture()
        try f.useWAHA(url)
        let m1 = try f.actor("mitra1")
        let service = WhatsAppService(db: f.db, context: f.context, timeout: 3)
        let r = try service.connect(ownerId: m1.userId, actor: m1)
        XCTAssertEqual(r.status.state, .scanQR)
        XCTAssertEqual(r.qr, fake.qrValue)
        XCTAssertThrowsError(try service.connect(ownerId: m1.userId, actor: m1)) {
            XCTAssertEqual($0 as? StoreError, .alreadyExists(what: "WhatsApp connect"))
        }
        XCTAssertThrowsError(try service.connect(ownerId: try f.actor("mitra2").userId, actor: m1)) { XCTAssertEqual($0 as? StoreError, .notPermitted) }
        fake.pair("mitra1", phone: "6281277778888")
        let polled = try service.poll(ownerId: m1.userId, actor: m1)
        XCTAssertEqual(polled.status.state, .working)
        let s = try f.db.waSession(ownerId: m1.userId, actor: m1, context: f.context)
        XCTAssertEqual(s.status, "connected")
        XCTAssertEqual(s.phoneNumber, "6281277778888")
    }
}

final class Locked<T>: @unchecked Sendable {
    private var v: T
    private let lock = NSLock()
    init(_ v: T) { self.v = v }
    var value: T { lock.lock(); defer { lock.unlock() }; return v }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); f(&v); lock.unlock() }
}

/// Delivery acknowledgements move a sent log entry to delivered, then read; never back.
final class AckTests: XCTestCase {
    func testAckUpdatesLog() throws {
        let f = try WAFixture()
        let admin = try f.actor("superadmin")
        let c = try f.db.bulkRecipients(.owner(admin.userId), actor: admin)
        let m = try f.db.compose(kind: .custom, customerId: c[0].customerId, actor: admin, context: f.context)
        try f.db.logDirect(m, status: "sent", error: nil, messageId: "true_x@c.us_3EB0", context: f.context)
        XCTAssertEqual(try f.db.recordAck(messageId: "true_x@c.us_3EB0", ack: 2), 1)
        XCTAssertEqual(try f.db.recordAck(messageId: "true_x@c.us_3EB0", ack: 3), 1)
        XCTAssertEqual(try f.db.recordAck(messageId: "true_x@c.us_3EB0", ack: 2), 0)
        XCTAssertEqual(try f.db.messageLog(actor: admin, timeZone: TimeZone(identifier: "Asia/Jakarta")!).first?.status, "read")
    }
}

/// The worker's daily job: not before `jobs.daily_time`, then once; after downtime it catches up.
final class DailyScheduleTests: XCTestCase {
    func testRunsAtDailyTimeAndCatchesUp() throws {
        let f = try WAFixture(start: "2026-03-03T22:00:00Z")      // 05:00 WIB on 03-04
        let w = QueueWorker(db: f.db, context: f.context, service: WhatsAppService(db: f.db, context: f.context, timeout: 1))
        var last = try f.db.lastDailyJobDate()
        XCTAssertNil(last)
        w.runDailyJobIfDue(lastRun: &last)
        XCTAssertEqual(last?.description, "2026-03-03")            // before 06:00: yesterday's is the latest due
        f.clock.set(date("2026-03-03T23:30:00Z"))                   // 06:30 WIB on 03-04
        w.runDailyJobIfDue(lastRun: &last)
        XCTAssertEqual(last?.description, "2026-03-04")
        // 03-04 → customers billed on the 5th (Ahmad): invoice + reminder
        XCTAssertEqual(try f.db.queueCounts(actor: try f.actor("superadmin")).pending + (try f.db.queueCounts(actor: try f.actor("superadmin")).held), 1)
        XCTAssertEqual(try f.db.lastDailyJobDate()?.description, "2026-03-04")
        // Down for five days: the next start runs every missed day once.
        f.clock.set(date("2026-03-09T00:00:00Z"))                   // 07:00 WIB on 03-09
        var resumed = try f.db.lastDailyJobDate()
        w.runDailyJobIfDue(lastRun: &resumed)
        XCTAssertEqual(resumed?.description, "2026-03-09")
        let days = try f.db.read { try String.fetchAll($0, sql: "SELECT json_extract(metadata, '$.date') FROM activity_logs WHERE action = 'wa.enqueue_reminders' ORDER BY created_at") }
        XCTAssertEqual(days, ["2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"])
        // 03-09 → billed on the 10th (Dewi): generated and reminded
        let invoices = try f.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM invoices")! }
        XCTAssertEqual(invoices, 2)
    }
}

/// A backlog (gateway down for hours) is still sent with the minimum spacing and under the caps.
final class BacklogTests: XCTestCase {
    func testOverdueBacklogKeepsSpacingAndHourlyCap() throws {
        let fake = try FakeWAHA()
        let url = try fake.start()
        defer { fake.stop() }
        let f = try WAFixture(start: "2026-03-04T03:00:00Z")   // 10:00 WIB
        try f.useWAHA(url)
        let admin = try f.actor("superadmin")
        try f.db.setSetting("wa.max_per_hour", "3", actor: admin, context: f.context)
        let owner = try f.db.read { try String.fetchOne($0, sql: "SELECT id FROM users WHERE username='mitra1'")! }
        let ids = try f.db.bulkRecipients(.owner(owner), actor: admin)
        for _ in 0..<3 {   // 6 messages planned with delays 0 (the settings at enqueue time)
            try f.db.enqueueBulk(try ids.map { try f.db.compose(kind: .custom, customerId: $0.customerId, actor: admin, context: f.context) },
                                 actor: admin, context: f.context)
        }
        // now the real spacing applies, and the gateway was "down": everything is overdue
        try f.db.setSetting("wa.max_delay_s", "10", actor: admin, context: f.context)
        try f.db.setSetting("wa.min_delay_s", "8", actor: admin, context: f.context)
        fake.setState("mitra1", "WORKING")
        f.clock.advance(by: 3 * 3600)
        let w = QueueWorker(db: f.db, context: f.context, service: WhatsAppService(db: f.db, context: f.context, timeout: 3))
        var sendTimes: [Date] = []
        for _ in 0..<2000 {           // a virtual worker loop, 5 s per tick, over ~3 hours
            let n = w.runOnce().sent
            for _ in 0..<n { sendTimes.append(f.clock.now()) }
            if sendTimes.count == 6 { break }
            f.clock.advance(by: 5)
        }
        XCTAssertEqual(sendTimes.count, 6)
        XCTAssertEqual(fake.sent.count, 6)
        for i in 1..<sendTimes.count { XCTAssertGreaterThanOrEqual(sendTimes[i].timeIntervalSince(sendTimes[i - 1]), 8) }
        for i in 0..<(sendTimes.count - 3) { XCTAssertGreaterThanOrEqual(sendTimes[i + 3].timeIntervalSince(sendTimes[i]), 3600) }
    }
}

final class QuietAtSendTimeTests: XCTestCase {
    /// Messages found due inside quiet hours (settings changed after planning) are held until morning.
    func testDueInsideQuietHoursAreHeldUntilMorning() throws {
        let fake = try FakeWAHA()
        let url = try fake.start()
        defer { fake.stop() }
        let f = try WAFixture(start: "2026-03-04T14:30:00Z")   // 21:30 WIB
        try f.useWAHA(url)                                        // quiet hours off while planning
        fake.setState("mitra1", "WORKING")
        let admin = try f.actor("superadmin")
        let owner = try f.db.read { try String.fetchOne($0, sql: "SELECT id FROM users WHERE username='mitra1'")! }
        let ids = try f.db.bulkRecipients(.owner(owner), actor: admin)
        try f.db.enqueueBulk(try ids.map { try f.db.compose(kind: .custom, customerId: $0.customerId, actor: admin, context: f.context) },
                             actor: admin, context: f.context)
        try f.db.setSetting("wa.quiet_start", "21:00", actor: admin, context: f.context)
        try f.db.setSetting("wa.quiet_end", "08:00", actor: admin, context: f.context)
        let w = QueueWorker(db: f.db, context: f.context, service: WhatsAppService(db: f.db, context: f.context, timeout: 3))
        XCTAssertEqual(w.runOnce().sent, 0)
        XCTAssertEqual(try f.db.queueCounts(actor: admin).held, 2)
        XCTAssertEqual(fake.sent.count, 0)
        f.clock.set(date("2026-03-05T01:00:00Z"))                // 08:00 WIB
        XCTAssertEqual(w.runOnce().sent, 2)
    }
}

final class GatewayDownTests: XCTestCase {
    /// A gateway that is not ready makes the whole session wait (one call, not one per
    /// message), tries kept; a failing engine makes the other messages back off.
    func testNotReadyAndFailuresPostponeTheSession() throws {
        let fake = try FakeWAHA()
        let url = try fake.start()
        defer { fake.stop() }
        let f = try WAFixture()
        try f.useWAHA(url)
        let admin = try f.actor("superadmin")
        let owner = try f.db.read { try String.fetchOne($0, sql: "SELECT id FROM users WHERE username='mitra1'")! }
        let ids = try f.db.bulkRecipients(.owner(owner), actor: admin)
        for _ in 0..<3 {
            try f.db.enqueueBulk(try ids.map { try f.db.compose(kind: .custom, customerId: $0.customerId, actor: admin, context: f.context) },
                                 actor: admin, context: f.context)
        }
        let w = QueueWorker(db: f.db, context: f.context, service: WhatsAppService(db: f.db, context: f.context, timeout: 3))
        let s = w.runOnce()                      // session "mitra1" unknown on the gateway: 404
        XCTAssertEqual(s.waiting, 1)
        let items = try f.db.queueItems(actor: admin)
        XCTAssertEqual(items.count, 6)
        XCTAssertTrue(items.allSatisfy { $0.status == "pending" && $0.retryCount == 0 && $0.scheduledAt >= f.clock.now().addingTimeInterval(60) })
        XCTAssertEqual(w.runOnce().waiting, 0)   // nothing due: no call at all
        // Working now, but the engine fails: one failed try, the others back off 30 s.
        fake.setState("mitra1", "WORKING")
        fake.failNextSends(1)
        f.clock.advance(by: 61)
        let t = w.runOnce()
        XCTAssertEqual(t.failedTries, 1)
        XCTAssertEqual(t.sent, 0)
        f.clock.advance(by: 31)
        XCTAssertEqual(w.runOnce().sent, 5)       // the failed one retries after wa.retry_delay_s
        f.clock.advance(by: 600)
        XCTAssertEqual(w.runOnce().sent, 1)
        XCTAssertEqual(fake.sent.count, 6)
    }
}
