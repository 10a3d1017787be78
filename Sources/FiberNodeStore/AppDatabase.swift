import Foundation
import GRDB

/// The one SQLite file: a GRDB writer with FiberNode's pragmas and schema.
public final class AppDatabase: @unchecked Sendable {
    /// The database connection(s): a `DatabasePool` for files, a `DatabaseQueue` in memory.
    public let writer: any DatabaseWriter
    /// The file path, or nil in memory.
    public let path: String?

    // MARK: - Opening

    /// Opens (and migrates) the database at `path`. With `create`, a missing file is
    /// created with mode 0600 (parent directories too); without, a missing file is an error.
    public static func open(path: String, create: Bool) throws -> AppDatabase {
        let fm = FileManager.default
        let exists = fm.fileExists(atPath: path)
        if !exists {
            guard create else { throw StoreError.databaseMissing(path: path) }
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
            let fd = Foundation.open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
            guard fd >= 0 else { throw StoreError.storage(String(cString: strerror(errno))) }
            close(fd)
        } else if !create {
            // An existing non-database file is refused before SQLite touches it.
            try AppDatabase.checkHeader(path: path)
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration())
        } catch let e as DatabaseError where e.resultCode == .SQLITE_NOTADB {
            throw StoreError.notADatabase(path: path)
        }
        // WAL and SHM side files must not be readable by others either.
        for suffix in ["-wal", "-shm"] where fm.fileExists(atPath: path + suffix) {
            chmod(path + suffix, 0o600)
        }
        let db = AppDatabase(writer: pool, path: path)
        try db.migrate()
        return db
    }

    /// A fresh in-memory database with the full schema (tests).
    public static func inMemory() throws -> AppDatabase {
        let queue = try DatabaseQueue(configuration: configuration())
        let db = AppDatabase(writer: queue, path: nil)
        try db.migrate()
        return db
    }

    init(writer: any DatabaseWriter, path: String?) {
        self.writer = writer
        self.path = path
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // A marked payment must survive a power cut.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // The writer gets 16 MiB of page cache so a bulk transaction (an import of
            // 10,000 customers with its indexes and FTS rows) does not spill mid-way;
            // readers keep SQLite's default to keep the terminal's memory small.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -16384") }
        }
        return config
    }

    /// Refuses a file that is not SQLite before anything is written to it. The probe goes
    /// through SQLite (a read-only connection), never through a plain file descriptor:
    /// closing any descriptor of the database file drops every POSIX lock this process
    /// holds on it, and another process could then checkpoint and reset the WAL under this
    /// process's open connections (seen as "database disk image is malformed").
    ///
    /// Issue 12, item 7: a refused file is not modified at all. The probe is read-only and
    /// decides everything `migrate()` would refuse (an empty file, someone else's SQLite
    /// file, a newer FiberNode schema) before the read-write pool opens — which would switch
    /// a foreign file to WAL and leave a `-wal` next to it.
    static func checkHeader(path: String) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        // An empty file is not a database nobody can log into: `fibernode init` makes one.
        if size == 0 { throw StoreError.notADatabase(path: path) }
        var config = Configuration()
        config.readonly = true
        // Other processes write all the time: wait like every other connection does
        // (a busy WAL index made the probe fail at once with "database is locked").
        config.busyMode = .timeout(10)
        do {
            let probe = try DatabaseQueue(path: path, configuration: config)
            defer { try? probe.close() }
            let (version, tables, hasSettings) = try probe.read { db -> (Int, Int, Bool) in
                let v = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                let t = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'") ?? 0
                return (v, t, try db.tableExists("settings"))
            }
            if version > Migrations.all.count { throw StoreError.schemaTooNew(found: version, supported: Migrations.all.count) }
            if version > 0, !hasSettings { throw StoreError.notADatabase(path: path) }
            if version == 0, tables > 0 { throw StoreError.notADatabase(path: path) }
        } catch let e as DatabaseError where e.resultCode == .SQLITE_NOTADB {
            throw StoreError.notADatabase(path: path)
        } catch let e as DatabaseError {
            throw StoreError.storage(e.message ?? "\(e.resultCode)")
        }
    }

    /// One setting read from a database file without changing it (read-only; nil when the
    /// file is missing, empty, not ours or unreadable). For messages printed before a command
    /// opens the database (usage errors in the user's language).
    public static func peekSetting(path: String, key: String) -> String? {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size > 0 else { return nil }
        var config = Configuration()
        config.readonly = true
        guard let q = try? DatabaseQueue(path: path, configuration: config) else { return nil }
        defer { try? q.close() }
        return try? q.read { db in
            guard try db.tableExists("settings") else { return nil }
            return try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key])
        }
    }

    // MARK: - Schema versions

    /// The schema version this binary writes.
    public static var schemaVersion: Int { Migrations.all.count }

    /// Applies every pending migration in ONE transaction; refuses a newer database.
    func migrate() throws {
        try writer.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if found > Migrations.all.count {
                    throw StoreError.schemaTooNew(found: found, supported: Migrations.all.count)
                }
                if found > 0 {
                    // A file that says it is ours must have our marker table.
                    guard try db.tableExists("settings") else { throw StoreError.notADatabase(path: path ?? ":memory:") }
                } else {
                    // version 0 and user tables present → someone else's database
                    let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'") ?? 0
                    if tables > 0 { throw StoreError.notADatabase(path: path ?? ":memory:") }
                }
                for (index, migration) in Migrations.all.enumerated() where index >= found {
                    try migration(db)
                }
                if found < Migrations.all.count {
                    try db.execute(sql: "PRAGMA user_version = \(Migrations.all.count)")
                }
                return .commit
            }
        }
    }

    /// `PRAGMA integrity_check` (or the faster `quick_check`) result: "ok" when healthy.
    public func integrityCheck(quick: Bool = false) throws -> String {
        try writer.read { db in
            try String.fetchAll(db, sql: quick ? "PRAGMA quick_check" : "PRAGMA integrity_check").joined(separator: "\n")
        }
    }
}

// MARK: - Error mapping

extension AppDatabase {
    /// Runs a write transaction, mapping SQLite failures (full disk, I/O) to `StoreError.storage`.
    public func write<T>(_ updates: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(updates)
        } catch let e as DatabaseError {
            throw AppDatabase.map(e)
        }
    }

    /// Runs a read.
    public func read<T>(_ value: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(value)
        } catch let e as DatabaseError {
            throw AppDatabase.map(e)
        }
    }

    static func map(_ e: DatabaseError) -> StoreError {
        switch e.resultCode {
        case .SQLITE_FULL: return .storage("disk full")
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .storage("database busy")
        case .SQLITE_NOTADB: return .notADatabase(path: "")
        case .SQLITE_CONSTRAINT: return .alreadyExists(what: e.message ?? "constraint")
        default: return .storage(e.message ?? "\(e.resultCode)")
        }
    }
}
