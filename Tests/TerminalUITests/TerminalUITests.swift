import XCTest
@testable import TerminalUI

final class TextWidthTests: XCTestCase {
    func testWidths() {
        XCTAssertEqual(TextWidth.width(of: "abc"), 3)
        XCTAssertEqual(TextWidth.width(of: "e\u{301}"), 1)
        XCTAssertEqual(TextWidth.width(of: "中文"), 4)
        XCTAssertEqual(TextWidth.width(of: "👍"), 2)
        XCTAssertEqual(TextWidth.width(of: "👨‍👩‍👧"), 2)
        XCTAssertEqual(TextWidth.width(of: "🇮🇩"), 2)
        XCTAssertEqual(TextWidth.width(of: "Rp 150.000"), 10)
    }

    func testTruncateAndPadNeverSplitWideChars() {
        XCTAssertEqual(TextWidth.truncate("abcdef", to: 4), "abc…")
        XCTAssertEqual(TextWidth.truncate("中文字", to: 4), "中…")
        XCTAssertEqual(TextWidth.truncate("中文字", to: 5, ellipsis: false), "中文")
        XCTAssertEqual(TextWidth.pad("中", to: 4), "中  ")
        XCTAssertEqual(TextWidth.pad("7", to: 3, align: .right), "  7")
        XCTAssertEqual(TextWidth.width(of: TextWidth.pad("👍👍👍", to: 5)), 5)
    }

    func testWrap() {
        XCTAssertEqual(wrap("satu dua tiga empat", width: 9), ["satu dua", "tiga", "empat"])
        XCTAssertEqual(wrap("abcdefghij", width: 4), ["abcd", "efgh", "ij"])
    }
}

final class SanitizerTests: XCTestCase {
    func assertClean(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let out = Sanitizer.clean(s)
        for u in out.unicodeScalars {
            XCTAssertFalse(u.value < 0x20 || (0x7F...0x9F).contains(u.value) || (0x202A...0x202E).contains(u.value),
                           "control U+\(String(u.value, radix: 16)) left in \(out.debugDescription)", file: file, line: line)
        }
        return out
    }

    func testEscapesAndControlsAreRemoved() {
        XCTAssertEqual(assertClean("a\u{1B}[2Jb"), "ab")
        XCTAssertEqual(assertClean("x\u{1B}]0;title\u{07}y"), "xy")
        XCTAssertEqual(assertClean("x\u{1B}]8;;http://e\u{1B}\\link\u{1B}]8;;\u{1B}\\"), "xlink")
        XCTAssertEqual(assertClean("a\nb\rc\td"), "a b c d")
        XCTAssertEqual(assertClean("\u{9B}31mred"), "red")
        XCTAssertEqual(assertClean("abc\u{202E}def"), "abcdef")
        XCTAssertEqual(assertClean("bell\u{07}\u{08}\u{7F}"), "bell")
        XCTAssertEqual(assertClean("Budi 👍 中文"), "Budi 👍 中文")
    }
}

final class TextScreenTests: XCTestCase {
    func testPutClipsAndSanitises() {
        let s = TextScreen(width: 10, height: 3)
        s.put("hello world!", row: 0, col: 2, style: .plain)
        XCTAssertEqual(s.line(0), "  hello wo")
        s.put("\u{1B}[31mred\nx", row: 1, col: 0, style: .plain)
        XCTAssertEqual(s.line(1), "red x")
        s.put("ignored", row: 5, col: 0, style: .plain)
        XCTAssertEqual(s.lines.count, 3)
    }

    func testWideCharactersAndOverwritingHalf() {
        let s = TextScreen(width: 6, height: 1)
        s.put("中文中", row: 0, col: 0, style: .plain)
        XCTAssertEqual(s.line(0), "中文中")
        s.put("x", row: 0, col: 3, style: .plain)   // second half of 文
        XCTAssertEqual(s.line(0), "中 x中")
        s.put("ab中", row: 0, col: 3, style: .plain) // 中 does not fit at col 5
        XCTAssertEqual(s.line(0), "中 ab")
    }

    func testStylesAndResize() {
        let s = TextScreen(width: 5, height: 2)
        let red = Style(fg: .red, bold: true)
        s.put("ab", row: 1, col: 1, style: red)
        XCTAssertEqual(s.style(row: 1, col: 1), red)
        XCTAssertEqual(s.style(row: 1, col: 0), .plain)
        s.resize(width: 8, height: 3)
        XCTAssertEqual(s.width, 8)
        XCTAssertEqual(s.text, "\n\n")
    }
}

final class WidgetTests: XCTestCase {
    func testTextFieldEditing() {
        var f = TextField(maxLength: 5)
        for c in "abcdef" { _ = f.handle(.char(c)) }
        XCTAssertEqual(f.value, "abcde")
        _ = f.handle(.left); _ = f.handle(.left); _ = f.handle(.backspace)
        XCTAssertEqual(f.value, "abde")
        _ = f.handle(.home); _ = f.handle(.delete)
        XCTAssertEqual(f.value, "bde")
        _ = f.handle(.ctrl("u"))
        XCTAssertEqual(f.value, "")
        XCTAssertFalse(f.handle(.function(5)))
    }

    func testSecureFieldDrawsDotsOnly() {
        var f = TextField(secure: true)
        for c in "rahasia" { _ = f.handle(.char(c)) }
        let s = TextScreen(width: 20, height: 1)
        f.draw(on: s, row: 0, col: 0, width: 20, style: .plain, focused: true)
        XCTAssertEqual(s.line(0), "•••••••")
        XCTAssertFalse(s.text.contains("rahasia"))
        XCTAssertEqual(s.cursor?.col, 7)
    }

    func testTextFieldScrollsToKeepCursorVisible() {
        var f = TextField()
        for c in "0123456789abc" { _ = f.handle(.char(c)) }
        let s = TextScreen(width: 6, height: 1)
        f.draw(on: s, row: 0, col: 0, width: 6, style: .plain, focused: true)
        XCTAssertTrue(s.line(0).hasSuffix("abc"))
        XCTAssertEqual(s.cursor?.col, 5)
    }

    func testConfirmDialogKeys() {
        var d = ConfirmDialog(title: "Keluar", message: "Yakin?", yesLabel: "Ya", noLabel: "Tidak")
        XCTAssertEqual(d.handle(.enter), .no)
        XCTAssertEqual(d.handle(.right), .none)
        XCTAssertEqual(d.handle(.enter), .yes)
        XCTAssertEqual(d.handle(.char("n")), .no)
        XCTAssertEqual(d.handle(.escape), .no)
        XCTAssertEqual(d.handle(.char("y")), .yes)
        let s = TextScreen(width: 40, height: 10)
        d.draw(on: s, style: .plain, selectedStyle: Style(reverse: true), ascii: true)
        XCTAssertTrue(s.contains("Yakin?"))
        XCTAssertTrue(s.contains("[ Ya (y) ]"))
        XCTAssertTrue(s.contains("+-"))
    }

    func testFunctionBarCutsAtWidth() {
        let s = TextScreen(width: 20, height: 1)
        FunctionBar.draw(on: s, row: 0, items: [("F1", "Bantuan"), ("F5", "Muat ulang"), ("F10", "Keluar")], keyStyle: .plain, labelStyle: .plain)
        XCTAssertEqual(s.line(0), "F1Bantuan F5Muat ula")
    }

    func testBoxAndBarChart() {
        let s = TextScreen(width: 10, height: 3)
        Box.draw(on: s, row: 0, col: 0, width: 10, height: 3, title: "T", style: .plain, ascii: false)
        XCTAssertEqual(s.line(0), "┌─ T ────┐")
        XCTAssertEqual(s.line(2), "└────────┘")
        let chart = BarChart.render(values: [0, 4, 8], labels: ["a", "b", "c"], width: 6, height: 1, ascii: false)
        XCTAssertEqual(chart, ["  ▄ █ ", "a b c "])
        XCTAssertEqual(BarChart.render(values: [0, 4, 8], labels: ["a", "b", "c"], width: 6, height: 1, ascii: true)[0], "  # # ")
    }
}
