import Foundation
import GRDB
import FiberNodeDomain

/// One receipt or isolation notice owed to a customer (issue 12 item 9).
public struct OutboxItem: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var kind: String
    public var ownerId: String
    public var customerId: String
    public var invoiceId: String?
    public var status: String
    public var attempts: Int
    public var createdAt: Date
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

extension AppDatabase {
    /// Inside the transaction that makes the message owed.
    static func enqueueOutbox(_ db: Database, kind: MessageKind, ownerId: String, customerId: String, invoiceId: String?,
                              paymentId: String?, context: StoreContext) throws -> String {
        let id = context.random.uuid()
        try db.execute(sql: """
            INSERT INTO message_outbox(id, kind, owner_id, customer_id, invoice_id, payment_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, kind.rawValue, ownerId, customerId, invoiceId, paymentId, context.clock.now()])
        return id
    }

    /// Claims the newest pending row for this message (kind + invoice, or kind + customer for
    /// an isolation notice). Nil when none is pending: someone else has it, or it is a manual resend.
    public func claimOutbox(kind: MessageKind, customerId: String, invoiceId: String?, context: StoreContext) throws -> OutboxItem? {
        guard kind == .receipt || kind == .isolation else { return nil }
        return try write { db in
            let sql = kind == .receipt
                ? "SELECT * FROM message_outbox WHERE kind = 'receipt' AND invoice_id = ? AND status = 'pending' ORDER BY created_at DESC LIMIT 1"
                : "SELECT * FROM message_outbox WHERE kind = 'isolation' AND customer_id = ? AND status = 'pending' ORDER BY created_at DESC LIMIT 1"
            guard let key = kind == .receipt ? invoiceId : customerId,
                  let item = try OutboxItem.fetchOne(db, sql: sql, arguments: [key]) else { return nil }
            return try Self.claim(db, item.id, context: context)
        }
    }

    /// Claims one row by id; nil when it is no longer pending.
    public func claimOutbox(id: String, context: StoreContext) throws -> OutboxItem? {
        try write { db in try Self.claim(db, id, context: context) }
    }

    static func claim(_ db: Database, _ id: String, context: StoreContext) throws -> OutboxItem? {
        try db.execute(sql: """
            UPDATE message_outbox SET status = 'sending', claimed_at = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending'
            """, arguments: [context.clock.now(), id])
        guard db.changesCount == 1 else { return nil }
        return try OutboxItem.fetchOne(db, sql: "SELECT * FROM message_outbox WHERE id = ?", arguments: [id])
    }

    /// Sent, or failed (a failed direct send is not retried: the operator was given the manual
    /// fallback and the log shows why).
    public func finishOutbox(_ id: String, sent: Bool, error: String?, context: StoreContext) throws {
        try write { db in
            try db.execute(sql: "UPDATE message_outbox SET status = ?, sent_at = ?, error = ? WHERE id = ?",
                           arguments: [sent ? "sent" : "failed", sent ? context.clock.now() : nil, error, id])
            if sent {   // the invoice that caused the isolation records when its notice went out
                try db.execute(sql: """
                    UPDATE invoices SET isolir_sent_at = ? WHERE id = (SELECT invoice_id FROM message_outbox WHERE id = ? AND kind = 'isolation')
                    """, arguments: [context.clock.now(), id])
            }
        }
    }

    /// Rows pending for longer than `olderThan` seconds (the direct sender had its chance),
    /// and claims older than `lease` whose sender died (back to pending first).
    public func pendingOutbox(olderThan: TimeInterval, lease: TimeInterval = 600, context: StoreContext, limit: Int = 200) throws -> [OutboxItem] {
        try write { db in
            let now = context.clock.now()
            try db.execute(sql: "UPDATE message_outbox SET status = 'pending' WHERE status = 'sending' AND claimed_at < ?",
                           arguments: [now.addingTimeInterval(-lease)])
            return try OutboxItem.fetchAll(db, sql: """
                SELECT * FROM message_outbox WHERE status = 'pending' AND created_at <= ? ORDER BY created_at LIMIT \(max(1, limit))
                """, arguments: [now.addingTimeInterval(-olderThan)])
        }
    }

    /// The message of an outbox row, composed without a login (the worker): the row was
    /// written by a permitted use case; the owner's templates and session apply.
    public func composeOutbox(_ item: OutboxItem, context: StoreContext) throws -> ComposedMessage {
        try read { db in
            let c = try Self.customer(db, id: item.customerId, actor: Actor(userId: item.ownerId, role: .mitra, username: "worker"))
            let inv = try item.invoiceId.map { try Self.invoice(db, $0, actor: Actor(userId: item.ownerId, role: .mitra, username: "worker")) }
            return try Self.compose(db, kind: MessageKind(rawValue: item.kind) ?? .receipt, customer: c, invoice: inv,
                                    settings: try Self.settings(db), random: context.random,
                                    at: context.clock.now())   // the greeting fits the hour (issue 13 item 8)
        }
    }
}
