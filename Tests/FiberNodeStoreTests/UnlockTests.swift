import Foundation
import XCTest
@testable import FiberNodeStore
import FiberNodeDomain

/// Lockouts can be lifted (issue 14): the superadmin ends one; attempts remaining are known.
final class UnlockTests: XCTestCase {
    func testSuperadminUnlocksAndRemainingAttemptsCountDown() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin"), m2 = try f.actor("mitra2")
        let limit = try f.db.settings().int("security.lockout_attempts")
        XCTAssertEqual(try f.db.loginAttemptsRemaining(username: "mitra1", context: f.context).remaining, limit)
        for i in 1...limit {
            XCTAssertThrowsError(try f.db.login(username: "mitra1", password: "salah", context: f.context))
            if i < limit { XCTAssertEqual(try f.db.loginAttemptsRemaining(username: "mitra1", context: f.context).remaining, limit - i) }
        }
        XCTAssertThrowsError(try f.db.login(username: "mitra1", password: "Mitra123!", context: f.context)) {
            guard case .locked = $0 as? StoreError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try f.db.unlockUser("mitra1", actor: m2, context: f.context)) { XCTAssertEqual($0 as? StoreError, .notPermitted) }
        XCTAssertThrowsError(try f.db.unlockUser("nobody", actor: admin, context: f.context))
        XCTAssertTrue(try f.db.unlockUser("mitra1", actor: admin, context: f.context))
        XCTAssertNoThrow(try f.db.login(username: "mitra1", password: "Mitra123!", context: f.context))
        XCTAssertFalse(try f.db.unlockUser("mitra1", actor: admin, context: f.context))
        XCTAssertTrue(try f.db.activityLog(actor: admin).contains { $0.action == "user.unlock" })
    }
}
