import Foundation
import XCTest
@testable import FiberNodeHTTP
import FiberNodeStore
import FiberNodeDomain
import FiberNodeFakes

/// Issue 18 item 2: Meta's verification handshake and signed webhooks, without sockets.
final class CloudWebhookTests: XCTestCase {
    struct Fixture {
        let db: AppDatabase
        let context: StoreContext
        let admin: Actor
        let graph: FakeGraphAPI
    }

    func fixture() throws -> Fixture {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-04T03:00:00Z")!)
        let ctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 5)), passwordCost: .testing)
        let db = try AppDatabase.inMemory()
        try Seeder.demo(into: db, context: ctx)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: ctx).actor
        let graph = try FakeGraphAPI()      // not started: only its webhook bodies are used here
        for (k, v) in [("wa.gateway", "cloud"), ("wa.cloud.token", graph.token), ("wa.cloud.phone_number_id", graph.phoneNumberId),
                       ("wa.cloud.verify_token", "verify-me-123"), ("wa.cloud.app_secret", "app-secret-xyz")] {
            try db.setSetting(k, v, actor: admin, context: ctx)
        }
        return Fixture(db: db, context: ctx, admin: admin, graph: graph)
    }

    func post(_ f: Fixture, _ body: Data, signature: String?) -> (status: Int, body: String) {
        var headers = ["Content-Type": "application/json"]
        if let signature { headers["x-hub-signature-256"] = signature }
        return CloudWebhook.respond(db: f.db, method: "POST", query: [:], headers: headers, body: body, context: f.context)
    }

    func testVerificationEchoesTheChallengeOnlyForTheRightToken() throws {
        let f = try fixture()
        let ok = CloudWebhook.respond(db: f.db, method: "GET", query: ["hub.mode": "subscribe", "hub.verify_token": "verify-me-123",
                                                                      "hub.challenge": "1158201444"], headers: [:], body: Data(), context: f.context)
        XCTAssertEqual(ok.status, 200)
        XCTAssertEqual(ok.body, "1158201444")
        for q in [["hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"],
                  ["hub.mode": "unsubscribe", "hub.verify_token": "verify-me-123", "hub.challenge": "1"],
                  ["hub.verify_token": "verify-me-123", "hub.challenge": "1"], [:]] {
            XCTAssertEqual(CloudWebhook.respond(db: f.db, method: "GET", query: q, headers: [:], body: Data(), context: f.context).status, 403)
        }
        // No token configured: every verification is refused.
        try f.db.setSetting("wa.cloud.verify_token", "", actor: f.admin, context: f.context)
        XCTAssertEqual(CloudWebhook.respond(db: f.db, method: "GET", query: ["hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"],
                                            headers: [:], body: Data(), context: f.context).status, 403)
    }

    func testSignedStatusesMarkTheLogIdempotentlyAndUnsignedChangeNothing() throws {
        let f = try fixture()
        let c = try f.db.bulkRecipients(.owner(f.admin.userId), actor: f.admin)
        let m = try f.db.compose(kind: .reminder, customerId: c[0].customerId, actor: f.admin, context: f.context)
        try f.db.logDirect(m, status: "sent", error: nil, messageId: "wamid.ABC", context: f.context)
        let delivered = f.graph.statusWebhook(messageId: "wamid.ABC", status: "delivered", recipient: m.phone)
        func status() throws -> String? { try f.db.messageLog(actor: f.admin, timeZone: f.db.settings().timeZone).first?.status }
        // Unsigned → 401, wrong signature → 403; nothing changed.
        XCTAssertEqual(post(f, delivered, signature: nil).status, 401)
        XCTAssertEqual(post(f, delivered, signature: FakeGraphAPI.signature(delivered, appSecret: "another-secret")).status, 403)
        var tampered = delivered; tampered.append(0x20)
        XCTAssertEqual(post(f, tampered, signature: FakeGraphAPI.signature(delivered, appSecret: "app-secret-xyz")).status, 403)
        XCTAssertEqual(try status(), "sent")
        // Signed like Meta: delivered, twice (idempotent), then read; never back.
        let sig = FakeGraphAPI.signature(delivered, appSecret: "app-secret-xyz")
        XCTAssertEqual(post(f, delivered, signature: sig).status, 200)
        XCTAssertEqual(try status(), "delivered")
        XCTAssertEqual(post(f, delivered, signature: sig).body, "ok 0 0\n")
        let read = f.graph.statusWebhook(messageId: "wamid.ABC", status: "read", recipient: m.phone)
        XCTAssertEqual(post(f, read, signature: FakeGraphAPI.signature(read, appSecret: "app-secret-xyz")).status, 200)
        XCTAssertEqual(try status(), "read")
        XCTAssertEqual(post(f, delivered, signature: sig).status, 200)
        XCTAssertEqual(try status(), "read")
        // A failed status carries Meta's error title into the log.
        try f.db.logDirect(m, status: "sent", error: nil, messageId: "wamid.DEF", context: f.context)
        let failed = f.graph.statusWebhook(messageId: "wamid.DEF", status: "failed", recipient: m.phone, errorCode: 131026,
                                           errorTitle: "Message undeliverable")
        XCTAssertEqual(post(f, failed, signature: FakeGraphAPI.signature(failed, appSecret: "app-secret-xyz")).status, 200)
        let log = try f.db.messageLog(actor: f.admin, timeZone: f.db.settings().timeZone)
        let e = try XCTUnwrap(log.first { $0.waMessageId == "wamid.DEF" })
        XCTAssertEqual(e.status, "failed")
        XCTAssertEqual(e.errorMessage, "Message undeliverable (131026)")
        // No app secret configured: refused, even when "signed" with the empty key.
        try f.db.setSetting("wa.cloud.app_secret", "", actor: f.admin, context: f.context)
        XCTAssertEqual(post(f, read, signature: FakeGraphAPI.signature(read, appSecret: "")).status, 403)
    }

    func testSignedInboundMessageOpensTheWindowAndBerhentiOptsOut() throws {
        let f = try fixture()
        let c = try f.db.bulkRecipients(.owner(f.admin.userId), actor: f.admin)
        let customer = try f.db.customer(id: c[0].customerId, actor: f.admin)
        let now = f.context.clock.now()
        let hello = f.graph.inboundWebhook(from: customer.phone, text: "Halo, sudah transfer ya \u{1b}[31m", id: "wamid.IN1",
                                           timestamp: Int(now.timeIntervalSince1970))
        XCTAssertEqual(post(f, hello, signature: FakeGraphAPI.signature(hello, appSecret: "app-secret-xyz")).status, 200)
        XCTAssertTrue(try f.db.isWindowOpen(ownerId: customer.ownerId, phone: customer.phone, now: now.addingTimeInterval(3600)))
        XCTAssertFalse(try f.db.isWindowOpen(ownerId: customer.ownerId, phone: customer.phone, now: now.addingTimeInterval(25 * 3600)))
        XCTAssertEqual(try f.db.inboundMessages(actor: f.admin, customerId: customer.id).count, 1)
        let stop = f.graph.inboundWebhook(from: customer.phone, text: "  berhenti ", id: "wamid.IN2", timestamp: Int(now.timeIntervalSince1970))
        XCTAssertEqual(post(f, stop, signature: FakeGraphAPI.signature(stop, appSecret: "app-secret-xyz")).status, 200)
        XCTAssertNotNil(try f.db.optOut(customerId: customer.id, actor: f.admin).optedOutAt)
        // The same webhook delivered twice stores one message.
        XCTAssertEqual(post(f, stop, signature: FakeGraphAPI.signature(stop, appSecret: "app-secret-xyz")).body, "ok 0 0\n")
        XCTAssertEqual(try f.db.inboundMessages(actor: f.admin, customerId: customer.id).count, 2)
        // A mitra never sees the superadmin's customers' replies.
        let mitra = try f.db.login(username: "mitra1", password: "Mitra123!", context: f.context).actor
        XCTAssertTrue(try f.db.inboundMessages(actor: mitra).allSatisfy { $0.ownerId == mitra.userId })
    }
}
