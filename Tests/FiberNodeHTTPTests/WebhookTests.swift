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
}
