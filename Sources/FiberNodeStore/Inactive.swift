import Foundation
import GRDB
import FiberNodeDomain

// Inactive customers: a stopped service (issue 14 §4). An inactive customer gets no new
// invoices, is not counted as overdue or isolated, and gets no reminders — generation,
// reminders, candidates and automatic isolation all read `status = 'active'` only.
// On a linked router the service is cut as for isolation (issue 14, collect3).
extension AppDatabase {
    /// Sets a customer inactive (stopped service) or back to active: superadmin only, audited,
    /// one transaction. Activating restores the customer to `active` (not to `isolated`).
    @discardableResult
    public func setInactive(_ idOrCode: String, inactive: Bool, actor: Actor, context: StoreContext) throws -> CustomerRow {
        guard actor.role == .superadmin, actor.can(.isolateCustomer) else { throw StoreError.notPermitted }
        return try write { db in
            let c = try Self.customer(db, id: idOrCode, actor: actor)
            guard c.deletedAt == nil else { throw StoreError.notFound(what: "customer") }
            let target = inactive ? "inactive" : "active"
            if inactive ? c.status == "inactive" : c.status != "inactive" { return c }
            try db.execute(sql: "UPDATE customers SET status = ?, isolated_auto = 0, version = version + 1, updated_at = ? WHERE id = ?",
                           arguments: [target, context.clock.now(), c.id])
            // A stopped service is cut on the router as isolation does, queued in this same
            // transaction through the router outbox; activating restores it. An isolated
            // customer is already cut on the router: nothing more to queue on stopping.
            if inactive ? c.status != "isolated" : true {
                try RouterStore.enqueue(db, customerId: c.id, isolate: inactive, actor: actor, context: context)
            }
            try Audit.record(db, actor: actor, action: inactive ? "customer.deactivate" : "customer.activate", resource: "customers",
                             resourceId: c.id, metadata: ["code": c.code, "before": ["status": c.status], "after": ["status": target]],
                             context: context)
            return try Self.customer(db, id: c.id, actor: actor)
        }
    }
}
