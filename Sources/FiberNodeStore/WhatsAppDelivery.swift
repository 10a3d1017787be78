import Foundation
import GRDB
import FiberNodeDomain

// MARK: - Values (issue 18)

/// A customer's reply (or any inbound message) stored for an owner.
public struct InboundMessage: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var ownerId: String
    public var customerId: String?
    public var phone: String
    public var body: String
    public var gateway: String
    public var waMessageId: String?
    public var receivedAt: Date
    public var customerName: String?
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

/// What one inbound message did.
public struct InboundResult: Sendable, Equatable {
    /// Stored now (false: seen before, nothing changed).
    public var stored = 0
    /// The number opted out / back in with this message.
    public var optedOut = 0, optedIn = 0
    public init() {}
}

/// Why a session's queue paused by itself, as stored in `wa_sessions.pause_reason`.
public enum BreakerReason: Sendable, Equatable {
    /// The last N sends failed (or came back failed).
    case failures(Int)
    /// The gateway says the number is banned, locked or logged out.
    case blocked(String)

    public var stored: String {
        switch self {
        case .failures(let n): return "failures:\(n)"
        case .blocked(let s): return "blocked:\(s.prefix(120))"
        }
    }

    public init?(stored: String?) {
        guard let stored else { return nil }
        if stored.hasPrefix("failures:"), let n = Int(stored.dropFirst("failures:".count)) { self = .failures(n); return }
        if stored.hasPrefix("blocked:") { self = .blocked(String(stored.dropFirst("blocked:".count))); return }
        return nil
    }
}

/// A paused session: when and why.
public struct SessionPause: Sendable, Equatable {
    public var ownerId: String
    public var sessionId: String
    public var businessName: String
    public var pausedAt: Date
    public var reason: BreakerReason
}

/// What is known of one number for one owner.
public struct ContactState: Sendable, Equatable {
    public var lastInboundAt: Date?
    public var optedOutAt: Date?
    public var optOutWord: String?
    public static let none = ContactState(lastInboundAt: nil, optedOutAt: nil, optOutWord: nil)
}

extension AppDatabase {
    /// Message kinds an opt-out stops (receipts of the customer's own payments and isolation notices still go).
    public static let optOutStops: Set<String> = ["reminder", "overdue", "custom"]

    // MARK: - Contacts: the window and the opt-out

    static func digits(_ phone: String) -> String? { (try? PhoneNumber.normalize(phone))?.digits }

    static func contact(_ db: Database, ownerId: String, phone: String) throws -> ContactState {
        guard let p = digits(phone),
              let row = try Row.fetchOne(db, sql: "SELECT last_inbound_at, opted_out_at, opt_out_word FROM wa_contacts WHERE owner_id = ? AND phone = ?",
                                         arguments: [ownerId, p]) else { return .none }
        return ContactState(lastInboundAt: row["last_inbound_at"], optedOutAt: row["opted_out_at"], optOutWord: row["opt_out_word"])
    }

    /// The owner's record of a number (system: the worker and direct sends).
    public func contact(ownerId: String, phone: String) throws -> ContactState {
        try read { db in try Self.contact(db, ownerId: ownerId, phone: phone) }
    }

    /// Whether the customer wrote to this owner within the last 24 hours.
    public func isWindowOpen(ownerId: String, phone: String, now: Date) throws -> Bool {
        CustomerWindow.isOpen(lastInbound: try contact(ownerId: ownerId, phone: phone).lastInboundAt, now: now)
    }

    /// A customer's opt-out (nil when the customer gets messages). Actor's scope only.
    public func optOut(customerId: String, actor: Actor) throws -> ContactState {
        try read { db in
            let c = try Self.customer(db, id: customerId, actor: actor)
            return try Self.contact(db, ownerId: c.ownerId, phone: c.phone)
        }
    }

    /// Stores an inbound message for each owner it reached (the gateway names the session or the
    /// phone number id, not the owner): opens the 24-hour window, and BERHENTI/STOP/UNREG opts the
    /// number out (MULAI/START back in), audited. Idempotent on the gateway's message id.
    @discardableResult
    public func recordInbound(ownerIds: [String], gateway: String, phone raw: String, body: String, waMessageId: String?,
                              at: Date?, context: StoreContext) throws -> InboundResult {
        var out = InboundResult()
        guard let phone = Self.digits(raw), ["waha", "cloud"].contains(gateway) else { return out }
        let text = String(body.prefix(4096))
        let now = context.clock.now()
        // A sender's clock in the future never holds a window open longer than 24 h from now.
        let when = min(at ?? now, now)
        try write { db in
            // Owners sharing one number (the installation's Cloud number): the reply belongs to the
            // owner(s) whose customer has this phone; a stranger's message goes to the superadmin.
            var owners = try ownerIds.filter {
                try Bool.fetchOne(db, sql: "SELECT 1 FROM customers WHERE owner_id = ? AND phone = ? AND deleted_at IS NULL",
                                  arguments: [$0, phone]) == true
            }
            if owners.isEmpty {
                owners = try ownerIds.filter { try String.fetchOne(db, sql: "SELECT role FROM users WHERE id = ?", arguments: [$0]) == "superadmin" }
            }
            if owners.isEmpty { owners = Array(ownerIds.prefix(1)) }
            for owner in owners {
                let customer = try Row.fetchOne(db, sql: """
                    SELECT id, name FROM customers WHERE owner_id = ? AND phone = ? AND deleted_at IS NULL ORDER BY no LIMIT 1
                    """, arguments: [owner, phone])
                let customerId: String? = customer?["id"]
                try db.execute(sql: """
                    INSERT INTO wa_inbound_messages(id, owner_id, customer_id, phone, body, gateway, wa_message_id, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(owner_id, wa_message_id) DO NOTHING
                    """, arguments: [context.random.uuid(), owner, customerId, phone, text, gateway, waMessageId, when])
                guard db.changesCount == 1 else { continue }
                out.stored += 1
                try db.execute(sql: """
                    INSERT INTO wa_contacts(owner_id, phone, last_inbound_at, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(owner_id, phone) DO UPDATE SET
                        last_inbound_at = max(coalesce(last_inbound_at, ''), excluded.last_inbound_at), updated_at = excluded.updated_at
                    """, arguments: [owner, phone, when, now])
                guard let stop = OptOutKeyword.classify(text) else { continue }
                let word = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
                if stop {
                    try db.execute(sql: """
                        UPDATE wa_contacts SET opted_out_at = ?, opt_out_word = ?, updated_at = ? WHERE owner_id = ? AND phone = ? AND opted_out_at IS NULL
                        """, arguments: [when, word, now, owner, phone])
                } else {
                    try db.execute(sql: """
                        UPDATE wa_contacts SET opted_out_at = NULL, opt_out_word = NULL, updated_at = ? WHERE owner_id = ? AND phone = ? AND opted_out_at IS NOT NULL
                        """, arguments: [now, owner, phone])
                }
                guard db.changesCount == 1 else { continue }
                if stop {
                    out.optedOut += 1
                    // What was already queued for the number and the opt-out stops is cancelled now.
                    try db.execute(sql: """
                        UPDATE wa_message_queue SET status = 'cancelled', error_message = 'customer opted out (BERHENTI)', updated_at = ?
                        WHERE owner_id = ? AND phone = ? AND status IN ('pending','held') AND message_type IN ('reminder','overdue','custom')
                        """, arguments: [now, owner, phone])
                } else { out.optedIn += 1 }
                try Audit.record(db, actor: nil, action: stop ? "wa.opt_out" : "wa.opt_in", resource: "customers", resourceId: customerId,
                                 metadata: ["owner_id": owner, "phone": phone, "word": word, "gateway": gateway,
                                            "cancelled": stop ? db.changesCount : 0], context: context)
            }
        }
        return out
    }

    /// Inbound messages in the actor's scope, newest first (one customer's when given).
    public func inboundMessages(actor: Actor, customerId: String? = nil, limit: Int = 200) throws -> [InboundMessage] {
        try read { db in
            var (w, args) = Self.scopeClause(actor, alias: "m")
            if let customerId {
                let c = try Self.customer(db, id: customerId, actor: actor)
                w += " AND m.customer_id = ?"; args.append(c.id)
            }
            return try InboundMessage.fetchAll(db, sql: """
                SELECT m.id, m.owner_id, m.customer_id, m.phone, m.body, m.gateway, m.wa_message_id, m.received_at, c.name AS customer_name
                FROM wa_inbound_messages m LEFT JOIN customers c ON c.id = m.customer_id
                WHERE \(w) ORDER BY m.received_at DESC, m.id LIMIT \(max(1, limit))
                """, arguments: StatementArguments(args)!)
        }
    }

    /// Customers in scope who opted out, with when and the word they sent.
    public func optedOutCount(actor: Actor) throws -> Int {
        try read { db in
            let (w, args) = Self.scopeClause(actor, alias: "k")
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM wa_contacts k WHERE k.opted_out_at IS NOT NULL AND \(w)",
                                    arguments: StatementArguments(args)!) ?? 0
        }
    }

    /// A queued message whose number opted out after it was queued: cancelled, not sent.
    public func cancelOptedOut(_ item: QueueItem, context: StoreContext) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE wa_message_queue SET status = 'cancelled', claimed_at = NULL, error_message = 'customer opted out (BERHENTI)', updated_at = ?
                WHERE id = ? AND status = 'sending'
                """, arguments: [context.clock.now(), item.id])
        }
    }

    /// The owners whose Cloud API phone number id this is (a Cloud webhook names only that).
    public func owners(usingCloudPhoneNumberId id: String) throws -> [String] {
        let ids = try read { db in try String.fetchAll(db, sql: "SELECT id FROM users WHERE deleted_at IS NULL") }
        return try ids.filter { owner in
            let c = try gatewayConfig(ownerId: owner)
            return c.kind == "cloud" && c.session == id
        }
    }

    // MARK: - Delivery statuses

    /// A delivery status for a logged message (Cloud `statuses`, WAHA acks): sent → delivered →
    /// read only move forward; failed (with the error title) ends a sent or delivered one. The
    /// same status twice changes nothing. A failure counts towards the session's breaker.
    @discardableResult
    public func recordStatus(messageId: String, status: String, error: String? = nil, context: StoreContext? = nil) throws -> Int {
        let allowedFrom: [String]
        switch status {
        case "delivered": allowedFrom = ["sent"]
        case "read": allowedFrom = ["sent", "delivered"]
        case "failed": allowedFrom = ["sent", "delivered"]
        default: return 0
        }
        return try write { db in
            let now = context?.clock.now() ?? Date(timeIntervalSince1970: 0)
            let sessions = try String.fetchAll(db, sql: """
                SELECT DISTINCT session_id FROM wa_message_logs WHERE wa_message_id = ? AND session_id IS NOT NULL
                  AND status IN (\(allowedFrom.map { "'\($0)'" }.joined(separator: ",")))
                """, arguments: [messageId])
            try db.execute(sql: """
                UPDATE wa_message_logs SET status = ?, error_message = CASE WHEN ? = 'failed' THEN ? ELSE error_message END,
                       status_at = CASE WHEN ? THEN ? ELSE status_at END
                WHERE wa_message_id = ? AND status IN (\(allowedFrom.map { "'\($0)'" }.joined(separator: ",")))
                """, arguments: [status, status, error.map { String($0.prefix(200)) }, context != nil, now, messageId])
            let n = db.changesCount
            if n > 0, status == "failed", let context {
                for s in sessions { try Self.tripBreakerIfNeeded(db, sessionId: s, context: context) }
            }
            return n
        }
    }

    // MARK: - The breaker

    /// Pauses a session whose last N sends (`wa.breaker_failures`, since the last resume) all
    /// failed. Failures that say nothing of the number's health (no template, opted out) do not count.
    static func tripBreakerIfNeeded(_ db: Database, sessionId: String, context: StoreContext) throws {
        let n = try Self.settings(db).int("wa.breaker_failures")
        guard n > 0 else { return }
        let since: Date? = try Date.fetchOne(db, sql: "SELECT resumed_at FROM wa_sessions WHERE id = ?", arguments: [sessionId])
        let statuses = try String.fetchAll(db, sql: """
            SELECT status FROM wa_message_logs
            WHERE session_id = ? AND sent_at > ?
              AND NOT (status = 'failed' AND (error_message LIKE 'needs an approved template%' OR error_message LIKE 'customer opted out%'
                                              OR error_message LIKE 'no WhatsApp gateway%' OR error_message LIKE 'invalid phone%'))
            ORDER BY sent_at DESC, rowid DESC LIMIT ?
            """, arguments: [sessionId, since ?? Date(timeIntervalSince1970: 0), n])
        guard statuses.count == n, statuses.allSatisfy({ $0 == "failed" }) else { return }
        try pause(db, sessionId: sessionId, reason: .failures(n), context: context)
    }

    static func pause(_ db: Database, sessionId: String, reason: BreakerReason, context: StoreContext) throws {
        let now = context.clock.now()
        try db.execute(sql: "UPDATE wa_sessions SET paused_at = ?, pause_reason = ?, updated_at = ? WHERE id = ? AND paused_at IS NULL",
                       arguments: [now, reason.stored, now, sessionId])
        guard db.changesCount == 1 else { return }
        let owner = try String.fetchOne(db, sql: "SELECT user_id FROM wa_sessions WHERE id = ?", arguments: [sessionId])
        try Audit.record(db, actor: nil, action: "wa.breaker.pause", resource: "wa_sessions", resourceId: sessionId,
                         metadata: ["owner_id": owner ?? "", "reason": reason.stored], context: context)
    }

    /// The gateway reported the number banned, locked or logged out: the owner's queue pauses.
    public func pauseSession(ownerId: String, reason: BreakerReason, context: StoreContext) throws {
        try write { db in
            let s = try Self.ensureSession(db, ownerId: ownerId, context: context)
            try Self.pause(db, sessionId: s.id, reason: reason, context: context)
        }
    }

    /// Checks the breaker of a session (after a failed send outside `finish`).
    public func checkBreaker(sessionId: String, context: StoreContext) throws {
        try write { db in try Self.tripBreakerIfNeeded(db, sessionId: sessionId, context: context) }
    }

    /// Whether a session is paused (the worker stops draining it).
    public func isPaused(sessionId: String) throws -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT paused_at IS NOT NULL FROM wa_sessions WHERE id = ?", arguments: [sessionId]) ?? false }
    }

    /// Paused sessions in the actor's scope.
    public func pausedSessions(actor: Actor) throws -> [SessionPause] {
        try read { db in
            let (w, args) = actor.can(.viewAllOwners) ? ("1", [DatabaseValueConvertible?]()) : ("s.user_id = ?", [actor.userId])
            return try Row.fetchAll(db, sql: """
                SELECT s.id, s.user_id, s.paused_at, s.pause_reason, u.business_name FROM wa_sessions s JOIN users u ON u.id = s.user_id
                WHERE s.paused_at IS NOT NULL AND \(w) ORDER BY u.business_name
                """, arguments: StatementArguments(args)!).map {
                SessionPause(ownerId: $0["user_id"], sessionId: $0["id"], businessName: $0["business_name"], pausedAt: $0["paused_at"],
                             reason: BreakerReason(stored: $0["pause_reason"]) ?? .failures(0))
            }
        }
    }

    /// The owner resumes a paused session: its waiting messages go again; earlier failures no
    /// longer count towards the breaker. Audited; `false` when it was not paused.
    @discardableResult
    public func resumeSession(ownerId: String, actor: Actor, context: StoreContext) throws -> Bool {
        guard actor.can(.connectWhatsApp), actor.canAccess(ownerId: ownerId) else { throw StoreError.notPermitted }
        return try write { db in
            let s = try Self.ensureSession(db, ownerId: ownerId, context: context)
            let now = context.clock.now()
            let reason = try String.fetchOne(db, sql: "SELECT pause_reason FROM wa_sessions WHERE id = ? AND paused_at IS NOT NULL", arguments: [s.id])
            try db.execute(sql: """
                UPDATE wa_sessions SET paused_at = NULL, pause_reason = NULL, resumed_at = ?, updated_at = ? WHERE id = ? AND paused_at IS NOT NULL
                """, arguments: [now, now, s.id])
            guard db.changesCount == 1 else { return false }
            try Audit.record(db, actor: actor, action: "wa.breaker.resume", resource: "wa_sessions", resourceId: s.id,
                             metadata: ["owner_id": ownerId, "before": ["reason": reason ?? ""]], context: context)
            return true
        }
    }
}
