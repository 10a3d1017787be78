import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

final class SettingsTests: XCTestCase {
    func testDefaultsFromCLIContract() throws {
        let f = try Fixture()
        let s = try f.db.settings()
        XCTAssertEqual(s["business.timezone"], "Asia/Jakarta")
        XCTAssertEqual(s["wa.gateway"], "none")
        XCTAssertEqual(s.int("wa.min_delay_s"), 8)
        XCTAssertEqual(s.int("wa.max_delay_s"), 15)
        XCTAssertEqual(s.int("wa.jitter_s"), 5)
        XCTAssertEqual(s.int("wa.batch_size"), 20)
        XCTAssertEqual(s.int("wa.batch_cooldown_s"), 300)
        XCTAssertEqual(s.int("wa.max_per_hour"), 50)
        XCTAssertEqual(s.int("wa.max_per_day"), 300)
        XCTAssertEqual(s.int("wa.retry_max"), 3)
        XCTAssertEqual(s.int("wa.retry_delay_s"), 600)
        XCTAssertEqual(s["wa.quiet_start"], "21:00")
        XCTAssertEqual(s["wa.quiet_end"], "08:00")
        XCTAssertEqual(s["wa.hold_weekend"], "false")
        XCTAssertEqual(s["wa.reminder_days"], "1")
        XCTAssertEqual(s["receipt.base_url"], "")
        XCTAssertEqual(s.int("security.idle_timeout_min"), 15)
    }

    func testValidation() {
        XCTAssertEqual(try SettingsCatalog.validate("wa.max_per_hour", " 40 "), "40")
        XCTAssertEqual(try SettingsCatalog.validate("wa.hold_weekend", "TRUE"), "true")
        XCTAssertEqual(try SettingsCatalog.validate("wa.reminder_days", "1, 3,1"), "3,1")
        XCTAssertEqual(try SettingsCatalog.validate("receipt.base_url", "https://bayar.example.id/"), "https://bayar.example.id")
        XCTAssertThrowsError(try SettingsCatalog.validate("wa.max_per_hour", "abc")) {
            XCTAssertEqual($0 as? StoreError, .invalid(field: "wa.max_per_hour", reason: .notANumber))
        }
        XCTAssertThrowsError(try SettingsCatalog.validate("wa.max_per_hour", "0"))
        XCTAssertThrowsError(try SettingsCatalog.validate("wa.quiet_start", "25:00"))
        XCTAssertThrowsError(try SettingsCatalog.validate("wa.quiet_start", "9:00"))
        XCTAssertThrowsError(try SettingsCatalog.validate("business.timezone", "Mars/Olympus"))
        XCTAssertThrowsError(try SettingsCatalog.validate("wa.gateway", "telegram"))
        XCTAssertThrowsError(try SettingsCatalog.validate("receipt.base_url", "ftp://x"))
        XCTAssertThrowsError(try SettingsCatalog.validate("no.such.key", "1")) {
            XCTAssertEqual($0 as? StoreError, .invalid(field: "no.such.key", reason: .unknownKey))
        }
    }

    func testOnlySuperadminSetsAndEveryChangeIsAuditedWithSecretsRedacted() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin"), mitra = try f.actor("mitra1")
        XCTAssertThrowsError(try f.db.setSetting("wa.max_per_hour", "40", actor: mitra, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }
        XCTAssertEqual(try f.db.settings().int("wa.max_per_hour"), 50)
        try f.db.setSetting("wa.max_per_hour", "40", actor: admin, context: f.context)
        try f.db.setSetting("wa.waha.api_key", "super-secret-key", actor: admin, context: f.context)
        XCTAssertEqual(try f.db.settings().int("wa.max_per_hour"), 40)
        XCTAssertEqual(SettingsCatalog.display("wa.waha.api_key", "super-secret-key"), "••••••••")
        let logs = try f.db.activityLog(actor: admin)
        let meta = logs.compactMap(\.metadata).joined(separator: "\n")
        XCTAssertTrue(meta.contains("\"before\":\"50\""))
        XCTAssertTrue(meta.contains("\"after\":\"40\""))
        XCTAssertFalse(meta.contains("super-secret-key"))
        XCTAssertThrowsError(try f.db.activityLog(actor: mitra))
    }

    func testCrossFieldDelayRule() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin")
        XCTAssertThrowsError(try f.db.setSetting("wa.min_delay_s", "30", actor: admin, context: f.context))
        XCTAssertEqual(try f.db.settings().int("wa.min_delay_s"), 8)
    }
}
