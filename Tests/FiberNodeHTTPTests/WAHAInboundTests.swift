import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
@testable import FiberNodeHTTP
import FiberNodeStore
import FiberNodeDomain
import FiberNodeFakes

/// Issue 18 on WAHA: the fake WAHA's inbound events (replies, failed acks, a FAILED session),
/// signed like WAHA, through `POST /webhooks/waha` — the pure function and the real server.
final class WAHAInboundTests: XCTestCase {
    func fixture() throws -> (AppDatabase, StoreContext, Actor, FakeWAHA) {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-04T03:00:00Z")!)
        let ctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 9)), passwordCost: .testing)
        let db = try AppDatabase.inMemory()
        try Seeder.demo(into: db, context: ctx)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: ctx).actor
        for (k, v) in [("wa.gateway", "waha"), ("wa.waha.url", "http://127.0.0.1:3000"), ("wa.webhook_hmac_key", "kunci-waha")] {
            try db.setSetting(k, v, actor: admin, context: ctx)
        }
        return (db, ctx, admin, try FakeWAHA())
    }

    func testRepliesOptOutFailedAcksAndALoggedOutSession() throws {
        let (db, ctx, admin, fake) = try fixture()
        let m1 = try db.login(username: "mitra1", password: "Mitra123!", context: ctx).actor
        func send(_ body: Data, key: String = "kunci-waha") -> (status: Int, body: String) {
            WAHAWebhook.respond(db: db, token: nil, body: body, hmac: FakeWAHA.hmac(body, key: key), context: ctx)
        }
        let now = Int(ctx.clock.now().timeIntervalSince1970)
        // A reply to mitra1's session (its own name on the installation's WAHA) from Ahmad.
        let hello = fake.messageEvent(session: "mitra1", from: "6281234567890", text: "Sudah transfer \u{1b}]0;x\u{07}pak", id: "AAA1", timestamp: now)
        XCTAssertEqual(send(hello, key: "wrong").status, 403)
        XCTAssertEqual(try db.inboundMessages(actor: admin).count, 0)
        XCTAssertEqual(send(hello).status, 200)
        XCTAssertEqual(send(hello).status, 200)                                 // delivered twice: stored once
        let replies = try db.inboundMessages(actor: m1)
        XCTAssertEqual(replies.count, 1)
        XCTAssertEqual(replies.first?.customerName, "Ahmad Fauzi")
        XCTAssertTrue(try db.isWindowOpen(ownerId: m1.userId, phone: "6281234567890", now: ctx.clock.now()))
        XCTAssertEqual(try db.inboundMessages(actor: try db.login(username: "mitra2", password: "Mitra123!", context: ctx).actor).count, 0)
        // UNREG opts out.
        XCTAssertEqual(send(fake.messageEvent(session: "mitra1", from: "6281234567890", text: "unreg", id: "AAA2", timestamp: now)).status, 200)
        let ahmad = try XCTUnwrap(replies.first?.customerId)
        XCTAssertEqual(try db.optOut(customerId: ahmad, actor: m1).optOutWord, "UNREG")
        // Our own outgoing messages echoed back are not replies.
        var mine = try JSONSerialization.jsonObject(with: fake.messageEvent(session: "mitra1", from: "6281234567890", text: "x", id: "AAA3")) as! [String: Any]
        var payload = mine["payload"] as! [String: Any]; payload["fromMe"] = true; mine["payload"] = payload
        XCTAssertEqual(send(try JSONSerialization.data(withJSONObject: mine)).body, "ignored\n")
        // Failed acks (-1) mark the log failed; a FAILED session pauses the owner's queue.
        let c = try db.bulkRecipients(.owner(m1.userId), actor: admin)
        let m = try db.compose(kind: .custom, customerId: c[1].customerId, actor: admin, context: ctx)
        try db.logDirect(m, status: "sent", error: nil, messageId: "true_6289876543210@c.us_X1", context: ctx)
        XCTAssertEqual(send(fake.ackEvent(session: "mitra1", messageId: "true_6289876543210@c.us_X1", ack: -1)).status, 200)
        XCTAssertEqual(try db.messageLog(actor: m1, timeZone: TimeZone(identifier: "Asia/Jakarta")!).first?.status, "failed")
        XCTAssertEqual(try db.pausedSessions(actor: m1).count, 0)
        XCTAssertEqual(send(fake.sessionStatusEvent(session: "mitra1", status: "FAILED")).status, 200)
        XCTAssertEqual(try db.pausedSessions(actor: m1).first?.reason, .blocked("WAHA session FAILED"))
    }

    func testTheFakeEmitsToTheRealServer() throws {
        let (db, ctx, _, fake) = try fixture()
        let s = try ReceiptServer(db: db, host: "127.0.0.1", port: 0)
        s.context = ctx
        let task = Task { try await s.run() }
        addTeardownBlock { await s.stop(); task.cancel() }
        let up = DispatchSemaphore(value: 0)
        Task { try? await s.waitUntilListening(); up.signal() }
        XCTAssertEqual(up.wait(timeout: .now() + 10), .success)
        let port = try XCTUnwrap(s.port)
        let url = URL(string: "http://127.0.0.1:\(port)/webhooks/waha")!
        let body = fake.messageEvent(session: "default", from: "6281333444555", text: "BERHENTI", id: "R1",
                                     timestamp: Int(ctx.clock.now().timeIntervalSince1970))
        XCTAssertEqual(fake.emit(body, to: url, hmacKey: "salah"), 403)
        XCTAssertEqual(fake.emit(body, to: url, hmacKey: "kunci-waha"), 200)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: ctx).actor
        XCTAssertEqual(try db.inboundMessages(actor: admin).first?.body, "BERHENTI")
        XCTAssertEqual(try db.optedOutCount(actor: admin), 1)
        // And the Cloud route is wired: the handshake answers on the real server.
        try db.setSetting("wa.cloud.verify_token", "vt", actor: admin, context: ctx)
        let hs = URL(string: "http://127.0.0.1:\(port)/webhooks/cloud?hub.mode=subscribe&hub.verify_token=vt&hub.challenge=42")!
        let done = DispatchSemaphore(value: 0)
        let box = Box()
        URLSession.shared.dataTask(with: hs) { d, r, _ in
            box.set((r as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: d ?? Data(), as: UTF8.self)); done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 5)
        XCTAssertEqual(box.get().0, 200)
        XCTAssertEqual(box.get().1, "42")
    }
}

final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var v: (Int, String) = (0, "")
    func set(_ a: Int, _ b: String) { lock.lock(); v = (a, b); lock.unlock() }
    func get() -> (Int, String) { lock.lock(); defer { lock.unlock() }; return v }
}
