import Foundation
import GRDB

/// A customer (`customers`), owned by the superadmin or a mitra. Area = owner's business name.
public struct CustomerRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public var id: String
    public var no: Int
    public var code: String
    public var ownerId: String
    public var packageId: String
    public var name: String
    public var phone: String
    public var nik: String?
    public var address: String?
    public var billingDate: Int
    public var discount: Int
    public var totalBill: Int
    public var status: String
    public var registerDate: String
    public var notes: String?
    public var deletedAt: Date?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public static let databaseTableName = "customers"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// Inserts through one cached prepared statement with positional arguments: the Codable
    /// path converts every key to snake case on every row, which dominated a 10,000-row import.
    /// `stamp`: created/updated time already converted (a bulk insert converts it once).
    func insertFast(_ db: Database, stamp: DatabaseValue? = nil) throws {
        let st = try db.cachedStatement(sql: """
            INSERT INTO customers(id, no, code, owner_id, package_id, name, phone, nik, address, billing_date, discount,
                                  total_bill, status, register_date, notes, deleted_at, version, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try st.execute(arguments: [id, no, code, ownerId, packageId, name, phone, nik, address, billingDate, discount,
                                   totalBill, status, registerDate, notes, deletedAt, version,
                                   stamp ?? createdAt.databaseValue, stamp ?? updatedAt.databaseValue])
    }
}
