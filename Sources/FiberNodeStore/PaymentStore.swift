import Foundation
import GRDB
import FiberNodeDomain

extension PaymentMethod {
    /// A method by its stored name or its Indonesian name (`tunai`, `transfer`, `qris`,
    /// `e-wallet`, `lainnya`), any case.
    public static func parse(_ s: String) -> PaymentMethod? {
        let k = s.trimmingCharacters(in: .whitespaces).lowercased()
        switch k {
        case "tunai": return .cash
        case "e-wallet", "ewallet": return .ewallet
        case "lainnya": return .other
        default: return PaymentMethod(rawValue: k)
        }
    }
}

/// One payment to record in the ledger.
public struct PaymentRequest: Sendable, Equatable {
    public var invoice: String             // id or number
    public var amount: Int?                // nil: what remains
    public var method: PaymentMethod
    public var reference: String
    public var note: String
    public var expectedVersion: Int?
    /// When the money came in (nil: now). A field laptop passes the time it was recorded there.
    public var paidAt: Date?
    /// The laptop that recorded it (nil: this installation).
    public var deviceId: String?
    /// Field laptops only: a payment that makes the invoice paid more than once over is
    /// accepted and flagged `overpaid` instead of refused (the money was taken already).
    public var acceptOverpayment: Bool
    /// The payment's id when it was chosen elsewhere (a field laptop's payment keeps its id home).
    public var id: String?
    public init(invoice: String, amount: Int? = nil, method: PaymentMethod = .cash, reference: String = "", note: String = "",
                expectedVersion: Int? = nil, paidAt: Date? = nil, deviceId: String? = nil, acceptOverpayment: Bool = false) {
        self.invoice = invoice; self.amount = amount; self.method = method; self.reference = reference; self.note = note
        self.expectedVersion = expectedVersion; self.paidAt = paidAt; self.deviceId = deviceId; self.acceptOverpayment = acceptOverpayment
    }
}

/// What recording a payment did.
public struct PaymentResult: Sendable, Equatable {
    public var payment: PaymentRow
    public var invoice: InvoiceRow
    /// The payment made the invoice fully paid (a receipt is due).
    public var becamePaid: Bool
}

/// Anything that records ledger payments: the store today, an online gateway (Midtrans,
/// Xendit) later. Every implementation goes through the same rules: one payment row, the
/// invoice recomputed from its live payments in the same transaction, audited.
public protocol PaymentRecorder {
    func recordPayment(_ request: PaymentRequest, actor: Actor, context: StoreContext) throws -> PaymentResult
    func voidPayment(_ paymentId: String, reason: String, actor: Actor, context: StoreContext) throws -> InvoiceRow
}

/// One ledger row with its invoice's number and customer.
public struct PaymentRow: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var invoiceId: String
    public var invoiceNumber: String
    public var customerCode: String
    public var customerName: String
    public var ownerId: String
    public var area: String
    public var amount: Int
    public var method: String
    public var reference: String?
    public var note: String?
    public var paidAt: Date
    public var paidOn: String
    public var recordedBy: String?
    public var recordedByName: String?
    public var deviceId: String?
    public var flag: String?
    public var voidedAt: Date?
    public var voidedByName: String?
    public var voidReason: String?
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public var isVoided: Bool { voidedAt != nil }

    static let select = """
        SELECT p.id, p.invoice_id, i.number AS invoice_number, c.code AS customer_code, c.name AS customer_name, p.owner_id,
               u.business_name AS area, p.amount, p.method, p.reference, p.note, p.paid_at, p.paid_on, p.recorded_by,
               rb.name AS recorded_by_name, p.device_id, p.flag, p.voided_at, vb.name AS voided_by_name, p.void_reason
        FROM payments p
        JOIN invoices i ON i.id = p.invoice_id
        JOIN customers c ON c.id = i.customer_id
        JOIN users u ON u.id = p.owner_id
        LEFT JOIN users rb ON rb.id = p.recorded_by
        LEFT JOIN users vb ON vb.id = p.voided_by
        """
}

/// The ledger list's filter.
public struct PaymentFilter: Sendable, Equatable {
    public var invoice: String?        // id or number
    public var from: LocalDate?        // paid_on, inclusive
    public var to: LocalDate?
    public var ownerId: String?        // superadmin only
    public var includeVoided: Bool
    public init(invoice: String? = nil, from: LocalDate? = nil, to: LocalDate? = nil, ownerId: String? = nil, includeVoided: Bool = true) {
        self.invoice = invoice; self.from = from; self.to = to; self.ownerId = ownerId; self.includeVoided = includeVoided
    }
}

extension AppDatabase: PaymentRecorder {
    static let maxReference = 100

    /// Sets the invoice's paid amount and status from its live payments (and the "last
    /// payment" columns the receipt and older reports read), bumps its version.
    /// The SET clauses that derive an invoice's paid amount and status from its live payments
    /// (one rule for the office and for a laptop's rebase).
    static let paidFromLedger = """
                paid_amount = (SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = invoices.id AND voided_at IS NULL),
                status = CASE
                    WHEN (SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = invoices.id AND voided_at IS NULL) = 0 THEN 'unpaid'
                    WHEN (SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = invoices.id AND voided_at IS NULL) >= total_amount THEN 'paid'
                    ELSE 'partial' END
        """

    static func recomputeInvoice(_ db: Database, invoiceId: String, expectedVersion: Int, now: Date) throws {
        // A cached statement: preparing a write to a table with many triggers compiles every
        // trigger body, and GRDB's authorizer records each column it reads (issue 17).
        try db.cachedStatement(sql: """
            UPDATE invoices SET
                \(paidFromLedger),
                paid_at = (SELECT max(paid_at) FROM payments WHERE invoice_id = invoices.id AND voided_at IS NULL),
                paid_by = (SELECT recorded_by FROM payments WHERE invoice_id = invoices.id AND voided_at IS NULL ORDER BY paid_at DESC, created_at DESC LIMIT 1),
                payment_method = (SELECT method FROM payments WHERE invoice_id = invoices.id AND voided_at IS NULL ORDER BY paid_at DESC, created_at DESC LIMIT 1),
                payment_note = (SELECT note FROM payments WHERE invoice_id = invoices.id AND voided_at IS NULL ORDER BY paid_at DESC, created_at DESC LIMIT 1),
                version = version + 1, updated_at = ?
            WHERE id = ? AND version = ?
            """).execute(arguments: [now, invoiceId, expectedVersion])
        guard db.changesCount == 1 else { throw StoreError.changedByOther }
    }

    /// Records one payment (see `PaymentRequest`). Refuses an amount above what remains
    /// (and a payment on a paid invoice) unless `acceptOverpayment`, then flags it.
    @discardableResult
    public func recordPayment(_ req: PaymentRequest, actor: Actor, context: StoreContext) throws -> PaymentResult {
        guard actor.can(.markPayment) else { throw StoreError.notPermitted }
        let note = req.note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 500 else { throw StoreError.invalid(field: "note", reason: .tooLong(max: 500)) }
        let reference = req.reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reference.count <= Self.maxReference else { throw StoreError.invalid(field: "reference", reason: .tooLong(max: Self.maxReference)) }
        guard !(note + reference).unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) else {
            throw StoreError.invalid(field: "note", reason: .other("control characters"))
        }
        return try write { db in
            let inv = try Self.invoice(db, req.invoice, actor: actor)
            if let v = req.expectedVersion, v != inv.version { throw StoreError.changedByOther }
            var flag: String? = nil
            if !req.acceptOverpayment {
                guard inv.status != "paid" else { throw StoreError.alreadyExists(what: "payment of \(inv.number)") }
            }
            let pay = req.amount ?? inv.remaining
            if req.acceptOverpayment {
                guard pay >= 1 else { throw StoreError.invalid(field: "amount", reason: .outOfRange(min: 1, max: Int.max)) }
                if pay > inv.remaining { flag = "overpaid" }
            } else {
                guard (1...max(1, inv.remaining)).contains(pay) else {
                    throw StoreError.invalid(field: "amount", reason: .outOfRange(min: 1, max: inv.remaining))
                }
            }
            let now = context.clock.now()
            let paidAt = req.paidAt ?? now
            let tz = try Self.settings(db).timeZone
            let id = req.id ?? context.random.uuid()
            try db.cachedStatement(sql: """
                INSERT INTO payments(id, invoice_id, owner_id, amount, method, reference, note, paid_at, paid_on, recorded_by,
                                     device_id, flag, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [id, inv.id, inv.ownerId, pay, req.method.rawValue, reference.isEmpty ? nil : reference,
                                 note.isEmpty ? nil : note, paidAt, LocalDate.from(paidAt, in: tz).description, actor.userId,
                                 req.deviceId, flag, now])
            try Self.recomputeInvoice(db, invoiceId: inv.id, expectedVersion: inv.version, now: now)
            try db.cachedStatement(sql: "UPDATE invoices SET receipt_voided_at = NULL, unpaid_reason = NULL WHERE id = ?").execute(arguments: [inv.id])
            let after = try Self.invoice(db, inv.id, actor: actor)
            var meta: [String: Any] = ["number": inv.number, "payment_id": id,
                                       "before": ["status": inv.status, "paid_amount": inv.paidAmount],
                                       "after": ["status": after.status, "paid_amount": after.paidAmount, "method": req.method.rawValue,
                                                 "amount": pay]]
            if !reference.isEmpty { meta["reference"] = reference }
            if let flag { meta["flag"] = flag }
            if let d = req.deviceId { meta["device_id"] = d }
            try Audit.record(db, actor: actor, action: "invoice.pay", resource: "invoices", resourceId: inv.id, metadata: meta,
                             context: context)
            let becamePaid = inv.status != "paid" && after.status == "paid"
            try OperationLog.paymentRecorded(db, id: id, invoice: inv, amount: pay, request: req, reference: reference, note: note,
                                             paidAt: paidAt, flag: flag, actor: actor, context: context)
            try Self.afterPayment(db, invoice: after, becamePaid: becamePaid, paymentId: id, context: context)
            let row = try PaymentRow.fetchOne(db, sql: PaymentRow.select + " WHERE p.id = ?", arguments: [id])!
            return PaymentResult(payment: row, invoice: after, becamePaid: becamePaid)
        }
    }

    /// Hook run inside the payment's transaction once the invoice is recomputed.
    /// The receipt is owed from the moment the invoice is paid: an outbox row in the same
    /// transaction (issue 12 item 9), sent directly by the caller and by `worker` if not.
    static func afterPayment(_ db: Database, invoice: InvoiceRow, becamePaid: Bool, paymentId: String, context: StoreContext) throws {
        guard becamePaid else { return }
        // A field laptop never sends: the server's replay of this payment owes the receipt (issue 16).
        guard try !OperationLog.isLaptop(db) else { return }
        _ = try enqueueOutbox(db, kind: .receipt, ownerId: invoice.ownerId, customerId: invoice.customerId, invoiceId: invoice.id,
                              paymentId: paymentId, context: context)
    }

    /// Voids one payment (kept, marked with who/when/why); the invoice is recomputed.
    @discardableResult
    public func voidPayment(_ paymentId: String, reason: String, actor: Actor, context: StoreContext) throws -> InvoiceRow {
        try voidPayment(paymentId, reason: reason, expectedVersion: nil, actor: actor, context: context)
    }

    @discardableResult
    public func voidPayment(_ paymentId: String, reason: String, expectedVersion: Int?, actor: Actor, context: StoreContext) throws -> InvoiceRow {
        guard actor.can(.markPayment) else { throw StoreError.notPermitted }
        let reason = try Self.voidReason(reason)
        return try write { db in
            guard let p = try PaymentRow.fetchOne(db, sql: PaymentRow.select + " WHERE p.id = ?", arguments: [paymentId]) else {
                throw StoreError.notFound(what: "payment \(paymentId)")
            }
            guard actor.canAccess(ownerId: p.ownerId) else { throw StoreError.notFound(what: "payment \(paymentId)") }
            guard p.voidedAt == nil else { throw StoreError.alreadyExists(what: "void of payment \(paymentId)") }
            let inv = try Self.invoice(db, p.invoiceId, actor: actor)
            if let v = expectedVersion, v != inv.version { throw StoreError.changedByOther }
            let now = context.clock.now()
            try db.execute(sql: "UPDATE payments SET voided_at = ?, voided_by = ?, void_reason = ? WHERE id = ? AND voided_at IS NULL",
                           arguments: [now, actor.userId, reason, p.id])
            try Self.recomputeInvoice(db, invoiceId: inv.id, expectedVersion: inv.version, now: now)
            let after = try Self.invoice(db, inv.id, actor: actor)
            if after.status == "unpaid" {
                try db.execute(sql: "UPDATE invoices SET unpaid_reason = ?, receipt_voided_at = ? WHERE id = ?", arguments: [reason, now, inv.id])
            }
            try Audit.record(db, actor: actor, action: "payment.void", resource: "payments", resourceId: p.id,
                             metadata: ["number": inv.number, "amount": p.amount, "method": p.method, "reason": reason,
                                        "before": ["status": inv.status, "paid_amount": inv.paidAmount],
                                        "after": ["status": after.status, "paid_amount": after.paidAmount]], context: context)
            try OperationLog.paymentVoided(db, paymentId: p.id, reason: reason, actor: actor, context: context)
            return try Self.invoice(db, inv.id, actor: actor)
        }
    }

    static func voidReason(_ reason: String) throws -> String {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw StoreError.invalid(field: "reason", reason: .required) }
        guard reason.count <= 500 else { throw StoreError.invalid(field: "reason", reason: .tooLong(max: 500)) }
        return reason
    }

    /// Voids every live payment of an invoice (back to unpaid); a reason is required.
    static func voidAll(_ db: Database, invoice inv: InvoiceRow, reason: String, actor: Actor, now: Date) throws -> Int {
        try db.execute(sql: "UPDATE payments SET voided_at = ?, voided_by = ?, void_reason = ? WHERE invoice_id = ? AND voided_at IS NULL",
                       arguments: [now, actor.userId, reason, inv.id])
        return db.changesCount
    }

    /// The ledger in the actor's scope, newest first.
    public func payments(actor: Actor, filter: PaymentFilter = PaymentFilter(), limit: Int = 1000) throws -> [PaymentRow] {
        guard actor.can(.markPayment) || actor.can(.viewOwnFinance) || actor.can(.viewAllOwners) else { throw StoreError.notPermitted }
        return try read { db in
            var w: [String] = [], args: [DatabaseValueConvertible?] = []
            if !actor.can(.viewAllOwners) { w.append("p.owner_id = ?"); args.append(actor.userId) }
            else if let o = filter.ownerId { w.append("p.owner_id = ?"); args.append(o) }
            if let i = filter.invoice {
                let inv = try Self.invoice(db, i, actor: actor)
                w.append("p.invoice_id = ?"); args.append(inv.id)
            }
            if let f = filter.from { w.append("p.paid_on >= ?"); args.append(f.description) }
            if let t = filter.to { w.append("p.paid_on <= ?"); args.append(t.description) }
            if !filter.includeVoided { w.append("p.voided_at IS NULL") }
            return try PaymentRow.fetchAll(db, sql: PaymentRow.select + " WHERE \(w.isEmpty ? "1" : w.joined(separator: " AND "))"
                                           + " ORDER BY p.paid_on DESC, p.paid_at DESC, p.id LIMIT \(max(1, limit))",
                                           arguments: StatementArguments(args)!)
        }
    }

    /// The payments of one invoice, oldest first (voided ones included).
    public func payments(invoice: String, actor: Actor) throws -> [PaymentRow] {
        try read { db in
            let inv = try Self.invoice(db, invoice, actor: actor)
            return try Self.payments(db, invoiceId: inv.id)
        }
    }

    static func payments(_ db: Database, invoiceId: String) throws -> [PaymentRow] {
        try PaymentRow.fetchAll(db, sql: PaymentRow.select + " WHERE p.invoice_id = ? ORDER BY p.paid_at, p.created_at", arguments: [invoiceId])
    }

    /// The live payments behind a public receipt token (no login: the token is the secret).
    public func payments(receiptToken token: String) throws -> [PaymentRow] {
        guard let inv = try invoice(receiptToken: token) else { return [] }
        return try read { db in try Self.payments(db, invoiceId: inv.id).filter { !$0.isVoided } }
    }
}
