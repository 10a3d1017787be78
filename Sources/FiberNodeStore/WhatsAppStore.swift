import Foundation
import GRDB
import FiberNodeDomain

// MARK: - Values

/// One owner's WhatsApp session row (`wa_sessions`) with the owner's names.
public struct WASession: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var userId: String
    public var status: String                // disconnected / connecting / connected
    public var phoneNumber: String?
    public var lastConnectedAt: Date?
    public var gateway: String?
    public var gatewayUrl: String?
    public var gatewayApiKey: String?
    public var gatewaySession: String?
    public var updatedAt: Date
    public var businessName: String
    public var username: String
    public var role: String
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    static let select = """
        SELECT s.id, s.user_id, s.status, s.phone_number, s.last_connected_at, s.gateway, s.gateway_url, s.gateway_api_key,
               s.gateway_session, s.updated_at, u.business_name, u.username, u.role
        FROM wa_sessions s JOIN users u ON u.id = s.user_id
        """
}

/// Where one owner's messages go: the owner's settings over the installation defaults.
/// `description` never shows the key.
public struct GatewayConfig: Sendable, Equatable, CustomStringConvertible {
    /// none, waha or cloud.
    public var kind: String
    /// WAHA base URL, or the Graph API base for cloud.
    public var url: String
    /// WAHA X-Api-Key, or the cloud bearer token.
    public var apiKey: String
    /// WAHA session name, or the cloud phone number id.
    public var session: String
    /// Cloud API: message kind → approved template (`wa.cloud.template.<kind>`, issue 18).
    public var templates: [String: CloudTemplate]
    public init(kind: String, url: String, apiKey: String, session: String, templates: [String: CloudTemplate] = [:]) {
        self.kind = kind; self.url = url; self.apiKey = apiKey; self.session = session; self.templates = templates
    }
    public var description: String { "\(kind) \(url) session=\(session) key=\(apiKey.isEmpty ? "none" : "[redacted]")" }
    public var isConfigured: Bool {
        switch kind {
        case "waha": return !url.isEmpty && !session.isEmpty
        case "cloud": return !apiKey.isEmpty && !session.isEmpty
        default: return false
        }
    }
    public static let cloudDefaultURL = "https://graph.facebook.com/v20.0"
}

/// One queued message (`wa_message_queue`) with the customer's name.
public struct QueueItem: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var sessionId: String
    public var ownerId: String?
    public var customerId: String?
    public var invoiceId: String?
    public var messageType: String
    public var stage: Int?
    public var dedupeKey: String?
    public var phone: String
    public var content: String
    public var status: String
    public var retryCount: Int
    public var maxRetries: Int
    public var scheduledAt: Date
    public var claimedAt: Date?
    public var sentAt: Date?
    public var errorMessage: String?
    /// The placeholder values (JSON) a Cloud template is filled from (issue 18).
    public var params: String?
    public var customerName: String?
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    static let columns = """
        q.id, q.session_id, q.owner_id, q.customer_id, q.invoice_id, q.message_type, q.stage, q.dedupe_key, q.phone, q.content,
        q.status, q.retry_count, q.max_retries, q.scheduled_at, q.claimed_at, q.sent_at, q.error_message, q.params
        """

    /// The values of `params`.
    public var values: [String: String] {
        guard let params, let o = try? JSONSerialization.jsonObject(with: Data(params.utf8)) as? [String: String] else { return [:] }
        return o
    }
    static let select = "SELECT \(columns), c.name AS customer_name FROM wa_message_queue q LEFT JOIN customers c ON c.id = q.customer_id"
}

/// One row of `wa_message_logs` with the customer's name.
public struct MessageLogEntry: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var sessionId: String?
    public var ownerId: String?
    public var customerId: String?
    public var invoiceId: String?
    public var messageType: String
    public var phone: String
    public var content: String
    public var status: String
    public var errorMessage: String?
    public var waMessageId: String?
    public var sentAt: Date
    public var customerName: String?
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

/// Counts of the queue by status.
public struct QueueCounts: Sendable, Equatable {
    public var pending = 0, held = 0, sending = 0, sent = 0, failed = 0, cancelled = 0
    public init() {}
}

/// Filters of the message log.
public struct MessageLogFilter: Sendable, Equatable {
    public var type: String?
    public var status: String?
    public var from: LocalDate?
    public var to: LocalDate?
    public init(type: String? = nil, status: String? = nil, from: LocalDate? = nil, to: LocalDate? = nil) {
        self.type = type; self.status = status; self.from = from; self.to = to
    }
}

/// What a gateway answered to one send, as the queue needs it.
public enum SendOutcome: Sendable, Equatable {
    case sent(messageId: String?)
    /// 401/404/422, no gateway: the message waits and keeps its tries.
    case notReady(String)
    /// 5xx, timeout: a failed try, retried per the rules.
    case failedTry(String)
    /// Refused for good (e.g. the number is not on WhatsApp): failed now.
    case permanent(String)
}

// MARK: - Sessions and gateway settings

extension AppDatabase {
    static let sessionStatuses = ["disconnected", "connecting", "connected"]

    /// The session row of an owner, created on first use.
    static func ensureSession(_ db: Database, ownerId: String, context: StoreContext) throws -> WASession {
        if let s = try WASession.fetchOne(db, sql: WASession.select + " WHERE s.user_id = ?", arguments: [ownerId]) { return s }
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE id = ?", arguments: [ownerId]) == true else {
            throw StoreError.notFound(what: "owner")
        }
        let now = context.clock.now()
        try db.execute(sql: """
            INSERT INTO wa_sessions(id, user_id, status, created_at, updated_at) VALUES (?, ?, 'disconnected', ?, ?)
            ON CONFLICT(user_id) DO NOTHING
            """, arguments: [context.random.uuid(), ownerId, now, now])
        return try WASession.fetchOne(db, sql: WASession.select + " WHERE s.user_id = ?", arguments: [ownerId])!
    }

    /// An owner's session (superadmin: any owner; mitra: itself only).
    public func waSession(ownerId: String, actor: Actor, context: StoreContext) throws -> WASession {
        guard actor.canAccess(ownerId: ownerId) else { throw StoreError.notPermitted }
        return try write { db in try Self.ensureSession(db, ownerId: ownerId, context: context) }
    }

    /// The sessions the actor may see (superadmin: every active owner; mitra: its own).
    public func waSessions(actor: Actor, context: StoreContext) throws -> [WASession] {
        try write { db in
            let owners: [String]
            if actor.can(.viewAllOwners) {
                owners = try String.fetchAll(db, sql: "SELECT id FROM users WHERE deleted_at IS NULL ORDER BY role DESC, business_name COLLATE NOCASE")
            } else { owners = [actor.userId] }
            return try owners.map { try Self.ensureSession(db, ownerId: $0, context: context) }
        }
    }

    /// The gateway an owner's messages use (system: the worker and direct sends).
    public func gatewayConfig(ownerId: String) throws -> GatewayConfig {
        try read { db in
            let s = try Self.settings(db)
            let row = try WASession.fetchOne(db, sql: WASession.select + " WHERE s.user_id = ?", arguments: [ownerId])
            let role = try String.fetchOne(db, sql: "SELECT role FROM users WHERE id = ?", arguments: [ownerId])
            let username = try String.fetchOne(db, sql: "SELECT username FROM users WHERE id = ?", arguments: [ownerId]) ?? "default"
            return Self.resolve(row, settings: s, isSuperadmin: role == "superadmin", username: username)
        }
    }

    static func resolve(_ row: WASession?, settings s: SettingsSnapshot, isSuperadmin: Bool, username: String) -> GatewayConfig {
        func pick(_ v: String?, _ fallback: String) -> String { (v?.isEmpty == false) ? v! : fallback }
        let kind = pick(row?.gateway, s["wa.gateway"])
        switch kind {
        case "waha":
            // A mitra on the installation's WAHA gets a session of its own name, so two owners
            // never share one WhatsApp number by accident (DECISIONS.md).
            let fallbackSession = isSuperadmin ? s["wa.waha.session"] : username.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            return GatewayConfig(kind: kind, url: pick(row?.gatewayUrl, s["wa.waha.url"]), apiKey: pick(row?.gatewayApiKey, s["wa.waha.api_key"]),
                                 session: pick(row?.gatewaySession, fallbackSession))
        case "cloud":
            return GatewayConfig(kind: kind, url: pick(row?.gatewayUrl, pick(s["wa.cloud.url"], GatewayConfig.cloudDefaultURL)),
                                 apiKey: pick(row?.gatewayApiKey, s["wa.cloud.token"]),
                                 session: pick(row?.gatewaySession, s["wa.cloud.phone_number_id"]),
                                 templates: s.cloudTemplates)
        default:
            return GatewayConfig(kind: "none", url: "", apiKey: "", session: "")
        }
    }

    /// The owners whose WAHA session has this name (a webhook names only the session).
    public func owners(usingWAHASession name: String) throws -> [String] {
        let ids = try read { db in try String.fetchAll(db, sql: "SELECT id FROM users WHERE deleted_at IS NULL") }
        return try ids.filter { id in
            let c = try gatewayConfig(ownerId: id)
            return c.kind == "waha" && c.session == name
        }
    }

    /// Sets an owner's own gateway (empty values fall back to the installation defaults).
    @discardableResult
    public func setGateway(ownerId: String, kind: String?, url: String?, apiKey: String?, session: String?, actor: Actor,
                           context: StoreContext) throws -> WASession {
        guard actor.can(.connectWhatsApp), actor.canAccess(ownerId: ownerId) else { throw StoreError.notPermitted }
        if let kind, !kind.isEmpty, !["none", "waha", "cloud"].contains(kind) {
            throw StoreError.invalid(field: "gateway", reason: .notOneOf(["none", "waha", "cloud"]))
        }
        if let url, !url.isEmpty { _ = try SettingsCatalog.validate("wa.waha.url", url) }
        if let session, session.count > 60 { throw StoreError.invalid(field: "session", reason: .tooLong(max: 60)) }
        if let apiKey, apiKey.count > 500 { throw StoreError.invalid(field: "api_key", reason: .tooLong(max: 500)) }
        return try write { db in
            let before = try Self.ensureSession(db, ownerId: ownerId, context: context)
            func norm(_ v: String?) -> String? { v.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) } }
            let cleanURL = try norm(url).map { try SettingsCatalog.validate("wa.waha.url", $0) }
            try db.execute(sql: """
                UPDATE wa_sessions SET gateway = ?, gateway_url = ?, gateway_api_key = coalesce(?, gateway_api_key), gateway_session = ?,
                       updated_at = ? WHERE id = ?
                """, arguments: [norm(kind), cleanURL, apiKey.map { $0.isEmpty ? nil : $0 } ?? nil, norm(session),
                                 context.clock.now(), before.id])
            if apiKey == "" { try db.execute(sql: "UPDATE wa_sessions SET gateway_api_key = NULL WHERE id = ?", arguments: [before.id]) }
            try Audit.record(db, actor: actor, action: "wa.gateway.update", resource: "wa_sessions", resourceId: before.id,
                             metadata: ["owner_id": ownerId,
                                        "before": ["gateway": before.gateway ?? "", "url": before.gatewayUrl ?? "", "session": before.gatewaySession ?? ""],
                                        "after": ["gateway": norm(kind) ?? "", "url": cleanURL ?? "", "session": norm(session) ?? "",
                                                  "api_key": apiKey == nil ? "unchanged" : "[redacted]"]],
                             context: context)
            return try WASession.fetchOne(db, sql: WASession.select + " WHERE s.id = ?", arguments: [before.id])!
        }
    }

    /// Starts a connect for an owner; refuses a second one while one is under way (spec race
    /// condition 5). The guard is a row state with a lease, so it holds across processes.
    @discardableResult
    public func beginConnect(ownerId: String, actor: Actor, context: StoreContext, lease: TimeInterval = 120) throws -> WASession {
        guard actor.can(.connectWhatsApp), actor.canAccess(ownerId: ownerId) else { throw StoreError.notPermitted }
        return try write { db in
            let s = try Self.ensureSession(db, ownerId: ownerId, context: context)
            let now = context.clock.now()
            try db.execute(sql: """
                UPDATE wa_sessions SET status = 'connecting', updated_at = ?
                WHERE id = ? AND (status != 'connecting' OR updated_at < ?)
                """, arguments: [now, s.id, now.addingTimeInterval(-lease)])
            guard db.changesCount == 1 else { throw StoreError.alreadyExists(what: "WhatsApp connect") }
            try Audit.record(db, actor: actor, action: "wa.connect", resource: "wa_sessions", resourceId: s.id,
                             metadata: ["owner_id": ownerId], context: context)
            return try WASession.fetchOne(db, sql: WASession.select + " WHERE s.id = ?", arguments: [s.id])!
        }
    }

    /// Records what the gateway says about an owner's session (connected / connecting / disconnected).
    public func updateSessionState(ownerId: String, status: String, phone: String?, context: StoreContext) throws {
        guard Self.sessionStatuses.contains(status) else { throw StoreError.invalid(field: "status", reason: .notOneOf(Self.sessionStatuses)) }
        try write { db in
            let s = try Self.ensureSession(db, ownerId: ownerId, context: context)
            let now = context.clock.now()
            try db.execute(sql: """
                UPDATE wa_sessions SET status = ?, phone_number = coalesce(?, phone_number),
                       last_connected_at = CASE WHEN ? = 'connected' THEN ? ELSE last_connected_at END, updated_at = ?
                WHERE id = ?
                """, arguments: [status, phone, status, now, now, s.id])
        }
    }

    /// Audits a disconnect and marks the session disconnected.
    public func recordDisconnect(ownerId: String, actor: Actor, context: StoreContext) throws {
        guard actor.can(.connectWhatsApp), actor.canAccess(ownerId: ownerId) else { throw StoreError.notPermitted }
        try write { db in
            let s = try Self.ensureSession(db, ownerId: ownerId, context: context)
            try db.execute(sql: "UPDATE wa_sessions SET status = 'disconnected', updated_at = ? WHERE id = ?",
                           arguments: [context.clock.now(), s.id])
            try Audit.record(db, actor: actor, action: "wa.disconnect", resource: "wa_sessions", resourceId: s.id,
                             metadata: ["owner_id": ownerId], context: context)
        }
    }
}

// MARK: - Policy from settings

extension SettingsSnapshot {
    /// The anti-ban policy of the `wa.*` settings.
    public var sendPolicy: SendPolicy {
        SendPolicy(minDelay: int("wa.min_delay_s"), maxDelay: int("wa.max_delay_s"), jitter: int("wa.jitter_s"),
                   batchSize: int("wa.batch_size"), batchCooldown: int("wa.batch_cooldown_s"),
                   maxPerHour: int("wa.max_per_hour"), maxPerDay: int("wa.max_per_day"),
                   retryMax: int("wa.retry_max"), retryDelay: int("wa.retry_delay_s"),
                   quietStart: SendPolicy.minutes(self["wa.quiet_start"]) ?? 21 * 60,
                   quietEnd: SendPolicy.minutes(self["wa.quiet_end"]) ?? 8 * 60,
                   holdWeekend: bool("wa.hold_weekend"), timeZone: timeZone)
    }

    /// The Cloud API templates configured, by message kind (issue 18).
    public var cloudTemplates: [String: CloudTemplate] {
        var out: [String: CloudTemplate] = [:]
        for k in CloudTemplate.kinds { if let t = (try? CloudTemplate.parse(self["wa.cloud.template.\(k)"])) ?? nil { out[k] = t } }
        return out
    }

    /// `wa.reminder_days` as numbers ("3,1" → [3, 1]).
    public var reminderDays: [Int] {
        self["wa.reminder_days"].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }
}
