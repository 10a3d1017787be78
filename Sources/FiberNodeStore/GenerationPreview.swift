import Foundation
import GRDB
import FiberNodeDomain

/// What generating a period would create (issue 14): shown before doing it.
public struct GenerationPreview: Sendable, Equatable {
    public var period: Period
    public var count: Int
    public var total: Int
    /// Of those, how many would already be past due on `today`.
    public var pastDue: Int
}

extension AppDatabase {
    /// The invoices `generateInvoices(period:ownerId:)` would create now (customers without
    /// one for the period), their total and how many would be due before `today` — with the
    /// same due date as generation: never before the customer's registration date.
    public func previewGeneration(period: Period, ownerId: String? = nil, today: LocalDate, actor: Actor) throws -> GenerationPreview {
        guard actor.can(.generateInvoices) else { throw StoreError.notPermitted }
        return try read { db in
            var scope = "c.deleted_at IS NULL AND c.status = 'active' AND c.register_date < ?"
            var args: [DatabaseValueConvertible?] = [period.previous.description, today.description, period.description,
                                                     period.next.description + "-01"]
            if let o = ownerId { scope += " AND c.owner_id = ?"; args.append(o) }
            let r = try Row.fetchOne(db, sql: """
                SELECT count(*), coalesce(sum(max(0, p.price - c.discount)), 0),
                       coalesce(sum(max(? || '-' || printf('%02d', c.billing_date), c.register_date) < ?), 0)
                FROM customers c JOIN packages p ON p.id = c.package_id
                WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id AND i.period = ?) AND \(scope)
                """, arguments: StatementArguments(args)!)!
            return GenerationPreview(period: period, count: r[0], total: r[1], pastDue: r[2])
        }
    }

    /// The period to propose: the next one, unless it would create invoices already past due
    /// while the one after would not (late in the month, when the daily job made most of them).
    public func proposedGenerationPeriod(today: LocalDate, ownerId: String? = nil, actor: Actor) throws -> Period {
        let next = today.period.next
        let p1 = try previewGeneration(period: next, ownerId: ownerId, today: today, actor: actor)
        if p1.count > 0 && p1.pastDue == 0 { return next }
        let p2 = try previewGeneration(period: next.next, ownerId: ownerId, today: today, actor: actor)
        return (p2.count > 0 && p2.pastDue == 0) ? next.next : next
    }
}
