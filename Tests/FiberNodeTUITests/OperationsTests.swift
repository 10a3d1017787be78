import Foundation
import XCTest
import TerminalUI
@testable import FiberNodeTUI
import FiberNodeStore
import FiberNodeDomain

/// Settings pane (groups, defaults, masking, validation, branding), the audit view inside it,
/// and backups from the TUI, on an 80x24 TextScreen.
final class OperationsTests: XCTestCase {
    func admin(_ h: AppHarness) throws -> Actor { try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor }

    /// Selects a setting row by pressing ↓ until it is highlighted in the pane.
    func select(_ key: String, in h: AppHarness, file: StaticString = #filePath, line: UInt = #line) {
        let pane = settingsPane(h)
        for _ in 0..<200 {
            if pane?.definition?.key == key { h.press(); return }
            h.press(.down)
        }
        XCTFail("setting \(key) not reachable", file: file, line: line)
    }

    func settingsPane(_ h: AppHarness) -> SettingsPane? {
        guard case .main(let m) = h.app.mode else { return nil }
        return m.current as? SettingsPane
    }

    func testSettingsAreGroupedWithDefaultsAndSecretsMaskedOnScreenAndInTheLog() throws {
        let h = try AppHarness()
        try h.db.setSetting("wa.waha.api_key", "sekret-KEY-123", actor: try admin(h), context: h.context)
        h.login("superadmin", "Admin123!")
        h.press(.char("8"))
        XCTAssertTrue(h.text.contains("── Usaha & tampilan"))
        XCTAssertTrue(h.text.contains("Nama usaha"))
        XCTAssertFalse(h.text.contains("business.name"), "settings in words, the key only on the hint line of the selected one")
        XCTAssertTrue(h.text.contains("Bawaan: FiberNode Internet"), "the default of the selected setting is shown")
        select("wa.waha.api_key", in: h)
        XCTAssertTrue(h.text.contains("── WhatsApp"))
        XCTAssertTrue(h.text.contains("••••••••"))
        XCTAssertFalse(h.text.contains("sekret-KEY-123"))
        // The editor starts empty and never echoes what is typed.
        h.press(.enter)
        XCTAssertTrue(h.text.contains("Ubah WAHA: kunci API"))
        XCTAssertFalse(h.text.contains("sekret-KEY-123"))
        h.type("baru-KEY-456")
        XCTAssertFalse(h.text.contains("baru-KEY-456"))
        h.press(.enter)
        XCTAssertTrue(h.text.contains("Pengaturan WAHA: kunci API disimpan."))
        XCTAssertEqual(try h.db.settings()["wa.waha.api_key"], "baru-KEY-456")
        let logs = try h.db.read { try String.fetchAll($0, sql: "SELECT metadata FROM activity_logs WHERE action = 'settings.update'") }
        XCTAssertEqual(logs.count, 2)
        for m in logs {
            XCTAssertTrue(m.contains("\"before\":\"[redacted]\""), m)
            XCTAssertTrue(m.contains("\"after\":\"[redacted]\""), m)
            XCTAssertFalse(m.contains("KEY-"), m)
        }
        // Further down: the backup group, its passphrase masked too.
        select("backup.passphrase", in: h)
        XCTAssertTrue(h.text.contains("── Cadangan"))
    }

    func testInvalidValueKeepsTheEditorOpenWithAClearMessage() throws {
        let h = try AppHarness()
        h.login("superadmin", "Admin123!")
        h.press(.char("8"))
        select("security.idle_timeout_min", in: h)
        h.press(.enter)
        h.press(.ctrl("u"))
        for _ in 0..<5 { h.press(.backspace) }
        h.type("0"); h.press(.enter)
        XCTAssertTrue(h.text.contains("Keluar otomatis saat diam (menit) tidak valid"), h.text)
        XCTAssertEqual(try h.db.settings()["security.idle_timeout_min"], "15")
        h.press(.escape)
    }

    func testBusinessNameChangeShowsInTheHeaderAtOnce() throws {
        let h = try AppHarness()
        h.login("superadmin", "Admin123!")
        h.press(.char("8"))
        XCTAssertFalse(h.screen.lines[0].contains("Jaya Net"))
        select("business.name", in: h)
        h.press(.enter); h.type("Jaya Net"); h.press(.enter)
        XCTAssertTrue(h.screen.lines[0].contains("FiberNode Internet · Jaya Net"), h.screen.lines[0])
        // and on the splash/login after logout, the app name stays the same
        h.press(.function(9))
        XCTAssertTrue(h.text.contains("Nama pengguna"))
    }

    /// Settings in words (issue 13 item 5): names and yes/no instead of keys and true/false;
    /// typing the word back stores the value; every key of the catalog has words in both languages.
    func testSettingsShowNamesAndValuesInWordsAndTakeWordsBack() throws {
        for lang in [Strings(.id), Strings(.en)] {
            for def in SettingsCatalog.all {
                XCTAssertNotEqual(lang.settingName(def.key), def.key, "\(def.key) has no name")
            }
        }
        let h = try AppHarness()
        h.login("superadmin", "Admin123!")
        h.press(.char("8"))
        select("ui.theme", in: h)
        XCTAssertTrue(h.text.contains("Tema warna"), h.text)
        XCTAssertTrue(h.text.contains("gelap"), h.text)
        select("receipt.show_nik", in: h)
        XCTAssertTrue(h.text.contains("Nota: NIK"), h.text)
        XCTAssertFalse(h.text.contains("false"), h.text)
        XCTAssertFalse(h.text.contains("true"), h.text)
        XCTAssertTrue(h.text.contains("Kunci: receipt.show_nik"), "the CLI key stays on the hint line\n" + h.text)
        h.press(.enter)
        XCTAssertTrue(h.text.contains("ya / tidak"), h.text)
        h.press(.ctrl("u")); for _ in 0..<8 { h.press(.backspace) }
        h.type("Ya"); h.press(.enter)
        XCTAssertEqual(try h.db.settings()["receipt.show_nik"], "true")
        XCTAssertTrue(h.text.contains("Pengaturan Nota: NIK disimpan."), h.text)
    }

    // MARK: - Audit view

    func testAuditViewPagesFiltersAndShowsBeforeAfter() throws {
        let h = try AppHarness()
        let a = try admin(h)
        for i in 1...30 {
            h.clock.advance(by: 60)
            try h.db.setSetting("wa.batch_size", String(20 + i), actor: a, context: h.context)
        }
        h.clock.advance(by: 60)
        try h.db.setSetting("receipt.footer_text", "Matur nuwun", actor: a, context: h.context)
        h.login("superadmin", "Admin123!")
        h.press(.char("8"), .char("A"))
        var t = h.text
        XCTAssertTrue(t.contains("Audit"))
        XCTAssertTrue(t.contains("Baris 1–"), t)
        let firstRows = h.screen.lines.filter { $0.contains("Pengaturan diub") }
        XCTAssertTrue(firstRows.first?.contains("receipt.foot") == true, "newest first\n" + t)
        XCTAssertTrue(firstRows.dropFirst().first?.contains("wa.batch_size") == true)
        // 24 rows: the page holds what fits; the next page continues with older rows, no overlap.
        h.press(.pageDown)
        t = h.text
        XCTAssertFalse(t.contains("Baris 1–"), t)
        let secondRows = h.screen.lines.filter { $0.contains("Pengaturan diub") }
        XCTAssertFalse(secondRows.isEmpty)
        XCTAssertTrue(Set(firstRows).isDisjoint(with: Set(secondRows)))
        h.press(.pageUp)
        XCTAssertTrue(h.text.contains("Baris 1–"))
        // Detail with before → after of the newest batch-size change.
        h.press(.down, .enter)
        t = h.text
        XCTAssertTrue(t.contains("Detail aktivitas"))
        XCTAssertTrue(t.contains("Sebelum"))
        XCTAssertTrue(t.contains("49"), t)
        XCTAssertTrue(t.contains("Sesudah"))
        XCTAssertTrue(t.contains("50"))
        h.press(.escape)
        // Filter by action prefix: only demo seeding remains for "system".
        h.press(.char("f"))
        XCTAssertTrue(h.text.contains("Saring log aktivitas"))
        h.press(.tab); h.type("system"); h.press(.function(2))
        t = h.text
        XCTAssertTrue(t.contains("aksi system"))
        XCTAssertTrue(t.contains("Data demo dibuat"), t)
        XCTAssertFalse(t.contains("Pengaturan diub"))
        // A date range with no activity.
        h.press(.char("f"), .tab, .tab, .tab); h.type("2020-01-01"); h.press(.tab); h.type("2020-01-02"); h.press(.function(2))
        XCTAssertTrue(h.text.contains("Tidak ada aktivitas yang cocok."))
        // A bad date is refused with a message and the form stays.
        h.press(.char("f"), .tab, .tab, .tab, .ctrl("u")); h.type("kemarin"); h.press(.function(2))
        XCTAssertTrue(h.text.contains("YYYY-MM-DD"))
        h.press(.escape)
        // x clears, Esc leaves the audit view back to the settings.
        h.press(.char("x"))
        XCTAssertTrue(h.text.contains("Pengaturan diub"))
        h.press(.escape)
        XCTAssertTrue(h.text.contains("Zona waktu"))
    }

    func testAuditStoreQueryKeysetPagingAndFilters() throws {
        let h = try AppHarness()
        let a = try admin(h)
        for i in 1...25 {
            h.clock.advance(by: 1)
            try h.db.setSetting("wa.batch_size", String(i), actor: a, context: h.context)
        }
        let tz = TimeZone(identifier: "Asia/Jakarta")!
        var seen: [String] = []
        var cursor: AuditCursor?
        repeat {
            let page = try h.db.activityPage(actor: a, filter: AuditFilter(action: "settings"), timeZone: tz, after: cursor, limit: 10)
            seen += page.map(\.id)
            cursor = page.count == 10 ? AuditCursor(page.last!) : nil
        } while cursor != nil
        XCTAssertEqual(seen.count, 25)
        XCTAssertEqual(Set(seen).count, 25)
        XCTAssertEqual(try h.db.activityPage(actor: a, filter: AuditFilter(user: "SUPER"), timeZone: tz, after: nil, limit: 100).count,
                       try h.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM activity_logs WHERE username = 'superadmin'") })
        XCTAssertEqual(try h.db.activityPage(actor: a, filter: AuditFilter(user: "%"), timeZone: tz, after: nil, limit: 100).count, 0,
                       "LIKE wildcards are literal")
        let mitra = try h.db.login(username: "mitra1", password: "Mitra123!", context: h.context).actor
        XCTAssertThrowsError(try h.db.activityPage(actor: mitra, filter: AuditFilter(), timeZone: tz, after: nil, limit: 10)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }
    }

    func testMitraReachesNeitherSettingsAuditNorBackups() throws {
        let h = try AppHarness()
        h.login("mitra1", "Mitra123!")
        for k in ["8", "a", "b", "l", "f", "9"] { h.press(.char(Character(k))) }
        for _ in 0..<12 { h.press(.tab) }
        XCTAssertFalse(h.text.contains("Audit"))
        XCTAssertFalse(h.text.contains("Cadangan"))
        XCTAssertFalse(h.text.contains("settings.update"))
        let mitraUser = try h.db.login(username: "mitra1", password: "Mitra123!", context: h.context)
        let mitra = mitraUser.actor
        let pane = SettingsPane(session: Session(db: h.db, context: h.context, user: mitraUser,
                                                 strings: Strings(.id), theme: Theme.named(.dark), settings: try h.db.settings()))
        for key in [Key.char("A"), .function(8), .char("b"), .char("l"), .function(7)] {
            XCTAssertNil(Keymap.action(for: key, pane: pane.bindings, actor: mitra), "\(key)")
        }
        XCTAssertFalse(pane.handle(Action.auditLog), "even a forged action does not open the audit view")
        for i in pane.commands.indices where pane.commands[i].requires != nil {
            XCTAssertFalse(pane.handle(.command(i)), "a forged command runs nothing")
        }
        XCTAssertNil(pane.audit)
    }

    // MARK: - Backups from the Settings pane

    func testBackUpNowListAndRestoreFromTheSettingsPane() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fn-\(UUID().uuidString)/fn.db").path
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-04T01:00:00Z")!)
        let context = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 3)), passwordCost: .testing)
        let db = try AppDatabase.open(path: path, create: true)
        try Seeder.demo(into: db, context: context)
        let screen = TextScreen(width: 80, height: 24)
        let app = App(db: db, context: context, screen: screen, keys: ScriptedKeys(),
                      options: AppOptions(language: .id, theme: .dark, showSplash: false, demoCreated: false))
        func press(_ keys: Key...) { for k in keys { app.handle(k) }; app.render() }
        func type(_ s: String) { for c in s { app.handle(.char(c)) }; app.render() }
        type("superadmin"); press(.enter); type("Admin123!"); press(.enter)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: context).actor
        try db.setSetting("business.name", "Lama Net", actor: admin, context: context)
        press(.char("8"), .char("b"))
        // The backup runs off the loop with its stages shown (issue 13 §7); a second start waits.
        let job = try XCTUnwrap(BackgroundJobs.running("backup.create"))
        XCTAssertTrue(screen.text.contains("Cadangkan sekarang") || job.finished, screen.text)
        job.wait(); app.tick(); app.render()
        XCTAssertEqual(job.progress.done, 4)
        XCTAssertTrue(screen.text.contains("Cadangan dibuat: fibernode-20260304T010000Z-manual.db"), screen.text)
        try db.setSetting("business.name", "Baru Net", actor: admin, context: context)
        clock.advance(by: 120)
        press(.char("l"))
        XCTAssertTrue(screen.text.contains("20260304T010000Z-manual.db"))
        press(.char("v"))
        XCTAssertTrue(screen.text.contains("Cadangan valid"), screen.text)
        press(.enter)
        XCTAssertTrue(screen.text.contains("Pulihkan database dari"), screen.text)
        press(.char("y"))
        XCTAssertTrue(screen.text.contains("Database dipulihkan dari"), screen.text)
        XCTAssertTrue(screen.text.contains("Silakan masuk"), screen.text)
        type("superadmin")
        XCTAssertTrue(screen.text.contains("superadmin"), screen.text)
        press(.enter); type("Admin123!"); press(.enter)
        XCTAssertTrue(screen.lines[0].contains("Lama Net"), screen.text)
        XCTAssertEqual(try app.db.settings()["business.name"], "Lama Net")
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent + "/backups")
                        .contains { $0.contains("pre-restore") })
    }

    func testEncryptedRestoreFromTheTUIAsksForThePassphraseAndRefusesAWrongOne() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fn-\(UUID().uuidString)/fn.db").path
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-04T01:00:00Z")!)
        let context = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 4)), passwordCost: .testing)
        let db = try AppDatabase.open(path: path, create: true)
        try Seeder.demo(into: db, context: context)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: context).actor
        try db.setSetting("business.name", "Terkunci Net", actor: admin, context: context)
        let b = try db.createBackup(passphrase: "benar-sekali", actor: admin, context: context)
        try db.setSetting("business.name", "Sekarang Net", actor: admin, context: context)
        let screen = TextScreen(width: 80, height: 24)
        let app = App(db: db, context: context, screen: screen, keys: ScriptedKeys(),
                      options: AppOptions(language: .id, theme: .dark, showSplash: false, demoCreated: false))
        func press(_ keys: Key...) { for k in keys { app.handle(k) }; app.render() }
        func type(_ s: String) { for c in s { app.handle(.char(c)) }; app.render() }
        type("superadmin"); press(.enter); type("Admin123!"); press(.enter)
        press(.char("8"), .char("l"))
        XCTAssertTrue(screen.text.contains("20260304T010000Z-manual.db.enc 🔒"), screen.text)
        XCTAssertTrue(b.name.hasPrefix("fibernode-"))
        press(.enter, .char("y"))
        XCTAssertTrue(screen.text.contains("Frasa sandi untuk"), screen.text)
        type("salah-sekali")
        XCTAssertFalse(screen.text.contains("salah-sekali"), "the passphrase is never drawn")
        press(.enter)
        XCTAssertTrue(screen.text.contains("Frasa sandi cadangan salah."), screen.text)
        XCTAssertEqual(try db.settings()["business.name"], "Sekarang Net")
        press(.ctrl("u"))
        for _ in 0..<20 { press(.backspace) }
        type("benar-sekali"); press(.enter)
        XCTAssertTrue(screen.text.contains("Database dipulihkan dari"), screen.text)
        XCTAssertEqual(try app.db.settings()["business.name"], "Terkunci Net")
    }
}
