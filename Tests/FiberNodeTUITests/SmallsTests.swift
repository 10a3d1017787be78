import Foundation
import XCTest
@testable import FiberNodeTUI
import TerminalUI
import FiberNodeStore
import FiberNodeDomain

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

    /// The dashboard's charts have a scale: the top, middle and zero of the axis on the left.
    func testBarChartHasAScale() {
        let lines = BarChart.render(values: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], labels: Array(repeating: "J", count: 12), width: 58, height: 8,
                                    ascii: false, scale: { String($0) })
        XCTAssertEqual(lines.count, 9)
        XCTAssertTrue(lines[0].hasPrefix("3 │"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines[7].hasPrefix("0 │"))
        XCTAssertTrue(lines[3].contains("│") && lines[3].first!.isNumber, "a middle mark: \(lines[3])")
        for l in lines { XCTAssertLessThanOrEqual(TextWidth.width(of: l), 58) }
        let ascii = BarChart.render(values: [0, 5_000_000], labels: ["a", "b"], width: 30, height: 4, ascii: true, scale: { String($0) })
        XCTAssertTrue(ascii[0].hasPrefix("5000000 |"))
        XCTAssertTrue(ascii.last!.hasPrefix(String(repeating: " ", count: 9) + "a"), "labels under the bars, past the axis: \(ascii.last!)")
    }
}

/// Issue 14 §5 (collect3): a number another connection uses is saved from the form, with the
/// other connection named on the status line (a warning, not a refusal).
final class SharedPhoneFormTests: XCTestCase {
    func testAddFormSavesASharedNumberAndWarns() throws {
        let h = try AppHarness(width: 100, height: 30)
        h.login("mitra1", "Mitra123!")
        h.press(.char("2"), .char("a"))
        XCTAssertTrue(h.text.contains("Tambah pelanggan"), h.text)
        h.type("Ahmad Lantai Dua"); h.press(.enter); h.type("0812 3456 7890")
        h.press(.function(2))
        XCTAssertFalse(h.text.contains("Tambah pelanggan"), "saved, the form closed: \(h.text)")
        XCTAssertTrue(h.text.contains("Perhatian: nomor 6281234567890 juga dipakai PLG-000001"), h.text)
        let m1 = try h.db.login(username: "mitra1", password: "Mitra123!", context: h.context).actor
        XCTAssertEqual(try h.db.customers(actor: m1, filter: CustomerFilter(search: "Lantai Dua")).count, 1)
    }
}
