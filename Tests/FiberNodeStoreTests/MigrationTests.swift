import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

final class MigrationTests: XCTestCase {
    func testEmptyDatabaseGetsWholeSchema() throws {
        let db = try AppDatabase.inMemory()
        let tables = try db.read { d in
            try String.fetchAll(d, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for t in ["users", "packages", "customers", "invoices", "wa_sessions", "wa_message_logs", "settings",
                  "activity_logs", "wa_message_queue", "login_attempts", "customers_fts"] {
            XCTAssertTrue(tables.contains(t), "missing table \(t)")
        }
        XCTAssertFalse(tables.contains("refresh_tokens"))
        let version = try db.read { d in try Int.fetchOne(d, sql: "PRAGMA user_version") }
        XCTAssertEqual(version, AppDatabase.schemaVersion)
    }

    func testInvoiceUniquePerCustomerAndPeriodAndVersionColumn() throws {
        let f = try Fixture()
        try f.db.write { d in
            let c = try Row.fetchOne(d, sql: "SELECT id, owner_id FROM customers LIMIT 1")!
            let cols = try d.columns(in: "invoices").map(\.name)
            XCTAssertTrue(cols.contains("version"))
            for n in 1...2 {
                let sql = """
                INSERT INTO invoices(id, number, customer_id, owner_id, period, amount, discount, total_amount, due_date, created_at, updated_at)
                VALUES (?, ?, ?, ?, '2026-04', 100000, 0, 100000, '2026-03-05', '2026-03-01', '2026-03-01')
                """
                if n == 1 {
                    try d.execute(sql: sql, arguments: ["i\(n)", "N\(n)", c["id"] as String, c["owner_id"] as String])
                } else {
                    XCTAssertThrowsError(try d.execute(sql: sql, arguments: ["i\(n)", "N\(n)", c["id"] as String, c["owner_id"] as String]))
                }
            }
        }
    }

    func testFileIsCreatedWithMode0600AndPragmas() throws {
        let path = tempPath("sub/dir/fn.db")
        let db = try AppDatabase.open(path: path, create: true)
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let (journal, fk, sync) = try db.read { d in
            (try String.fetchOne(d, sql: "PRAGMA journal_mode"), try Int.fetchOne(d, sql: "PRAGMA foreign_keys"),
             try Int.fetchOne(d, sql: "PRAGMA synchronous"))
        }
        XCTAssertEqual(journal, "wal")
        XCTAssertEqual(fk, 1)
        XCTAssertEqual(sync, 2) // FULL
        XCTAssertEqual(try db.integrityCheck(), "ok")
    }

    func testMissingDatabaseWithoutCreateIsAnError() {
        let path = tempPath()
        XCTAssertThrowsError(try AppDatabase.open(path: path, create: false)) { error in
            XCTAssertEqual(error as? StoreError, .databaseMissing(path: path))
        }
    }

    func testNewerSchemaIsRefusedAndUntouched() throws {
        let path = tempPath()
        _ = try AppDatabase.open(path: path, create: true)
        let q = try DatabaseQueue(path: path)
        try q.write { d in try d.execute(sql: "PRAGMA user_version = \(AppDatabase.schemaVersion + 5)") }
        try q.close()
        XCTAssertThrowsError(try AppDatabase.open(path: path, create: false)) { error in
            XCTAssertEqual(error as? StoreError, .schemaTooNew(found: AppDatabase.schemaVersion + 5, supported: AppDatabase.schemaVersion))
        }
        let q2 = try DatabaseQueue(path: path)
        XCTAssertEqual(try q2.read { d in try Int.fetchOne(d, sql: "PRAGMA user_version") }, AppDatabase.schemaVersion + 5)
    }

    func testForeignFilesAreRefused() throws {
        let path = tempPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "hello, not sqlite at all".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try AppDatabase.open(path: path, create: false)) { error in
            XCTAssertEqual(error as? StoreError, .notADatabase(path: path))
        }
        // Someone else's SQLite database
        let other = tempPath()
        try FileManager.default.createDirectory(atPath: (other as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let q = try DatabaseQueue(path: other)
        try q.write { d in try d.execute(sql: "CREATE TABLE t(x)") }
        try q.close()
        XCTAssertThrowsError(try AppDatabase.open(path: other, create: false)) { error in
            XCTAssertEqual(error as? StoreError, .notADatabase(path: other))
        }
    }

    func testFTSIndexFollowsCustomers() throws {
        let f = try Fixture()
        let hits = try f.db.read { d in
            try String.fetchAll(d, sql: "SELECT c.name FROM customers_fts JOIN customers c ON c.no = customers_fts.rowid WHERE customers_fts MATCH 'ahm*'")
        }
        XCTAssertEqual(hits, ["Ahmad Fauzi"])
        try f.db.write { d in try d.execute(sql: "UPDATE customers SET name = 'Zaenal' WHERE name = 'Ahmad Fauzi'") }
        let after = try f.db.read { d in
            try Int.fetchOne(d, sql: "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH 'ahm*'")
        }
        XCTAssertEqual(after, 0)
    }
}
