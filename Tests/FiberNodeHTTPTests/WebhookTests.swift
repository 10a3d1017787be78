import Foundation
import XCTest
@testable import FiberNodeHTTP
import FiberNodeStore
import FiberNodeDomain

/// WAHA webhooks: token required; message.ack recorded.
final class WebhookTests: XCTestCase {
    func testTokenRequiredAndAckRecorded() throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-01T00:00:00Z")!)
        let ctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 5)), passwordCost: .testing)
        let db = try AppDatabase.inMemory()
        try Seeder.demo(into: db, context: ctx)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: ctx).actor
        let body = Data(#"{"event":"message.ack","session":"default","payload":{"id":"true_1@c.us_AAA","ack":3}}"#.utf8)
        XCTAssertEqual(WAHAWebhook.respond(db: db, token: "x", body: body).status, 403)     // no token configured
        try db.setSetting("wa.webhook_token", "s3cret", actor: admin, context: ctx)
        XCTAssertEqual(WAHAWebhook.respond(db: db, token: "wrong", body: body).status, 403)
        XCTAssertEqual(WAHAWebhook.respond(db: db, token: "s3cret", body: body).status, 200)
        XCTAssertEqual(WAHAWebhook.respond(db: db, token: "s3cret", body: Data("{".utf8)).status, 400)
        // session.status: the owner using that WAHA session is marked connected
        try db.setSetting("wa.gateway", "waha", actor: admin, context: ctx)
        try db.setSetting("wa.waha.url", "http://127.0.0.1:3000", actor: admin, context: ctx)
        let status = Data(#"{"event":"session.status","session":"mitra1","payload":{"status":"WORKING"}}"#.utf8)
        XCTAssertEqual(WAHAWebhook.respond(db: db, token: "s3cret", body: status, context: ctx).body, "ok 1\n")
        let m1 = try db.login(username: "mitra1", password: "Mitra123!", context: ctx).actor
        XCTAssertEqual(try db.waSession(ownerId: m1.userId, actor: m1, context: ctx).status, "connected")
    }

    func testHMACSignatureWhenAKeyIsSet() throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-01T00:00:00Z")!)
        let ctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 5)), passwordCost: .testing)
        let db = try AppDatabase.inMemory()
        try Seeder.demo(into: db, context: ctx)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: ctx).actor
        try db.setSetting("wa.webhook_hmac_key", "kunci-rahasia", actor: admin, context: ctx)
        let body = Data(#"{"event":"message.ack","session":"default","payload":{"id":"true_1@c.us_AAA","ack":3}}"#.utf8)
        // RFC 4231-style known answer: HMAC-SHA512("key", "The quick brown fox jumps over the lazy dog")
        XCTAssertEqual(WAHAWebhook.signature(body: Data("The quick brown fox jumps over the lazy dog".utf8), key: "key"),
                       "b42af09057bac1e2d41708e48a902e09b5ff7f12ab428a4fe86653c73dd248fb82f948a549f7b791a5b41915ee4d1ec3935357e4e2317250d0372afa2ebeeb3a")
        let good = WAHAWebhook.signature(body: body, key: "kunci-rahasia")
        XCTAssertEqual(WAHAWebhook.respond(db: db, token: nil, body: body, hmac: good).status, 200)
        XCTAssertEqual(WAHAWebhook.respond(db: db, token: nil, body: body, hmac: good.uppercased()).status, 200)
        XCTAssertEqual(WAHAWebhook.respond(db: db, token: nil, body: body, hmac: nil).status, 403)
        XCTAssertEqual(WAHAWebhook.respond(db: db, token: nil, body: Data(body.dropLast()), hmac: good).status, 403)  // body changed
        XCTAssertEqual(WAHAWebhook.respond(db: db, token: nil, body: body,
                                           hmac: WAHAWebhook.signature(body: body, key: "lain")).status, 403)
    }

    /// A replayed signed event (same id) changes nothing: the session stays as the newer event left it.
    func testReplayedSignedEventChangesNothing() throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-01T00:00:00Z")!)
        let ctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 5)), passwordCost: .testing)
        let db = try AppDatabase.inMemory()
        try Seeder.demo(into: db, context: ctx)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: ctx).actor
        try db.setSetting("wa.webhook_hmac_key", "kunci-rahasia", actor: admin, context: ctx)
        try db.setSetting("wa.gateway", "waha", actor: admin, context: ctx)
        try db.setSetting("wa.waha.url", "http://127.0.0.1:3000", actor: admin, context: ctx)
        let m1 = try db.login(username: "mitra1", password: "Mitra123!", context: ctx).actor
        func send(_ json: String) -> (status: Int, body: String) {
            let body = Data(json.utf8)
            return WAHAWebhook.respond(db: db, token: nil, body: body, hmac: WAHAWebhook.signature(body: body, key: "kunci-rahasia"),
                                       context: ctx)
        }
        let working = #"{"id":"evt_01AAA","event":"session.status","session":"mitra1","payload":{"status":"WORKING"}}"#
        let stopped = #"{"id":"evt_01BBB","event":"session.status","session":"mitra1","payload":{"status":"STOPPED"}}"#
        XCTAssertEqual(send(working).body, "ok 1\n")
        XCTAssertEqual(send(stopped).body, "ok 1\n")
        XCTAssertEqual(try db.waSession(ownerId: m1.userId, actor: m1, context: ctx).status, "disconnected")
        // the captured first event, replayed with its valid signature
        XCTAssertEqual(send(working).status, 200)
        XCTAssertEqual(send(working).body, "duplicate\n")
        XCTAssertEqual(try db.waSession(ownerId: m1.userId, actor: m1, context: ctx).status, "disconnected")
        // an event without an id is keyed by its body
        let noId = #"{"event":"session.status","session":"mitra1","payload":{"status":"WORKING"}}"#
        XCTAssertEqual(send(noId).body, "ok 1\n")
        XCTAssertEqual(send(stopped).body, "duplicate\n")
        XCTAssertEqual(send(noId).body, "duplicate\n")
        XCTAssertEqual(try db.waSession(ownerId: m1.userId, actor: m1, context: ctx).status, "connected")
    }
}
