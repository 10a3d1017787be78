import Foundation
import GRDB
import FiberNodeDomain

// MARK: - Types

/// Why a backup could not be made, verified or restored.
public enum BackupProblem: Equatable, Sendable {
    /// The passphrase does not open this encrypted backup.
    case wrongPassphrase
    /// The backup is encrypted and no passphrase was given.
    case passphraseRequired
    /// The file is shorter than it says, or its pages are damaged.
    case truncated(path: String)
    /// Not a FiberNode backup: not SQLite, or another program's SQLite file.
    case foreign(path: String)
    /// `PRAGMA integrity_check` did not answer "ok".
    case integrity(String)
    /// Other processes hold the database open; restore refuses to swap under them.
    case inUse(pids: [Int32])
    /// The output file already exists; backups never overwrite.
    case fileExists(path: String)
    /// The file cannot be read.
    case unreadable(path: String)
    /// An in-memory database has no file to back up or restore.
    case noFile

    /// CLI exit status (CLI.md): bad input 2, conflict 4, other 1.
    public var exitCode: Int32 {
        switch self {
        case .wrongPassphrase, .passphraseRequired, .truncated, .foreign, .unreadable: return 2
        case .inUse, .fileExists: return 4
        case .integrity, .noFile: return 1
        }
    }
}

/// Why a backup was taken.
public enum BackupKind: String, Codable, Sendable, CaseIterable {
    case manual, scheduled
    case preRestore = "pre-restore"
}

/// One row of the `backups` table.
public struct BackupRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public var id: String
    public var name: String
    public var path: String
    public var size: Int64
    public var sha256: String
    public var encrypted: Bool
    public var kind: BackupKind
    public var schemaVersion: Int
    public var createdBy: String?
    public var createdAt: Date
    public var prunedAt: Date?
    public static let databaseTableName = "backups"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

/// What verifying a backup file found.
public struct BackupCheck: Sendable, Equatable {
    public let path: String
    public let encrypted: Bool
    public let size: Int64
    public let sha256: String
    public let schemaVersion: Int
    public let integrity: String
}

/// What a restore did.
public struct RestoreResult {
    /// The database, reopened on the restored file (the old `AppDatabase` is closed).
    public let database: AppDatabase
    /// The copy of the database as it was just before the restore.
    public let previous: BackupRecord
    public let check: BackupCheck
}

// MARK: - Verification (no database needed)

public enum BackupFiles {
    static let sqliteMagic = Data("SQLite format 3\0".utf8)

    /// Verifies a backup file: decrypts it (when encrypted) into a temporary copy, checks the
    /// SQLite header against the file size, runs `PRAGMA integrity_check`, and checks that it is
    /// a FiberNode database of a schema this binary knows. The file itself is never modified.
    public static func verify(file: String, passphrase: String?) throws -> BackupCheck {
        let (check, copy) = try verifiedCopy(file: file, passphrase: passphrase,
                                              directory: FileManager.default.temporaryDirectory.path)
        removeDatabaseFiles(copy)
        return check
    }

    /// Verifies and leaves a plain, checked copy in `directory` (the caller removes it).
    static func verifiedCopy(file: String, passphrase: String?, directory: String) throws -> (BackupCheck, String) {
        let fm = FileManager.default
        guard fm.isReadableFile(atPath: file), let data = fm.contents(atPath: file) else {
            throw StoreError.backup(.unreadable(path: file))
        }
        let encrypted = BackupCrypto.isEncrypted(prefix: data.prefix(8))
        let plain: Data
        if encrypted {
            guard let passphrase, !passphrase.isEmpty else { throw StoreError.backup(.passphraseRequired) }
            plain = try BackupCrypto.decrypt(data, passphrase: passphrase, path: file)
        } else {
            plain = data
        }
        try checkHeader(plain, path: file)
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let copy = (directory as NSString).appendingPathComponent(".fibernode-verify-\(UUID().uuidString).db")
        guard fm.createFile(atPath: copy, contents: plain, attributes: [.posixPermissions: 0o600]) else {
            throw StoreError.storage("cannot write \(copy)")
        }
        do {
            let (version, integrity) = try inspect(copy, path: file)
            let check = BackupCheck(path: file, encrypted: encrypted, size: Int64(data.count),
                                    sha256: try BackupCrypto.sha256(file: file), schemaVersion: version, integrity: integrity)
            return (check, copy)
        } catch {
            removeDatabaseFiles(copy)
            throw error
        }
    }

    /// Header checks that catch foreign and truncated files before SQLite reads them.
    static func checkHeader(_ d: Data, path: String) throws {
        guard d.count >= 100, d.prefix(16) == sqliteMagic else {
            // A file that starts like SQLite but is shorter than its header is truncated.
            if d.count > 0, d.count < 100, sqliteMagic.starts(with: d.prefix(16)) || d.prefix(16) == sqliteMagic {
                throw StoreError.backup(.truncated(path: path))
            }
            throw StoreError.backup(.foreign(path: path))
        }
        let b = [UInt8](d.prefix(100))
        let rawPage = Int(b[16]) << 8 | Int(b[17])
        let pageSize = rawPage == 1 ? 65536 : rawPage
        guard pageSize >= 512, pageSize & (pageSize - 1) == 0 else { throw StoreError.backup(.foreign(path: path)) }
        guard d.count % pageSize == 0 else { throw StoreError.backup(.truncated(path: path)) }
        func be32(_ at: Int) -> Int { Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3]) }
        // The in-header page count is valid when "version-valid-for" equals the change counter.
        if be32(92) == be32(24) {
            let pages = be32(28)
            if pages > 0, d.count < pages * pageSize { throw StoreError.backup(.truncated(path: path)) }
        }
    }

    /// Opens the copy, runs the integrity check and reads the schema version.
    static func inspect(_ copy: String, path: String) throws -> (version: Int, integrity: String) {
        var config = Configuration()
        config.busyMode = .timeout(5)
        do {
            let q = try DatabaseQueue(path: copy, configuration: config)
            defer { try? q.close() }
            return try q.inDatabase { db in
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
                guard integrity == "ok" else { throw StoreError.backup(.truncated(path: path)) }
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                let ours = try db.tableExists("settings") && db.tableExists("users") && db.tableExists("activity_logs")
                guard version > 0, ours else { throw StoreError.backup(.foreign(path: path)) }
                if version > AppDatabase.schemaVersion {
                    throw StoreError.schemaTooNew(found: version, supported: AppDatabase.schemaVersion)
                }
                return (version, integrity)
            }
        } catch let e as DatabaseError {
            switch e.resultCode {
            case .SQLITE_NOTADB: throw StoreError.backup(.foreign(path: path))
            default: throw StoreError.backup(.truncated(path: path))
            }
        }
    }

    /// Removes a database file and its -wal/-shm/-journal companions.
    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Flushes a file (or directory) to disk.
    static func sync(_ path: String) {
        let fd = open(path, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}

// MARK: - Other processes

/// Which other processes hold a database open, read from the kernel's lock table.
public enum DatabaseHolders {
    /// PIDs (other than ours) holding a POSIX or OFD lock on the database or its -shm file.
    /// Every SQLite connection in WAL mode keeps a shared lock on the -shm file while it is
    /// open, so this lists every process that has the database open. Linux only (`/proc/locks`);
    /// elsewhere it returns nothing.
    public static func pids(path: String) -> [Int32] {
        var inodes = Set<UInt64>()
        for p in [path, path + "-shm", path + "-wal"] {
            var st = stat()
            if stat(p, &st) == 0 { inodes.insert(UInt64(st.st_ino)) }
        }
        guard !inodes.isEmpty, let table = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return [] }
        let me = getpid()
        var out = Set<Int32>()
        for line in table.split(separator: "\n") where !line.contains("->") {
            // "3: POSIX  ADVISORY  READ 12345 08:01:1234567 128 128"
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count >= 6, let pid = Int32(f[4]), let ino = f[5].split(separator: ":").last.flatMap({ UInt64($0) }),
                  inodes.contains(ino), pid != me else { continue }
            out.insert(pid)
        }
        return out.sorted()
    }
}

// MARK: - Creating, listing, restoring

extension AppDatabase {
    /// The backup folder: the `backup.dir` setting, else `backups/` beside the database.
    public func backupDirectory(_ settings: SettingsSnapshot) throws -> String {
        let configured = settings["backup.dir"]
        if !configured.isEmpty { return configured }
        guard let path else { throw StoreError.backup(.noFile) }
        return ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("backups")
    }

    /// An online backup (superadmin only): consistent while others write, integrity-checked,
    /// optionally encrypted, recorded in `backups` and audited.
    /// `progress(step, steps)` follows the stages (snapshot, check, seal, in place) so a screen
    /// can show how far a long backup is (issue 13 §7).
    public func createBackup(output: String? = nil, passphrase: String? = nil, actor: Actor,
                             context: StoreContext, progress: ((Int, Int) -> Void)? = nil) throws -> BackupRecord {
        guard actor.can(.manageBackups) else { throw StoreError.notPermitted }
        return try makeBackup(output: output, passphrase: passphrase, kind: .manual, actor: actor, context: context, progress: progress)
    }

    /// Every recorded backup, newest first (superadmin only).
    public func backups(actor: Actor, includePruned: Bool = false) throws -> [BackupRecord] {
        guard actor.can(.manageBackups) else { throw StoreError.notPermitted }
        return try read { db in
            try BackupRecord.fetchAll(db, sql: "SELECT * FROM backups \(includePruned ? "" : "WHERE pruned_at IS NULL") ORDER BY created_at DESC, id")
        }
    }

    /// Verifies a backup file (superadmin only).
    public func verifyBackup(file: String, passphrase: String?, actor: Actor) throws -> BackupCheck {
        guard actor.can(.manageBackups) else { throw StoreError.notPermitted }
        return try BackupFiles.verify(file: file, passphrase: passphrase)
    }

    static func stamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.string(from: date)
    }

    /// Takes the backup: `VACUUM INTO` a temporary file in the target folder (one read
    /// transaction, so a consistent snapshot while other processes write), checks it,
    /// encrypts it when asked, then renames it into place and records it.
    func makeBackup(output: String?, passphrase: String?, kind: BackupKind, actor: Actor?,
                    context: StoreContext, progress: ((Int, Int) -> Void)? = nil) throws -> BackupRecord {
        let fm = FileManager.default
        progress?(0, 4)
        let settings = try self.settings()
        let encrypted = !(passphrase ?? "").isEmpty
        let finalPath: String
        if let output {
            // The output policy (issue 12): never the database or its side files, a folder or
            // a symlink; never an existing file.
            let policy = OutputPolicy(exportFolder: fm.currentDirectoryPath, restricted: false,
                                      databasePath: path.map(Self.absolutePath), backupFolder: nil)
            do {
                finalPath = try policy.resolve(output, base: fm.currentDirectoryPath)
            } catch OutputError.exists, OutputError.isProtected where fm.fileExists(atPath: output) {
                throw StoreError.backup(.fileExists(path: output))
            } catch OutputError.noFolder {
                finalPath = output   // created below, as before
            }
            if fm.fileExists(atPath: finalPath) { throw StoreError.backup(.fileExists(path: finalPath)) }
        } else {
            let dir = try backupDirectory(settings)
            let base = "fibernode-\(Self.stamp(context.clock.now()))-\(kind.rawValue)"
            let ext = encrypted ? ".db.enc" : ".db"
            var candidate = (dir as NSString).appendingPathComponent(base + ext)
            var n = 2
            while fm.fileExists(atPath: candidate) {
                candidate = (dir as NSString).appendingPathComponent("\(base)-\(n)\(ext)"); n += 1
            }
            finalPath = candidate
        }
        let dir = (finalPath as NSString).deletingLastPathComponent
        do {
            try fm.createDirectory(atPath: dir.isEmpty ? "." : dir, withIntermediateDirectories: true,
                                   attributes: [.posixPermissions: 0o700])
        } catch { throw StoreError.storage("cannot create \(dir): \(error.localizedDescription)") }
        let tmp = ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent(".fibernode-backup-\(context.random.uuid()).tmp")
        defer { BackupFiles.removeDatabaseFiles(tmp) }

        // 1. The snapshot. VACUUM INTO runs outside a transaction and reads in one.
        do {
            try writer.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [tmp]) }
        } catch let e as DatabaseError { throw AppDatabase.map(e) }
        chmod(tmp, 0o600)
        progress?(1, 4)

        // 2. The copy must be whole before it gets its name.
        let (version, integrity) = try BackupFiles.inspect(tmp, path: finalPath)
        guard integrity == "ok" else { throw StoreError.backup(.integrity(integrity)) }
        progress?(2, 4)

        // 3. Encryption (whole file in memory: FiberNode databases are megabytes, not gigabytes).
        if encrypted, let passphrase {
            guard let plain = fm.contents(atPath: tmp) else { throw StoreError.backup(.unreadable(path: tmp)) }
            let sealed = try BackupCrypto.encrypt(plain, passphrase: passphrase, cost: context.passwordCost, random: context.random)
            do { try sealed.write(to: URL(fileURLWithPath: tmp), options: .atomic) } catch {
                throw StoreError.storage("cannot write \(tmp): \(error.localizedDescription)")
            }
            chmod(tmp, 0o600)
        }
        BackupFiles.sync(tmp)
        progress?(3, 4)
        if fm.fileExists(atPath: finalPath) { throw StoreError.backup(.fileExists(path: finalPath)) }
        guard rename(tmp, finalPath) == 0 else { throw StoreError.storage("cannot rename to \(finalPath): \(String(cString: strerror(errno)))") }
        BackupFiles.sync(dir.isEmpty ? "." : dir)

        let size = (try? fm.attributesOfItem(atPath: finalPath)[.size] as? Int).flatMap { $0 }.map(Int64.init) ?? 0
        let record = BackupRecord(id: context.random.uuid(), name: (finalPath as NSString).lastPathComponent,
                                  path: Self.absolute(finalPath), size: size, sha256: try BackupCrypto.sha256(file: finalPath),
                                  encrypted: encrypted, kind: kind, schemaVersion: version,
                                  createdBy: actor?.username ?? "system", createdAt: context.clock.now(), prunedAt: nil)
        try write { db in
            try record.insert(db)
            try Audit.record(db, actor: actor, action: "backup.create", resource: "backups", resourceId: record.id,
                             metadata: ["name": record.name, "size": Int(record.size), "sha256": record.sha256,
                                        "encrypted": record.encrypted, "kind": kind.rawValue],
                             context: context)
        }
        progress?(4, 4)
        return record
    }

    static func absolute(_ path: String) -> String {
        ((path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path))
            as NSString).standardizingPath
    }

    /// Restores a backup file over this database (superadmin only).
    ///
    /// The file is verified first (decrypted, header vs size, integrity check, FiberNode
    /// schema not newer than this binary) into a temporary copy in the database's folder; any
    /// failure leaves the database untouched. While another process holds the database open
    /// the restore is refused (`inUse` with their PIDs). Otherwise a copy of the current
    /// database is kept (kind `pre-restore`), this connection is closed, stale -wal/-shm
    /// files are removed, and the verified copy is renamed over the database in one step.
    /// The returned `RestoreResult.database` is the reopened database; `self` is closed.
    public func restoreBackup(file: String, passphrase: String?, actor: Actor, context: StoreContext) throws -> RestoreResult {
        guard actor.can(.manageBackups) else { throw StoreError.notPermitted }
        guard let path else { throw StoreError.backup(.noFile) }
        let dbDir = (path as NSString).deletingLastPathComponent
        let (check, copy) = try BackupFiles.verifiedCopy(file: file, passphrase: passphrase, directory: dbDir.isEmpty ? "." : dbDir)
        var swapped = false
        defer { if !swapped { BackupFiles.removeDatabaseFiles(copy) } }

        let others = DatabaseHolders.pids(path: path)
        guard others.isEmpty else { throw StoreError.backup(.inUse(pids: others)) }

        // The history of backups survives the restore; so does the copy of what we replace.
        let history = try read { db in try BackupRecord.fetchAll(db, sql: "SELECT * FROM backups") }
        let previous = try makeBackup(output: nil, passphrase: nil, kind: .preRestore, actor: actor, context: context)

        // Someone may have opened it while the copy was taken; ask again while we are still usable.
        let again = DatabaseHolders.pids(path: path)
        guard again.isEmpty else { throw StoreError.backup(.inUse(pids: again)) }
        // Swap. Close every connection of ours first so no -wal/-shm is in use.
        do {
            if let pool = writer as? DatabasePool { try pool.close() }
            else if let queue = writer as? DatabaseQueue { try queue.close() }
        } catch { throw StoreError.storage("cannot close the database: \(error)") }
        // A -wal left by a crashed process belongs to the old file (its content is in the
        // pre-restore copy, read through SQLite); replayed onto the new file it would corrupt it.
        for suffix in ["-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        chmod(copy, 0o600)
        BackupFiles.sync(copy)
        guard rename(copy, path) == 0 else { throw StoreError.storage("cannot rename onto \(path): \(String(cString: strerror(errno)))") }
        swapped = true
        BackupFiles.sync(dbDir.isEmpty ? "." : dbDir)

        let restored = try AppDatabase.open(path: path, create: false)
        try restored.write { db in
            for r in history + [previous] where try !BackupRecord.exists(db, key: r.id) {
                try r.insert(db)
            }
            let known = try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE id = ?", arguments: [actor.userId]) == true
            try Audit.record(db, actor: known ? actor : nil, action: "backup.restore", resource: "backups", resourceId: nil,
                             metadata: ["file": file, "sha256": check.sha256, "schema_version": check.schemaVersion,
                                        "previous": previous.name, "by": actor.username],
                             context: context)
        }
        return RestoreResult(database: restored, previous: previous, check: check)
    }
}
