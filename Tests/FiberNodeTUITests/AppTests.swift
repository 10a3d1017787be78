import Foundation
import XCTest
import TerminalUI
@testable import FiberNodeTUI
@testable import FiberNodeStrings
import FiberNodeStore
import FiberNodeDomain

/// Keys fed from a list (tests).
final class ScriptedKeys: KeySource {
    var keys: [Key] = []
    func readKey(timeoutMilliseconds: Int) -> Key? { keys.isEmpty ? nil : keys.removeFirst() }
}

final class AppHarness {
    let screen: TextScreen
    let app: App
    let clock: ManualClock
    let db: AppDatabase
    let context: StoreContext

    init(width: Int = 80, height: Int = 24, language: Language = .id, splash: Bool = false, demoCreated: Bool = false) throws {
        clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-04T01:00:00Z")!)
        context = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 9)), passwordCost: .testing)
        db = try AppDatabase.inMemory()
        try Seeder.demo(into: db, context: context)
        screen = TextScreen(width: width, height: height)
        app = App(db: db, context: context, screen: screen, keys: ScriptedKeys(),
                  options: AppOptions(language: language, theme: .dark, showSplash: splash, demoCreated: demoCreated))
        app.render()
    }

    func type(_ text: String) { for c in text { app.handle(.char(c)) }; app.render() }
    func press(_ keys: Key...) { for k in keys { app.handle(k) }; app.render() }
    var text: String { screen.text }

    func login(_ user: String, _ password: String) {
        type(user); press(.enter); type(password); press(.enter)
    }
}

/// The left menu's labels, top to bottom.
func menu(_ h: AppHarness) -> [String] {
    h.screen.lines.compactMap { line -> String? in
        let cell = String(line.prefix(15)).trimmingCharacters(in: .whitespaces)
        return cell.first?.isNumber == true ? cell : nil
    }
}

final class AppTests: XCTestCase {
    func testSplashShowsNameLogoVersionAndAnyKeySkips() throws {
        let h = try AppHarness(splash: true)
        XCTAssertTrue(h.text.contains("FiberNode Internet"))
        XCTAssertTrue(h.text.contains("versi \(AppInfo.version)"))
        XCTAssertTrue(h.text.contains("|_| |_|_.__/"))
        h.press(.char("x"))
        XCTAssertTrue(h.text.contains("Nama pengguna"))
    }

    func testLoginScreenSaysWhenDemoWasCreated() throws {
        let h = try AppHarness(demoCreated: true)
        XCTAssertTrue(h.text.contains("Database demo baru dibuat"))
        XCTAssertTrue(h.text.contains("Kata sandi"))
    }

    func testPasswordIsNeverDrawn() throws {
        let h = try AppHarness()
        h.type("mitra1"); h.press(.tab); h.type("Mitra123!")
        XCTAssertFalse(h.text.contains("Mitra123!"))
        XCTAssertTrue(h.text.contains("mitra1"))
    }

    func testWrongPasswordMessageAndStaysOnLogin() throws {
        let h = try AppHarness()
        h.login("mitra1", "nope")
        XCTAssertTrue(h.text.contains("Nama pengguna atau kata sandi salah."))
        XCTAssertFalse(h.text.contains("1 Dasbor"))
    }

    func testMitraMenuHasNoSuperadminPanesAndNoKeyReachesThem() throws {
        let h = try AppHarness()
        h.login("mitra1", "Mitra123!")
        let t = h.text
        XCTAssertTrue(t.contains("mitra1 (Mitra)"))
        XCTAssertTrue(t.contains("WiFi Sukamaju"))
        XCTAssertEqual(menu(h), ["1 Dasbor", "2 Pelanggan", "3 Tagihan", "4 Keuangan", "5 WhatsApp", "6 Profil", "7 Router"])
        XCTAssertFalse(t.contains("Pengaturan"))
        for d in "789" { h.press(.char(d)) }
        XCTAssertFalse(h.text.contains("wa.max_per_hour"))
        for _ in 0..<12 { h.press(.tab) }
        XCTAssertFalse(h.text.contains("wa.max_per_hour"))
    }

    func testSuperadminMenuOrderAndDigitJumps() throws {
        let h = try AppHarness()
        h.login("superadmin", "Admin123!")
        XCTAssertEqual(menu(h), ["1 Dasbor", "2 Pelanggan", "3 Tagihan", "4 Keuangan", "5 WhatsApp", "6 Mitra", "7 Paket",
                              "8 Pengaturan", "9 Profil", "10 Router"])
        h.press(.char("0"))
        XCTAssertTrue(h.text.contains("Belum ada router."), "0 is the tenth pane")
        h.press(.char("8"))
        XCTAssertTrue(h.text.contains("Zona waktu"))
        h.press(.char("9"))
        XCTAssertTrue(h.text.contains("Nama usaha (area)"))
        XCTAssertFalse(h.text.contains("Zona waktu"))
        h.press(.backTab)
        XCTAssertTrue(h.text.contains("Zona waktu"))
    }

    func testHelpIsGeneratedFromBindings() throws {
        let h = try AppHarness()
        h.login("superadmin", "Admin123!")
        h.press(.char("8"), .function(1))
        let t = h.text
        XCTAssertTrue(t.contains("Panel ini"))
        XCTAssertTrue(t.contains("Semua panel"))
        for b in Keymap.global { XCTAssertTrue(t.contains(b.keyLabel), b.keyLabel) }
        XCTAssertTrue(t.contains("Enter e"))
        h.press(.escape)
        XCTAssertFalse(h.text.contains("Semua panel"))
    }

    func testQuitAsksForConfirmation() throws {
        let h = try AppHarness()
        h.login("mitra1", "Mitra123!")
        h.press(.char("q"))
        XCTAssertTrue(h.text.contains("Keluar dari FiberNode?"))
        h.press(.char("n"))
        XCTAssertFalse(h.text.contains("Keluar dari FiberNode?"))
        XCTAssertTrue(h.app.running)
        h.press(.char("q"), .char("y"))
        XCTAssertFalse(h.app.running)
    }

    func testLogoutAndIdleTimeoutReturnToLogin() throws {
        let h = try AppHarness()
        h.login("mitra1", "Mitra123!")
        h.press(.function(9))
        XCTAssertTrue(h.text.contains("Anda telah keluar."))
        h.login("mitra1", "Mitra123!")
        XCTAssertTrue(h.text.contains("1 Dasbor"))
        h.clock.advance(by: 14 * 60)
        h.app.tick(); h.app.render()
        XCTAssertTrue(h.text.contains("1 Dasbor"))
        h.clock.advance(by: 60)
        h.app.tick(); h.app.render()
        XCTAssertTrue(h.text.contains("Sesi berakhir karena tidak ada aktivitas"))
    }

    func testTooSmallTerminalSaysSoAndResizeRedraws() throws {
        let h = try AppHarness(width: 60, height: 20)
        XCTAssertTrue(h.text.contains("Terminal terlalu kecil (60x20)"))
        h.screen.resize(width: 80, height: 24)
        h.press(.resize)
        XCTAssertTrue(h.text.contains("Nama pengguna"))
        XCTAssertFalse(h.text.contains("terlalu kecil"))
    }

    func testEnglish() throws {
        let h = try AppHarness(language: .en)
        XCTAssertTrue(h.text.contains("Username"))
        h.login("mitra1", "Mitra123!")
        XCTAssertTrue(h.text.contains("1 Dashboard"))
        XCTAssertTrue(h.text.contains("6 Profile"))
    }

    func testDatabaseTextIsSanitisedBeforeDrawing() throws {
        let h = try AppHarness()
        try h.db.write { d in
            try d.execute(sql: "UPDATE users SET business_name = ? WHERE username = 'mitra1'",
                          arguments: ["Evil\u{1B}[2J\u{1B}]0;pwned\u{07}\nNet\r\u{9B}31m"])
        }
        h.login("mitra1", "Mitra123!")
        for line in h.screen.lines {
            for scalar in line.unicodeScalars {
                XCTAssertFalse(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value), "control \(scalar.value) in \(line)")
            }
        }
        XCTAssertTrue(h.text.contains("Evil"))
    }

    func testSettingsEditValidatesAndSaves() throws {
        let h = try AppHarness(width: 100, height: 30)
        h.login("superadmin", "Admin123!")
        h.press(.char("8"))
        let index = SettingsCatalog.all.firstIndex { $0.key == "wa.max_per_hour" }!
        for _ in 0..<index { h.press(.down) }
        h.press(.enter)
        XCTAssertTrue(h.text.contains("Ubah Batas pesan per jam"))
        h.press(.ctrl("u")); h.type("abc"); h.press(.enter)
        XCTAssertTrue(h.text.contains("harus berupa angka"))
        XCTAssertEqual(try h.db.settings().int("wa.max_per_hour"), 50)
        h.press(.ctrl("u")); h.type("40"); h.press(.enter)
        XCTAssertTrue(h.text.contains("Pengaturan Batas pesan per jam disimpan."))
        XCTAssertEqual(try h.db.settings().int("wa.max_per_hour"), 40)
    }
}

final class StringsTests: XCTestCase {
    func testEveryKeyHasBothLanguages() {
        for key in S.allCases {
            XCTAssertNotNil(Strings.id[key], "id missing \(key)")
            XCTAssertNotNil(Strings.en[key], "en missing \(key)")
        }
    }

    func testFormatPlaceholdersMatchAcrossLanguages() {
        func specs(_ s: String) -> [String] {
            let regex = try! NSRegularExpression(pattern: "%[@d]")
            return regex.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { String(s[Range($0.range, in: s)!]) }
        }
        for key in S.allCases {
            XCTAssertEqual(specs(Strings.id[key] ?? ""), specs(Strings.en[key] ?? ""), "\(key)")
        }
    }
}
