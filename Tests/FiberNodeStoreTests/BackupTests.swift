import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// Backups: online copy under concurrent writes, verification, encryption, restore refusals,
/// the atomic swap, and retention on a virtual calendar.
final class BackupTests: XCTestCase {
    func fileFixture() throws -> (Fixture, String) {
        let path = tempPath()
        let f = try Fixture(start: "2026-03-04T01:00:00Z", file: path)
        return (f, path)
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    func count(_ path: String, _ sql: String) throws -> Int {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        return try q.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    func problem(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> StoreError? {
        do { try body(); XCTFail("expected an error", file: file, line: line); return nil } catch let e as StoreError { return e } catch {
            XCTFail("unexpected \(error)", file: file, line: line); return nil
        }
    }

    // MARK: - Online backup under load

    func testBackupWhileAnotherConnectionWritesHoldsEveryEarlierCommit() throws {
        let (f, path) = try fileFixture()
        let admin = try f.actor("superadmin")
        // The "other process": its own DatabasePool on the same file, committing one row per transaction.
        let other = try AppDatabase.open(path: path, create: false)
        let committed = Locked(0)
        let stop = Locked(false)
        let done = expectation(description: "writer stopped")
        Thread.detachNewThread {
            var n = 0
            while !stop.value {
                n += 1
                do {
                    try other.writer.write { db in
                        try db.execute(sql: """
                            INSERT INTO activity_logs(id, action, resource, resource_id, created_at)
                            VALUES (?, 'test.write', 'load', ?, '2026-03-04 01:00:00.000')
                            """, arguments: [UUID().uuidString, n])
                    }
                    committed.mutate { $0 = n }
                } catch { XCTFail("writer: \(error)"); break }
            }
            done.fulfill()
        }
        // Let the writer get going, then note what is committed before the backup starts.
        while committed.value < 200 { usleep(1000) }
        let before = committed.value
        let record = try f.db.createBackup(actor: admin, context: f.context)
        let afterBackup = committed.value
        stop.mutate { $0 = true }
        wait(for: [done], timeout: 30)

        XCTAssertGreaterThan(afterBackup, before, "the writer kept committing while the backup ran")
        XCTAssertTrue(FileManager.default.fileExists(atPath: record.path))
        let check = try BackupFiles.verify(file: record.path, passphrase: nil)
        XCTAssertEqual(check.integrity, "ok")
        XCTAssertEqual(check.schemaVersion, AppDatabase.schemaVersion)
        XCTAssertEqual(check.sha256, record.sha256)
        XCTAssertEqual(check.size, record.size)
        // Every transaction committed before the backup started is in it, and what it holds is
        // a gap-free prefix (a consistent snapshot, not a torn copy).
        let rows = try count(record.path, "SELECT count(*) FROM activity_logs WHERE action = 'test.write'")
        let maxN = try count(record.path, "SELECT coalesce(max(CAST(resource_id AS INTEGER)), 0) FROM activity_logs WHERE action = 'test.write'")
        XCTAssertGreaterThanOrEqual(rows, before)
        XCTAssertEqual(rows, maxN)
        XCTAssertEqual(try count(record.path, "PRAGMA user_version"), AppDatabase.schemaVersion)
        // Recorded and audited.
        let listed = try f.db.backups(actor: admin)
        XCTAssertEqual(listed.map(\.id), [record.id])
        XCTAssertEqual(listed[0].kind, .manual)
        XCTAssertEqual(try f.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM activity_logs WHERE action = 'backup.create'") }, 1)
        // Backups are private files.
        let mode = try FileManager.default.attributesOfItem(atPath: record.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        try other.writer.close()
    }

    func testOutputFileIsNeverOverwritten() throws {
        let (f, path) = try fileFixture()
        let admin = try f.actor("superadmin")
        let out = (path as NSString).deletingLastPathComponent + "/mine.db"
        _ = try f.db.createBackup(output: out, actor: admin, context: f.context)
        let first = bytes(out)
        XCTAssertEqual(problem { _ = try f.db.createBackup(output: out, actor: admin, context: f.context) }, .backup(.fileExists(path: out)))
        XCTAssertEqual(bytes(out), first)
    }

    // MARK: - Restore refusals leave the database untouched

    func testRestoreRefusesTruncatedForeignOtherAppAndNewerSchemaWithoutTouchingTheDatabase() throws {
        let (f, path) = try fileFixture()
        let admin = try f.actor("superadmin")
        let dir = (path as NSString).deletingLastPathComponent
        let good = try f.db.createBackup(actor: admin, context: f.context)

        let truncated = dir + "/truncated.db"
        let full = bytes(good.path)!
        FileManager.default.createFile(atPath: truncated, contents: full.prefix(full.count / 2))
        let tiny = dir + "/tiny.db"
        FileManager.default.createFile(atPath: tiny, contents: full.prefix(40))
        let foreign = dir + "/notes.txt"
        FileManager.default.createFile(atPath: foreign, contents: Data(String(repeating: "not a database\n", count: 100).utf8))
        let otherApp = dir + "/otherapp.db"
        do {
            let q = try DatabaseQueue(path: otherApp)
            try q.write { try $0.execute(sql: "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('hi')") }
            try q.close()
        }
        let newer = dir + "/newer.db"
        try FileManager.default.copyItem(atPath: good.path, toPath: newer)
        do {
            let q = try DatabaseQueue(path: newer)
            try q.write { try $0.execute(sql: "PRAGMA user_version = \(AppDatabase.schemaVersion + 1)") }
            try q.close()
        }

        // Put the live database into a known on-disk state and keep it there.
        try f.db.setSetting("business.name", "Sebelum", actor: admin, context: f.context)
        let mainBefore = bytes(path), walBefore = bytes(path + "-wal")
        let backupsBefore = try FileManager.default.contentsOfDirectory(atPath: dir + "/backups")

        XCTAssertEqual(problem { _ = try f.db.restoreBackup(file: truncated, passphrase: nil, actor: admin, context: f.context) },
                       .backup(.truncated(path: truncated)))
        XCTAssertEqual(problem { _ = try f.db.restoreBackup(file: tiny, passphrase: nil, actor: admin, context: f.context) },
                       .backup(.truncated(path: tiny)))
        XCTAssertEqual(problem { _ = try f.db.restoreBackup(file: foreign, passphrase: nil, actor: admin, context: f.context) },
                       .backup(.foreign(path: foreign)))
        XCTAssertEqual(problem { _ = try f.db.restoreBackup(file: otherApp, passphrase: nil, actor: admin, context: f.context) },
                       .backup(.foreign(path: otherApp)))
        XCTAssertEqual(problem { _ = try f.db.restoreBackup(file: newer, passphrase: nil, actor: admin, context: f.context) },
                       .schemaTooNew(found: AppDatabase.schemaVersion + 1, supported: AppDatabase.schemaVersion))
        XCTAssertEqual(problem { _ = try f.db.restoreBackup(file: dir + "/absent.db", passphrase: nil, actor: admin, context: f.context) },
                       .backup(.unreadable(path: dir + "/absent.db")))

        XCTAssertEqual(bytes(path), mainBefore, "database file untouched")
        XCTAssertEqual(bytes(path + "-wal"), walBefore, "WAL untouched")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/backups"), backupsBefore, "no pre-restore copy made")
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir).contains { $0.hasPrefix(".fibernode-") }, "no temp file left")
        XCTAssertEqual(try f.db.settings()["business.name"], "Sebelum")
        // verify says the same about each file
        XCTAssertEqual(problem { _ = try BackupFiles.verify(file: truncated, passphrase: nil) }, .backup(.truncated(path: truncated)))
        XCTAssertEqual(problem { _ = try BackupFiles.verify(file: otherApp, passphrase: nil) }, .backup(.foreign(path: otherApp)))
    }

    func testRestoreRefusedWhileAnotherProcessHoldsTheDatabaseOpen() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")
                          && FileManager.default.fileExists(atPath: "/proc/locks"), "needs the sqlite3 shell and /proc/locks")
        let (f, path) = try fileFixture()
        let admin = try f.actor("superadmin")
        let good = try f.db.createBackup(actor: admin, context: f.context)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [path]
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data("SELECT count(*) FROM users;\n".utf8))
        var holders: [Int32] = []
        for _ in 0..<200 where holders.isEmpty { usleep(20_000); holders = DatabaseHolders.pids(path: path) }
        XCTAssertEqual(holders, [p.processIdentifier])
        let before = bytes(path)
        XCTAssertEqual(problem { _ = try f.db.restoreBackup(file: good.path, passphrase: nil, actor: admin, context: f.context) },
                       .backup(.inUse(pids: [p.processIdentifier])))
        XCTAssertEqual(bytes(path), before)
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        XCTAssertEqual(DatabaseHolders.pids(path: path), [])
    }

    // MARK: - A good restore

    func testGoodRestoreSwapsAtomicallyKeepsThePreviousCopyAndTheHistory() throws {
        let (f, path) = try fileFixture()
        let admin = try f.actor("superadmin")
        try f.db.setSetting("business.name", "Alpha Net", actor: admin, context: f.context)
        let b1 = try f.db.createBackup(actor: admin, context: f.context)
        f.clock.advance(by: 60)
        try f.db.setSetting("business.name", "Beta Net", actor: admin, context: f.context)
        f.clock.advance(by: 60)
        let b2 = try f.db.createBackup(actor: admin, context: f.context)
        f.clock.advance(by: 60)

        let result = try f.db.restoreBackup(file: b1.path, passphrase: nil, actor: admin, context: f.context)
        let restored = result.database
        XCTAssertEqual(try restored.settings()["business.name"], "Alpha Net")
        XCTAssertEqual(restored.path, path)
        XCTAssertEqual(try restored.integrityCheck(), "ok")
        // The copy of what was replaced holds the newer state.
        XCTAssertEqual(result.previous.kind, .preRestore)
        XCTAssertEqual(try count(result.previous.path, "SELECT count(*) FROM settings WHERE key = 'business.name' AND value = 'Beta Net'"), 1)
        // History survives: b1 (in the file), b2 and the pre-restore copy (carried over).
        let ids = Set(try restored.backups(actor: admin).map(\.id))
        XCTAssertEqual(ids, [b1.id, b2.id, result.previous.id])
        XCTAssertEqual(try restored.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM activity_logs WHERE action = 'backup.restore'") }, 1)
        // The old handle is closed; nothing left behind.
        XCTAssertThrowsError(try f.db.settings())
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent).contains { $0.hasPrefix(".fibernode-") })
        // And it can be restored back the other way.
        let again = try restored.restoreBackup(file: b2.path, passphrase: nil, actor: admin, context: f.context)
        XCTAssertEqual(try again.database.settings()["business.name"], "Beta Net")
    }

    func testRestoreOfAnOlderSchemaMigratesForward() throws {
        let (f, path) = try fileFixture()
        let admin = try f.actor("superadmin")
        let b = try f.db.createBackup(actor: admin, context: f.context)
        // Make the backup look like the schema before the backups table (the migration before it).
        // Built from the migrations before it (robust to migrations appended later), holding the users.
        _ = b
        let old = (path as NSString).deletingLastPathComponent + "/v1.db"
        do {
            let q = try DatabaseQueue(path: old)
            let before = 2   // v1, v2Finance
            try q.writeWithoutTransaction { d in
                try d.inTransaction {
                    for m in Migrations.all.prefix(before) { try m(d) }
                    try d.execute(sql: "PRAGMA user_version = \(before)")
                    return .commit
                }
                try d.execute(sql: "ATTACH DATABASE ? AS live", arguments: [path])
                for t in ["users", "packages", "customers", "invoices", "settings"] {
                    let cols = try d.columns(in: t, in: "main").map(\.name).joined(separator: ", ")
                    try d.execute(sql: "INSERT INTO main.\(t)(\(cols)) SELECT \(cols) FROM live.\(t)")
                }
                try d.execute(sql: "DETACH DATABASE live")
            }
            try q.close()
        }
        let r = try f.db.restoreBackup(file: old, passphrase: nil, actor: admin, context: f.context)
        XCTAssertEqual(try r.database.read { try Int.fetchOne($0, sql: "PRAGMA user_version") }, AppDatabase.schemaVersion)
        XCTAssertTrue(try r.database.read { try $0.tableExists("backups") })
    }

    // MARK: - Encryption

    func testEncryptedRoundTripWrongPassphraseAndTamperedFile() throws {
        let (f, path) = try fileFixture()
        let admin = try f.actor("superadmin")
        try f.db.setSetting("business.name", "Rahasia Net", actor: admin, context: f.context)
        let b = try f.db.createBackup(passphrase: "kuda-laut-77", actor: admin, context: f.context)
        XCTAssertTrue(b.encrypted)
        XCTAssertTrue(b.name.hasSuffix(".db.enc"))
        let raw = bytes(b.path)!
        XCTAssertEqual(raw.prefix(8), Data("FNBKENC1".utf8))
        XCTAssertNil(raw.range(of: Data("Rahasia Net".utf8)), "no plaintext in the file")
        XCTAssertNil(raw.range(of: Data("SQLite format 3".utf8)))

        let ok = try BackupFiles.verify(file: b.path, passphrase: "kuda-laut-77")
        XCTAssertTrue(ok.encrypted)
        XCTAssertEqual(ok.integrity, "ok")
        XCTAssertEqual(problem { _ = try BackupFiles.verify(file: b.path, passphrase: "kuda-laut-78") }, .backup(.wrongPassphrase))
        XCTAssertEqual(problem { _ = try BackupFiles.verify(file: b.path, passphrase: nil) }, .backup(.passphraseRequired))

        // A flipped ciphertext byte or a cut file is "damaged", not "wrong passphrase".
        let dir = (path as NSString).deletingLastPathComponent
        var flipped = raw; flipped[flipped.count / 2] ^= 0x01
        FileManager.default.createFile(atPath: dir + "/flipped.enc", contents: flipped)
        XCTAssertEqual(problem { _ = try BackupFiles.verify(file: dir + "/flipped.enc", passphrase: "kuda-laut-77") },
                       .backup(.truncated(path: dir + "/flipped.enc")))
        FileManager.default.createFile(atPath: dir + "/cut.enc", contents: raw.prefix(raw.count - 100))
        XCTAssertEqual(problem { _ = try BackupFiles.verify(file: dir + "/cut.enc", passphrase: "kuda-laut-77") },
                       .backup(.truncated(path: dir + "/cut.enc")))

        // Restore: wrong passphrase refused and nothing changes; the right one restores.
        try f.db.setSetting("business.name", "Sesudah", actor: admin, context: f.context)
        let before = bytes(path)
        XCTAssertEqual(problem { _ = try f.db.restoreBackup(file: b.path, passphrase: "salah", actor: admin, context: f.context) },
                       .backup(.wrongPassphrase))
        XCTAssertEqual(bytes(path), before)
        let r = try f.db.restoreBackup(file: b.path, passphrase: "kuda-laut-77", actor: admin, context: f.context)
        XCTAssertEqual(try r.database.settings()["business.name"], "Rahasia Net")
    }

    // MARK: - Permissions

    func testMitraCanNeitherBackUpListVerifyNorRestore() throws {
        let (f, _) = try fileFixture()
        let admin = try f.actor("superadmin"), mitra = try f.actor("mitra1")
        let b = try f.db.createBackup(actor: admin, context: f.context)
        XCTAssertEqual(problem { _ = try f.db.createBackup(actor: mitra, context: f.context) }, .notPermitted)
        XCTAssertEqual(problem { _ = try f.db.backups(actor: mitra) }, .notPermitted)
        XCTAssertEqual(problem { _ = try f.db.verifyBackup(file: b.path, passphrase: nil, actor: mitra) }, .notPermitted)
        XCTAssertEqual(problem { _ = try f.db.restoreBackup(file: b.path, passphrase: nil, actor: mitra, context: f.context) }, .notPermitted)
        XCTAssertEqual(try f.db.backups(actor: admin).count, 1)
    }

    // MARK: - Retention and schedule

    func testRetentionOver400DailyBackupsKeepsExactlyTheExpectedSet() throws {
        let tz = TimeZone(identifier: "Asia/Jakarta")!
        // Daily at 02:00 WIB (19:00 UTC the day before) from 2025-01-01 to 2026-02-04 (400 days).
        let first = LocalDate(year: 2025, month: 1, day: 1)!
        let items = (0..<400).map { i -> (id: String, at: Date) in
            let d = first.adding(days: i)
            return (id: d.description, at: d.startOfDay(in: tz).addingTimeInterval(2 * 3600))
        }
        XCTAssertEqual(items.last?.id, "2026-02-04")
        let kept = BackupRetention.kept(items, policy: .standard, timeZone: tz)
        let expected: Set<String> = [
            // 7 daily
            "2026-01-29", "2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02", "2026-02-03", "2026-02-04",
            // 4 weekly (newest of each ISO week): 02-04, 02-01 (already daily), then two more Sundays
            "2026-01-25", "2026-01-18",
            // 12 monthly (newest of each month): 02-04 and 01-31 already kept, then month ends back to March 2025
            "2025-12-31", "2025-11-30", "2025-10-31", "2025-09-30", "2025-08-31", "2025-07-31", "2025-06-30",
            "2025-05-31", "2025-04-30", "2025-03-31",
        ]
        XCTAssertEqual(kept, expected)
        XCTAssertEqual(kept.count, 19)
        // In UTC the same instants fall a day earlier: the time zone matters.
        XCTAssertNotEqual(BackupRetention.kept(items, policy: .standard, timeZone: TimeZone(identifier: "UTC")!), expected)
        // Zero everywhere keeps nothing; only daily keeps the last N days.
        XCTAssertEqual(BackupRetention.kept(items, policy: .init(daily: 0, weekly: 0, monthly: 0), timeZone: tz), [])
        XCTAssertEqual(BackupRetention.kept(items, policy: .init(daily: 3, weekly: 0, monthly: 0), timeZone: tz),
                       ["2026-02-02", "2026-02-03", "2026-02-04"])
    }

    func testRunDueTakesOneBackupPerDailySlotAndPrunes() throws {
        let (f, path) = try fileFixture()
        let admin = try f.actor("superadmin")
        try f.db.setSetting("backup.keep_daily", "3", actor: admin, context: f.context)
        try f.db.setSetting("backup.keep_weekly", "0", actor: admin, context: f.context)
        try f.db.setSetting("backup.keep_monthly", "0", actor: admin, context: f.context)
        let manual = try f.db.createBackup(actor: admin, context: f.context)
        // 2026-03-04 08:00 WIB: today's 02:00 slot has passed and nothing scheduled exists yet → due.
        let first = try BackupScheduler.runDue(db: f.db, context: f.context)
        XCTAssertNotNil(first.created)
        XCTAssertEqual(first.created?.kind, .scheduled)
        XCTAssertEqual(first.created?.createdBy, "system")
        // Again the same morning: not due.
        f.clock.advance(by: 3600)
        XCTAssertNil(try BackupScheduler.runDue(db: f.db, context: f.context).created)
        // One worker call per hour for 6 days: exactly one backup per day after 02:00 WIB.
        var created: [BackupRecord] = []
        for _ in 0..<(6 * 24) {
            f.clock.advance(by: 3600)
            if let c = try BackupScheduler.runDue(db: f.db, context: f.context).created { created.append(c) }
        }
        XCTAssertEqual(created.count, 6)
        let tz = TimeZone(identifier: "Asia/Jakarta")!
        for c in created {
            let local = Calendar(identifier: .gregorian).dateComponents(in: tz, from: c.createdAt)
            XCTAssertEqual(local.hour, 2, "taken in the 02:00 WIB hour")
        }
        // Only the last 3 scheduled backups remain on disk; the manual one is never pruned.
        let live = try f.db.backups(actor: admin)
        XCTAssertEqual(live.filter { $0.kind == .scheduled }.map(\.id), created.suffix(3).reversed().map(\.id))
        XCTAssertTrue(live.contains { $0.id == manual.id })
        let dir = (path as NSString).deletingLastPathComponent + "/backups"
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        XCTAssertEqual(files, Set(live.map(\.name)))
        XCTAssertGreaterThan(try f.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM activity_logs WHERE action = 'backup.prune'") } ?? 0, 0)
        // A policy of all zeros still keeps the newest scheduled backup.
        try f.db.setSetting("backup.keep_daily", "0", actor: admin, context: f.context)
        f.clock.advance(by: 86400)
        let last = try BackupScheduler.runDue(db: f.db, context: f.context)
        XCTAssertEqual(try f.db.backups(actor: admin).filter { $0.kind == .scheduled }.map(\.id), [last.created!.id])
        XCTAssertTrue(FileManager.default.fileExists(atPath: last.created!.path))
        // Disabled: nothing more.
        try f.db.setSetting("backup.enabled", "false", actor: admin, context: f.context)
        f.clock.advance(by: 86400)
        XCTAssertNil(try BackupScheduler.runDue(db: f.db, context: f.context).created)
    }

    func testLastSlotAcrossMidnightInTheBusinessTimeZone() {
        let tz = TimeZone(identifier: "Asia/Jakarta")!
        let iso = ISO8601DateFormatter()
        // 01:59 WIB on 2026-01-01 → the slot is 02:00 WIB on 2025-12-31.
        XCTAssertEqual(BackupScheduler.lastSlot(now: iso.date(from: "2025-12-31T18:59:00Z")!, time: "02:00", timeZone: tz),
                       iso.date(from: "2025-12-30T19:00:00Z")!)
        XCTAssertEqual(BackupScheduler.lastSlot(now: iso.date(from: "2025-12-31T19:00:00Z")!, time: "02:00", timeZone: tz),
                       iso.date(from: "2025-12-31T19:00:00Z")!)
    }
}
