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
        XCTAssertEqual(TextWidth.width(of: "❤️"), 2)          // VS16 emoji presentation
        XCTAssertEqual(TextWidth.width(of: "⚡"), 2)
        XCTAssertEqual(TextWidth.width(of: "👍🏽"), 2)
        XCTAssertEqual(TextWidth.width(of: "ｱ"), 1)           // halfwidth katakana
        XCTAssertEqual(TextWidth.width(of: "Ａ"), 2)          // fullwidth A
        XCTAssertEqual(TextWidth.width(of: "한국"), 4)
        XCTAssertEqual(TextWidth.width(of: "\u{200B}"), 0)
    }

    func testTruncateAndPadNeverSplitWideChars() {
        XCTAssertEqual(TextWidth.truncate("abcdef", to: 4), "abc…")
        XCTAssertEqual(TextWidth.truncate("中文字", to: 4), "中…")
        XCTAssertEqual(TextWidth.truncate("中文字", to: 5, ellipsis: false), "中文")
        XCTAssertEqual(TextWidth.pad("中", to: 4), "中  ")
        XCTAssertEqual(TextWidth.pad("7", to: 3, align: .right), "  7")
        XCTAssertEqual(TextWidth.width(of: TextWidth.pad("👍👍👍", to: 5)), 5)
        XCTAssertEqual(TextWidth.pad("👍👍👍", to: 5), "👍👍…")
        XCTAssertEqual(TextWidth.truncate("中文", to: 1), "…")
        XCTAssertEqual(TextWidth.truncate("中文", to: 3, ellipsis: false), "中")
        XCTAssertEqual(TextWidth.truncate("abc", to: 0), "")
        XCTAssertEqual(TextWidth.truncate("e\u{301}e\u{301}e\u{301}", to: 3), "e\u{301}e\u{301}e\u{301}")
        XCTAssertEqual(TextWidth.pad("ab", to: 6, align: .center), "  ab  ")
        XCTAssertEqual(TextWidth.pad("中", to: 5, align: .right), "   中")
        for w in 0...8 {
            let t = TextWidth.truncate("x中文👨‍👩‍👧y", to: w)
            XCTAssertLessThanOrEqual(TextWidth.width(of: t), w)
            XCTAssertEqual(TextWidth.width(of: TextWidth.pad("x中文👨‍👩‍👧y", to: w)), w)
        }
    }

    func testWrap() {
        XCTAssertEqual(wrap("satu dua tiga empat", width: 9), ["satu dua", "tiga", "empat"])
        XCTAssertEqual(wrap("abcdefghij", width: 4), ["abcd", "efgh", "ij"])
        XCTAssertEqual(wrap("abcdefgh", width: 4), ["abcd", "efgh"])
        XCTAssertEqual(wrap("中文中文 ab", width: 4), ["中文", "中文", "ab"])
        XCTAssertEqual(wrap("中", width: 1), ["中"])                 // never loops forever
        XCTAssertEqual(wrap("a\n\nb", width: 5), ["a", "", "b"])
        for line in wrap("Pelanggan 👍 membayar tagihan bulan 中文 ini", width: 7) {
            XCTAssertLessThanOrEqual(TextWidth.width(of: line), 7, line)
        }
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
        XCTAssertEqual(assertClean("\u{1B}[2J"), "")
        XCTAssertEqual(assertClean("\u{1B}]0;title\u{07}"), "")
        XCTAssertEqual(assertClean("\u{1B}]0;title\u{1B}\\after"), "after")
        XCTAssertEqual(assertClean("a\nb"), "a b")
        XCTAssertEqual(assertClean("\u{9B}31m"), "")
        XCTAssertEqual(assertClean("\u{9D}0;evil\u{9C}ok"), "ok")
        XCTAssertEqual(assertClean("\u{1B}(Bx\u{1B}7y\u{1B}"), "xy")
        XCTAssertEqual(assertClean("\u{1B}[?1049h\u{1B}[1;31mZ"), "Z")
        XCTAssertEqual(assertClean("\u{2066}abc\u{2069}\u{202D}"), "abc")
        XCTAssertEqual(assertClean("\u{85}x\u{00}"), "x")
        XCTAssertEqual(assertClean("e\u{301}"), "e\u{301}")
        // Nothing left that starts a sequence, whatever the input.
        let nasty = "\u{1B}[\u{1B}]\u{1B}P\u{9B}\u{9D}\u{1B}\u{1B}[31"
        XCTAssertFalse(assertClean(nasty).unicodeScalars.contains { $0.value == 0x1B })
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
        s.fill(row: 0, col: 3, width: 10, height: 1, style: red)
        XCTAssertEqual(s.style(row: 0, col: 4), red)
        XCTAssertEqual(s.style(row: 0, col: 2), .plain)
        s.fill(row: 9, col: 9, width: 3, height: 3, style: red)      // off screen: no crash
        s.resize(width: 8, height: 3)
        XCTAssertEqual(s.width, 8)
        XCTAssertEqual(s.height, 3)
        XCTAssertEqual(s.text, "\n ab\n")                          // content kept
        s.put("abcdefghij", row: 2, col: 0, style: .plain)
        XCTAssertEqual(s.line(2), "abcdefgh")
        s.put("中文", row: 0, col: 0, style: .plain)
        s.resize(width: 3, height: 1)                                // cuts 文 in half
        XCTAssertEqual(s.lines, ["中"])
        s.clear()
        XCTAssertEqual(s.text, "")
        XCTAssertEqual(s.style(row: 0, col: 0), .plain)
    }

    func testWideOverwritesAndEdges() {
        let s = TextScreen(width: 6, height: 1)
        s.put("abcdef", row: 0, col: 0, style: .plain)
        s.put("中", row: 0, col: 1, style: .plain)
        XCTAssertEqual(s.line(0), "a中def")
        s.put("x", row: 0, col: 1, style: .plain)                    // first half of 中
        XCTAssertEqual(s.line(0), "ax def")
        s.put("中文", row: 0, col: 0, style: .plain)
        s.put("日", row: 0, col: 1, style: .plain)                   // straddles 中 and 文
        XCTAssertEqual(s.line(0), " 日 ef")
        s.put("中文x", row: 0, col: -1, style: .plain)                // right half of 中 at col 0 → blank
        XCTAssertEqual(s.line(0), " 文xef")
        s.put("e\u{301}", row: 0, col: 5, style: .plain)
        XCTAssertEqual(s.line(0), " 文xee\u{301}")
        s.put("👨‍👩‍👧🇮🇩", row: 0, col: 0, style: .plain)
        XCTAssertEqual(s.line(0), "👨‍👩‍👧🇮🇩ee\u{301}")
        XCTAssertEqual(s.style(row: 5, col: 0), .plain)           // out of range is plain, no crash
        XCTAssertEqual(s.line(7), "")
    }

    func testCursorAndFlush() {
        let s = TextScreen(width: 5, height: 2)
        XCTAssertNil(s.cursor)
        s.showCursor(row: 1, col: 2)
        XCTAssertEqual(s.cursor?.row, 1); XCTAssertEqual(s.cursor?.col, 2)
        s.hideCursor(); s.flush(); s.flush()
        XCTAssertNil(s.cursor)
        XCTAssertEqual(s.flushCount, 2)
    }
}


// MARK: - Widgets

final class TextFieldTests: XCTestCase {
    func testEditing() {
        var f = TextField(maxLength: 5)
        for c in "abcdef" { XCTAssertTrue(f.handle(.char(c))) }
        XCTAssertEqual(f.value, "abcde")
        _ = f.handle(.left); _ = f.handle(.left); _ = f.handle(.backspace)
        XCTAssertEqual(f.value, "abde")
        XCTAssertEqual(f.cursor, 2)
        _ = f.handle(.home); _ = f.handle(.delete)
        XCTAssertEqual(f.value, "bde")
        _ = f.handle(.end); _ = f.handle(.char("中"))
        XCTAssertEqual(f.value, "bde中")
        _ = f.handle(.ctrl("u"))
        XCTAssertEqual(f.value, "")
        XCTAssertEqual(f.cursor, 0)
        XCTAssertFalse(f.handle(.function(5)))
        XCTAssertFalse(f.handle(.tab))
        XCTAssertFalse(f.handle(.enter))
        _ = f.handle(.char("\u{1B}")); _ = f.handle(.char("\u{7}"))
        XCTAssertEqual(f.value, "")                                  // controls never enter the value
        var ro = TextField(value: "tetap", readOnly: true)
        XCTAssertFalse(ro.handle(.char("x")))
        XCTAssertFalse(ro.handle(.backspace))
        XCTAssertEqual(ro.value, "tetap")
    }

    func testSecureFieldDrawsDotsOnly() {
        var f = TextField(secure: true)
        for c in "rahasia" { _ = f.handle(.char(c)) }
        let s = TextScreen(width: 20, height: 1)
        f.draw(on: s, row: 0, col: 0, width: 20, style: .plain, focused: true)
        XCTAssertEqual(s.line(0), "•••••••")
        XCTAssertFalse(s.text.contains("rahasia"))
        XCTAssertEqual(s.cursor?.col, 7)
        XCTAssertEqual(f.value, "rahasia")
    }

    func testScrollsToKeepCursorVisible() {
        var f = TextField()
        for c in "0123456789abc" { _ = f.handle(.char(c)) }
        let s = TextScreen(width: 6, height: 1)
        f.draw(on: s, row: 0, col: 0, width: 6, style: .plain, focused: true)
        XCTAssertEqual(s.line(0), "89abc")   // five characters, then the cursor in the last cell
        XCTAssertEqual(s.cursor?.col, 5)
        _ = f.handle(.home)
        f.draw(on: s, row: 0, col: 0, width: 6, style: .plain, focused: true)
        XCTAssertEqual(s.line(0), "012345")
        XCTAssertEqual(s.cursor?.col, 0)
        s.hideCursor()
        f.draw(on: s, row: 0, col: 0, width: 6, style: .plain, focused: false)
        XCTAssertNil(s.cursor)
    }

    func testWideCharactersScroll() {
        var f = TextField()
        for c in "中文中文中" { _ = f.handle(.char(c)) }
        let s = TextScreen(width: 10, height: 1)
        f.draw(on: s, row: 0, col: 2, width: 6, style: .plain, focused: true)
        XCTAssertEqual(s.line(0), "  文中")
        XCTAssertEqual(s.cursor?.col, 6)
    }
}

final class DialogTests: XCTestCase {
    func testConfirmDialogKeys() {
        var d = ConfirmDialog(title: "Keluar", message: "Yakin?", yesLabel: "Ya", noLabel: "Tidak")
        XCTAssertEqual(d.handle(.enter), .no)            // default is the harmless answer
        XCTAssertEqual(d.handle(.left), .none)
        XCTAssertEqual(d.handle(.enter), .yes)
        XCTAssertEqual(d.handle(.right), .none)
        XCTAssertEqual(d.handle(.enter), .no)
        XCTAssertEqual(d.handle(.tab), .none)
        XCTAssertTrue(d.yesSelected)
        XCTAssertEqual(d.handle(.char("n")), .no)
        XCTAssertEqual(d.handle(.escape), .no)
        XCTAssertEqual(d.handle(.char("Y")), .yes)
        XCTAssertEqual(d.handle(.char("q")), .none)
    }

    func testConfirmDialogDrawsCentred() {
        var d = ConfirmDialog(title: "Keluar", message: "Yakin?", yesLabel: "Ya", noLabel: "Tidak")
        _ = d.handle(.left)
        let s = TextScreen(width: 40, height: 10)
        let sel = Style(reverse: true)
        d.draw(on: s, style: .plain, selectedStyle: sel, ascii: true)
        XCTAssertEqual(s.lines, [
            "", "",
            "     +- Keluar -------------------+",
            "     |                            |",
            "     | Yakin?                     |",
            "     |                            |",
            "     | [ Ya (y) ]  [ Tidak (n) ]  |",
            "     +----------------------------+",
            "", "",
        ])
        XCTAssertEqual(s.style(row: 6, col: 7), sel)        // "[ Ya (y) ]" selected
        XCTAssertEqual(s.style(row: 6, col: 20), .plain)
    }

    func testBoxUnicodeAndAscii() {
        let s = TextScreen(width: 10, height: 3)
        Box.draw(on: s, row: 0, col: 0, width: 10, height: 3, title: "T", style: .plain)
        XCTAssertEqual(s.lines, ["┌─ T ────┐", "│        │", "└────────┘"])
        Box.draw(on: s, row: 0, col: 0, width: 10, height: 3, title: "Judul panjang sekali", style: .plain, ascii: true)
        XCTAssertEqual(s.lines, ["+- Jud… -+", "|        |", "+--------+"])
    }
}

final class BarsAndLinesTests: XCTestCase {
    func testFunctionBar() {
        let items = [("F1", "Bantuan"), ("F2", "Cari"), ("F3", "Tambah"), ("F4", "Ubah"), ("F5", "Muat ulang"),
                     ("F6", "Urut"), ("F7", "Bayar"), ("F8", "Hapus"), ("F9", "Laporan"), ("F10", "Keluar")]
            .map { (key: $0.0, label: $0.1) }
        let s = TextScreen(width: 80, height: 1)
        let keyStyle = Style(bold: true)
        let labelStyle = Style(fg: .black, bg: .cyan)
        FunctionBar.draw(on: s, row: 0, items: items, keyStyle: keyStyle, labelStyle: labelStyle)
        // every key stays; the longest labels are shortened to a common length (issue 13)
        XCTAssertEqual(s.line(0), "F1Bant  F2Cari  F3Tamb  F4Ubah  F5Muat  F6Urut  F7Baya  F8Hapu  F9Lapo  F10Kelu")
        let eight = TextScreen(width: 80, height: 1)
        FunctionBar.draw(on: eight, row: 0, items: items.filter { $0.key != "F2" && $0.key != "F6" }, keyStyle: keyStyle, labelStyle: labelStyle)
        XCTAssertTrue(eight.line(0).contains("F9Laporan  F10Keluar"), eight.line(0))
        XCTAssertEqual(s.style(row: 0, col: 0), keyStyle)
        XCTAssertEqual(s.style(row: 0, col: 2), labelStyle)
        XCTAssertEqual(s.style(row: 0, col: 79), labelStyle)   // the rest of the row is filled
        let narrow = TextScreen(width: 20, height: 1)
        FunctionBar.draw(on: narrow, row: 0, items: Array(items.prefix(3)), keyStyle: keyStyle, labelStyle: labelStyle)
        XCTAssertEqual(narrow.line(0), "F1Ban  F2Car  F3Tam")  // every key, labels shortened alike
        let tiny = TextScreen(width: 7, height: 1)
        FunctionBar.draw(on: tiny, row: 0, items: Array(items.prefix(3)), keyStyle: keyStyle, labelStyle: labelStyle)
        XCTAssertEqual(tiny.line(0), "F1  F2")                 // never half a key
        // a label of several words is shortened after a word, never inside the second (collect3)
        let full = [("F1", "Bantuan"), ("F5", "Muat ulang"), ("F6", "Buat tagihan"), ("F7", "Tandai bayar"),
                    ("F8", "Tandai belum bayar"), ("F9", "Keluar akun"), ("F10", "Keluar")].map { (key: $0.0, label: $0.1) }
        let laid = FunctionBar.layout(items: full, width: 80)
        XCTAssertEqual(laid.map(\.key), full.map(\.key), "every key stays")
        for (shown, item) in zip(laid, full) {
            let words = item.label.split(separator: " ").map(String.init)
            let prefixes = (1...words.count).map { words.prefix($0).joined(separator: " ") }
            XCTAssertTrue(prefixes.contains(shown.label), "\(item.label) → \(shown.label)")
        }
        let wide = TextScreen(width: 200, height: 1)
        FunctionBar.draw(on: wide, row: 0, items: items, keyStyle: keyStyle, labelStyle: labelStyle)
        XCTAssertTrue(wide.line(0).hasSuffix("F9Laporan  F10Keluar"))
    }

    func testBarChart() {
        XCTAssertEqual(BarChart.render(values: [0, 4, 8], labels: ["a", "b", "c"], width: 6, height: 1, ascii: false),
                       ["  ▄ █ ", "a b c "])
        XCTAssertEqual(BarChart.render(values: [0, 4, 8], labels: ["a", "b", "c"], width: 6, height: 1, ascii: true)[0], "  # # ")
        let chart = BarChart.render(values: [1, 2, 4], labels: ["Jan", "Feb", "Mar"], width: 9, height: 2, ascii: false)
        XCTAssertEqual(chart, [
            "      ██ ",
            "▄▄ ██ ██ ",               // 1 of 4 = half of the lower cell
            "J… F… M… ",
        ])
        let half = BarChart.render(values: [3, 16], labels: [], width: 4, height: 2, ascii: false)
        XCTAssertEqual(half, ["  █ ", "▃ █ ", "    "])
        XCTAssertEqual(BarChart.render(values: [], labels: [], width: 10, height: 3, ascii: false), [])
        for line in BarChart.render(values: [5, -3, 7, 9, 1], labels: ["中文", "b"], width: 7, height: 3, ascii: true) {
            XCTAssertLessThanOrEqual(TextWidth.width(of: line), 7)
        }
    }
}
