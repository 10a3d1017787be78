import Foundation
import GRDB
import FiberNodeDomain

extension AppDatabase {
    /// The human code of each audited resource (issue 13 §5): a customer's code, an invoice's
    /// number, a user's username, a package's or router's name, the invoice a payment or
    /// message belongs to, a backup's file name. Keyed by resource id; resources that no longer
    /// exist (or have no code) are absent, and the audit view never shows their UUID.
    /// Superadmin only, like the audit log itself.
    public func auditResourceLabels(_ entries: [ActivityLogEntry], actor: Actor) throws -> [String: String] {
        guard actor.can(.viewAuditLog) else { throw StoreError.notPermitted }
        var ids: [String: Set<String>] = [:]
        for e in entries { if let r = e.resource, let id = e.resourceId { ids[r, default: []].insert(id) } }
        guard !ids.isEmpty else { return [:] }
        let sqlFor: [String: String] = [
            "customers": "SELECT id, code FROM customers WHERE id IN",
            "invoices": "SELECT id, number FROM invoices WHERE id IN",
            "users": "SELECT id, username FROM users WHERE id IN",
            "packages": "SELECT id, name FROM packages WHERE id IN",
            "routers": "SELECT id, name FROM routers WHERE id IN",
            "backups": "SELECT id, name FROM backups WHERE id IN",
            "payments": "SELECT p.id, i.number FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.id IN",
            "router_actions": "SELECT a.id, c.code FROM router_actions a JOIN customers c ON c.id = a.customer_id WHERE a.id IN",
            "wa_message_queue": """
                SELECT q.id, COALESCE(i.number, c.code, q.phone) FROM wa_message_queue q
                LEFT JOIN invoices i ON i.id = q.invoice_id LEFT JOIN customers c ON c.id = q.customer_id WHERE q.id IN
                """,
            "wa_sessions": "SELECT s.id, u.username FROM wa_sessions s JOIN users u ON u.id = s.user_id WHERE s.id IN",
        ]
        return try read { db in
            var out: [String: String] = [:]
            for (resource, set) in ids {
                guard let sql = sqlFor[resource] else { continue }
                let list = Array(set)
                let marks = Array(repeating: "?", count: list.count).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: "\(sql) (\(marks))", arguments: StatementArguments(list)) {
                    if let id: String = row[0], let label: String = row[1] { out[id] = label }
                }
            }
            return out
        }
    }
}
