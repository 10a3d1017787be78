import Foundation
import XCTest
import FiberNodeStore
import FiberNodeDomain
@testable import FiberNodeWhatsApp
import FiberNodeFakes

extension WAFixture {
    /// Points the installation at a (fake) Cloud API with delays at 0 and quiet hours off.
    func useCloud(_ graph: FakeGraphAPI, url: URL, templates: [String: String] = [:]) throws {
        let admin = try actor("superadmin")
        for (k, v) in [("wa.gateway", "cloud"), ("wa.cloud.url", url.absoluteString), ("wa.cloud.token", graph.token),
                       ("wa.cloud.phone_number_id", graph.phoneNumberId),
                       ("wa.min_delay_s", "0"), ("wa.max_delay_s", "0"), ("wa.jitter_s", "0"), ("wa.batch_cooldown_s", "0"),
                       ("wa.quiet_start", "00:00"), ("wa.quiet_end", "00:00"), ("wa.max_per_hour", "100000"), ("wa.max_per_day", "1000000")] {
            try db.setSetting(k, v, actor: admin, context: context)
        }
        for (kind, value) in templates { try db.setSetting("wa.cloud.template.\(kind)", value, actor: admin, context: context) }
    }

    func ownerId(_ username: String) throws -> String {
        try db.read { try String.fetchOne($0, sql: "SELECT id FROM users WHERE username = ?", arguments: [username])! }
    }
}

/// Issue 18 item 1: templates on the Cloud API, the 24-hour window, error codes and retries.
final class CloudTemplateTests: XCTestCase {
    var graph: FakeGraphAPI!
    var url: URL!
    override func setUpWithError() throws { graph = try FakeGraphAPI(); url = try graph.start() }
    override func tearDown() { graph.stop() }

    func worker(_ f: WAFixture) -> QueueWorker {
        QueueWorker(db: f.db, context: f.context, service: WhatsAppService(db: f.db, context: f.context, timeout: 3))
    }

    func testSettingIsValidated() throws {
        let f = try WAFixture()
        let admin = try f.actor("superadmin")
        XCTAssertEqual(try f.db.setSetting("wa.cloud.template.reminder", " tagihan_pengingat:id: name, period ,amount,due_date ", actor: admin, context: f.context),
                       "tagihan_pengingat:id:name,period,amount,due_date")
        XCTAssertEqual(try f.db.setSetting("wa.cloud.template.overdue", "tagihan_terlambat:id:name,amount", actor: admin, context: f.context),
                       "tagihan_terlambat:id:name,amount")
        for bad in ["Tagihan:id:name", "tagihan", "tagihan:x y:name", "tagihan:id:nama"] {
            XCTAssertThrowsError(try f.db.setSetting("wa.cloud.template.reminder", bad, actor: admin, context: f.context), bad)
        }
        XCTAssertEqual(try f.db.setSetting("wa.cloud.template.reminder", "", actor: admin, context: f.context), "")
        XCTAssertEqual(try f.db.settings().cloudTemplates.keys.sorted(), ["overdue"])
        // The secrets are masked.
        try f.db.setSetting("wa.cloud.app_secret", "s3cret", actor: admin, context: f.context)
        XCTAssertEqual(SettingsCatalog.display("wa.cloud.app_secret", "s3cret"), "••••••••")
        XCTAssertEqual(SettingsCatalog.display("wa.cloud.verify_token", "tok"), "••••••••")
        let audit = try f.db.read { try String.fetchAll($0, sql: "SELECT metadata FROM activity_logs WHERE action = 'settings.update'") }
        XCTAssertFalse(audit.joined().contains("s3cret"))
    }

    func testReminderOutsideTheWindowGoesAsTheTemplateAndInsideAsText() throws {
        let f = try WAFixture()
        try f.useCloud(graph, url: url, templates: ["reminder": "tagihan_pengingat:id:name,period,amount,due_date",
                                                    "custom": "pesan_umum:id:greeting,name"])
        graph.approve("tagihan_pengingat", params: 4)
        graph.approve("pesan_umum", params: 2)
        _ = try DailyJob.run(db: f.db, businessDate: LocalDate("2026-03-04")!, context: f.context)
        XCTAssertEqual(worker(f).runOnce().sent, 1)
        let s = try XCTUnwrap(graph.sent.first)
        XCTAssertEqual(s.type, "template")
        XCTAssertEqual(s.template, "tagihan_pengingat")
        XCTAssertEqual(s.to, "6281234567890")
        XCTAssertEqual(s.parameters.count, 4)
        XCTAssertEqual(s.parameters[0], "Ahmad Fauzi")
        XCTAssertTrue(s.parameters[2].hasPrefix("Rp "))
        let log = try f.db.messageLog(actor: try f.actor("superadmin"), timeZone: TimeZone(identifier: "Asia/Jakarta")!)
        XCTAssertEqual(log.first?.waMessageId, s.id)
        // The customer writes: the window opens and a message to them goes as free text.
        let owner = try f.ownerId("mitra1")
        try f.db.recordInbound(ownerIds: [owner], gateway: "cloud", phone: "6281234567890", body: "sudah saya bayar", waMessageId: "wamid.in1",
                               at: f.clock.now(), context: f.context)
        graph.openWindow("6281234567890")
        let admin = try f.actor("superadmin")
        let ahmad = try f.db.bulkRecipients(.owner(owner), actor: admin).map(\.customerId)
        let m = try f.db.compose(kind: .custom, customerId: ahmad[0], actor: admin, context: f.context)
        try f.db.enqueueBulk([m], actor: admin, context: f.context)
        XCTAssertEqual(worker(f).runOnce().sent, 1)
        XCTAssertEqual(graph.sent.last?.type, "text")
        // 25 hours later the window is closed: the template again.
        f.clock.advance(by: 25 * 3600)
        try f.db.enqueueBulk([m], actor: admin, context: f.context)
        XCTAssertEqual(worker(f).runOnce().sent, 1)
        XCTAssertEqual(graph.sent.last?.type, "template")
        XCTAssertEqual(graph.sent.last?.template, "pesan_umum")
    }

    func testNoTemplateIsAClearFailureNeverASilentLoss() throws {
        let f = try WAFixture()
        try f.useCloud(graph, url: url)
        _ = try DailyJob.run(db: f.db, businessDate: LocalDate("2026-03-04")!, context: f.context)
        let r = worker(f).runOnce()
        XCTAssertEqual(r.sent, 0)
        XCTAssertEqual(graph.sent.count, 0)
        let admin = try f.actor("superadmin")
        let item = try XCTUnwrap(try f.db.queueItems(actor: admin).first)
        XCTAssertEqual(item.status, "failed")
        XCTAssertEqual(item.retryCount, 0)
        XCTAssertEqual(item.errorMessage, GatewayError.needsTemplate(kind: "reminder").description)
        let log = try f.db.messageLog(actor: admin, timeZone: TimeZone(identifier: "Asia/Jakarta")!)
        XCTAssertEqual(log.first?.status, "failed")
        XCTAssertEqual(log.first?.errorMessage, "needs an approved template (reminder)")
        // A direct receipt without a template fails the same clear way.
        XCTAssertEqual(GatewayError.needsTemplate(kind: "receipt").outcome, .permanent("needs an approved template (receipt)"))
    }

    func testErrorCodesMapToTheRightRetryBehaviour() throws {
        let f = try WAFixture()
        try f.useCloud(graph, url: url, templates: ["reminder": "tagihan_pengingat:id:name,period,amount"])
        graph.approve("tagihan_pengingat", params: 4)        // Meta's template wants 4; we send 3
        _ = try DailyJob.run(db: f.db, businessDate: LocalDate("2026-03-04")!, context: f.context)
        let admin = try f.actor("superadmin")
        XCTAssertEqual(worker(f).runOnce().failedTries, 1)
        var item = try XCTUnwrap(try f.db.queueItems(actor: admin).first)
        XCTAssertEqual(item.status, "failed")                // a template problem is not retried
        XCTAssertTrue(item.errorMessage?.contains("132000") == true)
        // Fixed setting, retried by hand; the rate limit makes the session wait with its tries intact.
        try f.db.setSetting("wa.cloud.template.reminder", "tagihan_pengingat:id:name,period,amount,due_date", actor: admin, context: f.context)
        try f.db.retryMessage(item.id, actor: admin, context: f.context)
        graph.failNext([130429])
        XCTAssertEqual(worker(f).runOnce().waiting, 1)
        item = try XCTUnwrap(try f.db.queueItems(actor: admin).first)
        XCTAssertEqual(item.status, "pending")
        XCTAssertEqual(item.retryCount, 0)
        XCTAssertTrue(item.errorMessage?.contains("rate limited") == true)
        f.clock.advance(by: 61)
        XCTAssertEqual(worker(f).runOnce().sent, 1)
        // Unknown template name → 132001, refused for good; 131026 → undeliverable, not retried.
        XCTAssertEqual(CloudAPIGateway.mapCode(132001), .templateMissing(""))
        XCTAssertEqual(CloudAPIGateway.mapCode(131026)?.outcome, .permanent("message undeliverable (131026)"))
        XCTAssertEqual(CloudAPIGateway.mapCode(131056), .rateLimited)
        XCTAssertEqual(CloudAPIGateway.mapCode(131047), .outsideWindow)
        // We believed the window open but Meta says 131047: the template goes instead.
        let gw = CloudAPIGateway(baseURL: url, token: graph.token, phoneNumberId: graph.phoneNumberId, timeout: 3,
                                 templates: try f.db.settings().cloudTemplates)
        let id = try gw.send(OutgoingMessage(chatId: "6289876543210@c.us", text: "Halo", kind: "reminder",
                                             values: ["name": "Dewi", "period": "Maret 2026", "amount": "Rp 1", "due_date": "10 Mar"], windowOpen: true))
        XCTAssertNotNil(id)
        XCTAssertEqual(graph.sent.last?.type, "template")
        XCTAssertEqual(graph.sent.last?.parameters, ["Dewi", "Maret 2026", "Rp 1", "10 Mar"])
        // Wrong token and wrong phone number id are refused by the fake like Meta does.
        let badToken = CloudAPIGateway(baseURL: url, token: "nope", phoneNumberId: graph.phoneNumberId, timeout: 3)
        XCTAssertThrowsError(try badToken.status()) { XCTAssertEqual($0 as? GatewayError, .unauthorized) }
        let badPhone = CloudAPIGateway(baseURL: url, token: graph.token, phoneNumberId: "1", timeout: 3)
        XCTAssertThrowsError(try badPhone.status())
    }
}

/// Issue 18 items 3 and 4 in the store and the worker: the window, opt-out, the breaker.
final class OptOutAndBreakerTests: XCTestCase {
    var fake: FakeWAHA!
    var url: URL!
    override func setUpWithError() throws { fake = try FakeWAHA(); url = try fake.start() }
    override func tearDown() { fake.stop() }

    func testWindowOpensFor24HoursFromTheLastReply() throws {
        let f = try WAFixture()
        let owner = try f.ownerId("mitra1")
        XCTAssertFalse(try f.db.isWindowOpen(ownerId: owner, phone: "6281234567890", now: f.clock.now()))
        let r = try f.db.recordInbound(ownerIds: [owner], gateway: "waha", phone: "081234567890", body: "halo", waMessageId: "a1",
                                       at: f.clock.now(), context: f.context)
        XCTAssertEqual(r.stored, 1)
        XCTAssertEqual(try f.db.recordInbound(ownerIds: [owner], gateway: "waha", phone: "081234567890", body: "halo", waMessageId: "a1",
                                              at: f.clock.now(), context: f.context).stored, 0)
        XCTAssertTrue(try f.db.isWindowOpen(ownerId: owner, phone: "6281234567890", now: f.clock.now().addingTimeInterval(23 * 3600)))
        XCTAssertFalse(try f.db.isWindowOpen(ownerId: owner, phone: "6281234567890", now: f.clock.now().addingTimeInterval(24 * 3600)))
        // Another owner's window is its own.
        XCTAssertFalse(try f.db.isWindowOpen(ownerId: try f.ownerId("mitra2"), phone: "6281234567890", now: f.clock.now()))
        // An older message arriving late never moves the window back.
        try f.db.recordInbound(ownerIds: [owner], gateway: "waha", phone: "6281234567890", body: "lama", waMessageId: "a0",
                               at: f.clock.now().addingTimeInterval(-3 * 3600), context: f.context)
        XCTAssertTrue(try f.db.isWindowOpen(ownerId: owner, phone: "6281234567890", now: f.clock.now().addingTimeInterval(23 * 3600)))
    }

    func testBerhentiStopsRemindersAndBulkButNotReceiptsAndMulaiStartsAgain() throws {
        let f = try WAFixture()
        try f.useWAHA(url)
        fake.setState("mitra1", "WORKING")
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        let owner = try f.ownerId("mitra1")
        let ahmad = try XCTUnwrap(try f.db.bulkRecipients(.owner(owner), actor: admin).first).customerId
        let before = try f.db.compose(kind: .custom, customerId: ahmad, actor: admin, context: f.context)
        try f.db.enqueueBulk([before], actor: admin, context: f.context)          // queued before the reply
        for word in [" Berhenti\n", "stop", "UNREG"] {
            XCTAssertEqual(OptOutKeyword.classify(word), true, word)
        }
        XCTAssertNil(OptOutKeyword.classify("berhenti dulu ya"))
        let r = try f.db.recordInbound(ownerIds: [owner], gateway: "waha", phone: "6281234567890", body: "  berhenti ", waMessageId: "s1",
                                       at: f.clock.now(), context: f.context)
        XCTAssertEqual(r.optedOut, 1)
        XCTAssertNotNil(try f.db.optOut(customerId: ahmad, actor: m1).optedOutAt)
        XCTAssertEqual(try f.db.optOut(customerId: ahmad, actor: m1).optOutWord, "BERHENTI")
        XCTAssertThrowsError(try f.db.optOut(customerId: ahmad, actor: try f.actor("mitra2")))
        XCTAssertEqual(try f.db.queueCounts(actor: admin).cancelled, 1)         // what was waiting is cancelled
        // No reminders (Dewi, the other customer, still gets hers), no bulk messages.
        XCTAssertEqual(try f.db.enqueueBulk([before], actor: admin, context: f.context), 0)
        let ahmadsDay = try DailyJob.run(db: f.db, businessDate: LocalDate("2026-03-04")!, context: f.context)
        XCTAssertEqual(ahmadsDay.created, 1)                      // the invoice is made, the reminder is not
        XCTAssertEqual(ahmadsDay.queued, 0)
        XCTAssertEqual(try DailyJob.run(db: f.db, businessDate: LocalDate("2026-03-09")!, context: f.context).queued, 1)
        let w = QueueWorker(db: f.db, context: f.context, service: WhatsAppService(db: f.db, context: f.context, timeout: 3))
        XCTAssertEqual(w.runOnce().sent, 1)
        XCTAssertEqual(fake.sent.map(\.chatId), ["6289876543210@c.us"])
        // A receipt of the customer's own payment still goes.
        let inv = try XCTUnwrap(try f.db.invoices(actor: m1, filter: InvoiceFilter()).first { $0.customerId == ahmad })
        _ = try f.db.markPaid(inv.id, method: .cash, expectedVersion: nil, actor: m1, context: f.context)
        XCTAssertTrue(try WhatsAppService(db: f.db, context: f.context, timeout: 3).sendReceipt(invoice: inv.id, actor: m1).sent)
        // MULAI opts back in; both changes are audited.
        XCTAssertEqual(try f.db.recordInbound(ownerIds: [owner], gateway: "waha", phone: "6281234567890", body: "Mulai", waMessageId: "s2",
                                              at: f.clock.now(), context: f.context).optedIn, 1)
        XCTAssertNil(try f.db.optOut(customerId: ahmad, actor: m1).optedOutAt)
        XCTAssertEqual(try f.db.enqueueBulk([before], actor: admin, context: f.context), 1)
        let actions = try f.db.read { try String.fetchAll($0, sql: "SELECT action FROM activity_logs WHERE action LIKE 'wa.opt_%' ORDER BY created_at, rowid") }
        XCTAssertEqual(actions, ["wa.opt_out", "wa.opt_in"])
    }

    func testBreakerPausesAfterNFailuresWithoutBurningTriesAndTheOwnerResumes() throws {
        let f = try WAFixture()
        try f.useWAHA(url)
        fake.setState("mitra1", "WORKING")
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        try f.db.setSetting("wa.breaker_failures", "3", actor: admin, context: f.context)
        try f.db.setSetting("wa.retry_delay_s", "0", actor: admin, context: f.context)
        let owner = try f.ownerId("mitra1")
        let ids = try f.db.bulkRecipients(.owner(owner), actor: admin)
        for _ in 0..<3 {
            try f.db.enqueueBulk(try ids.map { try f.db.compose(kind: .custom, customerId: $0.customerId, actor: admin, context: f.context) },
                                 actor: admin, context: f.context)
        }
        fake.failNextSends(1000)
        let w = QueueWorker(db: f.db, context: f.context, service: WhatsAppService(db: f.db, context: f.context, timeout: 3))
        var tries = 0
        for i in 0..<20 {
            let r = w.runOnce(); tries += r.failedTries; f.clock.advance(by: 31)
            if ProcessInfo.processInfo.environment["DEBUG_BREAKER"] != nil {
                print("DBG", i, r, try f.db.queueItems(actor: admin).map { "\($0.status) \($0.retryCount) \($0.scheduledAt)" }, f.clock.now())
            }
        }
        XCTAssertEqual(tries, 3)                                   // then the breaker holds everything
        let paused = try f.db.pausedSessions(actor: m1)
        XCTAssertEqual(paused.count, 1)
        XCTAssertEqual(paused.first?.reason, .failures(3))
        XCTAssertEqual(try f.db.pausedSessions(actor: try f.actor("mitra2")).count, 0)
        XCTAssertNil(try f.db.nextScheduled())                     // the worker does not spin on a paused session
        let items = try f.db.queueItems(actor: admin)
        XCTAssertEqual(items.filter { $0.status == "failed" }.count, 0)
        XCTAssertEqual(items.map(\.retryCount).reduce(0, +), 3)
        // Another owner cannot resume it; the owner can, and the queue goes.
        XCTAssertThrowsError(try f.db.resumeSession(ownerId: owner, actor: try f.actor("mitra2"), context: f.context))
        fake.failNextSends(0)
        XCTAssertTrue(try f.db.resumeSession(ownerId: owner, actor: m1, context: f.context))
        XCTAssertFalse(try f.db.resumeSession(ownerId: owner, actor: m1, context: f.context))
        var sent = 0
        for _ in 0..<5 { sent += w.runOnce().sent; f.clock.advance(by: 31) }
        XCTAssertEqual(sent, 6)
        let actions = try f.db.read { try String.fetchAll($0, sql: "SELECT action FROM activity_logs WHERE action LIKE 'wa.breaker.%' ORDER BY created_at, rowid") }
        XCTAssertEqual(actions, ["wa.breaker.pause", "wa.breaker.resume"])
    }

    func testFailedAcksAndABannedNumberTripTheBreaker() throws {
        let f = try WAFixture()
        let admin = try f.actor("superadmin")
        try f.db.setSetting("wa.breaker_failures", "2", actor: admin, context: f.context)
        let c = try f.db.bulkRecipients(.owner(admin.userId), actor: admin)
        let m = try f.db.compose(kind: .custom, customerId: c[0].customerId, actor: admin, context: f.context)
        try f.db.logDirect(m, status: "sent", error: nil, messageId: "id1", context: f.context)
        try f.db.logDirect(m, status: "sent", error: nil, messageId: "id2", context: f.context)
        XCTAssertEqual(try f.db.recordAck(messageId: "id1", ack: -1, context: f.context), 1)
        XCTAssertEqual(try f.db.pausedSessions(actor: admin).count, 0)
        XCTAssertEqual(try f.db.recordAck(messageId: "id2", ack: -1, context: f.context), 1)
        XCTAssertEqual(try f.db.pausedSessions(actor: admin).first?.reason, .failures(2))
        XCTAssertTrue(try f.db.resumeSession(ownerId: admin.userId, actor: admin, context: f.context))
        try f.db.pauseSession(ownerId: admin.userId, reason: .blocked("131031"), context: f.context)
        XCTAssertEqual(try f.db.pausedSessions(actor: admin).first?.reason, .blocked("131031"))
    }
}

final class TemplateKindTests: XCTestCase {
    /// The ledger queues after-due stages as `reminder` with a negative stage: they use the overdue template.
    func testNegativeStageIsTheOverdueTemplate() throws {
        let f = try WAFixture()
        let admin = try f.actor("superadmin")
        let c = try f.db.bulkRecipients(.owner(admin.userId), actor: admin)
        try f.db.enqueueBulk([try f.db.compose(kind: .custom, customerId: c[0].customerId, actor: admin, context: f.context)], actor: admin, context: f.context)
        var item = try XCTUnwrap(try f.db.queueItems(actor: admin).first)
        XCTAssertEqual(QueueWorker.templateKind(item), "custom")
        item.messageType = "reminder"; item.stage = 1
        XCTAssertEqual(QueueWorker.templateKind(item), "reminder")
        item.stage = -3
        XCTAssertEqual(QueueWorker.templateKind(item), "overdue")
    }
}
