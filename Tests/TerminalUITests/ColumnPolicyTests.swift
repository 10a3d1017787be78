import XCTest
@testable import TerminalUI

final class ColumnPolicyTests: XCTestCase {
    let cols = [
        ColumnSpec("Kode", .fixed, width: 10, priority: 8),
        ColumnSpec("Nama", .flexible, width: 8, priority: 10),
        ColumnSpec("Area", .text, width: 12, priority: 2),
        ColumnSpec("Jatuh tempo", .fixed, width: 10, priority: 7),
        ColumnSpec("Total", .fixed, width: 7, priority: 9, align: .right),
        ColumnSpec("Status", .fixed, width: 6, priority: 6),
    ]

    func row(_ name: String, total: String = "1.250.000", status: String = "belum dibayar !") -> [String] {
        ["PLG-001009", name, "WiFi Sukamaju Raya Barat", "2026-12-05", total, status]
    }

    /// Fixed columns get their widest cell and title; only the name is cut; every line is exactly `width` wide.
    func testFixedColumnsWholeNamesTakeTheRestAtEveryWidth() {
        let names = ["Bambang Suryadi Wicaksono Hadiningrat Putra", "王小明 张伟 李娜 刘洋 陈静 杨帆", "Ñoño José Müller", "e\u{301}e\u{301}e\u{301} Café Déjà vu"]
        let cells = names.map { row($0) } + [row("Ani", total: "12.500.000", status: "lunas")]
        for width in [40, 62, 80, 82, 100, 102, 120] {
            let layout = ColumnPolicy.fit(cols, cells: cells, width: width)
            for c in cells {
                let line = ColumnPolicy.line(c, layout: layout, columns: cols, width: width)
                XCTAssertEqual(TextWidth.width(of: line), width, "width \(width): \(line)")
                for (i, _) in layout where cols[i].kind == .fixed {
                    XCTAssertTrue(line.contains(c[i]), "\(cols[i].title) cut at \(width): \(line)")
                }
            }
            // the title of a fixed column is never cut ("Jatuh tem…")
            let header = ColumnPolicy.line(cols.map(\.title), layout: layout, columns: cols, width: width)
            for (i, _) in layout where cols[i].kind == .fixed { XCTAssertTrue(header.contains(cols[i].title), header) }
            XCTAssertFalse(header.contains("…"), header)
        }
    }

    func testNarrowDropsWholeColumnsByPriorityNeverCutsMoney() {
        let cells = [row("Bambang Suryadi")]
        let layout = ColumnPolicy.fit(cols, cells: cells, width: 40)
        let shown = layout.map { cols[$0.index].title }
        XCTAssertTrue(shown.contains("Total"))
        XCTAssertTrue(shown.contains("Nama"))
        XCTAssertFalse(shown.contains("Area"))             // lowest priority went first
        let line = ColumnPolicy.line(cells[0], layout: layout, columns: cols, width: 40)
        XCTAssertTrue(line.contains("1.250.000"), line)
        // wide characters: the name is cut on a character boundary, the line stays 40 cells
        let cjk = [row("王小明王小明王小明王小明王小明王小明")]
        let l2 = ColumnPolicy.fit(cols, cells: cjk, width: 41)
        let text = ColumnPolicy.line(cjk[0], layout: l2, columns: cols, width: 41)
        XCTAssertEqual(TextWidth.width(of: text), 41)
        XCTAssertTrue(text.contains("…"))
        XCTAssertTrue(text.contains("1.250.000"))
    }

    func testFlexibleColumnsShareTheSpare() {
        let two = [ColumnSpec("A", .flexible, width: 4), ColumnSpec("B", .flexible, width: 4), ColumnSpec("N", .fixed, width: 3)]
        let l = ColumnPolicy.fit(two, width: 20)
        XCTAssertEqual(l.map(\.width), [8, 7, 3])
    }

    func testShortenDropsWholePartsNeverMidNumber() {
        let parts = ["1.234 tagihan", "total Rp 56.500.000", "lunas Rp 12.000.000", "belum Rp 44.500.000"]
        XCTAssertEqual(ColumnPolicy.shorten(parts, width: 200), parts.joined(separator: " · "))
        XCTAssertEqual(ColumnPolicy.shorten(parts, width: 60), "1.234 tagihan · total Rp 56.500.000 · lunas Rp 12.000.000")
        XCTAssertEqual(ColumnPolicy.shorten(parts, width: 40), "1.234 tagihan · total Rp 56.500.000")
        XCTAssertEqual(ColumnPolicy.shorten(parts, width: 20), "1.234 tagihan")
        // a sentence alone ends on a whole word
        XCTAssertEqual(ColumnPolicy.words("Pembayaran INV-2026-12-000123 tercatat sebesar Rp 150.000", width: 40),
                       "Pembayaran INV-2026-12-000123 tercatat…")
        XCTAssertEqual(ColumnPolicy.words("pendek", width: 40), "pendek")
    }
}
