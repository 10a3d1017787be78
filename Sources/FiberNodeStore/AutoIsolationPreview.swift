import Foundation
import GRDB
import FiberNodeDomain

/// What the dashboard shows of the automatic-isolation dry run (issue 17): how many customers
/// the daily job would isolate on a day, and the first few in the job's order.
public struct AutoIsolationSummary: Sendable, Equatable {
    /// Equals `autoIsolationPreview(…).count`.
    public var count: Int
    /// The first candidates by (oldest due date, code), as `autoIsolationPreview` lists them.
    public var first: [IsolationCandidate]

    public init(count: Int, first: [IsolationCandidate]) { self.count = count; self.first = first }
}

extension AppDatabase {
    /// The dry run as the dashboard shows it, read from `isolation_watch` (kept by triggers)
    /// instead of every open overdue invoice: a sum over owner × due dates, the few promised
    /// customers subtracted, and an ordered index walk for the first `limit` names. Flat in
    /// customers and invoices; the daily job itself keeps `autoCandidates` (it acts on all).
    public func autoIsolationSummary(actor: Actor, day: LocalDate, ownerId: String? = nil, limit: Int = 3) throws -> AutoIsolationSummary {
        let owner = try Self.financeOwner(actor: actor, ownerId: ownerId)
        return try read { db in try Self.autoSummary(db, day: day, ownerId: owner, limit: limit) }
    }

    static func autoSummary(_ db: Database, day: LocalDate, ownerId: String?, limit: Int) throws -> AutoIsolationSummary {
        let days = try Self.settings(db).int("invoices.isolation_overdue_days")
        let cutoff = day.adding(days: -days).description
        // The plans are pinned (INDEXED BY): a small or freshly analysed table must not turn
        // these into walks of every watched customer.
        let total = try Int.fetchOne(db, sql: """
            SELECT coalesce(sum(customers), 0) FROM isolation_watch_stats WHERE owner_id = ? AND oldest_due < ?
            """, arguments: [ownerId ?? "", cutoff]) ?? 0
        var args: [DatabaseValueConvertible?] = [day.description, cutoff]
        var owner = ""
        if let ownerId { owner = " AND owner_id = ?"; args.append(ownerId) }
        let promised = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM isolation_watch INDEXED BY idx_isolation_watch_promise
            WHERE promise_until >= ? AND oldest_due < ?\(owner)
            """, arguments: StatementArguments(args)!) ?? 0
        let ids = try String.fetchAll(db, sql: """
            SELECT customer_id FROM isolation_watch INDEXED BY \(ownerId == nil ? "idx_isolation_watch_due" : "idx_isolation_watch_owner_due")
            WHERE oldest_due < ? AND (promise_until IS NULL OR promise_until < ?)\(owner)
            ORDER BY oldest_due, code LIMIT ?
            """, arguments: StatementArguments([cutoff, day.description] + (ownerId.map { [$0] } ?? []) + [limit])!)
        guard !ids.isEmpty else { return AutoIsolationSummary(count: total - promised, first: []) }
        // The same columns as `autoCandidates`, for these few customers only (their invoices by index).
        let first = try IsolationCandidate.fetchAll(db, sql: """
            SELECT c.id AS customer_id, c.code, c.name, u.business_name AS area, min(i.due_date) AS oldest_due,
                   count(*) AS unpaid_invoices, sum(i.total_amount - i.paid_amount) AS unpaid_total
            FROM customers c JOIN invoices i ON i.customer_id = c.id JOIN users u ON u.id = c.owner_id
            WHERE c.id IN (\(ids.map { _ in "?" }.joined(separator: ", "))) AND i.status != 'paid' AND i.due_date < ?
            GROUP BY c.id ORDER BY oldest_due, c.code
            """, arguments: StatementArguments(ids + [cutoff])!)
        return AutoIsolationSummary(count: total - promised, first: first)
    }
}
