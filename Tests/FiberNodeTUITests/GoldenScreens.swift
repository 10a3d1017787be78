import XCTest
import Foundation
@testable import FiberNodeTUI
import TerminalUI

/// Compares the whole virtual screen with a checked-in golden file (issue 13: golden screens
/// for every pane at 80x24 and 120x40). Re-record with RECORD_SNAPSHOTS=1 and review the diff;
/// a missing file is recorded on the first run.
func assertScreen(_ h: AppHarness, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let url = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Golden/\(name).txt")
    let text = h.screen.lines.joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil || !FileManager.default.fileExists(atPath: url.path) {
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    let golden = try String(contentsOf: url, encoding: .utf8)
    if golden != text {
        let diff = zip(golden.split(separator: "\n", omittingEmptySubsequences: false), text.split(separator: "\n", omittingEmptySubsequences: false))
            .enumerated().filter { $0.element.0 != $0.element.1 }
            .map { "line \($0.offset + 1):\n  golden: \($0.element.0)\n  screen: \($0.element.1)" }.joined(separator: "\n")
        XCTFail("\(name) differs from Golden/\(name).txt\n\(diff)", file: file, line: line)
    }
}

/// The panes on the kit so far (Paket, Profil) and the help overlay; the other panes get
/// theirs when they move onto the kit (after the other branches' changes land).
final class GoldenScreenTests: XCTestCase {
    func testPackagesAndProfile() throws {
        for (w, hgt) in [(80, 24), (120, 40)] {
            let h = try AppHarness(width: w, height: hgt)
            h.login("superadmin", "Admin123!")
            h.press(.char("7"))
            try assertScreen(h, "packages-\(w)x\(hgt)")
            h.press(.char("?"))
            try assertScreen(h, "packages-help-\(w)x\(hgt)")
            h.press(.escape, .char("9"))
            try assertScreen(h, "profile-\(w)x\(hgt)")
            let m = try AppHarness(width: w, height: hgt)
            m.login("mitra1", "Mitra123!")
            m.press(.char(Character(String(PaneID.visible(for: try m.db.login(username: "mitra1", password: "Mitra123!", context: m.context).actor)
                .firstIndex(of: .profile)! + 1))))
            try assertScreen(m, "profile-mitra-\(w)x\(hgt)")
        }
    }
}
