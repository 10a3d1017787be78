import Foundation
import XCTest
import FiberNodeStore
import FiberNodeDomain
@testable import FiberNodeWhatsApp
import FiberNodeFakes

/// The WAHA adapter against the fake WAHA: states, QR, body shapes, error mapping, key secrecy.
final class GatewayTests: XCTestCase {
    var fake: FakeWAHA!
    var url: URL!

    override func setUpWithError() throws {
        fake = try FakeWAHA()
        url = try fake.start()
    }
    override func tearDown() { fake.stop() }

    func testConnectFlowFromUnknownSessionToWorking() throws {
        let g = WAHAGateway(baseURL: url, apiKey: "", session: "default", timeout: 3)
        XCTAssertEqual(try g.status().state, .stopped)          // 404 → not there yet
        let r = try g.connect()                                   // POST /api/sessions {"start":true}
        XCTAssertEqual(r.status.state, .scanQR)
        XCTAssertEqual(r.qr, fake.qrValue)
        fake.pair("default", phone: "6281299990000")
        let st = try g.status()
        XCTAssertEqual(st.state, .working)
        XCTAssertEqual(st.phone, "6281299990000")
        // QR while WORKING → 422 → not ready
        XCTAssertThrowsError(try g.qr()) { XCTAssertEqual($0 as? GatewayError, .sessionNotReady("WORKING")) }
        try g.disconnect()
        XCTAssertEqual(fake.state("default"), "STOPPED")
        // Stopped → POST /api/sessions/default/start
        XCTAssertEqual(try g.connect().status.state, .scanQR)
    }

    /// Issue 13 item 9 (collect3): a URL that answers 404 for everything is a wrong address,
    /// not a STOPPED session; a 404 about the session is still "not there yet".
    func testWrongAddressIsNotAStoppedSession() throws {
        let g = WAHAGateway(baseURL: url.appendingPathComponent("salah"), apiKey: "", session: "default", timeout: 3)
        XCTAssertThrowsError(try g.status()) { XCTAssertEqual($0 as? GatewayError, .wrongAddress) }
        XCTAssertThrowsError(try g.connect()) { XCTAssertEqual($0 as? GatewayError, .wrongAddress) }
        XCTAssertThrowsError(try g.sendText(chatId: "6281234567890@c.us", text: "x")) { XCTAssertEqual($0 as? GatewayError, .wrongAddress) }
        XCTAssertTrue(GatewayError.wrongAddress.isNotReady, "queued messages wait for the address to be fixed")
        XCTAssertEqual(try WAHAGateway(baseURL: url, apiKey: "", session: "default", timeout: 3).status().state, .stopped)
    }

    func testOldStartRouteFallback() throws {
        fake.oldStartRoute = true
        fake.setState("default", "STOPPED")
        let g = WAHAGateway(baseURL: url, apiKey: "", session: "default", timeout: 3)
        XCTAssertEqual(try g.connect().status.state, .scanQR)
    }

    func testCoreRefusesOtherSessionNames() throws {
        fake.coreOnly = true
        let g = WAHAGateway(baseURL: url, apiKey: "", session: "mitra1", timeout: 3)
        XCTAssertThrowsError(try g.connect()) { XCTAssertEqual(($0 as? GatewayError)?.isNotReady, true) }
    }

    func testEverySuccessBodyShapeGivesAnId() throws {
        fake.setState("default", "WORKING")
        let g = WAHAGateway(baseURL: url, apiKey: "", session: "default", timeout: 3)
        fake.engine = .webjs
        XCTAssertTrue(try g.sendText(chatId: "6281234567890@c.us", text: "a")?.hasPrefix("true_6281234567890@c.us_3EB0") == true)
        fake.engine = .noweb
        XCTAssertTrue(try g.sendText(chatId: "6281234567890@c.us", text: "b")?.hasPrefix("3EB0") == true)
        fake.engine = .plainId
        XCTAssertTrue(try g.sendText(chatId: "6281234567890@c.us", text: "c")?.hasPrefix("true_") == true)
        fake.engine = .empty
        XCTAssertNil(try g.sendText(chatId: "6281234567890@c.us", text: "d"))
        XCTAssertEqual(fake.sent.map(\.text), ["a", "b", "c", "d"])
        XCTAssertEqual(fake.sent.first?.chatId, "6281234567890@c.us")
        XCTAssertEqual(try g.checkNumber("6281234567890"), true)
        XCTAssertEqual(try g.checkNumber("6281200000000"), false)
    }

    func testErrorMappingAndKeyNeverShown() throws {
        let secret = "sup3r-s3cret-key"
        fake.apiKey = secret
        fake.setState("default", "WORKING")
        // 401: wrong key → not ready (waits)
        let wrong = WAHAGateway(baseURL: url, apiKey: "wrong-\(secret)", session: "default", timeout: 3)
        XCTAssertThrowsError(try wrong.sendText(chatId: "6281234567890@c.us", text: "x")) { e in
            XCTAssertEqual(e as? GatewayError, .unauthorized)
            XCTAssertEqual((e as? GatewayError)?.outcome, .notReady(GatewayError.unauthorized.description))
            XCTAssertFalse("\(e)".contains(secret))
        }
        let g = WAHAGateway(baseURL: url, apiKey: secret, session: "default", timeout: 1)
        // 404 unknown session
        let other = WAHAGateway(baseURL: url, apiKey: secret, session: "nosuch", timeout: 3)
        XCTAssertThrowsError(try other.sendText(chatId: "6281234567890@c.us", text: "x")) { XCTAssertEqual($0 as? GatewayError, .sessionNotFound) }
        // 422 not WORKING
        fake.setState("default", "SCAN_QR_CODE")
        XCTAssertThrowsError(try g.sendText(chatId: "6281234567890@c.us", text: "x")) { e in
            XCTAssertEqual(e as? GatewayError, .sessionNotReady("SCAN_QR_CODE"))
            XCTAssertTrue((e as? GatewayError)!.isNotReady)
        }
        fake.setState("default", "WORKING")
        // 500 engine failure → failed try
        fake.failNextSends(1)
        XCTAssertThrowsError(try g.sendText(chatId: "6281234567890@c.us", text: "x")) { e in
            XCTAssertEqual(e as? GatewayError, .server(status: 500, message: "Engine failure"))
            guard case .failedTry? = (e as? GatewayError)?.outcome else { return XCTFail("\(e)") }
        }
        // timeout → failed try
        fake.sendDelay = 2.5
        XCTAssertThrowsError(try g.sendText(chatId: "6281234567890@c.us", text: "x")) { e in
            XCTAssertEqual(e as? GatewayError, .timeout)
            guard case .failedTry? = (e as? GatewayError)?.outcome else { return XCTFail("\(e)") }
        }
        fake.sendDelay = 0
        // nothing listening → network error, no key in it
        let dead = WAHAGateway(baseURL: URL(string: "http://127.0.0.1:9")!, apiKey: secret, session: "default", timeout: 2)
        XCTAssertThrowsError(try dead.status()) { e in
            guard case .network? = e as? GatewayError else { return XCTFail("\(e)") }
            XCTAssertFalse("\(e)".contains(secret))
        }
        // the configuration's description masks the key
        let cfg = GatewayConfig(kind: "waha", url: url.absoluteString, apiKey: secret, session: "default")
        XCTAssertFalse(cfg.description.contains(secret))
    }

    func testCloudErrorCodes() {
        func resp(_ status: Int, _ code: Int) -> HTTPClient.Response {
            HTTPClient.Response(status: status, body: try! JSONSerialization.data(withJSONObject: ["error": ["code": code, "message": "m"]]))
        }
        XCTAssertEqual(CloudAPIGateway.error(resp(400, 130429)), .rateLimited)
        XCTAssertEqual(CloudAPIGateway.error(resp(400, 131056)), .rateLimited)
        XCTAssertEqual(CloudAPIGateway.error(resp(401, 190)), .unauthorized)
        // Issue 18: their own words and retry behaviour (refused for good, not retried)
        XCTAssertEqual(CloudAPIGateway.error(resp(400, 131047)), .outsideWindow)
        XCTAssertEqual(CloudAPIGateway.error(resp(400, 131026)), .undeliverable)
        guard case .permanent = CloudAPIGateway.error(resp(400, 131047)).outcome else { return XCTFail() }
        guard case .notReady = CloudAPIGateway.error(resp(400, 130429)).outcome else { return XCTFail() }
        guard case .server = CloudAPIGateway.error(resp(503, 0)) else { return XCTFail() }
    }

    func testQRMatrixRendersHalfBlocksAndAscii() throws {
        let m = try XCTUnwrap(QRMatrix("https://wa.me/6281234567890?text=Halo"))
        XCTAssertGreaterThanOrEqual(m.size, 21)
        let half = m.lines(ascii: false, quiet: 2)
        XCTAssertEqual(half.count, (m.size + 4 + 1) / 2)
        XCTAssertTrue(half.allSatisfy { $0.count == m.size + 4 })
        XCTAssertTrue(half.joined().contains("▀") || half.joined().contains("▄"))
        let ascii = m.lines(ascii: true, quiet: 2)
        XCTAssertEqual(ascii.count, m.size + 4)
        XCTAssertTrue(ascii.allSatisfy { $0.count == 2 * (m.size + 4) && $0.allSatisfy { $0 == "#" || $0 == " " } })
    }
}
