import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

final class AuthTests: XCTestCase {
    func testDemoLoginsWorkAndUpdateLastLogin() throws {
        let f = try Fixture()
        let admin = try f.db.login(username: "superadmin", password: "Admin123!", context: f.context)
        XCTAssertEqual(admin.role, .superadmin)
        XCTAssertEqual(admin.businessName, "FiberNode Pusat")
        XCTAssertEqual(admin.lastLoginAt, f.clock.now())
        let m = try f.db.login(username: "MITRA1", password: "Mitra123!", context: f.context)
        XCTAssertEqual(m.role, .mitra)
        XCTAssertEqual(m.businessName, "WiFi Sukamaju")
    }

    func testHashesAreArgon2idAndNeverThePassword() throws {
        let f = try Fixture()
        let hashes = try f.db.read { d in try String.fetchAll(d, sql: "SELECT password_hash FROM users") }
        XCTAssertEqual(hashes.count, 3)
        for h in hashes {
            XCTAssertTrue(h.hasPrefix("$argon2id$"))
            XCTAssertFalse(h.contains("Admin123!") || h.contains("Mitra123!"))
        }
        let strong = PasswordHasher.hash("secret-pass", cost: .standard, random: RandomSource(SplitMix64(seed: 1)))
        XCTAssertTrue(strong.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        XCTAssertTrue(PasswordHasher.verify("secret-pass", encoded: strong))
        XCTAssertFalse(PasswordHasher.verify("secret-pasS", encoded: strong))
    }

    func testUnknownUserAndWrongPasswordGiveTheSameError() throws {
        let f = try Fixture()
        XCTAssertThrowsError(try f.db.login(username: "nobody", password: "x", context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .loginFailed)
        }
        XCTAssertThrowsError(try f.db.login(username: "mitra1", password: "wrong", context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .loginFailed)
        }
    }

    func testDisabledUserCannotLogIn() throws {
        let f = try Fixture()
        try f.db.write { d in try d.execute(sql: "UPDATE users SET is_active = 0 WHERE username = 'mitra2'") }
        XCTAssertThrowsError(try f.db.login(username: "mitra2", password: "Mitra123!", context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .loginFailed)
        }
    }

    func testFiveFailuresLockForFifteenMinutes() throws {
        let f = try Fixture()
        for i in 1...4 {
            XCTAssertThrowsError(try f.db.login(username: "mitra1", password: "bad\(i)", context: f.context)) {
                XCTAssertEqual($0 as? StoreError, .loginFailed)
            }
            f.clock.advance(by: 30)
        }
        let fifthAt = f.clock.now()
        XCTAssertThrowsError(try f.db.login(username: "mitra1", password: "bad5", context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .locked(until: fifthAt.addingTimeInterval(900)))
        }
        // The right password is refused while locked.
        f.clock.advance(by: 60)
        XCTAssertThrowsError(try f.db.login(username: "mitra1", password: "Mitra123!", context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .locked(until: fifthAt.addingTimeInterval(900)))
        }
        // Another user is not affected.
        XCTAssertNoThrow(try f.db.login(username: "mitra2", password: "Mitra123!", context: f.context))
        // After the lock ends the right password works.
        f.clock.advance(by: 900)
        XCTAssertNoThrow(try f.db.login(username: "mitra1", password: "Mitra123!", context: f.context))
        let attempts = try f.db.read { d in
            try Int.fetchOne(d, sql: "SELECT count(*) FROM login_attempts WHERE username = 'mitra1'")
        }
        XCTAssertEqual(attempts, 7)
    }

    func testFailuresSpreadBeyondTheWindowDoNotLock() throws {
        let f = try Fixture()
        for i in 1...8 {
            XCTAssertThrowsError(try f.db.login(username: "mitra1", password: "bad\(i)", context: f.context)) {
                XCTAssertEqual($0 as? StoreError, .loginFailed)
            }
            f.clock.advance(by: 4 * 60) // 4 failures per 15 minutes at most
        }
        XCTAssertNoThrow(try f.db.login(username: "mitra1", password: "Mitra123!", context: f.context))
    }

    func testLockoutLimitsComeFromSettings() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin")
        try f.db.setSetting("security.lockout_attempts", "2", actor: admin, context: f.context)
        XCTAssertThrowsError(try f.db.login(username: "mitra1", password: "bad", context: f.context))
        XCTAssertThrowsError(try f.db.login(username: "mitra1", password: "bad", context: f.context)) {
            guard case .locked = $0 as? StoreError else { return XCTFail("expected locked, got \($0)") }
        }
    }
}
