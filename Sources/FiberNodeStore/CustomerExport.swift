import Foundation
import GRDB
import FiberNodeDomain

extension AppDatabase {
    /// Streams every (non-deleted) customer in the import's column order, one row at a time,
    /// so an export never holds the whole table in memory. Superadmin only.
    public func forEachCustomerForExport(actor: Actor, _ body: ([String]) throws -> Void) throws {
        guard actor.can(.exportCustomers) else { throw StoreError.notPermitted }
        try read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT c.name, c.phone, c.discount, c.billing_date, u.business_name, p.name AS package_name, p.price,
                       c.total_bill, coalesce(c.nik, '') AS nik, c.register_date
                FROM customers c JOIN users u ON u.id = c.owner_id JOIN packages p ON p.id = c.package_id
                WHERE c.deleted_at IS NULL ORDER BY c.no
                """)
            while let r = try rows.next() {
                try body([r["name"], r["phone"], String(r["discount"] as Int), String(r["billing_date"] as Int),
                          r["business_name"], r["package_name"], String(r["price"] as Int), String(r["total_bill"] as Int),
                          r["nik"], r["register_date"]])
            }
        }
    }
}
