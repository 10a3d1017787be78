import Foundation
import GRDB

/// An internet package (`packages`), global, managed by the superadmin.
public struct PackageRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public var id: String
    public var name: String
    public var speed: String
    public var price: Int
    public var description: String?
    public var isActive: Bool
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public static let databaseTableName = "packages"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}
