import Foundation
import GRDB
import FiberNodeDomain

/// Where a page of the send queue ends: (scheduled_at, id) of its last row (issue 13).
public struct QueueCursor: Sendable, Equatable {
    public let scheduledAt: Date
    public let id: String
    public init(_ q: QueueItem) { scheduledAt = q.scheduledAt; id = q.id }
}

/// Where a page of the message log ends: (sent_at, id) of its last row (issue 13).
public struct MessageLogCursor: Sendable, Equatable {
    public let sentAt: Date
    public let id: String
    public init(_ e: MessageLogEntry) { sentAt = e.sentAt; id = e.id }
}

extension AppDatabase {
    /// One page of the send queue in the actor's scope, in `queueItems`' order (scheduled_at, id),
    /// after `cursor` (or the page just before it when `backwards`): keyset paging, so the
    /// WhatsApp pane shows every message, not only the first 200.
    public func queuePage(actor: Actor, status: String? = nil, after cursor: QueueCursor? = nil, backwards: Bool = false,
                          limit: Int = 50) throws -> [QueueItem] {
        try read { db in
            var (w, args) = Self.scopeClause(actor, alias: "q")
            if let status { w += " AND q.status = ?"; args.append(status) }
            if let cursor {
                w += " AND (q.scheduled_at, q.id) \(backwards ? "<" : ">") (?, ?)"
                args += [cursor.scheduledAt, cursor.id]
            }
            let dir = backwards ? "DESC" : "ASC"
            let rows = try QueueItem.fetchAll(db, sql: QueueItem.select + " WHERE \(w) ORDER BY q.scheduled_at \(dir), q.id \(dir) LIMIT \(max(1, limit))",
                                              arguments: StatementArguments(args)!)
            return backwards ? rows.reversed() : rows
        }
    }

    /// One page of the message log in the actor's scope, newest first (`messageLog`'s order:
    /// sent_at DESC, id), after `cursor` (or the page just before it when `backwards`).
    public func messageLogPage(actor: Actor, filter: MessageLogFilter = MessageLogFilter(), timeZone: TimeZone,
                               after cursor: MessageLogCursor? = nil, backwards: Bool = false, limit: Int = 50) throws -> [MessageLogEntry] {
        try read { db in
            var (w, args) = Self.scopeClause(actor, alias: "l")
            if let t = filter.type { w += " AND l.message_type = ?"; args.append(t) }
            if let s = filter.status { w += " AND l.status = ?"; args.append(s) }
            if let f = filter.from { w += " AND l.sent_at >= ?"; args.append(f.startOfDay(in: timeZone)) }
            if let t = filter.to { w += " AND l.sent_at < ?"; args.append(t.adding(days: 1).startOfDay(in: timeZone)) }
            if let cursor {
                // sent_at descending, id ascending within one instant
                w += backwards ? " AND (l.sent_at > ? OR (l.sent_at = ? AND l.id < ?))" : " AND (l.sent_at < ? OR (l.sent_at = ? AND l.id > ?))"
                args += [cursor.sentAt, cursor.sentAt, cursor.id]
            }
            let order = backwards ? "l.sent_at ASC, l.id DESC" : "l.sent_at DESC, l.id ASC"
            let rows = try MessageLogEntry.fetchAll(db, sql: """
                SELECT l.id, l.session_id, l.owner_id, l.customer_id, l.invoice_id, l.message_type, l.phone, l.content, l.status,
                       l.error_message, l.wa_message_id, l.sent_at, c.name AS customer_name
                FROM wa_message_logs l LEFT JOIN customers c ON c.id = l.customer_id
                WHERE \(w) ORDER BY \(order) LIMIT \(max(1, limit))
                """, arguments: StatementArguments(args)!)
            return backwards ? rows.reversed() : rows
        }
    }
}
