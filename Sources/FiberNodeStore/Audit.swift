import Foundation
import GRDB
import FiberNodeDomain

/// Writes `activity_logs` rows inside the caller's transaction.
public enum Audit {
    /// Field names whose values never reach the log.
    static let secretFields: Set<String> = ["password", "password_hash", "passwordHash", "api_key", "gateway_api_key", "token"]

    public static func record(_ db: Database, actor: Actor?, action: String, resource: String?, resourceId: String?,
                              metadata: [String: Any], context: StoreContext) throws {
        let json = try JSONSerialization.data(withJSONObject: redact(metadata), options: [.sortedKeys])
        let statement = try db.cachedStatement(sql: """
            INSERT INTO activity_logs(id, user_id, username, action, resource, resource_id, metadata, ip_address, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [context.random.uuid(), actor?.userId, actor?.username, action, resource, resourceId,
                             String(decoding: json, as: UTF8.self), context.origin, context.clock.now()])
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
