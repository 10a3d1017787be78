import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// Every settings group validates with a precise reason; secrets never reach the audit log.
final class SettingsGroupsTests: XCTestCase {
    func reason(_ key: String, _ value: String, file: StaticString = #filePath, line: UInt = #line) -> InvalidReason? {
        do { _ = try SettingsCatalog.validate(key, value); XCTFail("\(key)=\(value) accepted", file: file, line: line); return nil }
        catch StoreError.invalid(let field, let r) { XCTAssertEqual(field, key, file: file, line: line); return r }
        catch { XCTFail("\(error)", file: file, line: line); return nil }
    }

    func testEveryGroupHasSettingsAndTheIssueKeysExist() {
        for g in SettingGroup.allCases { XCTAssertFalse(SettingsCatalog.all.filter { $0.group == g }.isEmpty, "\(g)") }
        for key in ["app.name", "business.name", "app.logo", "business.timezone", "ui.language", "ui.theme",
                    "security.idle_timeout_min", "security.lockout_attempts", "security.lockout_minutes",
                    "receipt.show_nik", "receipt.footer_text", "receipt.base_url", "wa.gateway", "wa.waha.url", "wa.waha.api_key",
                    "wa.min_delay_s", "wa.max_delay_s", "wa.jitter_s", "wa.batch_size", "wa.batch_cooldown_s", "wa.max_per_hour",
                    "wa.max_per_day", "wa.retry_max", "wa.retry_delay_s", "wa.quiet_start", "wa.quiet_end", "wa.hold_weekend",
                    "wa.reminder_days", "backup.dir", "backup.time", "backup.keep_daily", "backup.keep_weekly", "backup.keep_monthly",
                    "backup.enabled", "backup.passphrase"] {
            XCTAssertNotNil(SettingsCatalog.definition(key), key)
        }
        XCTAssertEqual(Set(SettingsCatalog.all.filter(\.secret).map(\.key)), ["wa.waha.api_key", "wa.cloud.token", "wa.webhook_token", "wa.webhook_hmac_key", "backup.passphrase",
                                                                              "wa.cloud.verify_token", "wa.cloud.app_secret"])
        XCTAssertEqual(SettingsCatalog.definition("backup.time")?.defaultValue, "02:00")
        XCTAssertEqual(SettingsCatalog.definition("backup.keep_daily")?.defaultValue, "7")
        XCTAssertEqual(SettingsCatalog.definition("backup.keep_weekly")?.defaultValue, "4")
        XCTAssertEqual(SettingsCatalog.definition("backup.keep_monthly")?.defaultValue, "12")
    }

    func testBusinessAndBranding() {
        XCTAssertEqual(reason("business.name", String(repeating: "x", count: 101)), .tooLong(max: 100))
        XCTAssertEqual(reason("business.name", "Dua\nBaris"), .badFormat(expected: "one line"))
        XCTAssertEqual(try SettingsCatalog.validate("business.name", "  Jaya Net  "), "Jaya Net")
        XCTAssertEqual(reason("business.timezone", "Mars/Olympus"), .badFormat(expected: "Asia/Jakarta"))
        XCTAssertEqual(try SettingsCatalog.validate("business.timezone", "Asia/Makassar"), "Asia/Makassar")
        XCTAssertEqual(reason("ui.theme", "pink"), .notOneOf(["dark", "light", "mono"]))
        XCTAssertEqual(reason("ui.language", "fr"), .notOneOf(["id", "en"]))
        XCTAssertEqual(reason("app.logo", String(repeating: "#", count: 601)), .tooLong(max: 600))
    }

    func testReceipts() {
        XCTAssertEqual(reason("receipt.base_url", "ftp://bayar.example.id"), .badFormat(expected: "https://host"))
        XCTAssertEqual(reason("receipt.base_url", "bayar.example.id"), .badFormat(expected: "https://host"))
        XCTAssertEqual(reason("receipt.show_nik", "mungkin"), .notOneOf(["true", "false"]))
        XCTAssertEqual(try SettingsCatalog.validate("receipt.show_nik", "ya"), "true")
        XCTAssertEqual(reason("receipt.footer_text", String(repeating: "a", count: 201)), .tooLong(max: 200))
    }

    func testWhatsAppIncludingTheCrossFieldRule() throws {
        XCTAssertEqual(reason("wa.gateway", "telegram"), .notOneOf(["none", "waha", "cloud"]))
        XCTAssertEqual(reason("wa.max_per_hour", "0"), .outOfRange(min: 1, max: 100000))
        XCTAssertEqual(reason("wa.quiet_end", "8:00"), .badFormat(expected: "HH:MM"))
        XCTAssertEqual(reason("wa.reminder_days", "3,x"), .notANumber)
        let f = try Fixture()
        let admin = try f.actor("superadmin")
        XCTAssertThrowsError(try f.db.setSetting("wa.min_delay_s", "20", actor: admin, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .invalid(field: "wa.min_delay_s", reason: .outOfRange(min: 0, max: 15)))
        }
    }

    func testSecurity() {
        XCTAssertEqual(reason("security.lockout_attempts", "lima"), .notANumber)
        XCTAssertEqual(reason("security.lockout_minutes", "0"), .outOfRange(min: 1, max: 1440))
        XCTAssertEqual(reason("security.idle_timeout_min", "1441"), .outOfRange(min: 1, max: 1440))
    }

    func testBackups() {
        XCTAssertEqual(reason("backup.time", "2am"), .badFormat(expected: "HH:MM"))
        XCTAssertEqual(reason("backup.keep_daily", "-1"), .outOfRange(min: 0, max: 365))
        XCTAssertEqual(reason("backup.enabled", "kadang"), .notOneOf(["true", "false"]))
        XCTAssertEqual(reason("backup.dir", "/a\n/b"), .badFormat(expected: "one line"))
        XCTAssertEqual(reason("nope.key", "1"), .unknownKey)
    }

    func testSecretsAreRedactedInTheLogAndMaskedForDisplay() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin")
        try f.db.setSetting("wa.waha.api_key", "KEY-ABC-999", actor: admin, context: f.context)
        try f.db.setSetting("backup.passphrase", "kuda laut 77", actor: admin, context: f.context)
        try f.db.setSetting("backup.passphrase", "kuda laut 78", actor: admin, context: f.context)
        try f.db.setSetting("business.name", "Jaya Net", actor: admin, context: f.context)
        let rows = try f.db.read { try Row.fetchAll($0, sql: "SELECT metadata FROM activity_logs WHERE action = 'settings.update' ORDER BY created_at, rowid") }
        let all = rows.map { $0["metadata"] as String }.joined(separator: "\n")
        XCTAssertFalse(all.contains("KEY-ABC"))
        XCTAssertFalse(all.contains("kuda laut"))
        XCTAssertEqual(all.components(separatedBy: "[redacted]").count - 1, 6, all)
        XCTAssertTrue(all.contains("\"after\":\"Jaya Net\""), "ordinary values are logged old → new")
        XCTAssertEqual(SettingsCatalog.display("backup.passphrase", "kuda laut 78"), "••••••••")
        XCTAssertEqual(SettingsCatalog.display("backup.passphrase", ""), "")
        XCTAssertEqual(SettingsCatalog.display("business.name", "Jaya Net"), "Jaya Net")
        let mitra = try f.actor("mitra1")
        XCTAssertThrowsError(try f.db.setSetting("business.name", "X", actor: mitra, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }
    }
}
