import Foundation
import GRDB
import FiberNodeDomain

/// Creating a new installation (`fibernode init`) and the spec's demo data (`fibernode demo`).
public enum Seeder {
    /// Creates a new database file with one superadmin. Refuses an existing database.
    public static func initialize(path: String, business: String, adminUsername: String, adminName: String = "Super Admin",
                                  adminPassword: String, context: StoreContext) throws -> AppDatabase {
        let business = business.trimmingCharacters(in: .whitespaces)
        let adminUsername = adminUsername.trimmingCharacters(in: .whitespaces).lowercased()
        guard !business.isEmpty else { throw StoreError.invalid(field: "business", reason: .required) }
        guard business.count <= 255 else { throw StoreError.invalid(field: "business", reason: .tooLong(max: 255)) }
        try Validate.username(adminUsername)
        try PasswordPolicy.check(adminPassword)
        if FileManager.default.fileExists(atPath: path),
           (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 > 0 {
            throw StoreError.databaseExists(path: path)
        }
        let db = try AppDatabase.open(path: path, create: true)
        try db.write { d in
            let admin = try insertUser(d, username: adminUsername, password: adminPassword, name: adminName,
                                       role: .superadmin, business: business, context: context)
            try Audit.record(d, actor: admin.actor, action: "system.init", resource: "users", resourceId: admin.id,
                             metadata: ["business": business, "username": adminUsername], context: context)
        }
        return db
    }

    /// The spec's seed data: superadmin, 5 packages, mitra1 and mitra2, 3 customers.
    public static func demo(into db: AppDatabase, context: StoreContext) throws {
        try db.write { d in
            let existing = try Int.fetchOne(d, sql: "SELECT count(*) FROM users") ?? 0
            guard existing == 0 else { throw StoreError.databaseExists(path: db.path ?? "") }
            let admin = try insertUser(d, username: "superadmin", password: "Admin123!", name: "Super Admin",
                                       role: .superadmin, business: "FiberNode Pusat", context: context)
            var packages: [String: PackageRecord] = [:]
            for (name, speed, price) in [("Paket 10 Mbps", "10 Mbps", 100_000), ("Paket 20 Mbps", "20 Mbps", 150_000),
                                         ("Paket 30 Mbps", "30 Mbps", 200_000), ("Paket 50 Mbps", "50 Mbps", 250_000),
                                         ("Paket 100 Mbps", "100 Mbps", 350_000)] {
                let p = PackageRecord(id: context.random.uuid(), name: name, speed: speed, price: price, description: nil,
                                      isActive: true, version: 1, createdAt: context.clock.now(), updatedAt: context.clock.now())
                try p.insert(d)
                packages[name] = p
            }
            let m1 = try insertUser(d, username: "mitra1", password: "Mitra123!", name: "Budi Santoso", role: .mitra,
                                    business: "WiFi Sukamaju", context: context)
            let m2 = try insertUser(d, username: "mitra2", password: "Mitra123!", name: "Siti Rahayu", role: .mitra,
                                    business: "Net Mekarjaya", context: context)
            _ = m2
            let today = LocalDate.from(context.clock.now(), in: try AppDatabase.settings(d).timeZone)
            // Registered a year ago (the 1st of this month last year): no invoice falls due before
            // its customer registered (issue 14 §5), so the demo's customers must have registered
            // before the periods an operator (or a test) generates for them.
            let registered = LocalDate(year: today.year - 1, month: today.month, day: 1)!
            let seeds: [(String, String, UserRecord, Int, String, Int)] = [
                ("Ahmad Fauzi", "6281234567890", m1, 5, "Paket 10 Mbps", 0),
                ("Dewi Lestari", "6289876543210", m1, 10, "Paket 20 Mbps", 10_000),
                ("Rudi Hartono", "6281333444555", admin, 15, "Paket 50 Mbps", 0),
            ]
            for (name, phone, owner, day, pkg, discount) in seeds {
                let p = packages[pkg]!
                _ = try CustomerStore.insert(d, ownerId: owner.id, package: p, name: name, phone: phone, nik: nil, address: nil,
                                             billingDay: day, discount: discount, registerDate: registered, notes: nil, context: context)
            }
            try Audit.record(d, actor: admin.actor, action: "system.demo", resource: nil, resourceId: nil,
                             metadata: ["users": 3, "packages": 5, "customers": 3], context: context)
        }
    }

    /// Inserts a user with an Argon2id hash; checks username and business name uniqueness.
    @discardableResult
    static func insertUser(_ db: Database, username: String, password: String, name: String, role: Role,
                           business: String, phone: String? = nil, context: StoreContext) throws -> UserRecord {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE username = ? COLLATE NOCASE", arguments: [username]) == true {
            throw StoreError.alreadyExists(what: "username")
        }
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE business_name = ? COLLATE NOCASE", arguments: [business]) == true {
            throw StoreError.alreadyExists(what: "business_name")
        }
        let now = context.clock.now()
        let u = UserRecord(id: context.random.uuid(), username: username,
                           passwordHash: PasswordHasher.hash(password, cost: context.passwordCost, random: context.random),
                           name: name, role: role.rawValue, phone: phone, businessName: business,
                           bankName: nil, bankAccount: nil, bankHolder: nil, isActive: true, lastLoginAt: nil,
                           deletedAt: nil, version: 1, createdAt: now, updatedAt: now)
        try u.insert(db)
        return u
    }
}

/// Field validators shared by the use cases.
public enum Validate {
    /// True for the characters a name or address must not hold: C0/C1 controls (ESC, BEL,
    /// tab, CR, LF…), DEL, and the bidi overrides and isolates that reorder a terminal line.
    public static func isControl(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// Refuses control characters in a one-line text field (issue 12, item 3).
    public static func plainText(_ s: String, field: String) throws {
        if s.unicodeScalars.contains(where: isControl) { throw StoreError.invalid(field: field, reason: .controlCharacters) }
    }

    public static func username(_ s: String) throws {
        guard !s.isEmpty else { throw StoreError.invalid(field: "username", reason: .required) }
        guard s.count <= 100 else { throw StoreError.invalid(field: "username", reason: .tooLong(max: 100)) }
        guard s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw StoreError.invalid(field: "username", reason: .badFormat(expected: "a-z 0-9 . _ -"))
        }
    }
}
