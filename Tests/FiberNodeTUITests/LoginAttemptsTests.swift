import Foundation
import XCTest
import TerminalUI
@testable import FiberNodeTUI
import FiberNodeStore
import FiberNodeDomain

/// The login screen says how many attempts remain after the third failure (issue 14).
final class LoginAttemptsTests: XCTestCase {
    func testRemainingAttemptsAfterTheThirdFailure() throws {
        let h = try AppHarness()
        h.login("mitra1", "salah1")
        XCTAssertTrue(h.text.contains("Nama pengguna atau kata sandi salah."), h.text)
        XCTAssertFalse(h.text.contains("Sisa"))
        h.type("salah2"); h.press(.enter)
        XCTAssertFalse(h.text.contains("Sisa"))
        h.type("salah3"); h.press(.enter)
        let limit = try h.db.settings().int("security.lockout_attempts")
        XCTAssertTrue(h.text.contains("Sisa \(limit - 3) percobaan"), h.text)
        h.type("Mitra123!"); h.press(.enter)
        XCTAssertTrue(h.text.contains("mitra1 ("), h.text)
    }

    func testMitraPaneKeyLiftsALock() throws {
        let h = try AppHarness()
        let limit = try h.db.settings().int("security.lockout_attempts")
        for _ in 0..<limit { _ = try? h.db.login(username: "mitra1", password: "salah", context: h.context) }
        XCTAssertThrowsError(try h.db.login(username: "mitra1", password: "Mitra123!", context: h.context))
        h.login("superadmin", "Admin123!")
        h.type("6")
        XCTAssertTrue(h.text.contains("mitra1"), h.text)
        h.press(.down)                         // WiFi Sukamaju (mitra1), second by business name
        h.type("L")
        XCTAssertTrue(h.text.contains("Kunci login mitra1 dibuka."), h.text)
        XCTAssertNoThrow(try h.db.login(username: "mitra1", password: "Mitra123!", context: h.context))
    }
}
