import Foundation
import GRDB
import FiberNodeDomain

/// A past invoice of one customer.
public struct InvoiceHistoryRow: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var number: String
    public var period: String
    public var total: Int
    public var paidAmount: Int
    public var status: String
    public var dueDate: String
    public var paidAt: Date?
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

/// A WhatsApp message sent to one customer.
public struct MessageHistoryRow: Sendable, Equatable, FetchableRecord, Decodable {
    public var type: String
    public var status: String
    public var content: String
    public var sentAt: Date
    public var errorMessage: String?
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

extension AppDatabase {
    /// Newest invoices of a customer the actor may see.
    public func invoiceHistory(customerId: String, actor: Actor, limit: Int = 24) throws -> [InvoiceHistoryRow] {
        try read { db in
            _ = try Self.customer(db, id: customerId, actor: actor)
            return try InvoiceHistoryRow.fetchAll(db, sql: """
                SELECT id, number, period, total_amount AS total, paid_amount, status, due_date, paid_at
                FROM invoices WHERE customer_id = ? ORDER BY period DESC LIMIT ?
                """, arguments: [customerId, limit])
        }
    }

    /// Newest WhatsApp messages to a customer the actor may see.
    public func messageHistory(customerId: String, actor: Actor, limit: Int = 20) throws -> [MessageHistoryRow] {
        try read { db in
            _ = try Self.customer(db, id: customerId, actor: actor)
            return try MessageHistoryRow.fetchAll(db, sql: """
                SELECT message_type AS type, status, content, sent_at, error_message
                FROM wa_message_logs WHERE customer_id = ? ORDER BY sent_at DESC LIMIT ?
                """, arguments: [customerId, limit])
        }
    }
}
