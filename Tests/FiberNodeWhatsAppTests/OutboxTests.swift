import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain
@testable import FiberNodeWhatsApp
import FiberNodeFakes

/// Issue 12 item 9: the receipt after a payment and the isolation notice are owed by the
/// commit (an outbox row in the same transaction), sent directly as before, and whatever a
/// dead process left pending is sent by the worker — exactly once.
final class OutboxTests: XCTestCase {
    var fake: FakeWAHA!
    var url: URL!

    override func setUpWithError() throws {
        fake = try FakeWAHA()
        url = try fake.start()
    }
    override func tearDown() { fake.stop() }

    func outbox(_ db: AppDatabase) throws -> [String] {
        try db.read { try Row.fetchAll($0, sql: "SELECT kind, status FROM message_outbox ORDER BY created_at").map { "\($0[0] as String) \($0[1] as String)" } }
    }

    func testProcessAbandonedRightAfterTheCommitTheWorkerSendsTheReceiptOnce() throws {
        let path = NSTemporaryDirectory() + "fn-outbox-\(UUID().uuidString).db"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let f = try WAFixture(file: path)
        try f.useWAHA(url)
        fake.setState("mitra1", "WORKING"); fake.setState("default", "WORKING")
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        do {
            // "Process" A: its own connection commits the payment and dies before the direct send.
            let a = try AppDatabase.open(path: path, create: false)
            let partial = try a.recordPayment(PaymentRequest(invoice: "INV-202604-000001", amount: 30_000), actor: m1, context: f.context)
            XCTAssertFalse(partial.becamePaid)
            XCTAssertEqual(try outbox(f.db), [], "a partial payment owes no receipt")
            let r = try a.recordPayment(PaymentRequest(invoice: "INV-202604-000001"), actor: m1, context: f.context)
            XCTAssertTrue(r.becamePaid)
            // a refused payment writes no outbox row either
            XCTAssertThrowsError(try a.recordPayment(PaymentRequest(invoice: "INV-202604-000002", amount: 999_999), actor: m1, context: f.context))
            _ = a   // dropped: the process is gone
        }
        XCTAssertEqual(try outbox(f.db), ["receipt pending"])
        // Two workers (two connections) right away: the direct sender still has its grace period.
        let service = WhatsAppService(db: f.db, context: f.context, timeout: 3)
        let other = try AppDatabase.open(path: path, create: false)
        let service2 = WhatsAppService(db: other, context: f.context, timeout: 3)
        XCTAssertEqual(service.deliverOutbox().sent, 0)
        // After it, both at once: exactly one sends.
        f.clock.advance(by: 61)
        let sent = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let r = (i == 0 ? service : service2).deliverOutbox()
            sent.mutate { $0 += r.sent }
        }
        XCTAssertEqual(sent.value, 1)
        XCTAssertEqual(fake.sent.count, 1)
        XCTAssertTrue(fake.sent[0].text.contains("Ahmad Fauzi"))
        XCTAssertEqual(fake.sent[0].session, "mitra1")
        XCTAssertEqual(try outbox(f.db), ["receipt sent"])
        // A worker later, or a restarted one, sends nothing more.
        f.clock.advance(by: 3600)
        let w = QueueWorker(db: f.db, context: f.context, service: service)
        _ = w.runOnce()
        XCTAssertEqual(fake.sent.count, 1)
        let log = try f.db.read { try String.fetchAll($0, sql: "SELECT message_type || '|' || status FROM wa_message_logs") }
        XCTAssertEqual(log, ["receipt|sent"])
        XCTAssertNotNil(try f.db.read { try Date.fetchOne($0, sql: "SELECT receipt_sent_at FROM invoices WHERE number = 'INV-202604-000001'") })
    }

    func testDirectSendClaimsTheRowSoTheWorkerSendsNothing() throws {
        let f = try WAFixture()
        try f.useWAHA(url)
        fake.setState("mitra1", "WORKING"); fake.setState("default", "WORKING")
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        let inv = try f.db.markPaid("INV-202604-000002", method: .cash, expectedVersion: nil, actor: m1, context: f.context)
        let service = WhatsAppService(db: f.db, context: f.context, timeout: 3)
        XCTAssertTrue(try service.sendReceipt(invoice: inv.id, actor: m1).sent)
        XCTAssertEqual(try outbox(f.db), ["receipt sent"])
        // isolation: owed by the commit, sent directly
        try f.db.setIsolated("PLG-000002", isolated: true, actor: admin, context: f.context)
        XCTAssertEqual(try outbox(f.db), ["receipt sent", "isolation pending"])
        XCTAssertTrue(try service.sendIsolationNotice(customer: "PLG-000002", actor: admin).sent)
        XCTAssertEqual(try outbox(f.db), ["receipt sent", "isolation sent"])
        f.clock.advance(by: 3600)
        XCTAssertEqual(service.deliverOutbox().sent, 0)
        XCTAssertEqual(fake.sent.count, 2)
        // A failed direct send is final (the operator got the manual fallback): never retried behind their back.
        try f.db.setIsolated("PLG-000002", isolated: false, actor: admin, context: f.context)
        try f.db.setIsolated("PLG-000002", isolated: true, actor: admin, context: f.context)
        fake.failNextSends(1)
        XCTAssertFalse(try service.sendIsolationNotice(customer: "PLG-000002", actor: admin).sent)
        f.clock.advance(by: 3600)
        XCTAssertEqual(service.deliverOutbox().sent, 0)
        XCTAssertEqual(try outbox(f.db).last, "isolation failed")
    }
}
