import Foundation

/// Who a user is.
public enum Role: String, Codable, CaseIterable, Sendable {
    case superadmin, mitra
}

/// Every action of the spec's "Struktur Role dan Permission".
public enum Permission: String, CaseIterable, Sendable {
    case manageMitra                 // CRUD mitra accounts, see every mitra
    case createCustomer              // add a customer (a mitra's new customer is its own)
    case editCustomerAllFields       // every field of any owner's customer, incl. owner and package
    case editCustomerPhoneDiscount   // phone and discount (mitra: own customers only)
    case deleteCustomer              // soft delete and restore
    case isolateCustomer
    case managePackages
    case importCustomers
    case exportCustomers
    case viewAllOwners               // see every owner's data
    case viewOwnFinance
    case viewFinancePerMitra
    case exportFinance               // "download rekapan"
    case markPayment                 // paid / unpaid
    case generateInvoices
    case manageSettings
    case configureReceipt
    case connectWhatsApp             // own session
    case sendWhatsApp                // own customers, individual or bulk
    case manageWhatsAppTemplates
    case editOwnProfile
    case editOwnBankAccount
    case viewAuditLog
    case manageBackups
}

/// The one permission table.
public enum PermissionTable {
    static let mitra: Set<Permission> = [
        .createCustomer, .editCustomerPhoneDiscount, .viewOwnFinance, .exportFinance, .markPayment,
        .connectWhatsApp, .sendWhatsApp, .editOwnProfile, .editOwnBankAccount,
    ]

    public static func permissions(for role: Role) -> Set<Permission> {
        switch role {
        case .superadmin: return Set(Permission.allCases)
        case .mitra: return mitra
        }
    }

    public static func allows(_ role: Role, _ permission: Permission) -> Bool {
        permissions(for: role).contains(permission)
    }
}

/// The acting user: id, role and username.
public struct Actor: Sendable, Hashable {
    public let userId: String
    public let role: Role
    public let username: String
    public init(userId: String, role: Role, username: String) {
        self.userId = userId; self.role = role; self.username = username
    }

    public func can(_ p: Permission) -> Bool { PermissionTable.allows(role, p) }

    /// Superadmin: any owner; mitra: only itself.
    public func canAccess(ownerId: String) -> Bool { role == .superadmin || ownerId == userId }
}
