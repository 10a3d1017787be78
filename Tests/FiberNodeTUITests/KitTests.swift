import XCTest
@testable import FiberNodeTUI
@testable import FiberNodeStore
import FiberNodeDomain
import TerminalUI

/// The pane kit on the virtual screen (issue 13): paging at any height and after a resize,
/// the help overlay, the function bar, commands, the splash.
final class KitTests: XCTestCase {
    func addCustomers(_ h: AppHarness, _ n: Int) throws {
        let a = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        var csv = "nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register\n"
        for i in 1...n { csv += String(format: "Uji Halaman %04d,62813%07d,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15\n", i, i) }
        let r = try h.db.importCustomers(csv: csv, dryRun: false, actor: a, context: h.context)
        XCTAssertEqual(r.imported, n)
    }

    /// The codes on screen and the footer's "baris A–B".
    func page(_ h: AppHarness) -> (codes: [String], from: Int, to: Int, total: Int) {
        let codes = h.screen.lines.compactMap { l -> String? in
            guard let r = l.range(of: #"PLG-\d{6}"#, options: .regularExpression) else { return nil }
            return String(l[r])
        }
        let text = h.text
        guard let m = text.range(of: #"([\d.]+) pelanggan · baris ([\d.]+)–([\d.]+)"#, options: .regularExpression) else { return (codes, -1, -1, -1) }
        // counts are grouped like money ("1.000"): drop the dots before reading them
        let nums = text[m].replacingOccurrences(of: ".", with: "").split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return (codes, nums[1], nums[2], nums[0])
    }

    func testCustomersPageOnceAtEveryTerminalSizeAndAfterResize() throws {
        for (w, hgt) in [(80, 24), (100, 30), (120, 40), (200, 60)] {
            let h = try AppHarness(width: w, height: hgt)
            try addCustomers(h, 130)
            h.login("superadmin", "Admin123!")
            h.press(.char("2"))
            var seen: [String] = []
            var p = page(h)
            XCTAssertEqual(p.from, 1)
            while true {
                XCTAssertEqual(p.codes.count, p.to - p.from + 1, "\(w)x\(hgt): footer \(p.from)–\(p.to)\n\(h.text)")
                XCTAssertEqual(p.codes.count, min(hgt - 9, p.total - p.from + 1), "\(w)x\(hgt): a full page")
                seen += p.codes
                if p.to >= p.total { break }
                h.press(.pageDown)
                p = page(h)
            }
            XCTAssertEqual(seen.count, p.total, "\(w)x\(hgt)")
            XCTAssertEqual(Set(seen).count, p.total, "\(w)x\(hgt): each once")
        }
    }

    func testResizeFillsTheNewHeightAndKeepsTheFirstRow() throws {
        let h = try AppHarness(width: 80, height: 24)
        try addCustomers(h, 130)
        h.login("superadmin", "Admin123!")
        h.press(.char("2"), .pageDown)
        let before = page(h)
        XCTAssertEqual(before.from, 16)
        h.screen.resize(width: 120, height: 40)
        h.press(.resize)
        let after = page(h)
        XCTAssertEqual(after.from, 16)
        XCTAssertEqual(after.codes.count, 31, h.text)        // 40 - 9 rows, none empty
        XCTAssertEqual(Array(after.codes.prefix(before.codes.count)), before.codes)
        h.press(.pageDown)
        XCTAssertEqual(page(h).from, 47)
    }

    /// The WhatsApp log used to stop at its first 200 entries.
    func testWhatsAppLogPagesPastTwoHundred() throws {
        let h = try AppHarness(width: 100, height: 30)
        let a = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.write { db in
            for i in 0..<260 {
                try db.execute(sql: """
                    INSERT INTO wa_message_logs (id, owner_id, message_type, phone, content, status, sent_at)
                    VALUES (?, ?, 'custom', ?, 'x', 'sent', ?)
                    """, arguments: [String(format: "log-%04d", i), a.userId, String(format: "6289%09d", i),
                                       Date(timeIntervalSince1970: 1_770_000_000 + Double(i / 4) * 60)])
            }
        }
        h.login("superadmin", "Admin123!")
        h.press(.char("5"), .char("v"), .char("v"))
        var seen: [String] = []
        for _ in 0..<40 {
            let phones = h.screen.lines.compactMap { l -> String? in
                guard let r = l.range(of: #"6289\d{9}"#, options: .regularExpression) else { return nil }
                return String(l[r])
            }
            XCTAssertFalse(phones.isEmpty, h.text)
            let new = phones.filter { !seen.contains($0) }
            if new.isEmpty { break }
            XCTAssertEqual(new, phones, "a page repeats no row\n\(h.text)")
            seen += new
            h.press(.pageDown)
        }
        XCTAssertEqual(seen.count, 260)
        XCTAssertEqual(Set(seen).count, 260)
    }

    func testHelpShowsEveryGlobalKeyAt80x24AndScrollsThePaneKeys() throws {
        let h = try AppHarness(width: 80, height: 24)
        h.login("superadmin", "Admin123!")
        h.press(.char("2"), .char("?"))
        var t = h.text
        for key in ["F1 ?", "F5 ^R", "F9", "F10 q", "Tab →", "S-Tab ←", "1–9 0", "^L"] { XCTAssertTrue(t.contains(key), "\(key)\n\(t)") }
        XCTAssertFalse(t.contains("Halaman sebelumnya  ") && t.contains("Home "), t)
        // the isolation keys are further down: PgDn brings them
        var found = t.contains("Isolir") || t.contains("isolir")
        for _ in 0..<5 where !found { h.press(.pageDown); t = h.text; found = t.contains("I ") && (t.contains("Isolir") || t.contains("isolir")) }
        XCTAssertTrue(found, t)
        XCTAssertTrue(t.contains("F10 q"), "globals stay while scrolling\n\(t)")
        // Home is described as what it does (it said "Halaman sebelumnya")
        var homeLine: String?
        for k in [Key.home, .pageDown, .pageDown, .pageDown] where homeLine == nil {
            h.press(k)
            homeLine = h.screen.lines.first { $0.contains(" Home ") }
        }
        XCTAssertTrue(homeLine?.contains("Halaman pertama") == true, h.text)
        XCTAssertTrue(h.screen.lines.contains { $0.contains(" End ") && $0.contains("Halaman terakhir") }, h.text)
        h.press(.escape)
        XCTAssertFalse(h.text.contains("F10 q"))
    }

    func testFunctionBarKeepsF9AndF10At80Columns() throws {
        let h = try AppHarness(width: 80, height: 24)
        h.login("superadmin", "Admin123!")
        for pane in ["2", "3", "4", "7"] {
            h.press(.char(Character(pane)))
            let bar = h.screen.line(23)
            XCTAssertTrue(bar.contains("F9"), "pane \(pane): \(bar)")
            XCTAssertTrue(bar.contains("F10"), "pane \(pane): \(bar)")
        }
    }

    func testPackagesRunOnCommandsWithLabelsFromTheKeys() throws {
        let h = try AppHarness(width: 100, height: 30)
        h.login("superadmin", "Admin123!")
        h.press(.char("7"))
        XCTAssertTrue(h.text.contains("Paket 10 Mbps"), h.text)
        h.press(.char("?"))
        XCTAssertTrue(h.text.contains("F4 e Enter"), h.text)
        XCTAssertTrue(h.text.contains("F7 a"), h.text)
        h.press(.escape, .char("d"))
        XCTAssertTrue(h.text.contains("Hapus"), h.text)
        h.press(.escape, .down, .char("e"))
        XCTAssertTrue(h.screen.lines.contains { $0.contains("Paket 20 Mbps") }, h.text)
    }

    func testSplashMovesOnAfterThreeSeconds() throws {
        let h = try AppHarness(splash: true)
        XCTAssertTrue(h.text.contains("FiberNode Internet"))
        h.clock.advance(by: 2); h.app.tick(); h.app.render()
        XCTAssertFalse(h.text.contains("Nama pengguna"))
        h.clock.advance(by: 1.1); h.app.tick(); h.app.render()
        XCTAssertTrue(h.text.contains("Nama pengguna"), h.text)
    }

    /// The header keeps user, role and date at 80 columns when the business name is long.
    func testHeaderAt80ColumnsKeepsUserRoleAndDate() throws {
        let h = try AppHarness(width: 80, height: 24)
        let a = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        _ = try h.db.setSetting("business.name", "Jaringan Internet Desa Sukamaju Makmur Sejahtera Abadi", actor: a, context: h.context)
        h.login("superadmin", "Admin123!")
        let top = h.screen.line(0)
        XCTAssertTrue(top.contains("superadmin (Superadmin)"), top)
        XCTAssertTrue(top.contains("2026"), "the date stays\n\(top)")
        XCTAssertTrue(top.contains("Jaringan"), top)
        XCTAssertTrue(top.contains("…"), "the business name is what is shortened\n\(top)")
    }

    /// A long status line drops whole parts, never a number in half.
    func testStatusLineDropsWholeParts() throws {
        let h = try AppHarness(width: 80, height: 24)
        h.login("superadmin", "Admin123!")
        let main = try XCTUnwrap({ if case .main(let m) = h.app.mode { return m } else { return nil } }())
        main.session.info("Tagihan dibuat: 12.345 · dilewati 678 · total Rp 1.234.567.890 · lunas Rp 987.654.321 · belum Rp 246.913.569")
        h.app.render()
        let line = h.screen.line(22)
        XCTAssertTrue(line.contains("Tagihan dibuat: 12.345"), line)
        XCTAssertFalse(line.contains("…"), line)
        for part in line.components(separatedBy: " · ").dropFirst() {
            XCTAssertTrue(["dilewati 678", "total Rp 1.234.567.890", "lunas Rp 987.654.321", "belum Rp 246.913.569"]
                .contains(part.trimmingCharacters(in: .whitespaces)), "cut part: \(part)")
        }
    }

    func testModalFrameIsAsciiOnMonoAndReturnsTheInside() {
        let screen = TextScreen(width: 40, height: 12)
        let inner = ModalFrame.draw(on: screen, title: "Judul", width: 20, height: 8, theme: Theme.named(.mono), hint: "Esc: tutup")
        XCTAssertEqual(inner, Rect(row: 3, col: 12, width: 16, height: 5))
        XCTAssertTrue(screen.line(2).contains("+-"), screen.text)
        XCTAssertTrue(screen.line(2).contains("Judul"))
        XCTAssertTrue(screen.line(8).contains("Esc: tutup"), screen.text)
        let uni = TextScreen(width: 40, height: 12)
        ModalFrame.draw(on: uni, title: "Judul", width: 20, height: 8, theme: Theme.named(.dark))
        XCTAssertTrue(uni.line(2).contains("┌"))
    }

    /// Every label in help is made from the binding's keys, in every pane the superadmin sees.
    func testEveryHelpLabelComesFromItsKeys() throws {
        XCTAssertEqual(Keymap.global.map(\.keyLabel), ["F1 ?", "F5 ^R", "F9", "F10 q", "Tab →", "S-Tab ←", "1–9 0", "^L"])
        let h = try AppHarness(width: 100, height: 30)
        h.login("superadmin", "Admin123!")
        guard case .main(let main) = h.app.mode else { return XCTFail("not logged in") }
        for id in main.paneIDs {
            for b in main.pane(id).bindings {
                XCTAssertEqual(b.keyLabel, Binding.label(b.keys), "\(id)")
                for k in b.keys where b.keyLabel != "1–9" { XCTAssertTrue(b.keyLabel.contains(k.label), "\(id): \(k) missing from \(b.keyLabel)") }
            }
        }
    }

    func testCommandBindingsComeFromTheKeys() {
        var ran = 0
        let c = Command([.char("d"), .function(8)], .keyDelete, short: .keyDelete) { ran += 1 }
        let b = c.binding(3)
        XCTAssertEqual(b.keyLabel, "F8 d")
        XCTAssertEqual(b.functionKey, 8)
        XCTAssertEqual(b.action, .command(3))
        let noBar = Command([.char("t"), .function(6)], .keyToggleActive) {}.binding(0)
        XCTAssertNil(noBar.functionKey)
        c.run()
        XCTAssertEqual(ran, 1)
    }
}
