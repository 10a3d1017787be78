import Foundation
import GRDB
import FiberNodeDomain

/// What the audit view filters on; empty fields match everything.
public struct AuditFilter: Sendable, Equatable {
    /// Part of the username (any case).
    public var user: String
    /// Start of the action ("settings" matches "settings.update").
    public var action: String
    /// The resource ("settings", "customers", …), exactly.
    public var resource: String
    /// Business dates, inclusive, in the configured time zone.
    public var from: LocalDate?
    public var to: LocalDate?
    public init(user: String = "", action: String = "", resource: String = "", from: LocalDate? = nil, to: LocalDate? = nil) {
        self.user = user; self.action = action; self.resource = resource; self.from = from; self.to = to
    }
    public var isEmpty: Bool { user.isEmpty && action.isEmpty && resource.isEmpty && from == nil && to == nil }
}

/// Where a page ends: the (created_at, id) of its last row, for keyset paging.
public struct AuditCursor: Sendable, Equatable {
    public let createdAt: Date
    public let id: String
    public init(_ e: ActivityLogEntry) { createdAt = e.createdAt; id = e.id }
}

extension AppDatabase {
    /// One page of `activity_logs`, newest first, after `cursor` (or the page just before it
    /// when `backwards`, still newest first) (superadmin only).
    /// Keyset paging on (created_at, id), so a page costs the same however deep it is.
    public func activityPage(actor: Actor, filter: AuditFilter, timeZone: TimeZone, after cursor: AuditCursor?,
                             backwards: Bool = false, limit: Int) throws -> [ActivityLogEntry] {
        guard actor.can(.viewAuditLog) else { throw StoreError.notPermitted }
        var clauses: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        let user = filter.user.trimmingCharacters(in: .whitespaces)
        if !user.isEmpty { clauses.append("username LIKE ? ESCAPE '\\'"); args.append("%" + Self.likeEscape(user) + "%") }
        let action = filter.action.trimmingCharacters(in: .whitespaces)
        if !action.isEmpty { clauses.append("action LIKE ? ESCAPE '\\'"); args.append(Self.likeEscape(action) + "%") }
        let resource = filter.resource.trimmingCharacters(in: .whitespaces)
        if !resource.isEmpty { clauses.append("resource = ? COLLATE NOCASE"); args.append(resource) }
        if let from = filter.from { clauses.append("created_at >= ?"); args.append(from.startOfDay(in: timeZone)) }
        if let to = filter.to { clauses.append("created_at < ?"); args.append(to.adding(days: 1).startOfDay(in: timeZone)) }
        if let cursor {
            let op = backwards ? ">" : "<"
            clauses.append("(created_at \(op) ? OR (created_at = ? AND id \(op) ?))")
            args += [cursor.createdAt, cursor.createdAt, cursor.id]
        }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        args.append(max(1, min(limit, 1000)))
        let dir = backwards ? "ASC" : "DESC"
        let rows = try read { db in
            try ActivityLogEntry.fetchAll(db, sql: "SELECT * FROM activity_logs \(whereSQL) ORDER BY created_at \(dir), id \(dir) LIMIT ?",
                                          arguments: StatementArguments(args))
        }
        return backwards ? rows.reversed() : rows
    }

    static func likeEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}

extension ActivityLogEntry {
    /// The metadata as a dictionary (empty when absent or not an object).
    public var metadataObject: [String: Any] {
        guard let metadata, let data = metadata.data(using: .utf8),
              let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return obj
    }
}
