import Foundation
import GRDB
import FiberNodeDomain

/// Which laptop operation the sync server is replaying (issue 16).
public struct ReplayTag: Sendable, Equatable {
    public var deviceId: String
    public var opKey: String
    public var opType: String
    /// A customer edit changed on both sides: the laptop's values the server did not take (JSON).
    public var editConflict: String?
    public init(deviceId: String, opKey: String, opType: String, editConflict: String? = nil) {
        self.deviceId = deviceId; self.opKey = opKey; self.opType = opType; self.editConflict = editConflict
    }
}

/// The operation log of a field laptop and the server's record of replayed operations (issue 16).
///
/// Every write use case that a laptop may sync calls one of these hooks inside its own
/// transaction. On a laptop (a database with a `sync_identity` row) the hook appends the
/// operation with a fresh idempotency key; on the server, while the sync replays an
/// operation (`context.replay`), it records `(device, key)` in `sync_applied` — in the same
/// transaction as the change, so a replayed operation is applied exactly once.
public enum OperationLog {
    /// The customer fields a laptop edit may carry, as `CustomerInput` spells them.
    public static let customerFields = ["name", "phone", "nik", "address", "package_id", "owner_id", "billing_date",
                                        "discount", "register_date", "notes"]

    /// Whether this database is a field laptop's.
    public static func isLaptop(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM sync_identity WHERE id = 1") == true
    }

    static func paymentRecorded(_ db: Database, id: String, invoice: InvoiceRow, amount: Int, request: PaymentRequest,
                                reference: String, note: String, paidAt: Date, flag: String?, actor: Actor,
                                context: StoreContext) throws {
        if let tag = context.replay {
            let conflict = flag == "overpaid"
            try applied(db, tag, status: conflict ? "conflict" : "applied", actor: actor, context: context)
            if conflict {
                try addConflict(db, kind: "overpaid", ownerId: invoice.ownerId, tag: tag, actor: actor, customerId: invoice.customerId,
                                invoiceId: invoice.id, paymentId: id,
                                detail: ["number": invoice.number, "amount": amount, "total": invoice.totalAmount], context: context)
            }
            return
        }
        try append(db, type: "payment.record", payload: [
            "id": id, "invoice_id": invoice.id, "invoice_number": invoice.number, "amount": amount,
            "method": request.method.rawValue, "reference": reference, "note": note,
            "paid_at": String.fromDatabaseValue(paidAt.databaseValue) ?? "",
        ], actor: actor, context: context)
    }

    static func paymentVoided(_ db: Database, paymentId: String, reason: String, actor: Actor, context: StoreContext) throws {
        if let tag = context.replay { return try applied(db, tag, status: "applied", actor: actor, context: context) }
        try append(db, type: "payment.void", payload: ["payment_id": paymentId, "reason": reason], actor: actor, context: context)
    }

    static func customerCreated(_ db: Database, _ c: CustomerRow, actor: Actor, context: StoreContext) throws {
        if let tag = context.replay { return try applied(db, tag, status: "applied", actor: actor, context: context) }
        var payload: [String: Any] = fields(CustomerInput(c))
        payload["id"] = c.id
        try append(db, type: "customer.create", payload: payload, actor: actor, context: context)
    }

    static func customerEdited(_ db: Database, before: CustomerRow, after: CustomerRow, actor: Actor, context: StoreContext) throws {
        if let tag = context.replay {
            try applied(db, tag, status: tag.editConflict == nil ? "applied" : "conflict", actor: actor, context: context)
            if let c = tag.editConflict {
                let detail = (try? JSONSerialization.jsonObject(with: Data(c.utf8))) as? [String: Any] ?? [:]
                try addConflict(db, kind: "customer_edit", ownerId: after.ownerId, tag: tag, actor: actor, customerId: after.id,
                                invoiceId: nil, paymentId: nil, detail: ["code": after.code, "fields": detail], context: context)
            }
            return
        }
        let b = fields(CustomerInput(before)), a = fields(CustomerInput(after))
        var changedBefore: [String: String] = [:], changedAfter: [String: String] = [:]
        for k in customerFields where b[k] != a[k] { changedBefore[k] = b[k] ?? ""; changedAfter[k] = a[k] ?? "" }
        guard !changedAfter.isEmpty else { return }
        try append(db, type: "customer.edit", payload: ["id": before.id, "base_version": before.version,
                                                        "before": changedBefore, "after": changedAfter],
                   actor: actor, context: context)
    }

    /// A customer input as the laptop's payload spells it.
    public static func fields(_ i: CustomerInput) -> [String: String] {
        ["name": i.name, "phone": i.phone, "nik": i.nik, "address": i.address, "package_id": i.packageId,
         "owner_id": i.ownerId ?? "", "billing_date": i.billingDate, "discount": i.discount, "register_date": i.registerDate,
         "notes": i.notes]
    }

    /// The customer input with the given payload fields set.
    public static func input(_ base: CustomerInput, setting f: [String: String]) -> CustomerInput {
        var i = base
        for (k, v) in f {
            switch k {
            case "name": i.name = v
            case "phone": i.phone = v
            case "nik": i.nik = v
            case "address": i.address = v
            case "package_id": i.packageId = v
            case "owner_id": i.ownerId = v.isEmpty ? nil : v
            case "billing_date": i.billingDate = v
            case "discount": i.discount = v
            case "register_date": i.registerDate = v
            case "notes": i.notes = v
            default: break
            }
        }
        return i
    }

    // MARK: - Internals

    static func append(_ db: Database, type: String, payload: [String: Any], actor: Actor, context: StoreContext) throws {
        guard try isLaptop(db) else { return }
        let data = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        try db.execute(sql: "INSERT INTO sync_ops(key, type, payload, user_id, created_at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [context.random.uuid(), type, String(decoding: data, as: UTF8.self), actor.userId,
                                   context.clock.now()])
    }

    static func applied(_ db: Database, _ tag: ReplayTag, status: String, actor: Actor, context: StoreContext) throws {
        try db.execute(sql: "INSERT INTO sync_applied(device_id, op_key, type, status, applied_at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [tag.deviceId, tag.opKey, tag.opType, status, context.clock.now()])
        try Audit.record(db, actor: actor, action: "sync.apply", resource: "sync_devices", resourceId: tag.deviceId,
                         metadata: ["device_id": tag.deviceId, "op_key": tag.opKey, "type": tag.opType, "status": status],
                         context: context)
    }

    static func addConflict(_ db: Database, kind: String, ownerId: String, tag: ReplayTag, actor: Actor, customerId: String?,
                            invoiceId: String?, paymentId: String?, detail: [String: Any], context: StoreContext) throws {
        let data = try JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys])
        try db.execute(sql: """
            INSERT INTO sync_conflicts(id, kind, owner_id, device_id, user_id, op_key, customer_id, invoice_id, payment_id, detail, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [context.random.uuid(), kind, ownerId, tag.deviceId, actor.userId, tag.opKey, customerId, invoiceId,
                             paymentId, String(decoding: data, as: UTF8.self), context.clock.now()])
    }
}
