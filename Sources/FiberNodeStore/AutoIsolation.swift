import Foundation
import GRDB
import FiberNodeDomain

/// A customer's place in the collection loop (issue 14).
public struct CollectionState: Sendable, Equatable {
    public var promiseUntil: LocalDate?
    public var promiseNote: String?
    /// Isolated by the daily job (restored automatically on full payment), not by hand.
    public var isolatedAutomatically: Bool
}

/// What one automatic-isolation run did (customer codes).
public struct AutoIsolationResult: Sendable, Equatable {
    public var isolated: [String] = []
    public var restored: [String] = []
}

extension AppDatabase {
    /// Customers the daily job isolates on `day`: active, with an unpaid invoice more than
    /// `invoices.isolation_overdue_days` past due, and no promise to pay on or after `day`.
    static func autoCandidates(_ db: Database, day: LocalDate, ownerId: String?) throws -> [IsolationCandidate] {
        let days = try Self.settings(db).int("invoices.isolation_overdue_days")
        let cutoff = day.adding(days: -days).description
        var args: [DatabaseValueConvertible?] = [cutoff, day.description]
        var owner = ""
        if let ownerId { owner = " AND c.owner_id = ?"; args.append(ownerId) }
        return try IsolationCandidate.fetchAll(db, sql: """
            SELECT c.id AS customer_id, c.code, c.name, u.business_name AS area, min(i.due_date) AS oldest_due,
                   count(*) AS unpaid_invoices, sum(i.total_amount - i.paid_amount) AS unpaid_total
            FROM invoices i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = c.owner_id
            WHERE i.status != 'paid' AND i.due_date < ? AND c.status = 'active' AND c.deleted_at IS NULL
              AND (c.promise_until IS NULL OR c.promise_until < ?)\(owner)
            GROUP BY c.id ORDER BY oldest_due, c.code
            """, arguments: StatementArguments(args)!)
    }

    /// The dry run: who the daily job would isolate on `day` (the dashboard shows tomorrow's).
    public func autoIsolationPreview(actor: Actor, day: LocalDate, ownerId: String? = nil) throws -> [IsolationCandidate] {
        let owner = try Self.financeOwner(actor: actor, ownerId: ownerId)
        return try read { db in try Self.autoCandidates(db, day: day, ownerId: owner) }
    }

    /// Promise and how it was isolated, for the customer detail.
    public func collectionState(customer idOrCode: String, actor: Actor) throws -> CollectionState {
        try read { db in
            let c = try Self.customer(db, id: idOrCode, actor: actor)
            let r = try Row.fetchOne(db, sql: "SELECT promise_until, promise_note, isolated_auto FROM customers WHERE id = ?", arguments: [c.id])!
            return CollectionState(promiseUntil: (r[0] as String?).flatMap(LocalDate.init), promiseNote: r[1], isolatedAutomatically: r[2] == 1)
        }
    }

    /// Records a promise to pay (the owner's staff or the superadmin): automatic isolation
    /// waits until after `until`. `until` must not be in the past (`today`); nil clears it.
    @discardableResult
    public func promise(_ idOrCode: String, until: LocalDate?, note: String = "", today: LocalDate, actor: Actor,
                        context: StoreContext) throws -> CollectionState {
        guard actor.can(.markPayment) else { throw StoreError.notPermitted }
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 200 else { throw StoreError.invalid(field: "note", reason: .tooLong(max: 200)) }
        guard !note.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw StoreError.invalid(field: "note", reason: .other("control characters"))
        }
        if let until {
            guard until >= today, today.days(to: until) <= 90 else {
                throw StoreError.invalid(field: "until", reason: .badFormat(expected: "\(today)…\(today.adding(days: 90))"))
            }
        }
        try write { db in
            let c = try Self.customer(db, id: idOrCode, actor: actor)
            guard c.deletedAt == nil else { throw StoreError.notFound(what: "customer") }
            let before = try Row.fetchOne(db, sql: "SELECT promise_until, promise_note FROM customers WHERE id = ?", arguments: [c.id])!
            try db.execute(sql: "UPDATE customers SET promise_until = ?, promise_note = ?, version = version + 1, updated_at = ? WHERE id = ?",
                           arguments: [until?.description, until == nil || note.isEmpty ? nil : note, context.clock.now(), c.id])
            try Audit.record(db, actor: actor, action: "customer.promise", resource: "customers", resourceId: c.id,
                             metadata: ["code": c.code, "before": ["until": (before[0] as String?) ?? "", "note": (before[1] as String?) ?? ""],
                                        "after": ["until": until?.description ?? "", "note": note]], context: context)
        }
        return try collectionState(customer: idOrCode, actor: actor)
    }

    /// The daily job's step (only with `isolation.auto`): isolates the candidates through the
    /// one isolate use case (`setIsolated`, which also owes the notice and any router change),
    /// then restores those it isolated whose every due invoice is paid.
    @discardableResult
    public func runAutoIsolation(businessDate: LocalDate, actor: Actor, context: StoreContext) throws -> AutoIsolationResult {
        var out = AutoIsolationResult()
        guard try settings().bool("isolation.auto") else { return out }
        for c in try read({ db in try Self.autoCandidates(db, day: businessDate, ownerId: nil) }) {
            let r = try setIsolated(c.customerId, isolated: true, automatic: true, actor: actor, context: context)
            out.isolated.append(r.code)
        }
        out.restored = try restorePaid(day: businessDate, actor: actor, context: context)
        return out
    }

    /// Lifts the automatic isolations whose customers owe nothing due on `day` (by hand stays).
    @discardableResult
    public func restorePaid(day: LocalDate, customerId: String? = nil, actor: Actor, context: StoreContext) throws -> [String] {
        let ids = try read { db in
            try String.fetchAll(db, sql: """
                SELECT c.id FROM customers c WHERE c.isolated_auto = 1 AND c.status = 'isolated' AND c.deleted_at IS NULL
                  \(customerId == nil ? "" : "AND c.id = ?")
                  AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id AND i.status != 'paid' AND i.due_date <= ?)
                """, arguments: StatementArguments((customerId.map { [$0] } ?? []) + [day.description])!)
        }
        var out: [String] = []
        for id in ids {
            out.append(try setIsolated(id, isolated: false, automatic: true, actor: actor, context: context).code)
        }
        return out
    }
}
