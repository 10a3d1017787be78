import Foundation
import GRDB
import FiberNodeDomain

/// How a payment was made.
public enum PaymentMethod: String, CaseIterable, Sendable {
    case cash, transfer, qris, ewallet, other
}

/// The filters of the invoice list and its exports.
public struct InvoiceFilter: Sendable, Equatable {
    public var period: String?
    public var status: String?            // unpaid / paid / partial
    public var dueFrom: String?           // YYYY-MM-DD inclusive
    public var dueTo: String?
    public var ownerId: String?           // superadmin only
    public var customerId: String?
    public var overdueOn: String?         // unpaid with due date before this date
    /// Typed search (issue 13): customer name, code, phone, or an invoice number prefix.
    public var search: String = ""
    public init(period: String? = nil, status: String? = nil, dueFrom: String? = nil, dueTo: String? = nil,
                ownerId: String? = nil, customerId: String? = nil, overdueOn: String? = nil, search: String = "") {
        self.period = period; self.status = status; self.dueFrom = dueFrom; self.dueTo = dueTo
        self.ownerId = ownerId; self.customerId = customerId; self.overdueOn = overdueOn; self.search = search
    }
}

/// Keyset position in the invoice list (ordered by due date, then number).
public struct InvoiceCursor: Sendable, Equatable {
    public let dueDate: String
    public let number: String
    public init(_ row: InvoiceRow) { dueDate = row.dueDate; number = row.number }
}

/// Count and money totals of a filtered invoice list.
public struct InvoiceTotals: Sendable, Equatable {
    public var count: Int
    public var total: Int
    public var paid: Int
    public var unpaid: Int
    public init(count: Int, total: Int, paid: Int, unpaid: Int) {
        self.count = count; self.total = total; self.paid = paid; self.unpaid = unpaid
    }
}

/// The outcome of a generation run.
public struct GenerationResult: Sendable, Equatable {
    public var created: Int
    public var skipped: Int
}

/// A customer with an invoice overdue more than N days.
public struct IsolationCandidate: Sendable, Equatable, FetchableRecord, Decodable {
    public var customerId: String
    public var code: String
    public var name: String
    public var area: String
    public var oldestDue: String
    public var unpaidInvoices: Int
    public var unpaidTotal: Int
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

extension AppDatabase {
    // MARK: - Scope

    static func invoiceWhere(_ f: InvoiceFilter, actor: Actor, broad: Bool = false) -> (String, [DatabaseValueConvertible?]) {
        var clauses: [String] = []
        var args: [DatabaseValueConvertible?] = []
        if !actor.can(.viewAllOwners) { clauses.append("i.owner_id = ?"); args.append(actor.userId) }
        else if let o = f.ownerId { clauses.append("i.owner_id = ?"); args.append(o) }
        if let p = f.period { clauses.append("i.period = ?"); args.append(p) }
        if let s = f.status { clauses.append("i.status = ?"); args.append(s) }
        if let d = f.dueFrom { clauses.append("i.due_date >= ?"); args.append(d) }
        if let d = f.dueTo { clauses.append("i.due_date <= ?"); args.append(d) }
        if let c = f.customerId { clauses.append("i.customer_id = ?"); args.append(c) }
        if let d = f.overdueOn { clauses.append("i.status != 'paid' AND i.due_date < ?"); args.append(d) }
        if let (c, a) = SearchText(f.search).invoiceClause(broad: broad) { clauses.append(c); args += a }
        return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), args)
    }

    // MARK: - Generation

    /// Prepaid invoices for `period` (superadmin): every active, non-deleted customer in scope
    /// (one owner, and/or one billing day for the daily job) gets one invoice. Idempotent: the
    /// unique (customer, period) index makes a second run, or a run in another process at the
    /// same time, create nothing twice and fail on nothing.
    ///
    /// `progress(done, total)` is called after each chunk of customers (issue 13: the screen
    /// shows how far it is); the whole run is still one transaction.
    @discardableResult
    public func generateInvoices(period: Period, ownerId: String? = nil, billingDay: Int? = nil, actor: Actor,
                                 context: StoreContext, progress: ((Int, Int) -> Void)? = nil) throws -> GenerationResult {
        guard actor.can(.generateInvoices) else { throw StoreError.notPermitted }
        let previous = period.previous.description
        return try write { db in
            // A service month that ended before the customer registered is not billed (so every
            // invoice of period P falls due by the end of P at the latest).
            var scope = "c.deleted_at IS NULL AND c.status = 'active' AND c.register_date < ?"
            var args: [DatabaseValueConvertible?] = [period.next.description + "-01"]
            if let o = ownerId { scope += " AND c.owner_id = ?"; args.append(o) }
            if let d = billingDay { scope += " AND c.billing_date = ?"; args.append(d) }
            let eligible = try Int.fetchOne(db, sql: "SELECT count(*) FROM customers c WHERE \(scope)", arguments: StatementArguments(args)!) ?? 0
            let now = context.clock.now()
            // One statement: ids and receipt tokens come from SQLite's CSPRNG (randomblob),
            // the human number from the customer's permanent code.
            // In chunks of customers (by number), so a long run can say how far it is.
            // The chunks walk the customers' number index: `+` keeps the planner off the status and
            // owner indexes, which would read every active customer again for each chunk.
            let chunkScope = scope.replacingOccurrences(of: "c.", with: "+c.")
            var created = 0, done = 0, after = 0
            progress?(0, eligible)
            while true {
                let chunk = try Row.fetchOne(db, sql: """
                    SELECT count(*) AS n, max(no) AS last FROM (SELECT c.no FROM customers c WHERE \(chunkScope) AND c.no > ? ORDER BY c.no LIMIT 1000)
                    """, arguments: StatementArguments(args + [after])!)
                guard let chunk, let last = chunk["last"] as Int? else { break }
                try db.execute(sql: """
                    INSERT INTO invoices(id, number, customer_id, owner_id, period, amount, discount, total_amount, status,
                                         due_date, receipt_token, version, created_at, updated_at)
                    SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
                                 substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
                           'INV-' || replace(?, '-', '') || '-' || substr(c.code, 5),
                           c.id, c.owner_id, ?, p.price, c.discount, max(0, p.price - c.discount), 'unpaid',
                           max(? || '-' || printf('%02d', c.billing_date), c.register_date),
                           lower(hex(randomblob(20))), 1, ?, ?
                    FROM customers c JOIN packages p ON p.id = c.package_id
                    WHERE \(chunkScope) AND c.no > ? AND c.no <= ?
                    ON CONFLICT(customer_id, period) DO NOTHING
                    """, arguments: StatementArguments([period.description, period.description, previous, now, now] + args + [after, last])!)
                created += db.changesCount
                done += chunk["n"] as Int
                after = last
                progress?(min(done, eligible), eligible)
            }
            try Audit.record(db, actor: actor, action: "invoice.generate", resource: "invoices", resourceId: nil,
                             metadata: ["period": period.description, "owner_id": ownerId ?? "", "billing_day": billingDay ?? 0,
                                        "created": created, "skipped": eligible - created], context: context)
            return GenerationResult(created: created, skipped: eligible - created)
        }
    }

    // MARK: - Listing

    /// The list's select for a search: a narrow customer match reads the invoices through the
    /// customer index (the planner, without statistics, would walk a whole period or owner:
    /// 0.2 s against 0.01 s on 1.2 M invoices).
    static func invoiceSelect(_ search: SearchText, broad: Bool) -> String {
        switch search {
        case .customerCode where !broad, .words where !broad:
            return InvoiceRow.select.replacingOccurrences(of: "FROM invoices i\n", with: "FROM invoices i INDEXED BY idx_invoices_customer_period\n")
        default: return InvoiceRow.select
        }
    }

    /// One page of invoices after (or before) a cursor, ordered by due date and number.
    public func invoices(actor: Actor, filter: InvoiceFilter, after cursor: InvoiceCursor? = nil, backwards: Bool = false,
                         limit: Int = 50) throws -> [InvoiceRow] {
        try read { db in
            let search = SearchText(filter.search)
            let broad = try search.customerMatches(db, upTo: SearchText.broadCustomers + 1) > SearchText.broadCustomers
            var (w, args) = Self.invoiceWhere(filter, actor: actor, broad: broad)
            if let cursor {
                w += " AND (i.due_date, i.number) \(backwards ? "<" : ">") (?, ?)"
                args += [cursor.dueDate, cursor.number]
            }
            let dir = backwards ? "DESC" : "ASC"
            let rows = try InvoiceRow.fetchAll(db, sql: Self.invoiceSelect(search, broad: broad) + " WHERE \(w) ORDER BY i.due_date \(dir), i.number \(dir) LIMIT \(max(1, limit))",
                                               arguments: StatementArguments(args)!)
            return backwards ? rows.reversed() : rows
        }
    }

    /// Count, total, paid and unpaid of the filtered invoices.
    public func invoiceTotals(actor: Actor, filter: InvoiceFilter) throws -> InvoiceTotals {
        // Period / owner / status only: the aggregates kept by triggers (a few hundred rows).
        if filter.dueFrom == nil, filter.dueTo == nil, filter.customerId == nil, filter.overdueOn == nil, filter.search.isEmpty {
            return try read { db in
                var clauses: [String] = [], args: [DatabaseValueConvertible?] = []
                if !actor.can(.viewAllOwners) { clauses.append("owner_id = ?"); args.append(actor.userId) }
                else if let o = filter.ownerId { clauses.append("owner_id = ?"); args.append(o) }
                if let p = filter.period { clauses.append("period = ?"); args.append(p) }
                if let s = filter.status { clauses.append("status = ?"); args.append(s) }
                let row = try Row.fetchOne(db, sql: """
                    SELECT coalesce(sum(invoices), 0), coalesce(sum(billed), 0), coalesce(sum(collected), 0) FROM invoice_stats
                    WHERE \(clauses.isEmpty ? "1" : clauses.joined(separator: " AND "))
                    """, arguments: StatementArguments(args)!)!
                let total: Int = row[1], paid: Int = row[2]
                return InvoiceTotals(count: row[0], total: total, paid: paid, unpaid: total - paid)
            }
        }
        return try read { db in
            let (w, args) = Self.invoiceWhere(filter, actor: actor)
            let row = try Row.fetchOne(db, sql: """
                SELECT count(*) AS n, coalesce(sum(i.total_amount), 0) AS total, coalesce(sum(i.paid_amount), 0) AS paid
                FROM invoices i WHERE \(w)
                """, arguments: StatementArguments(args)!)!
            let total: Int = row["total"], paid: Int = row["paid"]
            return InvoiceTotals(count: row["n"], total: total, paid: paid, unpaid: total - paid)
        }
    }

    /// One invoice by id or number, if the actor may see it.
    public func invoice(_ idOrNumber: String, actor: Actor) throws -> InvoiceRow {
        try read { db in try Self.invoice(db, idOrNumber, actor: actor) }
    }

    static func invoice(_ db: Database, _ idOrNumber: String, actor: Actor) throws -> InvoiceRow {
        guard let r = try InvoiceRow.fetchOne(db, sql: InvoiceRow.select + " WHERE i.id = ? OR i.number = ?",
                                              arguments: [idOrNumber, idOrNumber.uppercased()]) else {
            throw StoreError.notFound(what: "invoice \(idOrNumber)")
        }
        guard actor.canAccess(ownerId: r.ownerId) else { throw StoreError.notPermitted }
        return r
    }

    /// The invoice behind a public receipt token (no login: the token is the secret).
    public func invoice(receiptToken token: String) throws -> InvoiceRow? {
        guard token.count >= 32, token.allSatisfy({ $0.isHexDigit }) else { return nil }
        return try read { db in
            try InvoiceRow.fetchOne(db, sql: InvoiceRow.select + " WHERE i.receipt_token = ?", arguments: [token.lowercased()])
        }
    }

    // MARK: - Payments

    /// Records one payment (the whole remainder, or `amount`) in the ledger; the invoice turns
    /// paid or partial from its live payments. Optimistic locking on `version`. Mitra: own
    /// customers only. See `recordPayment` for the full request.
    @discardableResult
    public func markPaid(_ idOrNumber: String, method: PaymentMethod, amount: Int? = nil, note: String = "", reference: String = "",
                         expectedVersion: Int?, actor: Actor, context: StoreContext) throws -> InvoiceRow {
        try recordPayment(PaymentRequest(invoice: idOrNumber, amount: amount, method: method, reference: reference, note: note,
                                         expectedVersion: expectedVersion), actor: actor, context: context).invoice
    }

    /// Back to unpaid: every live payment is voided with the reason (kept in the ledger);
    /// the receipt page is voided.
    @discardableResult
    public func markUnpaid(_ idOrNumber: String, reason: String, expectedVersion: Int?, actor: Actor,
                           context: StoreContext) throws -> InvoiceRow {
        guard actor.can(.markPayment) else { throw StoreError.notPermitted }
        let reason = try Self.voidReason(reason)
        return try write { db in
            let inv = try Self.invoice(db, idOrNumber, actor: actor)
            if let v = expectedVersion, v != inv.version { throw StoreError.changedByOther }
            guard inv.status != "unpaid" else { throw StoreError.alreadyExists(what: "unpaid \(inv.number)") }
            let now = context.clock.now()
            // A field laptop sends each voided payment home as its own operation (issue 16).
            let live = try String.fetchAll(db, sql: "SELECT id FROM payments WHERE invoice_id = ? AND voided_at IS NULL", arguments: [inv.id])
            let voided = try Self.voidAll(db, invoice: inv, reason: reason, actor: actor, now: now)
            for pid in live { try OperationLog.paymentVoided(db, paymentId: pid, reason: reason, actor: actor, context: context) }
            try Self.recomputeInvoice(db, invoiceId: inv.id, expectedVersion: inv.version, now: now)
            try db.execute(sql: "UPDATE invoices SET unpaid_reason = ?, receipt_voided_at = ? WHERE id = ?", arguments: [reason, now, inv.id])
            try Audit.record(db, actor: actor, action: "invoice.unpay", resource: "invoices", resourceId: inv.id,
                             metadata: ["number": inv.number, "reason": reason, "payments_voided": voided,
                                        "before": ["status": inv.status, "paid_amount": inv.paidAmount,
                                                   "method": inv.paymentMethod ?? ""],
                                        "after": ["status": "unpaid", "paid_amount": 0]], context: context)
            return try Self.invoice(db, inv.id, actor: actor)
        }
    }

    // MARK: - Isolation

    /// Isolates (or restores) a customer: superadmin only. Isolated customers get no new invoices.
    /// `automatic`: done by the daily job (issue 14) — only such isolations are lifted
    /// automatically on full payment; by hand (the default) it stays until a person restores it.
    @discardableResult
    public func setIsolated(_ idOrCode: String, isolated: Bool, automatic: Bool = false, actor: Actor, context: StoreContext) throws -> CustomerRow {
        guard actor.can(.isolateCustomer) else { throw StoreError.notPermitted }
        return try write { db in
            let c = try Self.customer(db, id: idOrCode, actor: actor)
            guard c.deletedAt == nil else { throw StoreError.notFound(what: "customer") }
            let target = isolated ? "isolated" : "active"
            guard c.status != target else { return c }
            try db.execute(sql: "UPDATE customers SET status = ?, isolated_auto = ?, version = version + 1, updated_at = ? WHERE id = ?",
                           arguments: [target, isolated && automatic ? 1 : 0, context.clock.now(), c.id])
            if isolated {   // the isolation notice is owed from this commit (issue 12 item 9)
                let oldest = try String.fetchOne(db, sql: """
                    SELECT id FROM invoices WHERE customer_id = ? AND status != 'paid' ORDER BY due_date LIMIT 1
                    """, arguments: [c.id])
                _ = try Self.enqueueOutbox(db, kind: .isolation, ownerId: c.ownerId, customerId: c.id, invoiceId: oldest, paymentId: nil,
                                           context: context)
            }
            // A linked customer's router change is queued in this same transaction (issue 15).
            try RouterStore.enqueue(db, customerId: c.id, isolate: isolated, actor: actor, context: context)
            try Audit.record(db, actor: actor, action: isolated ? "customer.isolate" : "customer.unisolate", resource: "customers",
                             resourceId: c.id, metadata: ["code": c.code, "before": ["status": c.status], "after": ["status": target],
                                                          "automatic": automatic],
                             context: context)
            return try Self.customer(db, id: c.id, actor: actor)
        }
    }

    /// Customers with an unpaid invoice overdue more than `invoices.isolation_overdue_days`.
    public func isolationCandidates(actor: Actor, today: LocalDate) throws -> [IsolationCandidate] {
        guard actor.can(.isolateCustomer) else { throw StoreError.notPermitted }
        return try read { db in
            let days = try Self.settings(db).int("invoices.isolation_overdue_days")
            let cutoff = today.adding(days: -days).description
            return try IsolationCandidate.fetchAll(db, sql: """
                SELECT c.id AS customer_id, c.code, c.name, u.business_name AS area, min(i.due_date) AS oldest_due,
                       count(*) AS unpaid_invoices, sum(i.total_amount - i.paid_amount) AS unpaid_total
                FROM invoices i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = c.owner_id
                WHERE i.status != 'paid' AND i.due_date < ? AND c.status = 'active' AND c.deleted_at IS NULL
                GROUP BY c.id ORDER BY oldest_due, c.code
                """, arguments: [cutoff])
        }
    }
}
