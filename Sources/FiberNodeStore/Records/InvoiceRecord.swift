import Foundation
import GRDB

/// One invoice row joined with its customer, owner and package (lists, receipts, exports).
public struct InvoiceRow: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var number: String
    public var customerId: String
    public var customerCode: String
    public var customerName: String
    public var customerPhone: String
    public var customerNik: String?
    public var ownerId: String
    public var area: String
    public var packageName: String
    public var packageSpeed: String
    public var period: String
    public var amount: Int
    public var discount: Int
    public var totalAmount: Int
    public var paidAmount: Int
    public var status: String
    public var paidAt: Date?
    public var paidByName: String?
    public var paymentMethod: String?
    public var paymentNote: String?
    public var unpaidReason: String?
    public var dueDate: String
    public var receiptToken: String?
    public var receiptVoidedAt: Date?
    public var version: Int
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    public var remaining: Int { max(0, totalAmount - paidAmount) }

    static let select = """
        SELECT i.id, i.number, i.customer_id, c.code AS customer_code, c.name AS customer_name, c.phone AS customer_phone,
               c.nik AS customer_nik, i.owner_id, u.business_name AS area, p.name AS package_name, p.speed AS package_speed,
               i.period, i.amount, i.discount, i.total_amount, i.paid_amount, i.status, i.paid_at,
               pb.name AS paid_by_name, i.payment_method, i.payment_note, i.unpaid_reason, i.due_date,
               i.receipt_token, i.receipt_voided_at, i.version
        FROM invoices i
        JOIN customers c ON c.id = i.customer_id
        JOIN users u ON u.id = i.owner_id
        JOIN packages p ON p.id = c.package_id
        LEFT JOIN users pb ON pb.id = i.paid_by
        """
}
