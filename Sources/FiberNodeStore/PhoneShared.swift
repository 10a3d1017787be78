import Foundation
import GRDB
import FiberNodeDomain

// One phone number, several connections (issue 14 §5, collect3): a household may have several
// connections on one number. Saving such a customer is allowed; the screens and the CLI say
// which other connections share the number (a warning, not a refusal).
extension AppDatabase {
    /// The codes of the other live customers with this customer's phone number that the actor
    /// may see (a mitra: its own only — nothing of another owner leaks through the warning).
    public func phoneSharers(_ customer: CustomerRow, actor: Actor) throws -> [String] {
        try read { db in
            var sql = "SELECT code FROM customers WHERE phone = ? AND id != ? AND deleted_at IS NULL"
            var args: [any DatabaseValueConvertible] = [customer.phone, customer.id]
            if !actor.can(.viewAllOwners) { sql += " AND owner_id = ?"; args.append(actor.userId) }
            return try String.fetchAll(db, sql: sql + " ORDER BY no", arguments: StatementArguments(args))
        }
    }
}
