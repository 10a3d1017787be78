import Foundation
import XCTest
@testable import FiberNodeTUI
import TerminalUI

/// Issue 13 item 8 smalls (collect3).
final class SmallsTests: XCTestCase {
    /// A read-only field says so in words, not only by dim (ignored by some SSH clients).
    func testReadOnlyFieldIsMarkedInWords() {
        for lang in [Language.id, .en] {
            let s = Strings(lang)
            let form = FormModal(title: "T", fields: [FormFieldSpec("Nama", value: "Dewi Lestari", readOnly: true),
                                                      FormFieldSpec("Telepon", value: "6289876543210")], strings: s) { _ in nil }
            let screen = TextScreen(width: 80, height: 24)
            form.draw(on: screen, theme: Theme.named(.dark))
            let text = screen.lines.joined(separator: "\n")
            let nameLine = screen.lines.first { $0.contains("Dewi Lestari") } ?? ""
            XCTAssertTrue(nameLine.contains(s[.formReadOnlyMark]), text)
            let phoneLine = screen.lines.first { $0.contains("6289876543210") } ?? ""
            XCTAssertFalse(phoneLine.contains(s[.formReadOnlyMark]), "an editable field has no mark")
        }
    }

    /// The light theme's selected row is readable: not white on cyan, and not the header's colours.
    func testLightThemeSelectedRowContrast() {
        let t = Theme.named(.light)
        XCTAssertFalse(t.selected.fg == .white && t.selected.bg == .cyan)
        XCTAssertNotEqual(t.selected.bg, t.base.bg)
        XCTAssertNotEqual(t.selected.fg, t.selected.bg)
        XCTAssertFalse(t.selected.bg == t.tableHeader.bg && t.selected.fg == t.tableHeader.fg, "a selected row must not look like the header")
    }
}
