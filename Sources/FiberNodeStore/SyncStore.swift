import Foundation
import GRDB
import Crypto
import FiberNodeDomain

// MARK: - Values

/// One laptop operation as it travels: its idempotency key, type and JSON payload (issue 16).
public struct SyncOperation: Sendable, Equatable {
    public var key: String
    public var type: String
    public var payload: String
    public init(key: String, type: String, payload: String) { self.key = key; self.type = type; self.payload = payload }
}

/// What the server did with one operation: `applied`, `conflict` (applied and flagged) or `rejected`.
public struct SyncOpResult: Sendable, Equatable {
    public var key: String
    public var status: String
    public var reason: String?
    public init(key: String, status: String, reason: String? = nil) { self.key = key; self.status = status; self.reason = reason }
}

/// Rows of one table in transit: column names once, then the values (JSON-compatible).
public struct SyncTable: @unchecked Sendable {
    public var name: String
    public var columns: [String]
    public var rows: [[Any]]
    public init(name: String, columns: [String], rows: [[Any]]) { self.name = name; self.columns = columns; self.rows = rows }
}

/// A laptop registered by `sync clone`.
public struct SyncDevice: Sendable, Equatable {
    public var id: String
    public var userId: String
    public var username: String
    public var name: String
    public var createdAt: Date
    public var lastSyncAt: Date?
    public var revokedAt: Date?
}

/// A conflict a person settles: an overpayment or a customer edited on both sides.
public struct SyncConflictRow: Sendable, Equatable {
    public var id: String
    public var kind: String
    public var ownerId: String
    public var area: String
    public var deviceId: String?
    public var customerId: String?
    public var customerCode: String?
    public var customerName: String?
    public var invoiceId: String?
    public var invoiceNumber: String?
    public var paymentId: String?
    public var amount: Int?
    public var overpaid: Int?
    public var detail: String?
    public var createdAt: Date
    public var settledAt: Date?
    public var resolution: String?
}

/// How a conflict is settled.
public enum SyncResolution: String, CaseIterable, Sendable {
    /// Overpayment: the duplicate payment is given back (voided, reason "refund").
    case refund
    /// Overpayment: the excess moves to the customer's next unpaid invoice.
    case credit
    /// Overpayment: one of the invoice's payments is voided.
    case void
    /// Customer edit: the server's value stays (the laptop's is dropped).
    case keepServer = "keep_server"
    /// Customer edit: the laptop's value replaces the server's.
    case takeLaptop = "take_laptop"
}

/// The laptop's side: who it is, what waits, when it last synced.
public struct SyncLaptopStatus: Sendable, Equatable {
    public var deviceId: String
    public var userId: String
    public var remote: String?
    public var cursor: Int
    public var lastSyncAt: Date?
    public var pending: Int
    public var rejected: Int
    public var lastResult: String?
    public var token: String
}

/// Sync failures that are not a store rule.
public enum SyncStoreError: Error, Equatable, Sendable {
    /// The device was revoked by the superadmin.
    case revoked
    /// Unknown device or wrong token.
    case unknownDevice
    /// This database is not a field laptop (no `sync clone` made it).
    case notLaptop
    /// A malformed message or row.
    case malformed(String)
}

// MARK: - Server: devices

extension AppDatabase {
    static func tokenHash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Registers a laptop for the acting user; the token is returned once and stored hashed.
    public func registerDevice(name: String, actor: Actor, context: StoreContext) throws -> (id: String, token: String) {
        let name = String(name.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars
            .filter { $0.properties.generalCategory != .control }.prefix(100))
        let id = context.random.uuid(), token = context.random.token(bits: 256)
        try write { db in
            try db.execute(sql: "INSERT INTO sync_devices(id, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, actor.userId, name.isEmpty ? "laptop" : name, Self.tokenHash(token), context.clock.now()])
            try Audit.record(db, actor: actor, action: "device.register", resource: "sync_devices", resourceId: id,
                             metadata: ["name": name], context: context)
        }
        return (id, token)
    }

    /// The user a device acts for, when its token matches and it is not revoked.
    public func deviceActor(deviceId: String, token: String) throws -> Actor {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT d.token_hash, d.revoked_at, u.id, u.role, u.username, u.is_active, u.deleted_at
                FROM sync_devices d JOIN users u ON u.id = d.user_id WHERE d.id = ?
                """, arguments: [deviceId]) else { throw SyncStoreError.unknownDevice }
            guard (row["token_hash"] as String) == Self.tokenHash(token) else { throw SyncStoreError.unknownDevice }
            guard (row["revoked_at"] as String?) == nil else { throw SyncStoreError.revoked }
            guard (row["is_active"] as Int) == 1, (row["deleted_at"] as String?) == nil,
                  let role = Role(rawValue: row["role"]) else { throw StoreError.loginFailed }
            return Actor(userId: row["id"], role: role, username: row["username"])
        }
    }

    /// Marks the end of a successful sync of a device.
    public func deviceSynced(_ deviceId: String, context: StoreContext) throws {
        try write { db in
            try db.execute(sql: "UPDATE sync_devices SET last_sync_at = ? WHERE id = ?", arguments: [context.clock.now(), deviceId])
        }
    }

    /// Registered laptops (superadmin).
    public func devices(actor: Actor) throws -> [SyncDevice] {
        guard actor.can(.manageMitra) else { throw StoreError.notPermitted }
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT d.id, d.user_id, u.username, d.name, d.created_at, d.last_sync_at, d.revoked_at
                FROM sync_devices d JOIN users u ON u.id = d.user_id ORDER BY d.created_at, d.id LIMIT 1000
                """).map {
                SyncDevice(id: $0["id"], userId: $0["user_id"], username: $0["username"], name: $0["name"],
                           createdAt: $0["created_at"], lastSyncAt: $0["last_sync_at"], revokedAt: $0["revoked_at"])
            }
        }
    }

    /// Revokes a laptop (superadmin): its next sync is refused. Audited.
    public func revokeDevice(_ id: String, actor: Actor, context: StoreContext) throws {
        guard actor.can(.manageMitra) else { throw StoreError.notPermitted }
        try write { db in
            guard let name = try String.fetchOne(db, sql: "SELECT name FROM sync_devices WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound(what: "device \(id)")
            }
            try db.execute(sql: "UPDATE sync_devices SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
                           arguments: [context.clock.now(), actor.userId, id])
            guard db.changesCount == 1 else { throw StoreError.alreadyExists(what: "revocation of \(name)") }
            try Audit.record(db, actor: actor, action: "device.revoke", resource: "sync_devices", resourceId: id,
                             metadata: ["name": name], context: context)
        }
    }
}

// MARK: - Server: replay

extension AppDatabase {
    func appliedStatus(deviceId: String, key: String) throws -> SyncOpResult? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT status, reason FROM sync_applied WHERE device_id = ? AND op_key = ?",
                             arguments: [deviceId, key]).map { SyncOpResult(key: key, status: $0["status"], reason: $0["reason"]) }
        }
    }

    /// Replays one laptop operation through the same use case as that user, exactly once per
    /// (device, key): a second replay returns the first answer and changes nothing.
    public func replay(_ op: SyncOperation, deviceId: String, actor: Actor, context: StoreContext) -> SyncOpResult {
        if let prior = try? appliedStatus(deviceId: deviceId, key: op.key) { return prior }
        var ctx = context
        ctx.replay = ReplayTag(deviceId: deviceId, opKey: op.key, opType: op.type)
        do {
            guard op.key.count <= 64, !op.key.isEmpty,
                  let p = (try? JSONSerialization.jsonObject(with: Data(op.payload.utf8))) as? [String: Any] else {
                throw SyncStoreError.malformed("payload")
            }
            let str = { (k: String) -> String in (p[k] as? String) ?? "" }
            switch op.type {
            case "payment.record":
                guard let amount = p["amount"] as? Int, amount > 0, let method = PaymentMethod(rawValue: str("method")),
                      let id = p["id"] as? String, (1...64).contains(id.count) else { throw SyncStoreError.malformed("payment") }
                let paidAt = Date.fromDatabaseValue(str("paid_at").databaseValue)
                var req = PaymentRequest(invoice: str("invoice_id"), amount: amount, method: method, reference: str("reference"),
                                         note: str("note"), paidAt: paidAt, deviceId: deviceId, acceptOverpayment: true)
                req.id = id
                try recordPayment(req, actor: actor, context: ctx)
            case "payment.void":
                do { try voidPayment(str("payment_id"), reason: str("reason"), actor: actor, context: ctx) } catch StoreError.alreadyExists {
                    // Voided at home already: the laptop's wish holds; nothing to change.
                    try recordOutcome(deviceId: deviceId, op: op, status: "applied", reason: nil, actor: actor, context: context)
                }
            case "customer.create":
                guard let id = p["id"] as? String, (1...64).contains(id.count) else { throw SyncStoreError.malformed("customer") }
                var input = OperationLog.input(CustomerInput(), setting: (p as? [String: Any] ?? [:]).compactMapValues { $0 as? String })
                input.id = id
                try createCustomer(input, actor: actor, context: ctx)
            case "customer.edit":
                let before = p["before"] as? [String: String] ?? [:], after = p["after"] as? [String: String] ?? [:]
                let current = try customer(id: str("id"), actor: actor)
                let server = OperationLog.fields(CustomerInput(current))
                var take: [String: String] = [:], conflict: [String: Any] = [:]
                for (k, v) in after where OperationLog.customerFields.contains(k) {
                    let s = server[k] ?? ""
                    if s == (before[k] ?? "") || s == v { take[k] = v } else { conflict[k] = ["laptop": v, "server": s] }
                }
                if !conflict.isEmpty {
                    let data = try JSONSerialization.data(withJSONObject: conflict, options: [.sortedKeys])
                    ctx.replay?.editConflict = String(decoding: data, as: UTF8.self)
                }
                try updateCustomer(id: current.id, OperationLog.input(CustomerInput(current), setting: take),
                                   expectedVersion: current.version, actor: actor, context: ctx)
            default:
                throw SyncStoreError.malformed("type \(op.type)")
            }
            return (try? appliedStatus(deviceId: deviceId, key: op.key)) ?? SyncOpResult(key: op.key, status: "applied")
        } catch {
            // Another replay of the same key won the race: its answer stands.
            if let prior = try? appliedStatus(deviceId: deviceId, key: op.key) { return prior }
            let reason = Self.reason(error)
            try? recordOutcome(deviceId: deviceId, op: op, status: "rejected", reason: reason, actor: actor, context: context)
            return SyncOpResult(key: op.key, status: "rejected", reason: reason)
        }
    }

    static func reason(_ error: Error) -> String {
        switch error {
        case StoreError.notPermitted: return "not permitted"
        case StoreError.notFound(let what): return "not found: \(what)"
        case StoreError.invalid(let field, _): return "invalid \(field)"
        case StoreError.alreadyExists(let what): return "already exists: \(what)"
        case StoreError.changedByOther: return "changed by someone else"
        case SyncStoreError.malformed(let what): return "malformed \(what)"
        default: return "\(error)"
        }
    }

    func recordOutcome(deviceId: String, op: SyncOperation, status: String, reason: String?, actor: Actor, context: StoreContext) throws {
        try write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO sync_applied(device_id, op_key, type, status, reason, applied_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [deviceId, op.key, String(op.type.prefix(40)), status, reason, context.clock.now()])
            try Audit.record(db, actor: actor, action: status == "rejected" ? "sync.reject" : "sync.apply", resource: "sync_devices",
                             resourceId: deviceId, metadata: ["device_id": deviceId, "op_key": op.key, "type": String(op.type.prefix(40)),
                                                              "status": status, "reason": reason ?? ""], context: context)
        }
    }
}

// MARK: - Server: what a laptop may hold

extension AppDatabase {
    /// Settings a laptop gets: never WhatsApp keys, router or backup secrets.
    static let laptopSettingPrefixes = ["app.", "business.", "ui.", "receipt.", "security.", "invoices."]
    /// Tables a laptop holds, parents first.
    static let syncTables = ["users", "packages", "customers", "invoices", "payments"]

    static func encode(_ v: DatabaseValue) -> Any {
        switch v.storage {
        case .null: return NSNull()
        case .int64(let i): return Int(i)
        case .double(let d): return d
        case .string(let s): return s
        case .blob(let b): return b.base64EncodedString()
        }
    }

    static func scopeWhere(_ table: String, actor: Actor) -> (String, [DatabaseValueConvertible?]) {
        if actor.role == .superadmin || table == "packages" { return ("1", []) }
        if table == "users" {
            // Its own account, and as names only (no hash, bank or phone): the superadmins and
            // the owner of a customer moved away whose old invoices the mitra still owns.
            return ("(id = ? OR role = 'superadmin' OR id IN (SELECT c.owner_id FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.owner_id = ?))",
                    [actor.userId, actor.userId])
        }
        // A customer moved to another owner stays on the old owner's laptop while it still
        // owns invoices of it: the server shows that owner those invoices with the customer.
        if table == "customers" { return ("(owner_id = ? OR id IN (SELECT customer_id FROM invoices WHERE owner_id = ?))", [actor.userId, actor.userId]) }
        return ("owner_id = ?", [actor.userId])
    }

    /// Rows of `table` matching `filter`, with other users' secrets blanked.
    static func syncRows(_ db: Database, table: String, filter: String, args: [DatabaseValueConvertible?], actor: Actor) throws -> SyncTable {
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(table) WHERE \(filter)", arguments: StatementArguments(args)!)
        var columns: [String] = [], rows: [[Any]] = []
        var hashIndex: Int? = nil, idIndex = 0, blank: [Int] = []
        while let row = try cursor.next() {
            if columns.isEmpty {
                columns = Array(row.columnNames)
                hashIndex = table == "users" ? columns.firstIndex(of: "password_hash") : nil
                idIndex = columns.firstIndex(of: "id") ?? 0
                if table == "users" { blank = ["bank_account", "bank_holder", "phone"].compactMap { columns.firstIndex(of: $0) } }
            }
            var values: [Any] = row.databaseValues.map { Self.encode($0) }
            if let h = hashIndex, (values[idIndex] as? String) != actor.userId {
                // Another user's account: present for names and owners, never able to log in here.
                values[h] = "!"
                for b in blank { values[b] = NSNull() }
            }
            rows.append(values)
        }
        if columns.isEmpty { columns = try db.columns(in: table).map(\.name) }
        return SyncTable(name: table, columns: columns, rows: rows)
    }

    /// Everything of the actor's scope, for `sync clone`, and the change cursor it matches.
    public func syncSnapshot(actor: Actor) throws -> (tables: [SyncTable], cursor: Int) {
        try read { db in
            var out: [SyncTable] = []
            for t in Self.syncTables {
                let (w, a) = Self.scopeWhere(t, actor: actor)
                out.append(try Self.syncRows(db, table: t, filter: w, args: a, actor: actor))
            }
            let like = Self.laptopSettingPrefixes.map { _ in "key LIKE ? || '%'" }.joined(separator: " OR ")
            let settings = try Row.fetchAll(db, sql: "SELECT key, value, updated_at FROM settings WHERE \(like)",
                                            arguments: StatementArguments(Self.laptopSettingPrefixes)!)
            out.append(SyncTable(name: "settings", columns: ["key", "value", "updated_at"],
                                 rows: settings.map { r -> [Any] in r.databaseValues.map { Self.encode($0) } }))
            let cursor = try Int.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM sync_changes") ?? 0
            return (out, cursor)
        }
    }

    /// What changed in the actor's scope since `cursor`, the rows asked for again (`refresh`,
    /// after a rejected operation), and tombstones for rows the laptop must drop.
    public func syncChanges(actor: Actor, since cursor: Int, refresh: [String: [String]]) throws
        -> (tables: [SyncTable], tombstones: [String: [String]], cursor: Int) {
        try read { db in
            let newCursor = try Int.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM sync_changes") ?? 0
            var ids: [String: Set<String>] = [:]
            let scoped = actor.role == .superadmin ? "" : " AND (owner_id = ? OR prev_owner = ? OR owner_id IS NULL)"
            var args: [DatabaseValueConvertible?] = [cursor, newCursor]
            if actor.role != .superadmin { args += [actor.userId, actor.userId] }
            let changed = try Row.fetchCursor(db, sql: "SELECT tbl, row_id FROM sync_changes WHERE seq > ? AND seq <= ?\(scoped)",
                                              arguments: StatementArguments(args)!)
            while let r = try changed.next() { ids[r["tbl"], default: []].insert(r["row_id"]) }
            for (t, list) in refresh where Self.syncTables.contains(t) { ids[t, default: []].formUnion(list.prefix(10_000)) }
            if actor.role != .superadmin {
                // The superadmins a mitra's rows may name (recorded by, paid by), as stubs.
                for id in try String.fetchAll(db, sql: "SELECT id FROM users WHERE role = 'superadmin'") { ids["users", default: []].insert(id) }
                for id in try String.fetchAll(db, sql: """
                    SELECT DISTINCT c.owner_id FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.owner_id = ? AND c.owner_id != ?
                    """, arguments: [actor.userId, actor.userId]) { ids["users", default: []].insert(id) }
            }
            var tables: [SyncTable] = [], tombstones: [String: [String]] = [:]
            for t in Self.syncTables {
                guard let set = ids[t], !set.isEmpty else { continue }
                let all = Array(set)
                let (w, a) = Self.scopeWhere(t, actor: actor)
                var table = SyncTable(name: t, columns: [], rows: [])
                var found = Set<String>()
                for start in stride(from: 0, to: all.count, by: 500) {
                    let chunk = Array(all[start..<min(all.count, start + 500)])
                    let part = try Self.syncRows(db, table: t, filter: "(\(w)) AND id IN (\(chunk.map { _ in "?" }.joined(separator: ",")))",
                                                 args: a + chunk, actor: actor)
                    table.columns = part.columns
                    table.rows += part.rows
                    let idx = part.columns.firstIndex(of: "id") ?? 0
                    for r in part.rows { if let s = r[idx] as? String { found.insert(s) } }
                }
                if !table.rows.isEmpty { tables.append(table) }
                let gone = all.filter { !found.contains($0) }
                if !gone.isEmpty { tombstones[t] = gone }
            }
            return (tables, tombstones, newCursor)
        }
    }
}

// MARK: - Server: conflicts

extension AppDatabase {
    /// Conflicts in the actor's scope (open ones first, newest first).
    public func syncConflicts(actor: Actor, openOnly: Bool = true, limit: Int = 500) throws -> [SyncConflictRow] {
        guard actor.can(.markPayment) else { throw StoreError.notPermitted }
        return try read { db in
            var w = openOnly ? "k.settled_at IS NULL" : "1"
            var args: [DatabaseValueConvertible?] = []
            if actor.role != .superadmin { w += " AND k.owner_id = ?"; args.append(actor.userId) }
            return try Row.fetchAll(db, sql: """
                SELECT k.*, u.business_name AS area, c.code AS customer_code, c.name AS customer_name, i.number AS invoice_number,
                       p.amount AS amount, CASE WHEN i.paid_amount > i.total_amount THEN i.paid_amount - i.total_amount END AS overpaid
                FROM sync_conflicts k JOIN users u ON u.id = k.owner_id
                LEFT JOIN customers c ON c.id = k.customer_id LEFT JOIN invoices i ON i.id = k.invoice_id
                LEFT JOIN payments p ON p.id = k.payment_id
                WHERE \(w) ORDER BY k.settled_at IS NOT NULL, k.created_at DESC, k.id LIMIT \(max(1, limit))
                """, arguments: StatementArguments(args)!).map {
                SyncConflictRow(id: $0["id"], kind: $0["kind"], ownerId: $0["owner_id"], area: $0["area"], deviceId: $0["device_id"],
                                customerId: $0["customer_id"], customerCode: $0["customer_code"], customerName: $0["customer_name"],
                                invoiceId: $0["invoice_id"], invoiceNumber: $0["invoice_number"], paymentId: $0["payment_id"],
                                amount: $0["amount"], overpaid: $0["overpaid"], detail: $0["detail"], createdAt: $0["created_at"],
                                settledAt: $0["settled_at"], resolution: $0["resolution"])
            }
        }
    }

    /// Settles a conflict (superadmin, or the mitra who owns it), in one transaction, audited.
    /// `paymentId` chooses the payment to void with `.void` (default: the laptop's).
    public func settleConflict(_ id: String, _ resolution: SyncResolution, paymentId: String? = nil, actor: Actor,
                               context: StoreContext) throws {
        guard actor.can(.markPayment) else { throw StoreError.notPermitted }
        try write { db in
            guard let k = try Row.fetchOne(db, sql: "SELECT * FROM sync_conflicts WHERE id = ?", arguments: [id]),
                  actor.canAccess(ownerId: k["owner_id"]) else { throw StoreError.notFound(what: "conflict \(id)") }
            guard (k["settled_at"] as String?) == nil else { throw StoreError.alreadyExists(what: "settlement of \(id)") }
            let kind: String = k["kind"]
            let now = context.clock.now()
            var meta: [String: Any] = ["conflict": id, "resolution": resolution.rawValue, "kind": kind]
            switch (kind, resolution) {
            case ("overpaid", .refund), ("overpaid", .void):
                let pid = resolution == .void ? (paymentId ?? k["payment_id"]) : (k["payment_id"] as String)
                let inv = try Self.invoice(db, k["invoice_id"], actor: actor)
                guard try String.fetchOne(db, sql: "SELECT id FROM payments WHERE id = ? AND invoice_id = ? AND voided_at IS NULL",
                                          arguments: [pid, inv.id]) != nil else { throw StoreError.notFound(what: "payment \(pid)") }
                let reason = resolution == .refund ? "Dikembalikan ke pelanggan (refund)" : "Pembayaran ganda dibatalkan"
                try db.execute(sql: "UPDATE payments SET voided_at = ?, voided_by = ?, void_reason = ? WHERE id = ?",
                               arguments: [now, actor.userId, reason, pid])
                try Self.recomputeInvoice(db, invoiceId: inv.id, expectedVersion: inv.version, now: now)
                meta["payment_id"] = pid; meta["number"] = inv.number
            case ("overpaid", .credit):
                let inv = try Self.invoice(db, k["invoice_id"], actor: actor)
                let excess = inv.paidAmount - inv.totalAmount
                guard excess > 0 else { throw StoreError.invalid(field: "amount", reason: .outOfRange(min: 1, max: 0)) }
                guard let nextId = try String.fetchOne(db, sql: """
                    SELECT id FROM invoices WHERE customer_id = ? AND id != ? AND status != 'paid' ORDER BY period >= ? DESC, period LIMIT 1
                    """, arguments: [inv.customerId, inv.id, inv.period]) else { throw StoreError.notFound(what: "next invoice") }
                let next = try Self.invoice(db, nextId, actor: actor)
                guard let p = try Row.fetchOne(db, sql: "SELECT * FROM payments WHERE id = ? AND voided_at IS NULL",
                                               arguments: [k["payment_id"] as String]) else { throw StoreError.notFound(what: "payment") }
                let amount: Int = p["amount"]
                let tz = try Self.settings(db).timeZone
                let insert = """
                    INSERT INTO payments(id, invoice_id, owner_id, amount, method, reference, note, paid_at, paid_on, recorded_by, device_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
                try db.execute(sql: "UPDATE payments SET voided_at = ?, voided_by = ?, void_reason = ? WHERE id = ?",
                               arguments: [now, actor.userId, "Kelebihan dipindah ke \(next.number)", p["id"] as String])
                let paidAt: Date = p["paid_at"]
                if amount - excess > 0 {
                    try db.execute(sql: insert, arguments: [context.random.uuid(), inv.id, inv.ownerId, amount - excess, p["method"] as String,
                                                            p["reference"] as String?, "Sisa setelah kredit ke \(next.number)", paidAt,
                                                            LocalDate.from(paidAt, in: tz).description, actor.userId, p["device_id"] as String?, now])
                }
                let creditId = context.random.uuid()
                try db.execute(sql: insert, arguments: [creditId, next.id, next.ownerId, min(excess, amount), p["method"] as String,
                                                        p["reference"] as String?, "Kredit dari \(inv.number)", paidAt,
                                                        LocalDate.from(paidAt, in: tz).description, actor.userId, p["device_id"] as String?, now])
                try Self.recomputeInvoice(db, invoiceId: inv.id, expectedVersion: inv.version, now: now)
                try Self.recomputeInvoice(db, invoiceId: next.id, expectedVersion: next.version, now: now)
                let after = try Self.invoice(db, next.id, actor: actor)
                try Self.afterPayment(db, invoice: after, becamePaid: next.status != "paid" && after.status == "paid", paymentId: creditId,
                                      context: context)
                meta["number"] = inv.number; meta["credited_to"] = next.number; meta["amount"] = min(excess, amount)
            case ("customer_edit", .keepServer):
                break
            case ("customer_edit", .takeLaptop):
                let detail = (try? JSONSerialization.jsonObject(with: Data(((k["detail"] as String?) ?? "{}").utf8))) as? [String: Any]
                let fields = detail?["fields"] as? [String: Any] ?? [:]
                let laptop = fields.compactMapValues { ($0 as? [String: Any])?["laptop"] as? String }
                let current = try Self.customer(db, id: k["customer_id"], actor: actor)
                _ = try Self.updateCustomer(db, id: current.id, OperationLog.input(CustomerInput(current), setting: laptop),
                                            expectedVersion: current.version, actor: actor, context: context)
                meta["fields"] = Array(laptop.keys).sorted()
            default:
                throw StoreError.invalid(field: "resolution", reason: .notOneOf(kind == "overpaid" ? ["refund", "credit", "void"]
                                                                                                   : ["keep_server", "take_laptop"]))
            }
            try db.execute(sql: "UPDATE sync_conflicts SET settled_at = ?, settled_by = ?, resolution = ? WHERE id = ?",
                           arguments: [now, actor.userId, resolution.rawValue, id])
            try Audit.record(db, actor: actor, action: "sync.settle", resource: "sync_conflicts", resourceId: id, metadata: meta,
                             context: context)
        }
    }
}

// MARK: - Laptop

extension AppDatabase {
    /// The laptop's identity and counts (nil: not a laptop).
    public func laptopStatus() throws -> SyncLaptopStatus? {
        try read { db in
            guard let r = try Row.fetchOne(db, sql: "SELECT * FROM sync_identity WHERE id = 1") else { return nil }
            let pending = try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_ops WHERE status = 'pending'") ?? 0
            let rejected = try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_ops WHERE status = 'rejected'") ?? 0
            return SyncLaptopStatus(deviceId: r["device_id"], userId: r["user_id"], remote: r["remote"], cursor: r["cursor"],
                                    lastSyncAt: r["last_sync_at"], pending: pending, rejected: rejected, lastResult: r["last_result"],
                                    token: r["token"])
        }
    }

    /// Remembers how to reach the server.
    public func laptopSetRemote(_ remote: String) throws {
        try write { db in try db.execute(sql: "UPDATE sync_identity SET remote = ? WHERE id = 1", arguments: [remote]) }
    }

    /// Operations waiting to be pushed, oldest first.
    public func laptopPendingOps(limit: Int = 100_000) throws -> [SyncOperation] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT key, type, payload FROM sync_ops WHERE status = 'pending' ORDER BY seq LIMIT ?",
                             arguments: [limit]).map { SyncOperation(key: $0["key"], type: $0["type"], payload: $0["payload"]) }
        }
    }

    /// Rows the laptop must ask for again because the server rejected what changed them.
    public func laptopRefresh() throws -> [String: [String]] {
        try read { db in
            var out: [String: [String]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT type, payload FROM sync_ops WHERE status = 'rejected'") {
                let p = (try? JSONSerialization.jsonObject(with: Data((r["payload"] as String).utf8))) as? [String: Any] ?? [:]
                switch r["type"] as String {
                case "payment.record": if let id = p["id"] as? String { out["payments", default: []].append(id) }
                case "payment.void": if let id = p["payment_id"] as? String { out["payments", default: []].append(id) }
                default: if let id = p["id"] as? String { out["customers", default: []].append(id) }
                }
            }
            return out
        }
    }

    /// Records the server's answers: applied and conflicting operations leave the log,
    /// rejected ones wait for the pull that undoes them.
    public func laptopAcknowledge(_ results: [SyncOpResult]) throws {
        try write { db in
            for r in results {
                if r.status == "rejected" {
                    try db.cachedStatement(sql: "UPDATE sync_ops SET status = 'rejected', reason = ? WHERE key = ?").execute(arguments: [r.reason, r.key])
                } else {
                    try db.cachedStatement(sql: "DELETE FROM sync_ops WHERE key = ?").execute(arguments: [r.key])
                }
            }
        }
    }

    /// Writes rows from the server (upsert by primary key, only columns this schema has).
    static func upsert(_ db: Database, _ t: SyncTable) throws {
        let allowed = Set(["users", "packages", "customers", "invoices", "payments", "settings"])
        guard allowed.contains(t.name), !t.rows.isEmpty else { return }
        let local = Set(try db.columns(in: t.name).map(\.name))
        let key = t.name == "settings" ? "key" : "id"
        guard t.columns.contains(key), t.columns.allSatisfy({ local.contains($0) }) else {
            throw SyncStoreError.malformed("columns of \(t.name)")
        }
        let cols = t.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let updates = t.columns.filter { $0 != key }.map { "\"\($0)\" = excluded.\"\($0)\"" }.joined(separator: ", ")
        let st = try db.makeStatement(sql: """
            INSERT INTO \(t.name)(\(cols)) VALUES (\(t.columns.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT(\(key)) DO UPDATE SET \(updates)
            """)
        for row in t.rows {
            guard row.count == t.columns.count else { throw SyncStoreError.malformed("row of \(t.name)") }
            // As optional existentials: GRDB's init for a sequence of concrete values maps
            // through a key path built per call (~0.4 s of a 60,000-invoice clone).
            st.setUncheckedArguments(StatementArguments(row.map { Self.decode($0) as (any DatabaseValueConvertible)? }))
            try st.execute()
        }
    }

    static func decode(_ v: Any) -> DatabaseValue {
        switch v {
        case is NSNull: return .null
        case let s as String: return s.databaseValue
        case let i as Int: return i.databaseValue
        case let d as Double: return d.databaseValue
        default: return .null
        }
    }

    /// Creates the laptop's content from a clone: identity, then the scope's rows.
    public func laptopApplyClone(tables: [SyncTable], deviceId: String, token: String, userId: String, remote: String?,
                                 cursor: Int, context: StoreContext) throws {
        do {
            try writer.writeWithoutTransaction { db in
                // The clone writes the whole scope in one transaction (60,000 invoices, their
                // indexes and the aggregate triggers at the field-laptop size). Every row is a
                // statement that may fail half-way (triggers, upsert), so SQLite keeps a
                // statement journal of the pages it touches; with the default temp store that
                // journal spilled to a temp file — 8 million 4 KiB pwrites for one clone. Kept
                // in memory (set before the transaction: SQLite reads it when the transaction
                // begins), with a page cache that holds the load so nothing spills mid-way.
                // The commit does not wait for the disk (WAL + NORMAL): a power cut right after
                // a clone can only lose the whole clone (WAL frames are checksummed), never
                // half of it, and a lost clone is simply made again.
                try db.execute(sql: "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -262144; PRAGMA synchronous = NORMAL")
                defer { try? db.execute(sql: "PRAGMA temp_store = DEFAULT; PRAGMA cache_size = -16384; PRAGMA synchronous = FULL") }
                try db.inTransaction {
                    try Self.applyClone(db, tables: tables, deviceId: deviceId, token: token, userId: userId, remote: remote,
                                        cursor: cursor, context: context, path: path)
                    return .commit
                }
            }
        } catch let e as DatabaseError {
            throw AppDatabase.map(e)
        }
    }

    static func applyClone(_ db: Database, tables: [SyncTable], deviceId: String, token: String, userId: String, remote: String?,
                           cursor: Int, context: StoreContext, path: String?) throws {
        guard try !OperationLog.isLaptop(db),
              try Int.fetchOne(db, sql: "SELECT count(*) FROM users") == 0 else { throw StoreError.databaseExists(path: path ?? "") }
        try db.execute(sql: "INSERT INTO sync_identity(id, device_id, token, user_id, remote, cursor, created_at, last_sync_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                       arguments: [deviceId, token, userId, remote, cursor, context.clock.now(), context.clock.now()])
        try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
        // An empty file takes the rows faster with its secondary indexes built once at the end
        // (a sort) than kept row by row; same transaction, so a failed clone leaves nothing.
        var indexes: [String] = []
        for name in Set(tables.map(\.name)).intersection(["customers", "invoices", "payments"]) {
            for r in try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                                      arguments: [name]) {
                indexes.append(r["sql"])
                try db.execute(sql: "DROP INDEX \"\(r["name"] as String)\"")
            }
        }
        for t in tables { try Self.upsert(db, t) }
        for sql in indexes { try db.execute(sql: sql) }
        // Customers made on the laptop get provisional numbers far from the server's;
        // the server gives the real code when it replays the creation.
        try db.execute(sql: "INSERT INTO counters(name, value) VALUES ('customer', 900000000) ON CONFLICT(name) DO UPDATE SET value = max(value, 900000000)")
    }

    /// Applies a pull: the server's rows and tombstones, the rejected operations undone, the
    /// still-pending ones rebased on top, the cursor moved — one transaction.
    public func laptopApplyPull(tables: [SyncTable], tombstones: [String: [String]], cursor: Int, result: String,
                                context: StoreContext) throws {
        try write { db in
            guard try OperationLog.isLaptop(db) else { throw SyncStoreError.notLaptop }
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            var touched = Set<String>()
            for t in tables { try Self.upsert(db, t) }
            for t in Self.syncTables.reversed() {
                for id in tombstones[t] ?? [] {
                    if t == "payments", let inv = try String.fetchOne(db, sql: "SELECT invoice_id FROM payments WHERE id = ?", arguments: [id]) {
                        touched.insert(inv)
                    }
                    try db.execute(sql: "DELETE FROM \(t) WHERE id = ?", arguments: [id])
                }
            }
            // A mitra's laptop keeps another owner's customer only while it holds invoices of it.
            if let me = try Row.fetchOne(db, sql: "SELECT u.id, u.role FROM sync_identity s JOIN users u ON u.id = s.user_id"),
               (me["role"] as String) != Role.superadmin.rawValue {
                try db.execute(sql: "DELETE FROM customers WHERE owner_id != ? AND id NOT IN (SELECT customer_id FROM invoices)",
                               arguments: [me["id"] as String])
            }
            // Rejected operations are undone by the rows just pulled; they leave the log.
            try db.execute(sql: "DELETE FROM sync_ops WHERE status = 'rejected'")
            // Rebase what still waits: payments count again, edits show again.
            for r in try Row.fetchAll(db, sql: "SELECT type, payload FROM sync_ops WHERE status = 'pending' ORDER BY seq") {
                let p = (try? JSONSerialization.jsonObject(with: Data((r["payload"] as String).utf8))) as? [String: Any] ?? [:]
                switch r["type"] as String {
                case "payment.record", "payment.void":
                    let pid = (p["id"] as? String) ?? (p["payment_id"] as? String) ?? ""
                    if let inv = try String.fetchOne(db, sql: "SELECT invoice_id FROM payments WHERE id = ?", arguments: [pid]) { touched.insert(inv) }
                    if r["type"] as String == "payment.void" {
                        try db.execute(sql: "UPDATE payments SET voided_at = coalesce(voided_at, ?), void_reason = coalesce(void_reason, ?) WHERE id = ?",
                                       arguments: [context.clock.now(), p["reason"] as? String ?? "-", pid])
                    }
                case "customer.edit":
                    guard let id = p["id"] as? String, let after = p["after"] as? [String: String] else { continue }
                    let cols = ["name": "name", "phone": "phone", "nik": "nik", "address": "address", "notes": "notes", "discount": "discount"]
                    for (k, v) in after { if let c = cols[k] {
                        if c == "discount" {
                            let d = Int(v) ?? 0
                            try db.execute(sql: "UPDATE customers SET discount = ?, total_bill = max(0, (SELECT price FROM packages WHERE id = customers.package_id) - ?) WHERE id = ?",
                                           arguments: [d, d, id])
                        } else {
                            try db.execute(sql: "UPDATE customers SET \(c) = ? WHERE id = ?",
                                           arguments: [v.isEmpty && c != "name" && c != "phone" ? DatabaseValue.null : v.databaseValue, id])
                        }
                    } }
                default: break
                }
            }
            for inv in touched { try Self.recomputeLocally(db, invoiceId: inv) }
            try db.execute(sql: "UPDATE sync_identity SET cursor = ?, last_sync_at = ?, last_result = ? WHERE id = 1",
                           arguments: [cursor, context.clock.now(), result])
        }
    }

    /// The invoice's paid amount and status from its live payments (laptop rebase; no version check).
    static func recomputeLocally(_ db: Database, invoiceId: String) throws {
        // Cached: a write to invoices compiles every trigger body when prepared (issue 17).
        try db.cachedStatement(sql: """
            UPDATE invoices SET \(Self.paidFromLedger)
            WHERE id = ?
            """).execute(arguments: [invoiceId])
    }

    /// Sum of live payments and the count of rows per synced table in the actor's scope
    /// (tests and `sync status` compare both sides with it).
    public func syncFingerprint(actor: Actor) throws -> [String: Int] {
        try read { db in
            var out: [String: Int] = [:]
            for t in ["customers", "invoices", "payments"] {
                let (w, a) = Self.scopeWhere(t, actor: actor)
                out[t] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(t) WHERE \(w)", arguments: StatementArguments(a)!) ?? 0
            }
            let (w, a) = Self.scopeWhere("payments", actor: actor)
            out["live_sum"] = try Int.fetchOne(db, sql: "SELECT coalesce(sum(amount), 0) FROM payments WHERE voided_at IS NULL AND \(w)",
                                               arguments: StatementArguments(a)!) ?? 0
            out["paid_sum"] = try Int.fetchOne(db, sql: "SELECT coalesce(sum(paid_amount), 0) FROM invoices WHERE \(w)",
                                               arguments: StatementArguments(a)!) ?? 0
            return out
        }
    }
}
