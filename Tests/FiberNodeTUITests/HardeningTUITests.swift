import Foundation
import GRDB
import XCTest
import TerminalUI
@testable import FiberNodeTUI
import FiberNodeStore
import FiberNodeDomain

/// Issue 12 on the virtual screen: hostile names cannot move columns (item 3); save dialogs
/// follow the format and keep a mitra in its folder (item 1).
final class HardeningTUITests: XCTestCase {
    /// Display column (cells) where `needle` starts in `line`, for ASCII lines.
    func column(of needle: String, in line: String) -> Int? {
        guard let r = line.range(of: needle) else { return nil }
        return TextWidth.width(of: String(line[..<r.lowerBound]))
    }

    func testHostileNameDoesNotShiftOrHidePhoneTotalAndStatusColumns() throws {
        let h = try AppHarness(width: 100, height: 30)
        // ESC CSI, OSC 52 (clipboard) with BEL, CR, tab, a zero-width space, a bidi override.
        let hostile = "Ah\u{1B}[31mmad\u{1B}]52;c;aGVsbG8=\u{07}X\r\tY\u{200B}Z\u{202E}W\u{1B}[8m"
        try h.db.write { d in
            try d.execute(sql: "UPDATE customers SET name = ? WHERE name = 'Ahmad Fauzi'", arguments: [hostile])
        }
        h.login("superadmin", "Admin123!")
        h.press(.char("2"))
        let rows = h.screen.lines.filter { $0.contains("PLG-") || $0.range(of: #"\b62\d{8,}"#, options: .regularExpression) != nil }
            .filter { $0.range(of: #"\b62\d{8,}"#, options: .regularExpression) != nil }
        XCTAssertGreaterThanOrEqual(rows.count, 3, h.text)
        let phones = rows.compactMap { l in l.range(of: #"\b62\d{8,}"#, options: .regularExpression).map { TextWidth.width(of: String(l[..<$0.lowerBound])) } }
        XCTAssertEqual(Set(phones).count, 1, "phone column moved:\n" + rows.joined(separator: "\n"))
        let status = rows.compactMap { column(of: "aktif", in: $0) }
        XCTAssertEqual(status.count, rows.count, rows.joined(separator: "\n"))
        XCTAssertEqual(Set(status).count, 1, "status column moved:\n" + rows.joined(separator: "\n"))
        let ends = rows.map { TextWidth.width(of: $0) }
        XCTAssertEqual(Set(ends).count, 1)
        XCTAssertTrue(h.text.contains("AhmadX  YZW") || h.text.contains("AhmadX"), h.text)
        for line in h.screen.lines {
            XCTAssertFalse(line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        }
    }

    func testTextWidthMeasuresWhatIsDrawn() {
        let s = "A\u{1B}[1;31mB\u{1B}]0;title\u{07}C\tD"
        XCTAssertEqual(TextWidth.width(of: s), 5)          // "ABC D"
        XCTAssertEqual(TextWidth.pad(s, to: 7), "ABC D  ")
        XCTAssertEqual(TextWidth.truncate(s, to: 3), "AB…")
    }

    func testFormsRejectControlCharactersInNamesAndAddresses() throws {
        let h = try AppHarness()
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        let pkg = try h.db.packages().first!.id
        for (name, address) in [("Evil\u{1B}]52;c;eA==\u{07}", ""), ("Ok Name", "Jl. \u{1B}[2JMawar"), ("Tab\tName", "")] {
            XCTAssertThrowsError(try h.db.createCustomer(CustomerInput(name: name, phone: "6281299990001", address: address,
                                                                        packageId: pkg, billingDate: "5"), actor: admin, context: h.context)) {
                guard case StoreError.invalid(_, .controlCharacters)? = $0 as? StoreError else { return XCTFail("\($0)") }
                XCTAssertTrue(Strings(.id).message(for: $0).contains("karakter kontrol"))
                XCTAssertTrue(Strings(.en).message(for: $0).contains("control characters"))
            }
        }
        XCTAssertThrowsError(try h.db.createPackage(PackageInput(name: "P\u{07}", speed: "10 Mbps", price: "100000"),
                                                    actor: admin, context: h.context))
    }

    func testSaveDialogFollowsTheFormatAndKeepsAMitraInItsFolder() throws {
        let h = try AppHarness(width: 100, height: 30)
        h.login("mitra1", "Mitra123!")
        h.press(.char("4"), .char("E"))
        XCTAssertTrue(h.text.contains("Ekspor rekap tagihan"), h.text)
        let folder = h.db.outputPolicy(for: try h.db.login(username: "mitra1", password: "Mitra123!", context: h.context).actor).exportFolder
        h.press(.tab, .tab)                       // the format field
        h.press(.right)                           // XLSX
        XCTAssertTrue(h.text.contains(".xlsx"), h.screen.lines.joined(separator: "\n"))
        XCTAssertFalse(h.text.contains("rekap-2026-03.csv"))
        h.press(.left)                            // back to CSV
        XCTAssertTrue(h.text.contains(".csv"))
        // a path outside the folder is refused, nothing written
        h.press(.tab)
        for _ in 0..<40 { h.press(.backspace) }
        h.type("../../evil.csv")
        h.press(.enter)
        XCTAssertTrue(h.text.contains("Mitra hanya dapat menyimpan"), h.text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("../../evil.csv")))
        for _ in 0..<40 { h.press(.backspace) }
        h.type("rekap-mitra.csv")
        h.press(.enter)
        h.finishJobs()                            // the export runs off the loop (issue 13 §7)
        let written = (folder as NSString).appendingPathComponent("rekap-mitra.csv")
        XCTAssertTrue(FileManager.default.fileExists(atPath: written))
        XCTAssertTrue(h.text.contains(written) || h.text.contains("rekap-mitra.csv"), h.text)
        let mode = (try FileManager.default.attributesOfItem(atPath: written)[.posixPermissions] as? NSNumber)?.intValue
        XCTAssertEqual(mode, 0o600)
        // again: the file exists → a confirmation; "no" keeps the old bytes
        let before = FileManager.default.contents(atPath: written)
        h.press(.char("E"), .enter, .enter, .enter)
        for _ in 0..<40 { h.press(.backspace) }
        h.type("rekap-mitra.csv"); h.press(.enter)
        XCTAssertTrue(h.text.contains("Timpa"), h.text)
        h.press(.escape)
        XCTAssertEqual(FileManager.default.contents(atPath: written), before)
        try? FileManager.default.removeItem(atPath: folder)
    }

    func testReceiptAndCustomerDialogsFollowTheFormat() throws {
        let h = try AppHarness(width: 100, height: 30)
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: h.context)
        h.login("superadmin", "Admin123!")
        // Tagihan › S: html → .html, text → .txt
        h.press(.char("3"))
        h.press(.char("S"))
        XCTAssertTrue(h.text.contains("Simpan nota ke berkas"), h.text)
        XCTAssertTrue(h.text.contains(".html"), h.text)
        h.press(.right)
        XCTAssertTrue(h.text.contains(".txt"), h.text)
        XCTAssertFalse(h.text.contains(".html"))
        h.press(.escape)
        // Pelanggan › E: csv → .xlsx
        h.press(.char("2"))
        h.press(.char("E"))
        XCTAssertTrue(h.text.contains("Ekspor pelanggan"), h.text)
        XCTAssertTrue(h.text.contains(".csv"))
        h.press(.right)
        XCTAssertTrue(h.text.contains(".xlsx"), h.text)
        h.press(.escape)
    }

    /// With `receipt.base_url` set, an export offers a one-time download link for the file.
    func testAnExportOffersAOneTimeDownloadLink() throws {
        let h = try AppHarness(width: 100, height: 30)
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        _ = try h.db.setSetting("receipt.base_url", "https://tagihan.example.id", actor: admin, context: h.context)
        h.login("mitra1", "Mitra123!")
        h.press(.char("4"), .char("E"), .enter, .enter, .enter)
        for _ in 0..<40 { h.press(.backspace) }
        let name = "rekap-link-\(UUID().uuidString.prefix(8)).csv"
        h.type(name); h.press(.enter)
        h.finishJobs()                            // the export runs off the loop (issue 13 §7)
        XCTAssertTrue(h.text.contains("https://tagihan.example.id/download/"), h.text)
        let row = try h.db.read { d in try Row.fetchOne(d, sql: "SELECT path, file_name, used_at FROM download_links") }
        XCTAssertEqual(row?["file_name"], name)
        XCTAssertTrue((row?["path"] as String?)?.hasSuffix("/exports/mitra1/" + name) ?? false)
        unlink((row?["path"] as String?) ?? "")
    }
}
