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
}
