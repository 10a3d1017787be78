import Foundation
import GRDB
import FiberNodeDomain

/// Headline counts for the dashboard, scoped to what the actor may see.
public struct OverviewCounts: Sendable, Equatable {
    public var activeCustomers: Int
    public var isolatedCustomers: Int
    public var activeMitra: Int
    public var activePackages: Int
    public var unpaidInvoices: Int
    public var unpaidTotal: Int
    public var queuedMessages: Int
}

extension AppDatabase {
    public func overview(actor: Actor) throws -> OverviewCounts {
        try read { db in
            let all = actor.can(.viewAllOwners)
            let scope = all ? "1" : "owner_id = :me"
            let args: StatementArguments = ["me": actor.userId]
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql, arguments: args) ?? 0 }
            return OverviewCounts(
                activeCustomers: try count("SELECT coalesce(sum(customers), 0) FROM customer_stats WHERE status = 'active' AND \(scope)"),
                isolatedCustomers: try count("SELECT coalesce(sum(customers), 0) FROM customer_stats WHERE status = 'isolated' AND \(scope)"),
                activeMitra: all ? try count("SELECT count(*) FROM users WHERE role = 'mitra' AND is_active = 1 AND deleted_at IS NULL") : 0,
                activePackages: try count("SELECT count(*) FROM packages WHERE is_active = 1"),
                unpaidInvoices: try count("SELECT coalesce(sum(invoices), 0) FROM invoice_stats WHERE status != 'paid' AND \(scope)"),
                unpaidTotal: try count("SELECT coalesce(sum(billed - collected), 0) FROM invoice_stats WHERE status != 'paid' AND \(scope)"),
                queuedMessages: try count("SELECT count(*) FROM wa_message_queue WHERE status IN ('pending','held') AND \(scope)"))
        }
    }
}
