import Foundation
import XCTest
import ArgumentParser
@testable import FiberNodeCLI
import FiberNodeStore

/// `CLI.asUser`, the one shape of a user command (issue 13): open → validate (before any
/// password) → login → run → the contract's sentence and exit status.
final class AsUserTests: XCTestCase {
    var dir = ""
    var path: String { dir + "/fn.db" }

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "fn-asuser-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let db = try AppDatabase.open(path: path, create: true)
        try Seeder.demo(into: db, context: ProcessEnvironment().context())
        setenv("FIBERNODE_PASSWORD", "Admin123!", 1)
    }

    override func tearDownWithError() throws {
        unsetenv("FIBERNODE_PASSWORD")
        try? FileManager.default.removeItem(atPath: dir)
    }

    func cli(_ args: [String]) throws -> CLI { CLI(try GlobalOptions.parse(["--db", path] + args)) }

    /// The exit status a command body ends with (0 when it returns).
    func status(_ run: () throws -> Void) -> Int32 {
        do { try run(); return 0 } catch let e as ExitCode { return e.rawValue } catch { return -1 }
    }

    func testBadInputIsExit2BeforeAnyLogin() throws {
        // No --user: a login would be exit 3; the input is checked first.
        let c = try cli([])
        var ran = false
        let code = status { try c.asUser(validate: { _ in throw CLIFailure(message: "bad", code: 2) }) { _, _, _ in ran = true } }
        XCTAssertEqual(code, 2)
        XCTAssertFalse(ran)
    }

    func testLoginNeededAfterGoodInput() throws {
        let c = try cli([])
        XCTAssertEqual(status { try c.asUser { _, _, _ in XCTFail("ran without a user") } }, 3)
    }

    func testCheckedInputReachesTheBodyAsTheUser() throws {
        let c = try cli(["--user", "superadmin"])
        var got: (Int, String)?
        XCTAssertEqual(status { try c.asUser(checking: { _ in 42 }) { _, user, _, n in got = (n, user.username) } }, 0)
        XCTAssertEqual(got?.0, 42)
        XCTAssertEqual(got?.1, "superadmin")
    }

    func testStoreErrorsBecomeTheContractsExitCodes() throws {
        let c = try cli(["--user", "superadmin"])
        XCTAssertEqual(status { try c.asUser { _, _, _ in throw StoreError.notPermitted } }, 3)
        XCTAssertEqual(status { try c.asUser { _, _, _ in throw StoreError.changedByOther } }, 4)
        XCTAssertEqual(status { try c.asUser { _, _, _ in throw StoreError.invalid(field: "x", reason: .required) } }, 2)
        XCTAssertEqual(status { try c.asUser { _, _, _ in throw OutputError.exists("f.csv") } }, 4)
        XCTAssertEqual(status { try c.asUser { _, _, _ in throw ExitCode(7) } }, 7)
    }

    func testWrongPasswordIsExit3() throws {
        setenv("FIBERNODE_PASSWORD", "wrong", 1)
        let c = try cli(["--user", "superadmin"])
        XCTAssertEqual(status { try c.asUser { _, _, _ in XCTFail("ran with a wrong password") } }, 3)
    }

    func testMissingDatabaseBeforeAnything() throws {
        let c = CLI(try GlobalOptions.parse(["--db", dir + "/none.db", "--user", "superadmin"]))
        var validated = false
        XCTAssertNotEqual(status { try c.asUser(validate: { _ in validated = true }) { _, _, _ in } }, 0)
        XCTAssertFalse(validated)
    }
}
