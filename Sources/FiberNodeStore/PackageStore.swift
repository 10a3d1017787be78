import Foundation
import GRDB
import FiberNodeDomain

/// A package with how many customers use it.
public struct PackageRow: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var name: String
    public var speed: String
    public var price: Int
    public var description: String?
    public var isActive: Bool
    public var version: Int
    public var customerCount: Int
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

/// The fields of a package form, as typed.
public struct PackageInput: Sendable, Equatable {
    public var name: String
    public var speed: String
    public var price: String
    public var description: String
    public init(name: String = "", speed: String = "", price: String = "", description: String = "") {
        self.name = name; self.speed = speed; self.price = price; self.description = description
    }
}

extension AppDatabase {
    /// Every package (active first unless `activeOnly`), with usage counts. Everyone may read packages.
    public func packages(activeOnly: Bool = false) throws -> [PackageRow] {
        try read { db in
            try PackageRow.fetchAll(db, sql: """
                SELECT p.id, p.name, p.speed, p.price, p.description, p.is_active, p.version,
                       coalesce((SELECT s.customers FROM package_stats s WHERE s.package_id = p.id), 0) AS customer_count
                FROM packages p \(activeOnly ? "WHERE p.is_active = 1" : "")
                ORDER BY p.is_active DESC, p.price, p.name
                """)
        }
    }

    @discardableResult
    public func createPackage(_ input: PackageInput, actor: Actor, context: StoreContext) throws -> PackageRecord {
        guard actor.can(.managePackages) else { throw StoreError.notPermitted }
        return try write { db in
            let v = try Self.validatePackage(input)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM packages WHERE name = ? COLLATE NOCASE", arguments: [v.name]) == true {
                throw StoreError.alreadyExists(what: "package \(v.name)")
            }
            let now = context.clock.now()
            let p = PackageRecord(id: context.random.uuid(), name: v.name, speed: v.speed, price: v.price,
                                  description: v.description, isActive: true, version: 1, createdAt: now, updatedAt: now)
            try p.insert(db)
            try Audit.record(db, actor: actor, action: "package.create", resource: "packages", resourceId: p.id,
                             metadata: ["after": Self.auditFields(p)], context: context)
            return p
        }
    }

    /// Edits a package. A price change recalculates `total_bill` of its customers (their
    /// generated invoices keep their snapshot). Discounts above the new price are refused.
    @discardableResult
    public func updatePackage(id: String, _ input: PackageInput, expectedVersion: Int, actor: Actor,
                              context: StoreContext) throws -> PackageRecord {
        guard actor.can(.managePackages) else { throw StoreError.notPermitted }
        return try write { db in
            guard var p = try PackageRecord.fetchOne(db, key: id) else { throw StoreError.notFound(what: "package") }
            guard p.version == expectedVersion else { throw StoreError.changedByOther }
            let v = try Self.validatePackage(input)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM packages WHERE name = ? COLLATE NOCASE AND id != ?", arguments: [v.name, id]) == true {
                throw StoreError.alreadyExists(what: "package \(v.name)")
            }
            let tooBig = try Int.fetchOne(db, sql: "SELECT count(*) FROM customers WHERE package_id = ? AND discount > ?",
                                          arguments: [id, v.price]) ?? 0
            if tooBig > 0 { throw StoreError.invalid(field: "price", reason: .outOfRange(min: try Int.fetchOne(db, sql: "SELECT max(discount) FROM customers WHERE package_id = ?", arguments: [id]) ?? 0, max: Int.max)) }
            let old = p
            p.name = v.name; p.speed = v.speed; p.price = v.price; p.description = v.description
            p.version += 1; p.updatedAt = context.clock.now()
            try p.update(db)
            if old.price != p.price {
                try db.execute(sql: "UPDATE customers SET total_bill = ? - discount, version = version + 1, updated_at = ? WHERE package_id = ?",
                               arguments: [p.price, p.updatedAt, id])
            }
            let d = Self.diff(Self.auditFields(old), Self.auditFields(p))
            try Audit.record(db, actor: actor, action: "package.update", resource: "packages", resourceId: id,
                             metadata: ["before": d.before, "after": d.after], context: context)
            return p
        }
    }

    /// Deactivate hides a package from forms; its customers keep it. Activate reverses it.
    public func setPackageActive(id: String, active: Bool, actor: Actor, context: StoreContext) throws {
        guard actor.can(.managePackages) else { throw StoreError.notPermitted }
        try write { db in
            guard let p = try PackageRecord.fetchOne(db, key: id) else { throw StoreError.notFound(what: "package") }
            guard p.isActive != active else { return }
            try db.execute(sql: "UPDATE packages SET is_active = ?, version = version + 1, updated_at = ? WHERE id = ?",
                           arguments: [active, context.clock.now(), id])
            try Audit.record(db, actor: actor, action: active ? "package.activate" : "package.deactivate", resource: "packages",
                             resourceId: id, metadata: ["before": ["is_active": !active], "after": ["is_active": active]],
                             context: context)
        }
    }

    /// Deletes a package no customer uses (deleted customers included: they keep history).
    public func deletePackage(id: String, actor: Actor, context: StoreContext) throws {
        guard actor.can(.managePackages) else { throw StoreError.notPermitted }
        try write { db in
            guard let p = try PackageRecord.fetchOne(db, key: id) else { throw StoreError.notFound(what: "package") }
            let used = try Int.fetchOne(db, sql: "SELECT count(*) FROM customers WHERE package_id = ?", arguments: [id]) ?? 0
            if used > 0 { throw StoreError.inUse(what: p.name, count: used) }
            try p.delete(db)
            try Audit.record(db, actor: actor, action: "package.delete", resource: "packages", resourceId: id,
                             metadata: ["before": Self.auditFields(p)], context: context)
        }
    }

    static func validatePackage(_ input: PackageInput) throws -> (name: String, speed: String, price: Int, description: String?) {
        let name = input.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw StoreError.invalid(field: "name", reason: .required) }
        guard name.count <= 255 else { throw StoreError.invalid(field: "name", reason: .tooLong(max: 255)) }
        let speed = input.speed.trimmingCharacters(in: .whitespaces)
        guard !speed.isEmpty else { throw StoreError.invalid(field: "speed", reason: .required) }
        guard speed.count <= 50 else { throw StoreError.invalid(field: "speed", reason: .tooLong(max: 50)) }
        try Validate.plainText(name, field: "name")
        try Validate.plainText(speed, field: "speed")
        guard let price = Rupiah.parse(input.price.trimmingCharacters(in: .whitespaces)) else {
            throw StoreError.invalid(field: "price", reason: .notANumber)
        }
        guard (0...100_000_000).contains(price.value) else {
            throw StoreError.invalid(field: "price", reason: .outOfRange(min: 0, max: 100_000_000))
        }
        let d = input.description.trimmingCharacters(in: .whitespacesAndNewlines)
        return (name, speed, price.value, d.isEmpty ? nil : d)
    }

    static func auditFields(_ p: PackageRecord) -> [String: Any] {
        ["name": p.name, "speed": p.speed, "price": p.price, "description": p.description ?? "", "is_active": p.isActive]
    }
}
