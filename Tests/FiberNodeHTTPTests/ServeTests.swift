import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
@testable import FiberNodeHTTP
import FiberNodeStore
import FiberNodeDomain

final class ServeTests: XCTestCase {
    func fixture() throws -> (AppDatabase, InvoiceRow) {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-01T00:00:00Z")!)
        let ctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 5)), passwordCost: .testing)
        let db = try AppDatabase.inMemory()
        try Seeder.demo(into: db, context: ctx)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: ctx).actor
        try db.generateInvoices(period: Period("2026-04")!, actor: admin, context: ctx)
        let inv = try db.markPaid("INV-202604-000001", method: .cash, expectedVersion: nil, actor: admin, context: ctx)
        return (db, inv)
    }

    func get(_ url: String) throws -> (Int, String, [AnyHashable: Any]) {
        let sem = DispatchSemaphore(value: 0)
        var out: (Int, String, [AnyHashable: Any]) = (0, "", [:])
        var failure: Error?
        URLSession.shared.dataTask(with: URL(string: url)!) { data, response, error in
            if let error { failure = error }
            let http = response as? HTTPURLResponse
            out = (http?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self), http?.allHeaderFields ?? [:])
            sem.signal()
        }.resume()
        _ = sem.wait(timeout: .now() + 10)
        if let failure { throw failure }
        return out
    }

    func testRoutesWithoutSockets() throws {
        let (db, inv) = try fixture()
        XCTAssertEqual(ReceiptServer.respond(db: db, method: "GET", path: "/healthz").status, 200)
        let ok = ReceiptServer.respond(db: db, method: "GET", path: "/receipt/\(inv.receiptToken!)")
        XCTAssertEqual(ok.status, 200)
        XCTAssertTrue(ok.body.contains("INV-202604-000001"))
        XCTAssertTrue(ok.body.contains("LUNAS"))
        for path in ["/receipt/" + String(repeating: "0", count: 40), "/receipt/../../etc/passwd", "/receipt/", "/", "/invoices",
                     "/receipt/\(inv.receiptToken!)/x", "/receipt/' OR 1=1 --"] {
            XCTAssertEqual(ReceiptServer.respond(db: db, method: "GET", path: path).status, 404, path)
        }
        XCTAssertEqual(ReceiptServer.respond(db: db, method: "POST", path: "/healthz").status, 405)
    }

    func testRealHTTPOnLoopback() throws {
        let (db, inv) = try fixture()
        var server: ReceiptServer?
        var port: UInt16 = 0
        for _ in 0..<20 {
            port = UInt16.random(in: 20000...60000)
            if let s = try? ReceiptServer(db: db, host: "127.0.0.1", port: port) { server = s; break }
        }
        let s = try XCTUnwrap(server)
        let task = Task { try await s.run() }
        defer { task.cancel() }
        let ready = DispatchSemaphore(value: 0)
        Task { try? await s.waitUntilListening(); ready.signal() }
        XCTAssertEqual(ready.wait(timeout: .now() + 10), .success)
        let (code, body, _) = try get("http://127.0.0.1:\(port)/healthz")
        XCTAssertEqual(code, 200)
        XCTAssertEqual(body, "ok\n")
        let (rc, page, headers) = try get("http://127.0.0.1:\(port)/receipt/\(inv.receiptToken!)")
        XCTAssertEqual(rc, 200)
        XCTAssertTrue(page.contains("<!DOCTYPE html>"))
        XCTAssertTrue(page.contains("Ahmad Fauzi"))
        XCTAssertEqual(headers["Cache-Control"] as? String, "no-store")
        let (nc, _, _) = try get("http://127.0.0.1:\(port)/receipt/\(String(repeating: "f", count: 40))")
        XCTAssertEqual(nc, 404)
    }
}
