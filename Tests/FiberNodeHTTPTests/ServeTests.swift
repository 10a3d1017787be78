import Foundation
import XCTest
import GRDB
@testable import FiberNodeHTTP
@testable import FiberNodeStore
import FiberNodeDomain

/// A plain TCP client on 127.0.0.1 (no HTTP library between the test and the server), with a
/// receive timeout so no loop can hang.
final class RawClient {
    let fd: Int32

    init(port: Int, timeout: TimeInterval = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw NSError(domain: "RawClient", code: Int(errno)) }
    }

    deinit { close(fd) }

    /// Sends all of it; false when the peer closed or reset.
    @discardableResult
    func send(_ s: String) -> Bool { send(Data(s.utf8)) }

    @discardableResult
    func send(_ d: Data) -> Bool {
        d.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = Foundation.send(fd, raw.baseAddress! + off, raw.count - off, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                off += n
            }
            return true
        }
    }

    /// Everything until the peer closes or the timeout passes.
    func readAll() -> String {
        var out = Data()
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads until the text contains `marker` (or closes / times out).
    func read(until marker: String) -> String {
        var out = Data()
        var buf = [UInt8](repeating: 0, count: 65536)
        while !String(decoding: out, as: UTF8.self).contains(marker) {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The status code of the first response line, 0 when none came.
    static func status(_ response: String) -> Int {
        let parts = response.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1.") else { return 0 }
        return Int(parts[1]) ?? 0
    }
}

final class ServeTests: XCTestCase {
    var clock: ManualClock!
    var ctx: StoreContext!

    func fixture() throws -> (AppDatabase, InvoiceRow) {
        clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-01T00:00:00Z")!)
        ctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 5)), passwordCost: .testing)
        let db = try AppDatabase.inMemory()
        try Seeder.demo(into: db, context: ctx)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: ctx).actor
        try db.generateInvoices(period: Period("2026-04")!, actor: admin, context: ctx)
        let inv = try db.markPaid("INV-202604-000001", method: .cash, expectedVersion: nil, actor: admin, context: ctx)
        return (db, inv)
    }

    /// Starts a server on an ephemeral loopback port; stopped when the test ends.
    func start(_ db: AppDatabase, limits: ServeLimits = ServeLimits()) throws -> (ReceiptServer, Int) {
        let s = try ReceiptServer(db: db, host: "127.0.0.1", port: 0)
        s.context = ctx
        s.limits = limits
        let task = Task { try await s.run() }
        addTeardownBlock { await s.stop(); task.cancel() }
        let ready = DispatchSemaphore(value: 0)
        Task { try? await s.waitUntilListening(); ready.signal() }
        XCTAssertEqual(ready.wait(timeout: .now() + 10), .success)
        return (s, try XCTUnwrap(s.port))
    }

    func get(_ port: Int, _ path: String, method: String = "GET") throws -> String {
        let c = try RawClient(port: port)
        c.send("\(method) \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return c.readAll()
    }

    func testRoutesWithoutSockets() throws {
        let (db, inv) = try fixture()
        let routes = ReceiptServer.routes(db: db, context: ctx)
        func answer(_ method: String, _ path: String) -> ServeResponse {
            Route.dispatch(ServeRequest(method: method, path: path), routes: routes)
        }
        XCTAssertEqual(answer("GET", "/healthz").status, 200)
        XCTAssertEqual(answer("GET", "/healthz").text, "ok\n")
        let ok = answer("GET", "/receipt/\(inv.receiptToken!)")
        XCTAssertEqual(ok.status, 200)
        XCTAssertTrue(ok.text.contains("INV-202604-000001"))
        XCTAssertTrue(ok.text.contains("LUNAS"))
        XCTAssertTrue(ok.text.contains("<b>Pembayaran</b>"), "the receipt page lists the ledger's payments (issue 14)")
        XCTAssertTrue(ok.text.contains("Tunai"))
        XCTAssertEqual(answer("HEAD", "/receipt/\(inv.receiptToken!)").text, "")
        for path in ["/receipt/" + String(repeating: "0", count: 40), "/receipt/../../etc/passwd", "/receipt/", "/", "/invoices",
                     "/receipt/\(inv.receiptToken!)/x", "/receipt/' OR 1=1 --", "/download/", "/download/abc"] {
            XCTAssertEqual(answer("GET", path).status, 404, path)
        }
        XCTAssertEqual(answer("POST", "/healthz").status, 405)
        XCTAssertEqual(answer("GET", "/webhooks/waha").status, 405)
        XCTAssertEqual(ServeRequest.split(target: "/a/b?token=x%20y&z=1&token=2").query, ["token": "x y", "z": "1"])
        XCTAssertEqual(ServeRequest.split(target: "/a/b?token=x%20y").path, "/a/b")
    }

    func testRealHTTPOnLoopbackWithSecurityHeaders() throws {
        let (db, inv) = try fixture()
        let (_, port) = try start(db)
        let health = try get(port, "/healthz")
        XCTAssertEqual(RawClient.status(health), 200)
        XCTAssertTrue(health.hasSuffix("\r\n\r\nok\n"), health)
        let page = try get(port, "/receipt/\(inv.receiptToken!)")
        XCTAssertEqual(RawClient.status(page), 200)
        XCTAssertTrue(page.contains("<!DOCTYPE html>"))
        XCTAssertTrue(page.contains("Ahmad Fauzi"))
        let head = page.lowercased()
        XCTAssertTrue(head.contains("cache-control: no-store"))
        // The receipt page may not be framed (clickjacking), by old and new browsers alike.
        XCTAssertTrue(head.contains("x-frame-options: deny"), page)
        XCTAssertTrue(head.contains("frame-ancestors 'none'"), page)
        XCTAssertEqual(RawClient.status(try get(port, "/receipt/\(String(repeating: "f", count: 40))")), 404)
        XCTAssertEqual(RawClient.status(try get(port, "/healthz", method: "DELETE")), 405)
    }

    func testHeadersOver16KBAre431() throws {
        let (db, _) = try fixture()
        let (_, port) = try start(db)
        let c = try RawClient(port: port)
        c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 20_000) + "\r\n\r\n")
        let r = c.readAll()
        XCTAssertEqual(RawClient.status(r), 431, r)
        // a 1 MB header line: answered (or cut) long before it is all sent
        let big = try RawClient(port: port)
        let t0 = Date()
        big.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 1 << 20) + "\r\n\r\n")
        _ = big.readAll()
        XCTAssertLessThan(Date().timeIntervalSince(t0), 3)
        // many small fields adding up to more than 16 KB: 431 too
        let many = try RawClient(port: port)
        many.send("GET /healthz HTTP/1.1\r\nHost: x\r\n" + (0..<150).map { "X-F\($0): " + String(repeating: "b", count: 120) + "\r\n" }.joined() + "\r\n")
        XCTAssertEqual(RawClient.status(many.readAll()), 431)
        // a long URL counts as header bytes
        let url = try RawClient(port: port)
        url.send("GET /receipt/" + String(repeating: "c", count: 20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(RawClient.status(url.readAll()), 431)
        // and the server still answers
        XCTAssertEqual(RawClient.status(try get(port, "/healthz")), 200)
    }

    func testBodiesOver1MBAre413BeforeBeingRead() throws {
        let (db, _) = try fixture()
        let (_, port) = try start(db)
        // Content-Length over the limit: answered without sending a byte of the body
        let c = try RawClient(port: port)
        c.send("POST /webhooks/waha?token=x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2147483648\r\n\r\n")
        let r = c.read(until: "\r\n\r\n")
        XCTAssertEqual(RawClient.status(r), 413, r)
        // a chunked body is cut at 1 MB
        let chunked = try RawClient(port: port)
        chunked.send("POST /webhooks/waha?token=x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = String(repeating: "z", count: 65536)
        var answered = ""
        for _ in 0..<40 {       // up to 2.5 MB
            if !chunked.send("10000\r\n" + chunk + "\r\n") { break }
        }
        answered = chunked.read(until: "\r\n\r\n")
        XCTAssertEqual(RawClient.status(answered), 413, answered)
        // a body within the limit reaches the handler (403: no webhook token configured)
        let small = try RawClient(port: port)
        small.send("POST /webhooks/waha?token=x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
        XCTAssertEqual(RawClient.status(small.readAll()), 403)
        XCTAssertEqual(RawClient.status(try get(port, "/healthz")), 200)
    }

    func testSlowRequestsAreCutAndConnectionsLimited() throws {
        let (db, _) = try fixture()
        var limits = ServeLimits()
        limits.requestTimeout = .milliseconds(800)
        limits.maxConnections = 2
        let (_, port) = try start(db, limits: limits)
        // a client that sends half a request and stops is closed after the request timeout
        let slow = try RawClient(port: port, timeout: 5)
        slow.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
        let t0 = Date()
        XCTAssertEqual(slow.readAll(), "")
        XCTAssertLessThan(Date().timeIntervalSince(t0), 3)
        // two idle connections hold both places: a third client waits until they are cut
        let a = try RawClient(port: port), b = try RawClient(port: port)
        a.send("GET /healthz HTTP/1.1\r\nHost: x\r\n"); b.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
        Thread.sleep(forTimeInterval: 0.2)
        let third = try RawClient(port: port, timeout: 0.4)
        third.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(third.readAll(), "", "a third connection was served while two were open")
        let later = try RawClient(port: port, timeout: 5)
        let t1 = Date()
        later.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(RawClient.status(later.readAll()), 200)
        XCTAssertLessThan(Date().timeIntervalSince(t1), 4)
    }

    func testOneTimeDownloadLink() throws {
        let (db, _) = try fixture()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fn-dl-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("tagihan.csv")
        let content = String(repeating: "nama,telepon\n", count: 20_000)   // 260 KB: streamed in chunks
        try content.write(to: file, atomically: true, encoding: .utf8)
        let m1 = try db.login(username: "mitra1", password: "Mitra123!", context: ctx).actor
        let token = try db.createDownloadLink(path: file.path, fileName: "tagihan 2026-04.csv", userId: m1.userId, context: ctx)
        XCTAssertEqual(token.count, 40)
        let (_, port) = try start(db)
        // a HEAD (link checker, preview) does not use the link up
        XCTAssertEqual(RawClient.status(try get(port, "/download/\(token)", method: "HEAD")), 405)
        let r = try get(port, "/download/\(token)")
        XCTAssertEqual(RawClient.status(r), 200, String(r.prefix(300)))
        XCTAssertTrue(r.lowercased().contains("content-disposition: attachment; filename=\"tagihan_2026-04.csv\""), String(r.prefix(600)))
        XCTAssertTrue(r.hasSuffix("\r\n\r\n" + content))
        // used once: gone
        XCTAssertEqual(RawClient.status(try get(port, "/download/\(token)")), 404)
        // expired after an hour, unknown tokens alike
        let t2 = try db.createDownloadLink(path: file.path, fileName: "x.csv", userId: m1.userId, context: ctx)
        clock.advance(by: 3601)
        XCTAssertNil(try db.takeDownload(token: t2, context: ctx))
        XCTAssertEqual(RawClient.status(try get(port, "/download/\(t2)")), 404)
        XCTAssertEqual(RawClient.status(try get(port, "/download/\(String(repeating: "0", count: 40))")), 404)
        // a link whose file is gone does not count as used
        let t3 = try db.createDownloadLink(path: dir.appendingPathComponent("nope.csv").path, fileName: "n.csv", userId: m1.userId, context: ctx)
        XCTAssertNil(try db.takeDownload(token: t3, context: ctx))
        // audited, and the token itself is not stored
        let actions = try db.read { try String.fetchAll($0, sql: "SELECT action FROM activity_logs WHERE resource = 'download_link'") }
        XCTAssertEqual(actions.filter { $0 == "download.link.create" }.count, 3)
        XCTAssertEqual(actions.filter { $0 == "download.take" }.count, 1)
        XCTAssertEqual(try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM download_links WHERE token_sha256 = ?", arguments: [token]) }, 0)
        XCTAssertThrowsError(try db.createDownloadLink(path: "relative.csv", fileName: "x.csv", userId: m1.userId, context: ctx))
        // the address offered to the user follows receipt.base_url (none without it)
        XCTAssertNil(try db.downloadURL(token: token))
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: ctx).actor
        try db.setSetting("receipt.base_url", "https://bayar.example.id/", actor: admin, context: ctx)
        XCTAssertEqual(try db.downloadURL(token: token), "https://bayar.example.id/download/\(token)")
    }

    /// `/healthz` is one cheap read: never `quick_check` / `integrity_check`, which read the
    /// whole file (2.9 s on a 489 MB database) and let anyone outside load the server.
    func testHealthzIsOneCheapQuery() throws {
        final class Box: @unchecked Sendable {
            let lock = NSLock(); var sql: [String] = []; var on = false
            func add(_ s: String) { lock.withLock { if on { sql.append(s) } } }
        }
        let box = Box()
        var config = AppDatabase.configuration()
        config.prepareDatabase { db in db.trace { box.add($0.expandedDescription) } }
        let db = AppDatabase(writer: try DatabaseQueue(configuration: config), path: nil)
        try db.migrate()
        box.lock.withLock { box.on = true }
        let r = Route.dispatch(ServeRequest(method: "GET", path: "/healthz"), routes: ReceiptServer.routes(db: db, context: nil))
        box.lock.withLock { box.on = false }
        XCTAssertEqual(r.status, 200)
        let sql = box.lock.withLock { box.sql }.filter { !$0.hasPrefix("BEGIN") && !$0.hasPrefix("COMMIT") && !$0.hasPrefix("PRAGMA query_only") }
        XCTAssertFalse(sql.contains { $0.lowercased().contains("check") }, "\(sql)")
        XCTAssertEqual(sql.count, 1, "\(sql)")
    }
}
