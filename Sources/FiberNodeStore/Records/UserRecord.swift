import Foundation
import GRDB
import FiberNodeDomain

/// A superadmin or mitra account (`users`).
public struct UserRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public var id: String
    public var username: String
    public var passwordHash: String
    public var name: String
    public var role: String
    public var phone: String?
    public var businessName: String
    public var bankName: String?
    public var bankAccount: String?
    public var bankHolder: String?
    public var isActive: Bool
    public var lastLoginAt: Date?
    public var deletedAt: Date?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public static let databaseTableName = "users"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var roleValue: Role { Role(rawValue: role) ?? .mitra }
    public var actor: Actor { Actor(userId: id, role: roleValue, username: username) }
}

/// What the app shows about the logged-in user (no password hash).
public struct UserProfile: Sendable, Equatable {
    public let id: String
    public let username: String
    public let name: String
    public let role: Role
    public let businessName: String
    public let phone: String?
    public let bankName: String?
    public let bankAccount: String?
    public let bankHolder: String?
    public let lastLoginAt: Date?
    public var actor: Actor { Actor(userId: id, role: role, username: username) }

    init(_ r: UserRecord) {
        id = r.id; username = r.username; name = r.name; role = r.roleValue; businessName = r.businessName
        phone = r.phone; bankName = r.bankName; bankAccount = r.bankAccount; bankHolder = r.bankHolder
        lastLoginAt = r.lastLoginAt
    }
}
