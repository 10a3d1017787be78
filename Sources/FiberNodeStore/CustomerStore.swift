import Foundation
import GRDB
import FiberNodeDomain

// MARK: - Values

/// One row of the customer list (joined with package and owner).
public struct CustomerRow: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var no: Int
    public var code: String
    public var name: String
    public var phone: String
    public var nik: String?
    public var address: String?
    public var packageId: String
    public var packageName: String
    public var packageSpeed: String
    public var packagePrice: Int
    public var ownerId: String
    public var area: String
    public var billingDate: Int
    public var discount: Int
    public var totalBill: Int
    public var status: String
    public var registerDate: String
    public var notes: String?
    public var deletedAt: Date?
    public var version: Int
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

/// List order.
public enum CustomerSort: String, CaseIterable, Sendable {
    case name, code, billingDay
}

/// Filters of the customer list.
public struct CustomerFilter: Sendable, Equatable {
    public var search: String = ""
    public var status: String? = nil          // active / isolated / inactive
    public var packageId: String? = nil
    public var ownerId: String? = nil         // superadmin only; a mitra is always scoped to itself
    public var deleted = false                // show the soft-deleted ones instead
    public var sort: CustomerSort = .name
    public init(search: String = "", status: String? = nil, packageId: String? = nil, ownerId: String? = nil,
                deleted: Bool = false, sort: CustomerSort = .name) {
        self.search = search; self.status = status; self.packageId = packageId; self.ownerId = ownerId
        self.deleted = deleted; self.sort = sort
    }
}

/// The fields of a new or edited customer, as typed.
public struct CustomerInput: Sendable, Equatable {
    public var name: String
    public var phone: String
    public var nik: String
    public var address: String
    public var packageId: String
    public var ownerId: String?
    public var billingDate: String
    public var discount: String
    public var registerDate: String
    public var notes: String
    /// The new customer's id when it was chosen elsewhere (a field laptop's customer keeps its id home).
    public var id: String?
    public init(name: String = "", phone: String = "", nik: String = "", address: String = "", packageId: String = "",
                ownerId: String? = nil, billingDate: String = "", discount: String = "0", registerDate: String = "",
                notes: String = "") {
        self.name = name; self.phone = phone; self.nik = nik; self.address = address; self.packageId = packageId
        self.ownerId = ownerId; self.billingDate = billingDate; self.discount = discount; self.registerDate = registerDate
        self.notes = notes
    }

    public init(_ r: CustomerRow) {
        self.init(name: r.name, phone: r.phone, nik: r.nik ?? "", address: r.address ?? "", packageId: r.packageId,
                  ownerId: r.ownerId, billingDate: String(r.billingDate), discount: String(r.discount),
                  registerDate: r.registerDate, notes: r.notes ?? "")
    }
}

/// The keyset position of a row in a given sort.
public struct CustomerCursor: Sendable, Equatable {
    public let key: DatabaseValue
    public let id: String
    public init(row: CustomerRow, sort: CustomerSort) {
        switch sort {
        case .name: key = row.name.lowercased().databaseValue
        case .code: key = row.no.databaseValue
        case .billingDay: key = row.billingDate.databaseValue
        }
        id = row.id
    }
}

// MARK: - Use cases

/// Customer use cases.
public enum CustomerStore {
    /// Next value of a named counter (inside the caller's transaction).
    static func nextCounter(_ db: Database, _ name: String) throws -> Int {
        try db.execute(sql: "INSERT INTO counters(name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1",
                       arguments: [name])
        return try Int.fetchOne(db, sql: "SELECT value FROM counters WHERE name = ?", arguments: [name])!
    }

    static func code(for no: Int) -> String {
        let digits = String(no)
        return "PLG-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    static let selectRow = """
        SELECT c.id, c.no, c.code, c.name, c.phone, c.nik, c.address, c.package_id, p.name AS package_name,
               p.speed AS package_speed, p.price AS package_price, c.owner_id, u.business_name AS area,
               c.billing_date, c.discount, c.total_bill, c.status, c.register_date, c.notes, c.deleted_at, c.version
        FROM customers c
        JOIN packages p ON p.id = c.package_id
        JOIN users u ON u.id = c.owner_id
        """

    /// Inserts a validated customer (inside the caller's transaction).
    static func insert(_ db: Database, ownerId: String, package: PackageRecord, name: String, phone: String, nik: String?,
                       address: String?, billingDay: Int, discount: Int, registerDate: LocalDate, notes: String?,
                       context: StoreContext, id: String? = nil) throws -> CustomerRecord {
        let phoneNumber = try validPhone(phone)
        do { _ = try BillingDay(billingDay) } catch {
            throw StoreError.invalid(field: "billing_date", reason: .outOfRange(min: 1, max: 28))
        }
        guard (0...package.price).contains(discount) else {
            throw StoreError.invalid(field: "discount", reason: .outOfRange(min: 0, max: package.price))
        }
        let no = try nextCounter(db, "customer")
        let now = context.clock.now()
        let c = CustomerRecord(id: id ?? context.random.uuid(), no: no, code: code(for: no), ownerId: ownerId, packageId: package.id,
                               name: name, phone: phoneNumber.digits, nik: nik, address: address, billingDate: billingDay,
                               discount: discount, totalBill: package.price - discount, status: "active",
                               registerDate: registerDate.description, notes: notes, deletedAt: nil, version: 1,
                               createdAt: now, updatedAt: now)
        try c.insertFast(db)
        return c
    }

    static func validPhone(_ raw: String) throws -> PhoneNumber {
        do { return try PhoneNumber.normalize(raw) } catch let e as PhoneError {
            throw StoreError.invalid(field: "phone", reason: .phone(e))
        }
    }
}

extension AppDatabase {
    // MARK: Listing

    /// One page of customers after `cursor` (or before it when `backwards`), keyset paging.
    public func customers(actor: Actor, filter: CustomerFilter, after cursor: CustomerCursor? = nil,
                          backwards: Bool = false, limit: Int = 50) throws -> [CustomerRow] {
        try read { db in
            var (clauses, args) = Self.customerScope(actor: actor, filter: filter)
            clauses.insert(filter.deleted ? "c.deleted_at IS NOT NULL" : "c.deleted_at IS NULL", at: 0)
            let search = SearchText(filter.search)   // words, or a customer code (issue 13)
            // Many matches over every owner: in number order from the full-text index (issue 17).
            if Self.listsMatchesByNumber(db, search: search, filter: filter, actor: actor) {
                return try Self.customersByMatch(db, search: search, clauses: clauses, args: args, after: cursor,
                                                 backwards: backwards, limit: limit)
            }
            if let (c, a) = search.customerClause("c") { clauses.append(c); args += a }
            let keyExpr: String
            switch filter.sort {
            case .name: keyExpr = "lower(c.name)"
            case .code: keyExpr = "c.no"
            case .billingDay: keyExpr = "c.billing_date"
            }
            let orderExpr = filter.sort == .name ? "c.name COLLATE NOCASE" : keyExpr
            if let cursor {
                clauses.append("(\(keyExpr), c.id) \(backwards ? "<" : ">") (?, ?)")
                args.append(cursor.key); args.append(cursor.id)
            }
            let dir = backwards ? "DESC" : "ASC"
            // A broad search ("m": half the customers) is fastest walking the name index and
            // stopping at the page; a narrow one from the FTS matches, sorted. The planner
            // cannot tell them apart, so count the matches first (the FTS index alone).
            var from = CustomerStore.selectRow
            if filter.sort == .name, search.customerClause("c") != nil, try search.customerMatches(db, upTo: 3001) > 3000 {
                let index = actor.can(.viewAllOwners) && filter.ownerId == nil ? "idx_customers_name" : "idx_customers_owner_name"
                from = from.replacingOccurrences(of: "FROM customers c\n", with: "FROM customers c INDEXED BY \(index)\n")
            }
            let sql = from + " WHERE " + clauses.joined(separator: " AND ")
                + " ORDER BY \(orderExpr) \(dir), c.id \(dir) LIMIT \(max(1, limit))"
            let rows = try CustomerRow.fetchAll(db, sql: sql, arguments: StatementArguments(args)!)
            return backwards ? rows.reversed() : rows
        }
    }

    /// Turns typed text into an FTS5 prefix query ("ahm 0812" → "ahm"* "62812"*); nil when empty.
    static func ftsQuery(_ text: String) -> String? {
        let tokens = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        guard !tokens.isEmpty else { return nil }
        return tokens.map { t -> String in
            var t = t
            // A phone typed the local way (0812…) is stored as 62812…
            if t.hasPrefix("0"), t.count >= 3, t.allSatisfy(\.isNumber) { t = "62" + t.dropFirst() }
            return "\"\(t.replacingOccurrences(of: "\"", with: ""))\"*"
        }.joined(separator: " ")
    }

    /// A search over every owner (the live list, all or active customers) that matches more
    /// than `SearchText.orderedMatches` customers is listed in customer-number order, driven by
    /// the full-text index (its matches come in that order, lazily), and counted up to that
    /// limit plus one. A name-ordered page would read and sort every match (or walk the name
    /// index past every name before a clustered first name: 0.9 s for "sari" at 500,000).
    /// One owner's customers (a mitra, or the owner filter) keep the chosen order: they are few.
    static func listsMatchesByNumber(_ db: Database, search: SearchText, filter: CustomerFilter, actor: Actor) -> Bool {
        guard case .words = search, !filter.deleted, actor.can(.viewAllOwners), filter.ownerId == nil,
              filter.status == nil || filter.status == CustomerStatus.active.rawValue else { return false }
        return ((try? search.customerMatches(db, upTo: SearchText.orderedMatches + 1)) ?? 0) > SearchText.orderedMatches
    }

    /// Whether `customers(actor:filter:)` lists this filter's matches in number order (the pane
    /// says so, and its total is "more than `SearchText.orderedMatches`").
    public func listsMatchesByNumber(actor: Actor, filter: CustomerFilter) throws -> Bool {
        try read { db in Self.listsMatchesByNumber(db, search: SearchText(filter.search), filter: filter, actor: actor) }
    }

    /// One page of a broad search in customer-number order, after (or before) the cursor's row.
    static func customersByMatch(_ db: Database, search: SearchText, clauses: [String], args: [DatabaseValueConvertible?],
                                 after cursor: CustomerCursor?, backwards: Bool, limit: Int) throws -> [CustomerRow] {
        guard case .words(let q) = search else { return [] }
        var clauses = clauses, args = args
        clauses.insert("customers_fts MATCH ?", at: 0); args.insert(q, at: 0)
        if let cursor {
            // The cursor may carry a name or billing-day key (the pane's chosen order): its row's number is the key here.
            clauses.append("customers_fts.rowid \(backwards ? "<" : ">") (SELECT no FROM customers WHERE id = ?)")
            args.append(cursor.id)
        }
        let from = CustomerStore.selectRow.replacingOccurrences(of: "FROM customers c\n",
                                                                 with: "FROM customers_fts JOIN customers c ON c.no = customers_fts.rowid\n")
        let dir = backwards ? "DESC" : "ASC"
        let rows = try CustomerRow.fetchAll(db, sql: from + " WHERE " + clauses.joined(separator: " AND ")
                                            + " ORDER BY customers_fts.rowid \(dir) LIMIT \(max(1, limit))", arguments: StatementArguments(args)!)
        return backwards ? rows.reversed() : rows
    }

    /// Count of customers matching the filter (for the list footer). A search listed in number
    /// order is counted up to `SearchText.orderedMatches + 1` (the footer says "more than").
    public func customerCount(actor: Actor, filter: CustomerFilter) throws -> Int {
        try read { db in
            let search = SearchText(filter.search)
            var (clauses, args) = Self.customerScope(actor: actor, filter: filter)
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql, arguments: StatementArguments(args)!) ?? 0 }
            if Self.listsMatchesByNumber(db, search: search, filter: filter, actor: actor), case .words(let q) = search {
                clauses = ["customers_fts MATCH ?", "c.deleted_at IS NULL"] + clauses
                args = [q] + args + [SearchText.orderedMatches + 1]
                return try count("SELECT count(*) FROM (SELECT 1 FROM customers_fts JOIN customers c ON c.no = customers_fts.rowid WHERE "
                                 + clauses.joined(separator: " AND ") + " LIMIT ?)")
            }
            // The live list by owner and status only (the pane as it opens): from the trigger-kept
            // per-owner × status × month counts (MigrationScale), not a walk of every customer
            // (issue 17: 60 ms at 500,000 customers).
            if case .none = search, filter.packageId == nil, !filter.deleted {
                return try count("SELECT coalesce(sum(c.customers), 0) FROM customer_stats c WHERE " + (["1"] + clauses).joined(separator: " AND "))
            }
            clauses.insert(filter.deleted ? "c.deleted_at IS NOT NULL" : "c.deleted_at IS NULL", at: 0)
            if let (c, a) = search.customerClause("c") { clauses.append(c); args += a }
            return try count("SELECT count(*) FROM customers c WHERE " + clauses.joined(separator: " AND "))
        }
    }

    /// The owner scope (a mitra: itself; the superadmin: the owner filter), status and package
    /// conditions on customers aliased `c`, shared by the list and its count.
    static func customerScope(actor: Actor, filter: CustomerFilter) -> ([String], [DatabaseValueConvertible?]) {
        var clauses: [String] = [], args: [DatabaseValueConvertible?] = []
        if !actor.can(.viewAllOwners) { clauses.append("c.owner_id = ?"); args.append(actor.userId) }
        else if let owner = filter.ownerId { clauses.append("c.owner_id = ?"); args.append(owner) }
        if let status = filter.status { clauses.append("c.status = ?"); args.append(status) }
        if let pkg = filter.packageId { clauses.append("c.package_id = ?"); args.append(pkg) }
        return (clauses, args)
    }

    /// One customer the actor may see.
    public func customer(id: String, actor: Actor) throws -> CustomerRow {
        try read { db in try Self.customer(db, id: id, actor: actor) }
    }

    static func customer(_ db: Database, id: String, actor: Actor) throws -> CustomerRow {
        guard let row = try CustomerRow.fetchOne(db, sql: CustomerStore.selectRow + " WHERE c.id = ? OR c.code = ?",
                                                 arguments: [id, id.uppercased()]) else {
            throw StoreError.notFound(what: "customer")
        }
        // Another owner's customer is "not permitted", never silently shown.
        guard actor.canAccess(ownerId: row.ownerId) else { throw StoreError.notPermitted }
        return row
    }

    // MARK: Create / update

    /// Adds a customer. A mitra's new customer is always its own.
    @discardableResult
    public func createCustomer(_ input: CustomerInput, link: CustomerLinkInput? = nil, actor: Actor,
                               context: StoreContext) throws -> CustomerRow {
        guard actor.can(.createCustomer) else { throw StoreError.notPermitted }
        return try write { db in
            let c = try Self.createCustomer(db, input, actor: actor, context: context)
            try OperationLog.customerCreated(db, c, actor: actor, context: context)
            return try Self.applyLink(db, link, customer: c, actor: actor, context: context)
        }
    }

    static func createCustomer(_ db: Database, _ input: CustomerInput, actor: Actor, context: StoreContext) throws -> CustomerRow {
        do {
            let ownerId: String
            if actor.role == .superadmin, let o = input.ownerId, !o.isEmpty { ownerId = o } else { ownerId = actor.userId }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE id = ? AND deleted_at IS NULL AND is_active = 1",
                                    arguments: [ownerId]) == true else { throw StoreError.invalid(field: "owner", reason: .required) }
            let v = try Self.validate(db, input, requireActivePackage: true)
            // The same phone may serve several connections of one household (issue 14 §5): a
            // warning (`phoneSharers`), never a refusal.
            let c = try CustomerStore.insert(db, ownerId: ownerId, package: v.package, name: v.name, phone: v.phone, nik: v.nik,
                                             address: v.address, billingDay: v.billingDay, discount: v.discount,
                                             registerDate: v.registerDate ?? LocalDate.from(context.clock.now(), in: try Self.settings(db).timeZone),
                                             notes: v.notes, context: context, id: input.id)
            try Audit.record(db, actor: actor, action: "customer.create", resource: "customers", resourceId: c.id,
                             metadata: ["after": Self.auditFields(c)], context: context)
            return try Self.customer(db, id: c.id, actor: actor)
        }
    }

    /// Edits a customer with optimistic locking. A mitra may change only phone and discount of
    /// its own customers; any other changed field is refused.
    @discardableResult
    public func updateCustomer(id: String, _ input: CustomerInput, expectedVersion: Int, link: CustomerLinkInput? = nil,
                               actor: Actor, context: StoreContext) throws -> CustomerRow {
        try write { db in
            let before = try Self.customer(db, id: id, actor: actor)
            let c = try Self.updateCustomer(db, id: id, input, expectedVersion: expectedVersion, actor: actor, context: context)
            try OperationLog.customerEdited(db, before: before, after: c, actor: actor, context: context)
            return try Self.applyLink(db, link, customer: c, actor: actor, context: context)
        }
    }

    static func updateCustomer(_ db: Database, id: String, _ input: CustomerInput, expectedVersion: Int, actor: Actor,
                               context: StoreContext) throws -> CustomerRow {
        do {
            let before = try Self.customer(db, id: id, actor: actor)
            guard before.deletedAt == nil else { throw StoreError.notFound(what: "customer") }
            guard before.version == expectedVersion else { throw StoreError.changedByOther }
            guard var rec = try CustomerRecord.fetchOne(db, key: before.id) else { throw StoreError.notFound(what: "customer") }
            let old = rec
            if actor.can(.editCustomerAllFields) {
                let v = try Self.validate(db, input, requireActivePackage: input.packageId != before.packageId)
                rec.name = v.name; rec.phone = v.phone; rec.nik = v.nik; rec.address = v.address
                rec.packageId = v.package.id; rec.billingDate = v.billingDay; rec.discount = v.discount
                rec.totalBill = v.package.price - v.discount; rec.notes = v.notes
                if let r = v.registerDate { rec.registerDate = r.description }
                if let o = input.ownerId, !o.isEmpty, o != rec.ownerId {
                    guard try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE id = ? AND deleted_at IS NULL", arguments: [o]) == true
                    else { throw StoreError.invalid(field: "owner", reason: .required) }
                    rec.ownerId = o
                }
            } else if actor.can(.editCustomerPhoneDiscount) {
                // Everything but phone and discount must be unchanged.
                let typed: [String] = [input.name, input.nik, input.address, input.packageId, input.billingDate,
                                       input.ownerId ?? before.ownerId, input.notes,
                                       input.registerDate.isEmpty ? before.registerDate : input.registerDate]
                let stored: [String] = [before.name, before.nik ?? "", before.address ?? "", before.packageId,
                                        String(before.billingDate), before.ownerId, before.notes ?? "", before.registerDate]
                guard typed == stored else { throw StoreError.notPermitted }
                rec.phone = try CustomerStore.validPhone(input.phone).digits
                let discount = try Self.discount(input.discount, price: before.packagePrice)
                rec.discount = discount
                rec.totalBill = before.packagePrice - discount
            } else {
                throw StoreError.notPermitted
            }
            let changes = Self.diff(Self.auditFields(old), Self.auditFields(rec))
            guard !changes.before.isEmpty else { return before }
            rec.version += 1
            rec.updatedAt = context.clock.now()
            try db.execute(sql: """
                UPDATE customers SET name = ?, phone = ?, nik = ?, address = ?, package_id = ?, owner_id = ?, billing_date = ?,
                       discount = ?, total_bill = ?, register_date = ?, notes = ?, version = ?, updated_at = ?
                WHERE id = ? AND version = ?
                """, arguments: [rec.name, rec.phone, rec.nik, rec.address, rec.packageId, rec.ownerId, rec.billingDate,
                                 rec.discount, rec.totalBill, rec.registerDate, rec.notes, rec.version, rec.updatedAt,
                                 rec.id, expectedVersion])
            guard db.changesCount == 1 else { throw StoreError.changedByOther }
            try Audit.record(db, actor: actor, action: "customer.update", resource: "customers", resourceId: rec.id,
                             metadata: ["before": changes.before, "after": changes.after], context: context)
            return try Self.customer(db, id: rec.id, actor: actor)
        }
    }

    /// Soft delete (superadmin): leaves the lists and billing, keeps history.
    public func deleteCustomer(id: String, actor: Actor, context: StoreContext) throws {
        try setCustomerDeleted(id: id, deleted: true, actor: actor, context: context)
    }

    /// Restores a soft-deleted customer (superadmin).
    public func restoreCustomer(id: String, actor: Actor, context: StoreContext) throws {
        try setCustomerDeleted(id: id, deleted: false, actor: actor, context: context)
    }

    func setCustomerDeleted(id: String, deleted: Bool, actor: Actor, context: StoreContext) throws {
        guard actor.can(.deleteCustomer) else { throw StoreError.notPermitted }
        try write { db in
            let c = try Self.customer(db, id: id, actor: actor)
            guard (c.deletedAt != nil) != deleted else { throw StoreError.notFound(what: "customer") }
            let now = context.clock.now()
            try db.execute(sql: "UPDATE customers SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                           arguments: [deleted ? now : nil, now, c.id])
            try Audit.record(db, actor: actor, action: deleted ? "customer.delete" : "customer.restore", resource: "customers",
                             resourceId: c.id, metadata: ["before": ["deleted": !deleted], "after": ["deleted": deleted],
                                                          "code": c.code, "name": c.name], context: context)
        }
    }

    // MARK: Validation

    struct ValidCustomer {
        var name: String; var phone: String; var nik: String?; var address: String?; var package: PackageRecord
        var billingDay: Int; var discount: Int; var registerDate: LocalDate?; var notes: String?
    }

    static func validate(_ db: Database, _ input: CustomerInput, requireActivePackage: Bool) throws -> ValidCustomer {
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw StoreError.invalid(field: "name", reason: .required) }
        guard name.count <= 255 else { throw StoreError.invalid(field: "name", reason: .tooLong(max: 255)) }
        try Validate.plainText(name, field: "name")
        try Validate.plainText(input.address.trimmingCharacters(in: .whitespacesAndNewlines), field: "address")
        let phone = try CustomerStore.validPhone(input.phone).digits
        let nik = input.nik.trimmingCharacters(in: .whitespaces)
        if !nik.isEmpty, !(nik.count == 16 && nik.allSatisfy(\.isASCII) && nik.allSatisfy(\.isNumber)) {
            throw StoreError.invalid(field: "nik", reason: .badFormat(expected: "16 digit"))
        }
        guard let package = try PackageRecord.fetchOne(db, key: input.packageId) else {
            throw StoreError.invalid(field: "package", reason: .required)
        }
        if requireActivePackage, !package.isActive { throw StoreError.invalid(field: "package", reason: .other("inactive")) }
        guard let day = Int(input.billingDate.trimmingCharacters(in: .whitespaces)) else {
            throw StoreError.invalid(field: "billing_date", reason: .notANumber)
        }
        guard (1...28).contains(day) else { throw StoreError.invalid(field: "billing_date", reason: .outOfRange(min: 1, max: 28)) }
        let discount = try Self.discount(input.discount, price: package.price)
        var register: LocalDate? = nil
        let r = input.registerDate.trimmingCharacters(in: .whitespaces)
        if !r.isEmpty {
            guard let d = LocalDate(r) else { throw StoreError.invalid(field: "register_date", reason: .badFormat(expected: "2026-01-31")) }
            register = d
        }
        let address = input.address.trimmingCharacters(in: .whitespacesAndNewlines)
        let notes = input.notes.trimmingCharacters(in: .whitespacesAndNewlines)
        return ValidCustomer(name: name, phone: phone, nik: nik.isEmpty ? nil : nik, address: address.isEmpty ? nil : address,
                             package: package, billingDay: day, discount: discount, registerDate: register,
                             notes: notes.isEmpty ? nil : notes)
    }

    static func discount(_ raw: String, price: Int) throws -> Int {
        let t = raw.trimmingCharacters(in: .whitespaces)
        let value: Int
        if t.isEmpty { value = 0 } else {
            guard let r = Rupiah.parse(t) else { throw StoreError.invalid(field: "discount", reason: .notANumber) }
            value = r.value
        }
        guard (0...price).contains(value) else { throw StoreError.invalid(field: "discount", reason: .outOfRange(min: 0, max: price)) }
        return value
    }

    static func auditFields(_ c: CustomerRecord) -> [String: Any] {
        ["name": c.name, "phone": c.phone, "nik": c.nik ?? "", "address": c.address ?? "", "package_id": c.packageId,
         "owner_id": c.ownerId, "billing_date": c.billingDate, "discount": c.discount, "total_bill": c.totalBill,
         "status": c.status, "register_date": c.registerDate, "notes": c.notes ?? ""]
    }

    static func diff(_ a: [String: Any], _ b: [String: Any]) -> (before: [String: Any], after: [String: Any]) {
        var before: [String: Any] = [:], after: [String: Any] = [:]
        for (k, va) in a {
            let vb = b[k]
            if "\(va)" != "\(vb ?? "")" { before[k] = va; after[k] = vb }
        }
        return (before, after)
    }
}
