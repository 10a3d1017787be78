import Foundation
import GRDB
import FiberNodeDomain

// MARK: - Values (issue 15)

/// A router as people see it: never its password.
public struct RouterRow: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var name: String
    public var ownerId: String
    public var area: String
    public var url: String
    public var username: String
    public var isolateProfile: String
    public var addressList: String
    public var fingerprint: String?
    public var lastCheckedAt: Date?
    public var lastOkAt: Date?
    public var lastError: String?
    public var identity: String?
    public var rosVersion: String?
    public var board: String?
    public var reconciledAt: Date?
    public var drift: Int?
    public var pending: Int
    public var linked: Int
    public var version: Int
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    /// Reachable at the last contact (nil: never contacted).
    public var reachable: Bool? {
        guard lastCheckedAt != nil else { return nil }
        return lastError == nil
    }
}

/// What a connection to a router needs, password included. Only the router code gets it.
public struct RouterConnection: Sendable, Equatable {
    public var id: String
    public var name: String
    public var url: String
    public var username: String
    public var password: String
    public var isolateProfile: String
    public var addressList: String
    public var fingerprint: String?
}

/// The fields of a new or edited router, as typed. An empty password on edit keeps the old one.
public struct RouterInput: Sendable, Equatable {
    public var name: String
    public var ownerId: String?
    public var url: String
    public var username: String
    public var password: String
    public var isolateProfile: String
    public var addressList: String
    public var fingerprint: String
    public init(name: String = "", ownerId: String? = nil, url: String = "", username: String = "", password: String = "",
                isolateProfile: String = "isolir", addressList: String = "fibernode-isolir", fingerprint: String = "") {
        self.name = name; self.ownerId = ownerId; self.url = url; self.username = username; self.password = password
        self.isolateProfile = isolateProfile; self.addressList = addressList; self.fingerprint = fingerprint
    }
}

/// How a customer reaches the network: a PPPoE secret by name, or a static IP.
public enum ServiceKind: String, Sendable, Codable {
    case pppoe, ip
}

/// A customer's link to its router entry.
public struct CustomerService: Sendable, Equatable, FetchableRecord, Decodable {
    public var customerId: String
    public var routerId: String
    public var routerName: String
    public var kind: String
    public var target: String
    public var restoreProfile: String?
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public var serviceKind: ServiceKind { ServiceKind(rawValue: kind) ?? .pppoe }
}

/// One outbox row.
public struct RouterAction: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var routerId: String
    public var routerName: String
    public var customerId: String
    public var customerCode: String
    public var customerName: String
    public var action: String          // isolate / restore
    public var kind: String            // pppoe / ip
    public var target: String
    public var status: String          // pending / done / superseded
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var createdAt: Date
    public var doneAt: Date?
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public var isIsolate: Bool { action == "isolate" }
    public var serviceKind: ServiceKind { ServiceKind(rawValue: kind) ?? .pppoe }
}

/// What FiberNode wants of one linked customer on one router (reconcile, link proposals).
public struct WantedService: Sendable, Equatable, FetchableRecord {
    public var customerId: String
    public var code: String
    public var name: String
    public var phone: String
    public var status: String
    public var kind: String
    public var target: String
    public var restoreProfile: String?
    /// Cut on the router: isolated, or inactive (a stopped service is cut as isolation does).
    public var isolated: Bool { status == "isolated" || status == "inactive" }

    /// By position (a reconcile reads every linked customer: no Codable per row).
    public init(row: Row) throws {
        customerId = row[0]; code = row[1]; name = row[2]; phone = row[3]; status = row[4]; kind = row[5]; target = row[6]
        restoreProfile = row[7]
    }
}

/// A customer that a link proposal may point at.
public struct LinkCandidate: Sendable, Equatable, FetchableRecord, Decodable {
    public var customerId: String
    public var code: String
    public var name: String
    public var phone: String
    public var linked: Bool
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

/// The counts the dashboard shows.
public struct RouterSummary: Sendable, Equatable {
    public var routers: Int
    public var unreachable: Int
    public var pending: Int
    public var oldestPendingError: String?
    /// Differences found by the last daily dry-run reconciles.
    public var drift: Int = 0
}

// MARK: - Use cases

public enum RouterStore {
    static let selectRow = """
        SELECT r.id, r.name, r.owner_id, u.business_name AS area, r.url, r.username, r.isolate_profile, r.address_list,
               r.fingerprint, r.last_checked_at, r.last_ok_at, r.last_error, r.identity, r.ros_version, r.board, r.version,
               r.reconciled_at, r.drift,
               (SELECT count(*) FROM router_actions a WHERE a.router_id = r.id AND a.status = 'pending') AS pending,
               (SELECT count(*) FROM customer_services s WHERE s.router_id = r.id) AS linked
        FROM routers r JOIN users u ON u.id = r.owner_id
        """

    static let selectAction = """
        SELECT a.id, a.router_id, r.name AS router_name, a.customer_id, c.code AS customer_code, c.name AS customer_name,
               a.action, a.kind, a.target, a.status, a.attempts, a.next_attempt_at, a.last_error, a.created_at, a.done_at
        FROM router_actions a JOIN routers r ON r.id = a.router_id JOIN customers c ON c.id = a.customer_id
        """

    /// The comment FiberNode puts on what it owns on a router.
    public static func comment(code: String) -> String { "fibernode:" + code }

    /// Retry delay after `attempts` failed tries: 30 s doubling, at most one hour.
    public static func backoff(attempts: Int) -> TimeInterval {
        min(3600, 30 * pow(2, Double(max(0, min(attempts - 1, 12)))))
    }

    /// The hook of the isolate / restore use case: inside the caller's transaction, queue the
    /// router change for a linked customer (superseding any older pending one). No link: nothing.
    @discardableResult
    public static func enqueue(_ db: Database, customerId: String, isolate: Bool, actor: Actor?,
                               context: StoreContext) throws -> String? {
        guard let link = try Row.fetchOne(db, sql: "SELECT router_id, kind, target FROM customer_services WHERE customer_id = ?",
                                          arguments: [customerId]) else { return nil }
        let now = context.clock.now()
        try db.execute(sql: "UPDATE router_actions SET status = 'superseded', updated_at = ? WHERE customer_id = ? AND status = 'pending'",
                       arguments: [now, customerId])
        let id = context.random.uuid()
        try db.execute(sql: """
            INSERT INTO router_actions(id, router_id, customer_id, action, kind, target, status, attempts, next_attempt_at,
                                       created_by, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)
            """, arguments: [id, link["router_id"] as String, customerId, isolate ? "isolate" : "restore",
                             link["kind"] as String, link["target"] as String, now, actor?.userId, now, now])
        return id
    }

    static func validName(_ raw: String, field: String, max: Int = 100) throws -> String {
        let t = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty else { throw StoreError.invalid(field: field, reason: .required) }
        guard t.count <= max else { throw StoreError.invalid(field: field, reason: .tooLong(max: max)) }
        guard !t.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw StoreError.invalid(field: field, reason: .badFormat(expected: "text"))
        }
        return t
    }

    /// `https://host[:port]`, `http://host:port`, `api://host[:8728]`, `api-ssl://host[:8729]`.
    static func validURL(_ raw: String) throws -> String {
        let t = raw.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { throw StoreError.invalid(field: "url", reason: .required) }
        let expected = "https://HOST | http://HOST:PORT | api://HOST:8728 | api-ssl://HOST:8729"
        guard let c = URLComponents(string: t), let scheme = c.scheme?.lowercased(),
              ["https", "http", "api", "api-ssl"].contains(scheme), let host = c.host, !host.isEmpty,
              c.user == nil, c.password == nil, c.query == nil, c.fragment == nil, c.path.isEmpty || c.path == "/"
        else { throw StoreError.invalid(field: "url", reason: .badFormat(expected: expected)) }
        if let p = c.port, !(1...65535).contains(p) { throw StoreError.invalid(field: "url", reason: .badFormat(expected: expected)) }
        return t.hasSuffix("/") ? String(t.dropLast()) : t
    }

    /// A SHA-256 fingerprint as 64 lowercase hex digits (colons and spaces allowed when typed).
    public static func normalizeFingerprint(_ raw: String) throws -> String? {
        let t = raw.lowercased().filter { !":- ".contains($0) }
        if t.isEmpty { return nil }
        guard t.count == 64, t.allSatisfy({ $0.isHexDigit && $0.isASCII }) else {
            throw StoreError.invalid(field: "fingerprint", reason: .badFormat(expected: "SHA-256, 64 hex"))
        }
        return t
    }

    static func validIP(_ raw: String) throws -> String {
        let t = raw.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ p in p.count <= 3 && !p.isEmpty && p.allSatisfy(\.isASCII) && Int(p).map { $0 <= 255 } == true })
        else { throw StoreError.invalid(field: "ip", reason: .badFormat(expected: "192.168.88.10")) }
        return parts.map { String(Int($0)!) }.joined(separator: ".")
    }
}

extension AppDatabase {
    // MARK: Routers

    /// Routers the actor may see: the superadmin all, a mitra its own (read-only).
    public func routers(actor: Actor) throws -> [RouterRow] {
        try read { db in
            if actor.can(.viewAllOwners) {
                return try RouterRow.fetchAll(db, sql: RouterStore.selectRow + " ORDER BY r.name COLLATE NOCASE")
            }
            return try RouterRow.fetchAll(db, sql: RouterStore.selectRow + " WHERE r.owner_id = ? ORDER BY r.name COLLATE NOCASE",
                                          arguments: [actor.userId])
        }
    }

    /// One router by name or id that the actor may see.
    public func router(_ nameOrId: String, actor: Actor) throws -> RouterRow {
        try read { db in try Self.router(db, nameOrId, actor: actor) }
    }

    static func router(_ db: Database, _ nameOrId: String, actor: Actor) throws -> RouterRow {
        guard let r = try RouterRow.fetchOne(db, sql: RouterStore.selectRow + " WHERE r.id = ? OR r.name = ? COLLATE NOCASE",
                                             arguments: [nameOrId, nameOrId]) else { throw StoreError.notFound(what: "router") }
        guard actor.canAccess(ownerId: r.ownerId) else { throw StoreError.notPermitted }
        return r
    }

    /// Adds a router (superadmin). The password is stored for the router calls, never shown.
    @discardableResult
    public func addRouter(_ input: RouterInput, actor: Actor, context: StoreContext) throws -> RouterRow {
        guard actor.can(.manageSettings) else { throw StoreError.notPermitted }
        return try write { db in
            let name = try RouterStore.validName(input.name, field: "name", max: 64)
            let url = try RouterStore.validURL(input.url)
            let user = try RouterStore.validName(input.username, field: "username")
            guard !input.password.isEmpty else { throw StoreError.invalid(field: "password", reason: .required) }
            let profile = try RouterStore.validName(input.isolateProfile, field: "isolate_profile")
            let list = try RouterStore.validName(input.addressList, field: "address_list")
            let fp = try RouterStore.normalizeFingerprint(input.fingerprint)
            let owner = try Self.routerOwner(db, input.ownerId, actor: actor)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM routers WHERE name = ? COLLATE NOCASE", arguments: [name]) == true {
                throw StoreError.alreadyExists(what: "router \(name)")
            }
            let id = context.random.uuid(), now = context.clock.now()
            try db.execute(sql: """
                INSERT INTO routers(id, name, owner_id, url, username, password, isolate_profile, address_list, fingerprint,
                                    version, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
                """, arguments: [id, name, owner, url, user, input.password, profile, list, fp, now, now])
            try Audit.record(db, actor: actor, action: "router.create", resource: "routers", resourceId: id,
                             metadata: ["after": ["name": name, "owner_id": owner, "url": url, "username": user,
                                                  "password": input.password, "isolate_profile": profile, "address_list": list,
                                                  "fingerprint": fp ?? ""]], context: context)
            return try Self.router(db, id, actor: actor)
        }
    }

    /// Edits a router (superadmin); an empty password keeps the stored one.
    @discardableResult
    public func updateRouter(_ nameOrId: String, _ input: RouterInput, actor: Actor, context: StoreContext) throws -> RouterRow {
        guard actor.can(.manageSettings) else { throw StoreError.notPermitted }
        return try write { db in
            let before = try Self.router(db, nameOrId, actor: actor)
            let name = try RouterStore.validName(input.name, field: "name", max: 64)
            let url = try RouterStore.validURL(input.url)
            let user = try RouterStore.validName(input.username, field: "username")
            let profile = try RouterStore.validName(input.isolateProfile, field: "isolate_profile")
            let list = try RouterStore.validName(input.addressList, field: "address_list")
            let fp = try RouterStore.normalizeFingerprint(input.fingerprint)
            let owner = try Self.routerOwner(db, input.ownerId ?? before.ownerId, actor: actor)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM routers WHERE name = ? COLLATE NOCASE AND id != ?",
                                 arguments: [name, before.id]) == true {
                throw StoreError.alreadyExists(what: "router \(name)")
            }
            let now = context.clock.now()
            try db.execute(sql: """
                UPDATE routers SET name = ?, owner_id = ?, url = ?, username = ?, isolate_profile = ?, address_list = ?,
                       fingerprint = ?, version = version + 1, updated_at = ? WHERE id = ?
                """, arguments: [name, owner, url, user, profile, list, fp, now, before.id])
            var after: [String: Any] = ["name": name, "owner_id": owner, "url": url, "username": user,
                                        "isolate_profile": profile, "address_list": list, "fingerprint": fp ?? ""]
            if !input.password.isEmpty {
                try db.execute(sql: "UPDATE routers SET password = ? WHERE id = ?", arguments: [input.password, before.id])
                after["password"] = input.password
            }
            try Audit.record(db, actor: actor, action: "router.update", resource: "routers", resourceId: before.id,
                             metadata: ["before": ["name": before.name, "url": before.url, "username": before.username,
                                                   "isolate_profile": before.isolateProfile, "address_list": before.addressList,
                                                   "fingerprint": before.fingerprint ?? ""], "after": after], context: context)
            return try Self.router(db, before.id, actor: actor)
        }
    }

    static func routerOwner(_ db: Database, _ raw: String?, actor: Actor) throws -> String {
        guard let raw, !raw.isEmpty else { return actor.userId }
        if let id = try String.fetchOne(db, sql: "SELECT id FROM users WHERE (id = ? OR business_name = ? COLLATE NOCASE) AND deleted_at IS NULL",
                                        arguments: [raw, raw]) { return id }
        throw StoreError.invalid(field: "owner", reason: .required)
    }

    /// Removes a router (superadmin): its links and queued actions go with it.
    public func removeRouter(_ nameOrId: String, actor: Actor, context: StoreContext) throws {
        guard actor.can(.manageSettings) else { throw StoreError.notPermitted }
        try write { db in
            let r = try Self.router(db, nameOrId, actor: actor)
            try db.execute(sql: "DELETE FROM routers WHERE id = ?", arguments: [r.id])
            try Audit.record(db, actor: actor, action: "router.delete", resource: "routers", resourceId: r.id,
                             metadata: ["name": r.name, "url": r.url, "linked": r.linked, "pending": r.pending], context: context)
        }
    }

    /// The connection details, password included: the superadmin's router commands.
    public func routerConnection(_ nameOrId: String, actor: Actor) throws -> RouterConnection {
        guard actor.can(.manageSettings) else { throw StoreError.notPermitted }
        let r = try router(nameOrId, actor: actor)
        return try routerConnection(id: r.id)
    }

    /// The connection details for the system's own paths (the worker, applying the outbox).
    public func routerConnection(id: String) throws -> RouterConnection {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM routers WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound(what: "router")
            }
            return RouterConnection(id: row["id"], name: row["name"], url: row["url"], username: row["username"],
                                    password: row["password"], isolateProfile: row["isolate_profile"],
                                    addressList: row["address_list"], fingerprint: row["fingerprint"])
        }
    }

    /// Records the outcome of a contact with the router (test, apply, reconcile).
    public func recordRouterContact(id: String, error: String?, identity: String? = nil, version: String? = nil,
                                    board: String? = nil, context: StoreContext) throws {
        try write { db in
            let now = context.clock.now()
            if let error {
                try db.execute(sql: "UPDATE routers SET last_checked_at = ?, last_error = ? WHERE id = ?",
                               arguments: [now, String(error.prefix(500)), id])
            } else {
                try db.execute(sql: """
                    UPDATE routers SET last_checked_at = ?, last_ok_at = ?, last_error = NULL,
                           identity = coalesce(?, identity), ros_version = coalesce(?, ros_version), board = coalesce(?, board)
                    WHERE id = ?
                    """, arguments: [now, now, identity, version, board, id])
            }
        }
    }

    // MARK: Customer service links

    /// Links a customer to its router entry (superadmin). An isolated customer's isolation is
    /// queued for the router at once, so the new link does not leave it browsing.
    @discardableResult
    public func setService(customer idOrCode: String, router: String, kind: ServiceKind, target: String,
                           actor: Actor, context: StoreContext) throws -> CustomerService {
        guard actor.can(.manageSettings) else { throw StoreError.notPermitted }
        return try write { db in
            try Self.setService(db, customer: idOrCode, router: router, kind: kind, target: target, actor: actor, context: context)
        }
    }

    static func setService(_ db: Database, customer idOrCode: String, router: String, kind: ServiceKind, target: String,
                           actor: Actor, context: StoreContext) throws -> CustomerService {
        let c = try Self.customer(db, id: idOrCode, actor: actor)
        guard c.deletedAt == nil else { throw StoreError.notFound(what: "customer") }
        let r = try Self.router(db, router, actor: actor)
        let value = kind == .ip ? try RouterStore.validIP(target) : try RouterStore.validName(target, field: "pppoe")
        if let other = try String.fetchOne(db, sql: """
            SELECT c.code FROM customer_services s JOIN customers c ON c.id = s.customer_id
            WHERE s.router_id = ? AND s.kind = ? AND s.target = ? AND s.customer_id != ?
            """, arguments: [r.id, kind.rawValue, value, c.id]) {
            throw StoreError.alreadyExists(what: "\(kind == .ip ? "IP" : "PPPoE") \(value) (\(other))")
        }
        let before = try CustomerService.fetchOne(db, sql: Self.selectService + " WHERE s.customer_id = ?", arguments: [c.id])
        let now = context.clock.now()
        try db.execute(sql: """
            INSERT INTO customer_services(customer_id, router_id, kind, target, restore_profile, created_at, updated_at)
            VALUES (?, ?, ?, ?, NULL, ?, ?)
            ON CONFLICT(customer_id) DO UPDATE SET router_id = excluded.router_id, kind = excluded.kind,
                target = excluded.target, restore_profile = NULL, updated_at = excluded.updated_at
            """, arguments: [c.id, r.id, kind.rawValue, value, now, now])
        try Audit.record(db, actor: actor, action: "customer.set_service", resource: "customers", resourceId: c.id,
                         metadata: ["code": c.code,
                                    "before": before.map { ["router": $0.routerName, "kind": $0.kind, "target": $0.target] } ?? [:],
                                    "after": ["router": r.name, "kind": kind.rawValue, "target": value]], context: context)
        if c.status == "isolated" || c.status == "inactive" {
            try RouterStore.enqueue(db, customerId: c.id, isolate: true, actor: actor, context: context)
        }
        return try CustomerService.fetchOne(db, sql: Self.selectService + " WHERE s.customer_id = ?", arguments: [c.id])!
    }

    static let selectService = """
        SELECT s.customer_id, s.router_id, r.name AS router_name, s.kind, s.target, s.restore_profile
        FROM customer_services s JOIN routers r ON r.id = s.router_id
        """

    /// The customer's link, when it has one and the actor may see the customer.
    public func service(customer idOrCode: String, actor: Actor) throws -> CustomerService? {
        try read { db in
            let c = try Self.customer(db, id: idOrCode, actor: actor)
            return try CustomerService.fetchOne(db, sql: Self.selectService + " WHERE s.customer_id = ?", arguments: [c.id])
        }
    }

    /// Remembers the profile a secret had before FiberNode isolated it.
    public func rememberRestoreProfile(customerId: String, profile: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE customer_services SET restore_profile = ? WHERE customer_id = ?", arguments: [profile, customerId])
        }
    }

    /// Every linked customer of a router with what FiberNode wants (reconcile).
    public func wantedServices(routerId: String) throws -> [WantedService] {
        try read { db in
            try WantedService.fetchAll(db, sql: """
                SELECT c.id AS customer_id, c.code, c.name, c.phone, c.status, s.kind, s.target, s.restore_profile
                FROM customer_services s JOIN customers c ON c.id = s.customer_id
                WHERE s.router_id = ? AND c.deleted_at IS NULL ORDER BY c.no
                """, arguments: [routerId])
        }
    }

    /// Customers of the router's owner (all, for the superadmin's own router) for link proposals.
    public func linkCandidates(routerId: String, actor: Actor) throws -> [LinkCandidate] {
        guard actor.can(.manageSettings) else { throw StoreError.notPermitted }
        return try read { db in
            let r = try Self.router(db, routerId, actor: actor)
            let ownerIsSuper = try String.fetchOne(db, sql: "SELECT role FROM users WHERE id = ?", arguments: [r.ownerId]) == "superadmin"
            return try LinkCandidate.fetchAll(db, sql: """
                SELECT c.id AS customer_id, c.code, c.name, c.phone,
                       EXISTS (SELECT 1 FROM customer_services s WHERE s.customer_id = c.id) AS linked
                FROM customers c WHERE c.deleted_at IS NULL \(ownerIsSuper ? "" : "AND c.owner_id = ?") ORDER BY c.no
                """, arguments: ownerIsSuper ? [] : [r.ownerId])
        }
    }

    /// Saves several links in one transaction (`routers link --apply`).
    public func saveLinks(router: String, links: [(customerId: String, kind: ServiceKind, target: String)],
                          actor: Actor, context: StoreContext) throws -> Int {
        guard actor.can(.manageSettings) else { throw StoreError.notPermitted }
        return try write { db in
            for l in links {
                _ = try Self.setService(db, customer: l.customerId, router: router, kind: l.kind, target: l.target,
                                        actor: actor, context: context)
            }
            return links.count
        }
    }

    // MARK: The outbox

    /// Pending actions due now (or all pending with `due: nil`), oldest first; optionally one customer's or one router's.
    public func pendingRouterActions(due: Date?, customerId: String? = nil, routerId: String? = nil,
                                     limit: Int = 500) throws -> [RouterAction] {
        try read { db in
            var clauses = ["a.status = 'pending'"]
            var args: [DatabaseValueConvertible?] = []
            if let due { clauses.append("a.next_attempt_at <= ?"); args.append(due) }
            if let customerId { clauses.append("a.customer_id = ?"); args.append(customerId) }
            if let routerId { clauses.append("a.router_id = ?"); args.append(routerId) }
            return try RouterAction.fetchAll(db, sql: RouterStore.selectAction + " WHERE " + clauses.joined(separator: " AND ")
                                             + " ORDER BY a.created_at, a.id LIMIT \(max(1, limit))",
                                             arguments: StatementArguments(args)!)
        }
    }

    /// The customer's latest router action (detail screens), if the actor may see the customer.
    public func latestRouterAction(customer idOrCode: String, actor: Actor) throws -> RouterAction? {
        try read { db in
            let c = try Self.customer(db, id: idOrCode, actor: actor)
            return try RouterAction.fetchOne(db, sql: RouterStore.selectAction
                                             + " WHERE a.customer_id = ? AND a.status != 'superseded' ORDER BY a.created_at DESC, a.rowid DESC LIMIT 1",
                                             arguments: [c.id])
        }
    }

    /// Pending actions the actor may see (Router pane, dashboard).
    public func pendingRouterActions(actor: Actor, limit: Int = 200) throws -> [RouterAction] {
        try read { db in
            let scope = actor.can(.viewAllOwners) ? "" : " AND r.owner_id = ?"
            return try RouterAction.fetchAll(db, sql: RouterStore.selectAction + " WHERE a.status = 'pending'" + scope
                                             + " ORDER BY a.created_at LIMIT \(max(1, limit))",
                                             arguments: actor.can(.viewAllOwners) ? [] : [actor.userId])
        }
    }

    /// Router counts for the dashboard, in the actor's scope.
    public func routerSummary(actor: Actor) throws -> RouterSummary {
        try read { db in
            let all = actor.can(.viewAllOwners)
            let scope = all ? "" : " WHERE owner_id = ?"
            let args: StatementArguments = all ? [] : [actor.userId]
            let routers = try Int.fetchOne(db, sql: "SELECT count(*) FROM routers" + scope, arguments: args) ?? 0
            let down = try Int.fetchOne(db, sql: "SELECT count(*) FROM routers" + (all ? " WHERE" : scope + " AND")
                                        + " last_checked_at IS NOT NULL AND last_error IS NOT NULL",
                                        arguments: args) ?? 0
            let pending = try Int.fetchOne(db, sql: "SELECT count(*) FROM router_actions a JOIN routers r ON r.id = a.router_id WHERE a.status = 'pending'"
                                           + (all ? "" : " AND r.owner_id = ?"), arguments: args) ?? 0
            let err = try String.fetchOne(db, sql: "SELECT a.last_error FROM router_actions a JOIN routers r ON r.id = a.router_id WHERE a.status = 'pending' AND a.last_error IS NOT NULL"
                                          + (all ? "" : " AND r.owner_id = ?") + " ORDER BY a.created_at LIMIT 1", arguments: args)
            let drift = try Int.fetchOne(db, sql: "SELECT coalesce(sum(drift), 0) FROM routers" + scope, arguments: args) ?? 0
            return RouterSummary(routers: routers, unreachable: down, pending: pending, oldestPendingError: err, drift: drift)
        }
    }

    /// Marks an action done (applied and read back). Audited as the system's doing.
    public func completeRouterAction(id: String, context: StoreContext) throws {
        try write { db in
            let now = context.clock.now()
            try db.execute(sql: """
                UPDATE router_actions SET status = 'done', attempts = attempts + 1, last_error = NULL, done_at = ?, updated_at = ?
                WHERE id = ? AND status = 'pending'
                """, arguments: [now, now, id])
            if db.changesCount == 1 {
                try Audit.record(db, actor: nil, action: "router.action_done", resource: "router_actions", resourceId: id,
                                 metadata: [:], context: context)
            }
        }
    }

    /// Keeps an action pending with the router's reason; the next try waits the backoff.
    public func failRouterAction(id: String, reason: String, context: StoreContext) throws {
        try write { db in
            let now = context.clock.now()
            let attempts = (try Int.fetchOne(db, sql: "SELECT attempts FROM router_actions WHERE id = ?", arguments: [id]) ?? 0) + 1
            try db.execute(sql: """
                UPDATE router_actions SET attempts = ?, last_error = ?, next_attempt_at = ?, updated_at = ?
                WHERE id = ? AND status = 'pending'
                """, arguments: [attempts, String(reason.prefix(500)), now.addingTimeInterval(RouterStore.backoff(attempts: attempts)),
                                 now, id])
        }
    }
}

extension AppDatabase {
    /// The customer's link for the system's own paths (applying the outbox).
    public func serviceLink(customerId: String) throws -> CustomerService? {
        try read { db in
            try CustomerService.fetchOne(db, sql: Self.selectService + " WHERE s.customer_id = ?", arguments: [customerId])
        }
    }
}

extension AppDatabase {
    /// Audits a reconcile that changed the router.
    public func auditReconcile(routerId: String, applied: Int, actor: Actor, context: StoreContext) throws {
        guard applied > 0 else { return }
        try write { db in
            try Audit.record(db, actor: actor, action: "router.reconcile", resource: "routers", resourceId: routerId,
                             metadata: ["applied": applied], context: context)
        }
    }
}

extension AppDatabase {
    /// Routers whose last dry-run reconcile is older than `before` (or never ran): the worker's daily check.
    public func routersDueForReconcile(before: Date) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT id FROM routers WHERE reconciled_at IS NULL OR reconciled_at < ? ORDER BY name",
                                arguments: [before])
        }
    }

    /// A daily dry run that could not reach the router: tried today, drift as it was.
    public func markReconcileTried(routerId: String, context: StoreContext) throws {
        try write { db in
            try db.execute(sql: "UPDATE routers SET reconciled_at = ? WHERE id = ?", arguments: [context.clock.now(), routerId])
        }
    }

    /// Records a dry-run reconcile's count of differences (shown on the dashboard and the Router pane).
    public func recordDrift(routerId: String, differences: Int, context: StoreContext) throws {
        try write { db in
            try db.execute(sql: "UPDATE routers SET reconciled_at = ?, drift = ? WHERE id = ?",
                           arguments: [context.clock.now(), differences, routerId])
        }
    }
}
