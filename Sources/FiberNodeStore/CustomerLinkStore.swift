import Foundation
import GRDB
import FiberNodeDomain

/// The router link typed in the customer add / edit form (issue 15): a router by name or id,
/// PPPoE or static IP, and the secret name or address. Saved in the customer's transaction.
public struct CustomerLinkInput: Sendable, Equatable {
    public var router: String
    public var kind: ServiceKind
    public var target: String

    public init(router: String, kind: ServiceKind, target: String) {
        self.router = router
        self.kind = kind
        self.target = target
    }
}

extension AppDatabase {
    /// Inside the customer's save: links the customer as `setService` does (a bad link throws and
    /// the whole save rolls back; an isolated customer's isolation is queued). `nil` leaves the
    /// link as it is. Only the superadmin changes links; anyone else may pass the stored link
    /// back unchanged (a read-only field), never a different one.
    static func applyLink(_ db: Database, _ link: CustomerLinkInput?, customer c: CustomerRow, actor: Actor,
                          context: StoreContext) throws -> CustomerRow {
        guard let link else { return c }
        let current = try CustomerService.fetchOne(db, sql: Self.selectService + " WHERE s.customer_id = ?", arguments: [c.id])
        if let current, current.kind == link.kind.rawValue,
           current.routerId == link.router || current.routerName.caseInsensitiveCompare(link.router) == .orderedSame,
           current.target == link.target.trimmingCharacters(in: .whitespaces) {
            return c
        }
        guard actor.can(.manageSettings) else { throw StoreError.notPermitted }
        _ = try Self.setService(db, customer: c.id, router: link.router, kind: link.kind, target: link.target,
                                actor: actor, context: context)
        return try Self.customer(db, id: c.id, actor: actor)
    }
}
