import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// Issue 12: hostile backup headers (item 8).
final class BackupHeaderHardeningTests: XCTestCase {
    /// A forged header asking Argon2id for 4 GiB and many passes is refused as damaged at
    /// once, before any key is derived (it used to take 4 GiB and 16 s, then blame the passphrase).
    func testForgedArgon2ParametersAreRefusedAsDamagedWithinASecond() throws {
        let f = try Fixture(start: "2026-03-04T01:00:00Z", file: tempPath())
        let admin = try f.actor("superadmin")
        let b = try f.db.createBackup(passphrase: "kuda-laut-77", actor: admin, context: f.context)
        let raw = FileManager.default.contents(atPath: b.path)!
        let dir = (b.path as NSString).deletingLastPathComponent
        func forged(_ m: UInt32, _ t: UInt32, _ p: UInt32) -> Data {
            var d = Data(raw)
            d.replaceSubrange(8..<12, with: BackupCrypto.be32(m))
            d.replaceSubrange(12..<16, with: BackupCrypto.be32(t))
            d.replaceSubrange(16..<20, with: BackupCrypto.be32(p))
            return d
        }
        let forgeries: [(UInt32, UInt32, UInt32)] = [(4 * 1024 * 1024, 4, 1), (19 * 1024, 64, 1), (19 * 1024, 2, 16),
                                                     (0, 1, 1), (64 * 1024, 2, 1)]
        for (i, params) in forgeries.enumerated() {
            let file = dir + "/forged-\(i).enc"
            FileManager.default.createFile(atPath: file, contents: forged(params.0, params.1, params.2))
            let started = Date()
            XCTAssertThrowsError(try BackupFiles.verify(file: file, passphrase: "kuda-laut-77")) {
                XCTAssertEqual($0 as? StoreError, .backup(.truncated(path: file)), "\(params)")
            }
            XCTAssertLessThan(Date().timeIntervalSince(started), 1.0, "\(params)")
        }
        // What FiberNode writes still verifies (test cost and the standard cost).
        XCTAssertTrue(BackupCrypto.acceptable(memoryKiB: 64, iterations: 1, parallelism: 1))
        XCTAssertTrue(BackupCrypto.acceptable(memoryKiB: 19 * 1024, iterations: 2, parallelism: 1))
        XCTAssertEqual(try BackupFiles.verify(file: b.path, passphrase: "kuda-laut-77").integrity, "ok")
    }
}

/// Issue 12, item 1: the one output policy.
final class OutputPolicyTests: XCTestCase {
    func setUpFile() throws -> (Fixture, String, String) {
        let dbPath = tempPath()
        let f = try Fixture(file: dbPath)
        let dir = (dbPath as NSString).deletingLastPathComponent
        return (f, dbPath, dir)
    }

    func mode(_ path: String) -> Int? { (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue }
    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    func refused(_ body: () throws -> Void) -> OutputError? {
        do { try body(); XCTFail("expected a refusal"); return nil } catch let e as OutputError { return e } catch {
            XCTFail("unexpected \(error)"); return nil
        }
    }

    func testTheDatabaseItsSideFilesABackupAndADirectoryAreNeverReplacedEvenWithForce() throws {
        let (f, dbPath, dir) = try setUpFile()
        let admin = try f.actor("superadmin")
        let policy = f.db.outputPolicy(for: admin)
        let dbBefore = bytes(dbPath)
        for target in [dbPath, dbPath + "-wal", dbPath + "-shm", dbPath + "-journal"] {
            for force in [false, true] {
                XCTAssertEqual(refused { _ = try policy.resolve(target, force: force) }, .isProtected(target), target)
                XCTAssertEqual(refused { try policy.write(Data("x".utf8), to: target, force: force) }, .isProtected(target))
            }
        }
        // the same file under another name: a relative path with .. and a symlinked folder
        let linkDir = dir + "/alias"
        try FileManager.default.createSymbolicLink(atPath: linkDir, withDestinationPath: dir)
        let other = linkDir + "/" + (dbPath as NSString).lastPathComponent
        XCTAssertNotNil(refused { _ = try policy.resolve(other, force: true) })
        XCTAssertEqual(bytes(dbPath), dbBefore)
        // a hard link to the database
        let hard = dir + "/hard.csv"
        XCTAssertEqual(link(dbPath, hard), 0)
        XCTAssertEqual(refused { _ = try policy.resolve(hard, extensions: ["csv"], force: true) }, .isProtected(hard))
        // a backup (SQLite file or encrypted) anywhere
        let b = try f.db.createBackup(passphrase: nil, actor: admin, context: f.context)
        XCTAssertEqual(refused { _ = try policy.resolve(b.path, force: true) }, .isProtected(b.path))
        let enc = dir + "/copy.csv"
        FileManager.default.createFile(atPath: enc, contents: Data("FNBKENC1".utf8) + Data(count: 100))
        XCTAssertEqual(refused { _ = try policy.resolve(enc, extensions: ["csv"], force: true) }, .isProtected(enc))
        // another database's log, even through the unrestricted policy (no database known)
        let otherDB = dir + "/other.db"
        let q = try DatabaseQueue(path: otherDB)
        try q.writeWithoutTransaction { d in try d.execute(sql: "PRAGMA journal_mode = WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1)") }
        let walCopy = dir + "/wal.csv"
        try FileManager.default.copyItem(atPath: otherDB + "-wal", toPath: walCopy)
        try q.close()
        XCTAssertEqual(refused { try OutputPolicy.unrestricted().write(Data("x".utf8), to: walCopy, force: true) }, .isProtected(walCopy))
        // a directory
        XCTAssertEqual(refused { _ = try policy.resolve(dir + "/", force: true) }, .invalidName(dir + "/"))
        try FileManager.default.createDirectory(atPath: dir + "/sub.csv", withIntermediateDirectories: true)
        XCTAssertEqual(refused { _ = try policy.resolve(dir + "/sub.csv", extensions: ["csv"], force: true) }, .isDirectory(dir + "/sub.csv"))
        XCTAssertEqual(bytes(dbPath), dbBefore)
    }

    func testNeverThroughASymlinkAndAnExistingFileOnlyWithForce() throws {
        let (f, _, dir) = try setUpFile()
        let policy = f.db.outputPolicy(for: try f.actor("superadmin"))
        // a symlink to a precious file (authorized_keys)
        let precious = dir + "/authorized_keys"
        FileManager.default.createFile(atPath: precious, contents: Data("ssh-ed25519 AAAA".utf8), attributes: [.posixPermissions: 0o600])
        let link = dir + "/rekap.csv"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: precious)
        for force in [false, true] {
            XCTAssertEqual(refused { _ = try policy.resolve(link, extensions: ["csv"], force: force) }, .isSymlink(link))
            XCTAssertEqual(refused { try policy.write(Data("a,b".utf8), to: link, force: force) }, .isSymlink(link))
        }
        XCTAssertEqual(bytes(precious), Data("ssh-ed25519 AAAA".utf8))
        // an existing plain file: refused without force, replaced with it (a new inode, by rename)
        let existing = dir + "/old.csv"
        FileManager.default.createFile(atPath: existing, contents: Data("old".utf8))
        XCTAssertEqual(refused { _ = try policy.resolve(existing, extensions: ["csv"]) }, .exists(existing))
        XCTAssertEqual(refused { try policy.write(Data("new".utf8), to: existing, force: false) }, .exists(existing))
        XCTAssertEqual(bytes(existing), Data("old".utf8))
        try policy.write(Data("new".utf8), to: try policy.resolve(existing, extensions: ["csv"], force: true), force: true)
        XCTAssertEqual(bytes(existing), Data("new".utf8))
        // no temporary file left behind
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".part") }
        XCTAssertEqual(leftovers, [])
    }

    func testFilesAre0600WhateverTheUmask() throws {
        let (f, _, dir) = try setUpFile()
        let policy = f.db.outputPolicy(for: try f.actor("superadmin"))
        for mask: mode_t in [0o022, 0o000, 0o002] {
            let old = umask(mask)
            defer { umask(old) }
            let path = dir + "/umask-\(mask).csv"
            try policy.write(Data("x".utf8), to: try policy.resolve(path, extensions: ["csv"]), force: false)
            XCTAssertEqual(mode(path), 0o600, "umask \(String(mask, radix: 8))")
        }
    }

    func testAMitraWritesOnlyIntoItsOwnFolder() throws {
        let (f, dbPath, dir) = try setUpFile()
        let m1 = try f.actor("mitra1")
        let policy = f.db.outputPolicy(for: m1)
        XCTAssertTrue(policy.restricted)
        XCTAssertEqual(policy.exportFolder, dir + "/exports/mitra1")
        let path = try policy.resolve("rekap.csv", extensions: ["csv"])
        XCTAssertEqual(path, dir + "/exports/mitra1/rekap.csv")
        XCTAssertEqual(mode(dir + "/exports"), 0o700)
        XCTAssertEqual(mode(dir + "/exports/mitra1"), 0o700)
        for escape in ["../../fn.db", "../mitra2/x.csv", dbPath, "/tmp/x.csv", "~/x.csv", "sub/x.csv", "../x.csv"] {
            XCTAssertNotNil(refused { _ = try policy.resolve(escape, extensions: [], force: true) }, escape)
        }
        XCTAssertEqual(refused { _ = try policy.resolve("../../" + (dbPath as NSString).lastPathComponent, force: true) },
                       .outsideFolder(folder: policy.exportFolder))
        // its own folder given absolutely is fine
        XCTAssertEqual(try policy.resolve(dir + "/exports/mitra1/b.csv", extensions: ["csv"]), dir + "/exports/mitra1/b.csv")
        // the store enforces it too: stage() refuses a path outside the folder
        XCTAssertEqual(refused { _ = try policy.stage(dir + "/evil.csv", force: false) }, .outsideFolder(folder: policy.exportFolder))
        // a symlinked export folder is refused
        let m2 = try f.actor("mitra2")
        try FileManager.default.createSymbolicLink(atPath: dir + "/exports/mitra2", withDestinationPath: dir)
        XCTAssertEqual(refused { _ = try f.db.outputPolicy(for: m2).resolve("x.csv") }, .isSymlink(dir + "/exports/mitra2"))
    }

    func testTheExtensionFollowsTheFormat() throws {
        let policy = OutputPolicy.unrestricted(folder: NSTemporaryDirectory())
        XCTAssertEqual(refused { _ = try policy.resolve("x.csv", extensions: ["xlsx"]) }, .wrongExtension(expected: ".xlsx"))
        XCTAssertEqual(refused { _ = try policy.resolve("x-\(UUID().uuidString)", extensions: ["csv"]) }, .wrongExtension(expected: ".csv"))
        XCTAssertEqual(OutputPolicy.replacingExtension(of: "rekap-2026-03.csv", with: "xlsx"), "rekap-2026-03.xlsx")
        XCTAssertEqual(OutputPolicy.replacingExtension(of: "/a/b.c/nota", with: "txt"), "/a/b.c/nota.txt")
        XCTAssertEqual(refused { _ = try policy.resolve("a\u{1B}[2Jb.csv", extensions: ["csv"]) }, .invalidName("a?[2Jb.csv"))
    }
}

/// Issue 12, item 7: files that are refused are not modified.
final class RefusedFileTests: XCTestCase {
    func sideFiles(_ path: String) -> [String] {
        ["-wal", "-shm", "-journal"].filter { FileManager.default.fileExists(atPath: path + $0) }
    }

    func testAForeignSQLiteFileIsNotSwitchedToWALNorGivenAWal() throws {
        let other = tempPath()
        try FileManager.default.createDirectory(atPath: (other as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let q = try DatabaseQueue(path: other)
        try q.write { d in try d.execute(sql: "CREATE TABLE t(x); INSERT INTO t VALUES (1)") }
        try q.close()
        let before = FileManager.default.contents(atPath: other)!
        XCTAssertEqual(before[18], 1)                        // rollback journal mode
        XCTAssertThrowsError(try AppDatabase.open(path: other, create: false)) {
            XCTAssertEqual($0 as? StoreError, .notADatabase(path: other))
        }
        XCTAssertEqual(FileManager.default.contents(atPath: other), before)
        XCTAssertEqual(sideFiles(other), [])
    }

    func testANewerSchemaFileKeepsItsBytesAndChangeCounter() throws {
        let path = tempPath()
        _ = try AppDatabase.open(path: path, create: true)
        let q = try DatabaseQueue(path: path)
        try q.write { d in try d.execute(sql: "PRAGMA user_version = \(AppDatabase.schemaVersion + 5)") }
        try q.writeWithoutTransaction { d in try d.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try q.close()
        for s in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
        let before = FileManager.default.contents(atPath: path)!
        XCTAssertThrowsError(try AppDatabase.open(path: path, create: false)) {
            XCTAssertEqual($0 as? StoreError, .schemaTooNew(found: AppDatabase.schemaVersion + 5, supported: AppDatabase.schemaVersion))
        }
        let after = FileManager.default.contents(atPath: path)!
        XCTAssertEqual(after[24..<28], before[24..<28], "file change counter moved")
        XCTAssertEqual(after, before)
    }

    func testAnEmptyFileIsRefusedAndStaysEmpty() throws {
        let path = tempPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: Data())
        XCTAssertThrowsError(try AppDatabase.open(path: path, create: false)) {
            XCTAssertEqual($0 as? StoreError, .notADatabase(path: path))
        }
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data())
        XCTAssertEqual(sideFiles(path), [])
    }
}
