import Foundation
import XCTest
import TerminalUI
import FiberNodeStore
import FiberNodeDomain
@testable import FiberNodeTUI

/// `n` in the Pelanggan pane sets a customer inactive and back, after a confirmation (issue 14).
final class InactivePaneTests: XCTestCase {
    func testNKeyConfirmsThenDeactivatesAndActivates() throws {
        let h = try AppHarness(width: 100, height: 30)
        h.login("superadmin", "Admin123!")
        h.press(.char("2"))
        let code = try XCTUnwrap(h.screen.lines.lazy.compactMap { line in line.range(of: "PLG-00000\\d", options: .regularExpression).map { String(line[$0]) } }.first)
        h.press(.char("n"))
        XCTAssertTrue(h.text.contains("Layanan berhenti"), h.text)
        h.press(.escape)   // backing out leaves it active
        let a = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        XCTAssertEqual(try h.db.customer(id: code, actor: a).status, "active")
        h.press(.char("n"), .char("y"))
        XCTAssertTrue(h.text.contains("dinonaktifkan"), h.text)
        XCTAssertEqual(try h.db.customer(id: code, actor: a).status, "inactive")
        XCTAssertTrue(h.text.contains("nonaktif"), h.text)
        h.press(.char("n"))
        XCTAssertTrue(h.text.contains("Aktifkan kembali"), h.text)
        h.press(.char("y"))
        XCTAssertTrue(h.text.contains("aktif kembali"), h.text)
        XCTAssertEqual(try h.db.customer(id: code, actor: a).status, "active")
    }
}
