import Foundation
import GRDB
import FiberNodeDomain

/// Writes `activity_logs` rows inside the caller's transaction.
public enum Audit {
    /// Field names whose values never reach the log.
    static let secretFields: Set<String> = ["password", "password_hash", "passwordHash", "api_key", "gateway_api_key", "token"]

    public static func record(_ db: Database, actor: Actor?, action: String, resource: String?, resourceId: String?,
                              metadata: [String: Any], context: StoreContext) throws {
        try record(db, actor: actor, action: action, resource: resource, resourceId: resourceId, metadata: metadata,
                   context: context, at: context.clock.now().databaseValue)
    }

    /// The same with the time already converted (bulk writes convert it once).
    static func record(_ db: Database, actor: Actor?, action: String, resource: String?, resourceId: String?,
                       metadata: [String: Any], context: StoreContext, at stamp: DatabaseValue) throws {
        try record(db, actor: actor, action: action, resource: resource, resourceId: resourceId,
                   json: AuditJSON.encode(hasSecret(metadata) ? redact(metadata) : metadata), context: context, at: stamp)
    }

    /// The same with the metadata already written as JSON (a bulk write that writes it
    /// directly, without the `[String: Any]` dictionaries: see `AppDatabase.importAuditJSON`).
    static func record(_ db: Database, actor: Actor?, action: String, resource: String?, resourceId: String?,
                       json: String, context: StoreContext, at stamp: DatabaseValue) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO activity_logs(id, user_id, username, action, resource, resource_id, metadata, ip_address, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [context.random.uuid(), actor?.userId, actor?.username, action, resource, resourceId,
                             json, context.origin, stamp])
    }

    /// One row per (resource id, metadata already written as JSON, without secrets), in order,
    /// 1,000 rows per INSERT: a bulk write's audit (10,000 single-row statements were a
    /// tenth of a CSV import). Ids are drawn in the rows' order, as one `record` each would.
    static func recordMany(_ db: Database, actor: Actor?, action: String, resource: String?,
                           rows: [(resourceId: String?, json: String)], context: StoreContext, at stamp: DatabaseValue) throws {
        let perInsert = 1_000
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perInsert)
            let sql = "INSERT INTO activity_logs(id, user_id, username, action, resource, resource_id, metadata, ip_address, created_at) VALUES "
                + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: end - start).joined(separator: ", ")
            let statement = end - start == perInsert ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
            var values: [DatabaseValue] = []
            values.reserveCapacity((end - start) * 9)
            let (userId, username, act, res, origin) = (actor?.userId.databaseValue ?? .null, actor?.username.databaseValue ?? .null,
                                                        action.databaseValue, resource.databaseValue, context.origin.databaseValue)
            for row in rows[start..<end] {
                values.append(contentsOf: [context.random.uuid().databaseValue, userId, username, act, res,
                                           row.resourceId.databaseValue, row.json.databaseValue, origin, stamp])
            }
            try statement.execute(arguments: StatementArguments(values))
            start = end
        }
    }

    /// Whether any key, at any depth, names a secret (most metadata has none: no copy then).
    static func hasSecret(_ value: Any) -> Bool {
        if let dict = value as? [String: Any] {
            return dict.contains { secretFields.contains($0.key) || hasSecret($0.value) }
        }
        if let arr = value as? [Any] { return arr.contains(where: hasSecret) }
        return false
    }

    static func redact(_ value: Any) -> Any {
        if let dict = value as? [String: Any] {
            var out: [String: Any] = [:]
            for (k, v) in dict { out[k] = secretFields.contains(k) ? "[redacted]" : redact(v) }
            return out
        }
        if let arr = value as? [Any] { return arr.map(redact) }
        if value is NSNull { return NSNull() }
        if let v = value as? String { return v }
        if let v = value as? Int { return v }
        if let v = value as? Bool { return v }
        return String(describing: value)
    }
}

/// JSON text of audit metadata (objects with sorted keys, arrays, strings, integers, booleans,
/// null). Foundation's JSONSerialization took two thirds of a 10,000-row import on Linux;
/// this writes the same JSON directly (tests parse it back with JSONSerialization).
enum AuditJSON {
    static func encode(_ value: Any) -> String {
        var out = ""
        write(value, to: &out)
        return out
    }

    static func write(_ value: Any, to out: inout String) {
        switch value {
        case let d as [String: Any]:
            out.append("{")
            for (i, k) in d.keys.sorted().enumerated() {
                if i > 0 { out.append(",") }
                string(k, to: &out); out.append(":"); write(d[k]!, to: &out)
            }
            out.append("}")
        case let a as [Any]:
            out.append("[")
            for (i, v) in a.enumerated() { if i > 0 { out.append(",") }; write(v, to: &out) }
            out.append("]")
        case let b as Bool: out.append(b ? "true" : "false")
        case let n as Int: out.append(String(n))
        case let s as String: string(s, to: &out)
        case is NSNull: out.append("null")
        default: string(String(describing: value), to: &out)
        }
    }

    static func string(_ s: String, to out: inout String) {
        // Most values need no escaping: append them whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }) {
            out.append("\""); out.append(s); out.append("\"")
            return
        }
        out.append("\"")
        for u in s.unicodeScalars {
            switch u {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case _ where u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029:
                let hex = String(u.value, radix: 16)
                out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.unicodeScalars.append(u)
            }
        }
        out.append("\"")
    }
}

/// One row of the audit log.
public struct ActivityLogEntry: Codable, FetchableRecord, Sendable {
    public var id: String
    public var userId: String?
    public var username: String?
    public var action: String
    public var resource: String?
    public var resourceId: String?
    public var metadata: String?
    public var ipAddress: String?
    public var createdAt: Date
    public static let databaseTableName = "activity_logs"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

extension AppDatabase {
    /// Newest audit entries (superadmin only).
    public func activityLog(actor: Actor, limit: Int = 100) throws -> [ActivityLogEntry] {
        guard actor.can(.viewAuditLog) else { throw StoreError.notPermitted }
        return try read { db in
            try ActivityLogEntry.fetchAll(db, sql: "SELECT * FROM activity_logs ORDER BY created_at DESC, id LIMIT ?", arguments: [limit])
        }
    }
}
