import Foundation
import GRDB
import FiberNodeDomain

/// A mitra in the Mitra pane, with its customer count and unpaid total.
public struct MitraRow: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var username: String
    public var name: String
    public var phone: String?
    public var businessName: String
    public var bankName: String?
    public var bankAccount: String?
    public var bankHolder: String?
    public var isActive: Bool
    public var deletedAt: Date?
    public var version: Int
    public var customerCount: Int
    public var unpaidTotal: Int
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

/// The fields of a mitra form, as typed.
public struct MitraInput: Sendable, Equatable {
    public var username: String
    public var name: String
    public var phone: String
    public var businessName: String
    public var bankName: String
    public var bankAccount: String
    public var bankHolder: String
    public var password: String      // required on create; empty on edit = unchanged
    public init(username: String = "", name: String = "", phone: String = "", businessName: String = "", bankName: String = "",
                bankAccount: String = "", bankHolder: String = "", password: String = "") {
        self.username = username; self.name = name; self.phone = phone; self.businessName = businessName
        self.bankName = bankName; self.bankAccount = bankAccount; self.bankHolder = bankHolder; self.password = password
    }
}

/// An owner (superadmin or mitra) for pickers: id and business name.
public struct OwnerOption: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var businessName: String
    public var role: String
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

extension AppDatabase {
    /// Mitra accounts (superadmin only); `deleted` lists the removed ones for Restore. Customer
    /// counts and the unpaid total come from the trigger-kept aggregates (issue 17: summing a
    /// mitra's invoices grew with them — 12 M at xl).
    public func mitras(actor: Actor, deleted: Bool = false) throws -> [MitraRow] {
        guard actor.can(.manageMitra) else { throw StoreError.notPermitted }
        return try read { db in
            try MitraRow.fetchAll(db, sql: """
                SELECT u.id, u.username, u.name, u.phone, u.business_name, u.bank_name, u.bank_account, u.bank_holder,
                       u.is_active, u.deleted_at, u.version,
                       (SELECT coalesce(sum(s.customers), 0) FROM customer_stats s WHERE s.owner_id = u.id) AS customer_count,
                       (SELECT coalesce(sum(s.billed - s.collected), 0) FROM invoice_stats s
                         WHERE s.owner_id = u.id AND s.status != 'paid') AS unpaid_total
                FROM users u WHERE u.role = 'mitra' AND u.deleted_at IS \(deleted ? "NOT NULL" : "NULL")
                ORDER BY u.business_name COLLATE NOCASE
                """)
        }
    }

    /// Every owner the actor may assign customers to (superadmin: all active; mitra: itself).
    public func owners(actor: Actor) throws -> [OwnerOption] {
        try read { db in
            if actor.can(.viewAllOwners) {
                return try OwnerOption.fetchAll(db, sql: """
                    SELECT id, business_name, role FROM users WHERE deleted_at IS NULL AND is_active = 1
                    ORDER BY role DESC, business_name COLLATE NOCASE
                    """)
            }
            return try OwnerOption.fetchAll(db, sql: "SELECT id, business_name, role FROM users WHERE id = ?", arguments: [actor.userId])
        }
    }

    @discardableResult
    public func createMitra(_ input: MitraInput, actor: Actor, context: StoreContext) throws -> MitraRow {
        guard actor.can(.manageMitra) else { throw StoreError.notPermitted }
        let v = try Self.validateMitra(input, creating: true)
        // Hash outside the transaction: Argon2id is slow on purpose.
        let hash = PasswordHasher.hash(input.password, cost: context.passwordCost, random: context.random)
        return try write { db in
            try Self.checkUnique(db, username: v.username, business: v.business, except: nil)
            let now = context.clock.now()
            let u = UserRecord(id: context.random.uuid(), username: v.username, passwordHash: hash, name: v.name, role: Role.mitra.rawValue,
                               phone: v.phone, businessName: v.business, bankName: v.bankName, bankAccount: v.bankAccount,
                               bankHolder: v.bankHolder, isActive: true, lastLoginAt: nil, deletedAt: nil, version: 1,
                               createdAt: now, updatedAt: now)
            try u.insert(db)
            try Audit.record(db, actor: actor, action: "user.create", resource: "users", resourceId: u.id,
                             metadata: ["after": Self.auditFields(u)], context: context)
            return try Self.mitraRow(db, id: u.id)
        }
    }

    /// Edits a mitra; a non-empty password resets it.
    @discardableResult
    public func updateMitra(id: String, _ input: MitraInput, expectedVersion: Int, actor: Actor, context: StoreContext) throws -> MitraRow {
        guard actor.can(.manageMitra) else { throw StoreError.notPermitted }
        let v = try Self.validateMitra(input, creating: false)
        let hash = input.password.isEmpty ? nil : PasswordHasher.hash(input.password, cost: context.passwordCost, random: context.random)
        return try write { db in
            guard var u = try UserRecord.fetchOne(db, key: id), u.role == Role.mitra.rawValue else { throw StoreError.notFound(what: "mitra") }
            guard u.version == expectedVersion else { throw StoreError.changedByOther }
            try Self.checkUnique(db, username: v.username, business: v.business, except: id)
            let old = u
            u.username = v.username; u.name = v.name; u.phone = v.phone; u.businessName = v.business
            u.bankName = v.bankName; u.bankAccount = v.bankAccount; u.bankHolder = v.bankHolder
            if let hash { u.passwordHash = hash }
            u.version += 1; u.updatedAt = context.clock.now()
            try u.update(db)
            var d = Self.diff(Self.auditFields(old), Self.auditFields(u))
            if hash != nil { d.before["password"] = "[redacted]"; d.after["password"] = "[changed]" }
            try Audit.record(db, actor: actor, action: hash != nil ? "user.update+password" : "user.update", resource: "users",
                             resourceId: id, metadata: ["before": d.before, "after": d.after], context: context)
            return try Self.mitraRow(db, id: id)
        }
    }

    /// Deactivate (refused while the mitra still has customers) or reactivate.
    public func setMitraActive(id: String, active: Bool, actor: Actor, context: StoreContext) throws {
        guard actor.can(.manageMitra) else { throw StoreError.notPermitted }
        try write { db in
            guard let u = try UserRecord.fetchOne(db, key: id), u.role == Role.mitra.rawValue else { throw StoreError.notFound(what: "mitra") }
            if !active {
                let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM customers WHERE owner_id = ? AND deleted_at IS NULL", arguments: [id]) ?? 0
                if n > 0 { throw StoreError.inUse(what: u.businessName, count: n) }
            }
            try db.execute(sql: "UPDATE users SET is_active = ?, version = version + 1, updated_at = ? WHERE id = ?",
                           arguments: [active, context.clock.now(), id])
            try Audit.record(db, actor: actor, action: active ? "user.activate" : "user.deactivate", resource: "users", resourceId: id,
                             metadata: ["before": ["is_active": u.isActive], "after": ["is_active": active]], context: context)
        }
    }

    /// Soft delete (refused while the mitra still has customers) and restore.
    public func setMitraDeleted(id: String, deleted: Bool, actor: Actor, context: StoreContext) throws {
        guard actor.can(.manageMitra) else { throw StoreError.notPermitted }
        try write { db in
            guard let u = try UserRecord.fetchOne(db, key: id), u.role == Role.mitra.rawValue else { throw StoreError.notFound(what: "mitra") }
            if deleted {
                let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM customers WHERE owner_id = ? AND deleted_at IS NULL", arguments: [id]) ?? 0
                if n > 0 { throw StoreError.inUse(what: u.businessName, count: n) }
            }
            let now = context.clock.now()
            try db.execute(sql: "UPDATE users SET deleted_at = ?, is_active = ?, version = version + 1, updated_at = ? WHERE id = ?",
                           arguments: [deleted ? now : nil, !deleted, now, id])
            try Audit.record(db, actor: actor, action: deleted ? "user.delete" : "user.restore", resource: "users", resourceId: id,
                             metadata: ["before": ["deleted": !deleted], "after": ["deleted": deleted]], context: context)
        }
    }

    // MARK: Profile

    /// Own name and (mitra) bank details.
    public func updateProfile(name: String, bankName: String, bankAccount: String, bankHolder: String, actor: Actor,
                              context: StoreContext) throws -> UserProfile {
        guard actor.can(.editOwnProfile) else { throw StoreError.notPermitted }
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw StoreError.invalid(field: "name", reason: .required) }
        guard name.count <= 255 else { throw StoreError.invalid(field: "name", reason: .tooLong(max: 255)) }
        try Validate.plainText(name, field: "name")
        let bank = try Self.bankFields(bankName, bankAccount, bankHolder)
        return try write { db in
            guard var u = try UserRecord.fetchOne(db, key: actor.userId) else { throw StoreError.notFound(what: "user") }
            let old = u
            u.name = name
            if actor.can(.editOwnBankAccount) { u.bankName = bank.0; u.bankAccount = bank.1; u.bankHolder = bank.2 }
            u.version += 1; u.updatedAt = context.clock.now()
            try u.update(db)
            let d = Self.diff(Self.auditFields(old), Self.auditFields(u))
            try Audit.record(db, actor: actor, action: "profile.update", resource: "users", resourceId: u.id,
                             metadata: ["before": d.before, "after": d.after], context: context)
            return UserProfile(u)
        }
    }

    /// Changes one's own password: the current one is required, the new one twice.
    public func changePassword(current: String, new: String, repeat again: String, actor: Actor, context: StoreContext) throws {
        guard new == again else { throw StoreError.invalid(field: "password", reason: .passwordsDiffer) }
        try PasswordPolicy.check(new)
        guard let u = try read({ db in try UserRecord.fetchOne(db, key: actor.userId) }) else { throw StoreError.notFound(what: "user") }
        guard PasswordHasher.verify(current, encoded: u.passwordHash) else {
            throw StoreError.invalid(field: "password", reason: .wrongPassword)
        }
        let hash = PasswordHasher.hash(new, cost: context.passwordCost, random: context.random)
        try write { db in
            try db.execute(sql: "UPDATE users SET password_hash = ?, version = version + 1, updated_at = ? WHERE id = ?",
                           arguments: [hash, context.clock.now(), u.id])
            try Audit.record(db, actor: actor, action: "profile.password", resource: "users", resourceId: u.id,
                             metadata: ["password": "changed"], context: context)
        }
    }

    // MARK: Helpers

    static func mitraRow(_ db: Database, id: String) throws -> MitraRow {
        try MitraRow.fetchOne(db, sql: """
            SELECT u.id, u.username, u.name, u.phone, u.business_name, u.bank_name, u.bank_account, u.bank_holder,
                   u.is_active, u.deleted_at, u.version,
                   (SELECT count(*) FROM customers c WHERE c.owner_id = u.id AND c.deleted_at IS NULL) AS customer_count,
                   (SELECT coalesce(sum(i.total_amount - i.paid_amount), 0) FROM invoices i WHERE i.owner_id = u.id AND i.status != 'paid') AS unpaid_total
            FROM users u WHERE u.id = ?
            """, arguments: [id])!
    }

    static func checkUnique(_ db: Database, username: String, business: String, except: String?) throws {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE username = ? COLLATE NOCASE AND id IS NOT ?", arguments: [username, except]) == true {
            throw StoreError.alreadyExists(what: "username \(username)")
        }
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE business_name = ? COLLATE NOCASE AND id IS NOT ?", arguments: [business, except]) == true {
            throw StoreError.alreadyExists(what: "business name \(business)")
        }
    }

    static func validateMitra(_ input: MitraInput, creating: Bool) throws
        -> (username: String, name: String, phone: String?, business: String, bankName: String?, bankAccount: String?, bankHolder: String?) {
        let username = input.username.trimmingCharacters(in: .whitespaces).lowercased()
        try Validate.username(username)
        let name = input.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw StoreError.invalid(field: "name", reason: .required) }
        guard name.count <= 255 else { throw StoreError.invalid(field: "name", reason: .tooLong(max: 255)) }
        let business = input.businessName.trimmingCharacters(in: .whitespaces)
        guard !business.isEmpty else { throw StoreError.invalid(field: "business_name", reason: .required) }
        guard business.count <= 255 else { throw StoreError.invalid(field: "business_name", reason: .tooLong(max: 255)) }
        try Validate.plainText(name, field: "name")
        try Validate.plainText(business, field: "business_name")
        var phone: String? = nil
        if !input.phone.trimmingCharacters(in: .whitespaces).isEmpty { phone = try CustomerStore.validPhone(input.phone).digits }
        if creating || !input.password.isEmpty { try PasswordPolicy.check(input.password) }
        let bank = try bankFields(input.bankName, input.bankAccount, input.bankHolder)
        return (username, name, phone, business, bank.0, bank.1, bank.2)
    }

    static func bankFields(_ name: String, _ account: String, _ holder: String) throws -> (String?, String?, String?) {
        let n = name.trimmingCharacters(in: .whitespaces), a = account.trimmingCharacters(in: .whitespaces)
        let h = holder.trimmingCharacters(in: .whitespaces)
        guard n.count <= 100 else { throw StoreError.invalid(field: "bank_name", reason: .tooLong(max: 100)) }
        guard a.count <= 50 else { throw StoreError.invalid(field: "bank_account", reason: .tooLong(max: 50)) }
        guard a.allSatisfy({ $0.isNumber || $0 == "-" || $0 == " " }) else {
            throw StoreError.invalid(field: "bank_account", reason: .badFormat(expected: "1234567890"))
        }
        guard h.count <= 255 else { throw StoreError.invalid(field: "bank_holder", reason: .tooLong(max: 255)) }
        try Validate.plainText(n, field: "bank_name")
        try Validate.plainText(h, field: "bank_holder")
        return (n.isEmpty ? nil : n, a.isEmpty ? nil : a, h.isEmpty ? nil : h)
    }

    static func auditFields(_ u: UserRecord) -> [String: Any] {
        ["username": u.username, "name": u.name, "phone": u.phone ?? "", "business_name": u.businessName,
         "bank_name": u.bankName ?? "", "bank_account": u.bankAccount ?? "", "bank_holder": u.bankHolder ?? "",
         "is_active": u.isActive]
    }
}
