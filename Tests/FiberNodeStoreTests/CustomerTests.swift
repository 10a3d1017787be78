import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

final class CustomerTests: XCTestCase {
    func packageId(_ f: Fixture, _ name: String) throws -> String {
        try f.db.read { d in try String.fetchOne(d, sql: "SELECT id FROM packages WHERE name = ?", arguments: [name])! }
    }

    func input(_ f: Fixture, name: String = "Budi", phone: String = "0812 9999 0001", package: String = "Paket 20 Mbps",
               day: String = "10", discount: String = "5000") throws -> CustomerInput {
        CustomerInput(name: name, phone: phone, packageId: try packageId(f, package), billingDate: day, discount: discount)
    }

    func testMitraCreatesOwnCustomerWithNormalisedPhoneAndTotal() throws {
        let f = try Fixture()
        let m1 = try f.actor("mitra1"), admin = try f.actor("superadmin")
        var i = try input(f)
        i.ownerId = admin.userId  // a mitra cannot create for someone else: ignored
        let c = try f.db.createCustomer(i, actor: m1, context: f.context)
        XCTAssertEqual(c.ownerId, m1.userId)
        XCTAssertEqual(c.area, "WiFi Sukamaju")
        XCTAssertEqual(c.phone, "6281299990001")
        XCTAssertEqual(c.totalBill, 145_000)
        XCTAssertEqual(c.code, "PLG-000004")
        let log = try f.db.activityLog(actor: admin).first { $0.action == "customer.create" }
        XCTAssertNotNil(log)
        XCTAssertEqual(log?.username, "mitra1")
    }

    func testValidationRefusesAndWritesNothing() throws {
        let f = try Fixture()
        let m1 = try f.actor("mitra1")
        let before = try f.db.customerCount(actor: try f.actor("superadmin"), filter: CustomerFilter())
        func expect(_ i: CustomerInput, _ e: StoreError, line: UInt = #line) {
            XCTAssertThrowsError(try f.db.createCustomer(i, actor: m1, context: f.context), line: line) {
                XCTAssertEqual($0 as? StoreError, e, line: line)
            }
        }
        expect(try input(f, name: "  "), .invalid(field: "name", reason: .required))
        expect(try input(f, phone: "12345"), .invalid(field: "phone", reason: .phone(.badPrefix)))
        expect(try input(f, day: "29"), .invalid(field: "billing_date", reason: .outOfRange(min: 1, max: 28)))
        expect(try input(f, day: "x"), .invalid(field: "billing_date", reason: .notANumber))
        expect(try input(f, discount: "150001"), .invalid(field: "discount", reason: .outOfRange(min: 0, max: 150_000)))
        var bad = try input(f); bad.nik = "123"
        expect(bad, .invalid(field: "nik", reason: .badFormat(expected: "16 digit")))
        XCTAssertEqual(try f.db.customerCount(actor: try f.actor("superadmin"), filter: CustomerFilter()), before)
    }

    /// Issue 14 §5 (collect3): one number for several connections of a household is saved,
    /// with the other connections named as a warning — on create, edit and restore; a mitra
    /// is told only of its own customers.
    func testSharedPhoneIsAWarningNotARefusal() throws {
        let f = try Fixture()
        let m1 = try f.actor("mitra1"), m2 = try f.actor("mitra2"), admin = try f.actor("superadmin")
        // PLG-000001 Ahmad (mitra1) has 6281234567890
        let second = try f.db.createCustomer(try input(f, name: "Ahmad (lantai 2)", phone: "081234567890"), actor: m1, context: f.context)
        XCTAssertEqual(second.phone, "6281234567890")
        XCTAssertEqual(try f.db.phoneSharers(second, actor: m1), ["PLG-000001"])
        XCTAssertEqual(try f.db.phoneSharers(second, actor: admin), ["PLG-000001"])
        let third = try f.db.createCustomer(try input(f, name: "Kos Ahmad", phone: "6281234567890"), actor: m2, context: f.context)
        XCTAssertEqual(try f.db.phoneSharers(third, actor: m2), [], "another owner's customers are not named to a mitra")
        XCTAssertEqual(try f.db.phoneSharers(third, actor: admin), ["PLG-000001", second.code])
        // an edit onto a used number is saved too
        let dewi = try f.db.customers(actor: m1, filter: CustomerFilter(search: "dewi")).first!
        var i = CustomerInput(dewi); i.phone = "081234567890"
        let saved = try f.db.updateCustomer(id: dewi.id, i, expectedVersion: dewi.version, actor: m1, context: f.context)
        XCTAssertEqual(saved.phone, "6281234567890")
        XCTAssertEqual(try f.db.phoneSharers(saved, actor: m1), ["PLG-000001", second.code])
        // a deleted connection comes back although its number is in use
        try f.db.deleteCustomer(id: second.id, actor: admin, context: f.context)
        try f.db.restoreCustomer(id: second.id, actor: admin, context: f.context)
        XCTAssertNil(try f.db.customer(id: second.id, actor: admin).deletedAt)
        let unique = try f.db.createCustomer(try input(f, phone: "0812 9999 0042"), actor: m1, context: f.context)
        XCTAssertEqual(try f.db.phoneSharers(unique, actor: admin), [])
    }

    func testMitraEditsOnlyPhoneAndDiscountAndTotalFollows() throws {
        let f = try Fixture()
        let m1 = try f.actor("mitra1")
        let dewi = try f.db.customers(actor: m1, filter: CustomerFilter(search: "dewi")).first!
        var i = CustomerInput(dewi)
        i.discount = "20000"; i.phone = "+62 812-7777-0000"
        let saved = try f.db.updateCustomer(id: dewi.id, i, expectedVersion: dewi.version, actor: m1, context: f.context)
        XCTAssertEqual(saved.discount, 20_000)
        XCTAssertEqual(saved.totalBill, 130_000)
        XCTAssertEqual(saved.phone, "6281277770000")
        XCTAssertEqual(saved.version, dewi.version + 1)
        var rename = CustomerInput(saved); rename.name = "Dewi L."
        XCTAssertThrowsError(try f.db.updateCustomer(id: dewi.id, rename, expectedVersion: saved.version, actor: m1, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }
        var repackage = CustomerInput(saved); repackage.packageId = try packageId(f, "Paket 50 Mbps")
        XCTAssertThrowsError(try f.db.updateCustomer(id: dewi.id, repackage, expectedVersion: saved.version, actor: m1, context: f.context))
        XCTAssertEqual(try f.db.customer(id: dewi.id, actor: m1).name, "Dewi Lestari")
    }

    func testStaleVersionIsRefused() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin")
        let c = try f.db.customers(actor: admin, filter: CustomerFilter(search: "ahmad")).first!
        var i = CustomerInput(c); i.discount = "1000"
        _ = try f.db.updateCustomer(id: c.id, i, expectedVersion: c.version, actor: admin, context: f.context)
        i.discount = "2000"
        XCTAssertThrowsError(try f.db.updateCustomer(id: c.id, i, expectedVersion: c.version, actor: admin, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .changedByOther)
        }
        XCTAssertEqual(try f.db.customer(id: c.id, actor: admin).discount, 1000)
    }

    func testSuperadminEditsEverythingIncludingOwnerAndPackage() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin"), m2 = try f.actor("mitra2")
        let c = try f.db.customers(actor: admin, filter: CustomerFilter(search: "ahmad")).first!
        var i = CustomerInput(c)
        i.name = "Ahmad F."; i.ownerId = m2.userId; i.packageId = try packageId(f, "Paket 50 Mbps"); i.discount = "50.000"
        let saved = try f.db.updateCustomer(id: c.id, i, expectedVersion: c.version, actor: admin, context: f.context)
        XCTAssertEqual(saved.area, "Net Mekarjaya")
        XCTAssertEqual(saved.totalBill, 200_000)
        XCTAssertEqual(try f.db.customers(actor: m2, filter: CustomerFilter()).map(\.name), ["Ahmad F."])
        let meta = try f.db.activityLog(actor: admin).first { $0.action == "customer.update" }!.metadata!
        XCTAssertTrue(meta.contains("\"before\":{"))
        XCTAssertTrue(meta.contains("Ahmad Fauzi"))
        XCTAssertTrue(meta.contains("Ahmad F."))
    }

    func testMitraCannotSeeOrTouchAnotherOwnersCustomer() throws {
        let f = try Fixture()
        let m1 = try f.actor("mitra1"), m2 = try f.actor("mitra2")
        let rudi = try f.db.customers(actor: try f.actor("superadmin"), filter: CustomerFilter(search: "rudi")).first!
        XCTAssertEqual(try f.db.customers(actor: m2, filter: CustomerFilter()).count, 0)
        XCTAssertEqual(try f.db.customers(actor: m1, filter: CustomerFilter(ownerId: rudi.ownerId)).map(\.area), ["WiFi Sukamaju", "WiFi Sukamaju"])
        XCTAssertThrowsError(try f.db.customer(id: rudi.id, actor: m1)) { XCTAssertEqual($0 as? StoreError, .notPermitted) }
        var i = CustomerInput(rudi); i.discount = "1"
        XCTAssertThrowsError(try f.db.updateCustomer(id: rudi.id, i, expectedVersion: rudi.version, actor: m1, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }
        XCTAssertThrowsError(try f.db.deleteCustomer(id: rudi.id, actor: m1, context: f.context)) { XCTAssertEqual($0 as? StoreError, .notPermitted) }
        XCTAssertThrowsError(try f.db.invoiceHistory(customerId: rudi.id, actor: m1)) { XCTAssertEqual($0 as? StoreError, .notPermitted) }
        XCTAssertEqual(try f.db.customer(id: rudi.id, actor: try f.actor("superadmin")).discount, 0)
    }

    func testSoftDeleteAndRestore() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin")
        let c = try f.db.customers(actor: admin, filter: CustomerFilter(search: "ahmad")).first!
        try f.db.deleteCustomer(id: c.id, actor: admin, context: f.context)
        XCTAssertEqual(try f.db.customers(actor: admin, filter: CustomerFilter()).count, 2)
        XCTAssertEqual(try f.db.customers(actor: admin, filter: CustomerFilter(deleted: true)).map(\.id), [c.id])
        // the deleted customer's phone may be reused meanwhile; restoring then is refused
        try f.db.restoreCustomer(id: c.id, actor: admin, context: f.context)
        XCTAssertEqual(try f.db.customers(actor: admin, filter: CustomerFilter()).count, 3)
        let actions = try f.db.activityLog(actor: admin).map(\.action)
        XCTAssertTrue(actions.contains("customer.delete"))
        XCTAssertTrue(actions.contains("customer.restore"))
    }

    func testKeysetPagingAndSearch() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin")
        let pkg = try packageId(f, "Paket 10 Mbps")
        for n in 0..<25 {
            try f.db.createCustomer(CustomerInput(name: String(format: "Warga %02d", n), phone: String(format: "6285700000%03d", n),
                                                  address: n % 2 == 0 ? "Jl. Melati" : "Jl. Mawar", packageId: pkg, billingDate: "3"),
                                    actor: admin, context: f.context)
        }
        var filter = CustomerFilter()
        let p1 = try f.db.customers(actor: admin, filter: filter, limit: 10)
        let p2 = try f.db.customers(actor: admin, filter: filter, after: CustomerCursor(row: p1.last!, sort: .name), limit: 10)
        let p3 = try f.db.customers(actor: admin, filter: filter, after: CustomerCursor(row: p2.last!, sort: .name), limit: 10)
        let all = p1 + p2 + p3
        XCTAssertEqual(all.count, 28)
        XCTAssertEqual(all.map { $0.name.lowercased() }, all.map { $0.name.lowercased() }.sorted())
        let back = try f.db.customers(actor: admin, filter: filter, after: CustomerCursor(row: p2.first!, sort: .name), backwards: true, limit: 10)
        XCTAssertEqual(back.map(\.id), p1.map(\.id))
        filter.search = "mel"
        XCTAssertEqual(try f.db.customerCount(actor: admin, filter: filter), 13)
        filter.search = "warga 0"
        XCTAssertEqual(try f.db.customers(actor: admin, filter: filter).count, 10) // Warga 00…09
        filter.search = "08570000001"                                             // typed the local way
        XCTAssertEqual(try f.db.customers(actor: admin, filter: filter).map(\.name), (10...19).map { "Warga \($0)" })
        filter.search = "\"; DROP TABLE customers; --"
        XCTAssertEqual(try f.db.customers(actor: admin, filter: filter).count, 0)
        filter = CustomerFilter(sort: .billingDay)
        XCTAssertEqual(try f.db.customers(actor: admin, filter: filter, limit: 3).map(\.billingDate), [3, 3, 3])
    }
}

final class PackageAndMitraTests: XCTestCase {
    func testPackageLifecycle() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        XCTAssertThrowsError(try f.db.createPackage(PackageInput(name: "X", speed: "1 Mbps", price: "1000"), actor: m1, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }
        let p = try f.db.createPackage(PackageInput(name: "Paket 5 Mbps", speed: "5 Mbps", price: "Rp 75.000"), actor: admin, context: f.context)
        XCTAssertEqual(p.price, 75_000)
        XCTAssertThrowsError(try f.db.createPackage(PackageInput(name: "paket 5 MBPS", speed: "5", price: "1"), actor: admin, context: f.context))
        XCTAssertThrowsError(try f.db.createPackage(PackageInput(name: "Y", speed: "5", price: "abc"), actor: admin, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .invalid(field: "price", reason: .notANumber))
        }
        let used = try f.db.packages().first { $0.name == "Paket 20 Mbps" }!
        XCTAssertEqual(used.customerCount, 1)
        XCTAssertThrowsError(try f.db.deletePackage(id: used.id, actor: admin, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .inUse(what: "Paket 20 Mbps", count: 1))
        }
        try f.db.setPackageActive(id: used.id, active: false, actor: admin, context: f.context)
        XCTAssertFalse(try f.db.packages(activeOnly: true).contains { $0.id == used.id })
        // a deactivated package is refused for new customers but its customers keep it
        XCTAssertThrowsError(try f.db.createCustomer(CustomerInput(name: "N", phone: "6281200001111", packageId: used.id, billingDate: "1"),
                                                     actor: admin, context: f.context))
        XCTAssertEqual(try f.db.customers(actor: admin, filter: CustomerFilter(packageId: used.id)).count, 1)
        // a price change recalculates the customers' total bill
        _ = try f.db.updatePackage(id: used.id, PackageInput(name: used.name, speed: used.speed, price: "160000"),
                                   expectedVersion: used.version + 1, actor: admin, context: f.context)
        XCTAssertEqual(try f.db.customers(actor: admin, filter: CustomerFilter(packageId: used.id)).first?.totalBill, 150_000)
        try f.db.deletePackage(id: p.id, actor: admin, context: f.context)
        XCTAssertFalse(try f.db.packages().contains { $0.id == p.id })
    }

    func testMitraAccounts() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        XCTAssertThrowsError(try f.db.mitras(actor: m1)) { XCTAssertEqual($0 as? StoreError, .notPermitted) }
        let rows = try f.db.mitras(actor: admin)
        XCTAssertEqual(rows.map(\.businessName), ["Net Mekarjaya", "WiFi Sukamaju"])
        XCTAssertEqual(rows.map(\.customerCount), [0, 2])
        XCTAssertThrowsError(try f.db.createMitra(MitraInput(username: "m3", name: "M", businessName: "NET MEKARJAYA", password: "Rahasia123"),
                                                  actor: admin, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .alreadyExists(what: "business name NET MEKARJAYA"))
        }
        XCTAssertThrowsError(try f.db.createMitra(MitraInput(username: "m3", name: "M", businessName: "Baru", password: "short"),
                                                  actor: admin, context: f.context))
        let m3 = try f.db.createMitra(MitraInput(username: "Mitra3", name: "Tri", businessName: "Tri Net", bankName: "BRI",
                                                 bankAccount: "0123-456", bankHolder: "Tri", password: "Rahasia123"),
                                      actor: admin, context: f.context)
        XCTAssertEqual(m3.username, "mitra3")
        XCTAssertNoThrow(try f.db.login(username: "mitra3", password: "Rahasia123", context: f.context))
        // deactivation refused while it has customers
        XCTAssertThrowsError(try f.db.setMitraActive(id: m1.userId, active: false, actor: admin, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .inUse(what: "WiFi Sukamaju", count: 2))
        }
        try f.db.setMitraActive(id: m3.id, active: false, actor: admin, context: f.context)
        XCTAssertThrowsError(try f.db.login(username: "mitra3", password: "Rahasia123", context: f.context))
        try f.db.setMitraActive(id: m3.id, active: true, actor: admin, context: f.context)
        // password reset through edit, never logged
        var edit = MitraInput(username: "mitra3", name: "Tri W", businessName: "Tri Net", password: "BaruSekali1")
        edit.phone = "0812 1111 2222"
        _ = try f.db.updateMitra(id: m3.id, edit, expectedVersion: m3.version + 2, actor: admin, context: f.context)
        XCTAssertNoThrow(try f.db.login(username: "mitra3", password: "BaruSekali1", context: f.context))
        let logs = try f.db.activityLog(actor: admin).compactMap(\.metadata).joined()
        XCTAssertFalse(logs.contains("BaruSekali1"))
        XCTAssertFalse(logs.contains("Rahasia123"))
        XCTAssertFalse(logs.contains("argon2"))
        try f.db.setMitraDeleted(id: m3.id, deleted: true, actor: admin, context: f.context)
        XCTAssertEqual(try f.db.mitras(actor: admin, deleted: true).map(\.username), ["mitra3"])
        try f.db.setMitraDeleted(id: m3.id, deleted: false, actor: admin, context: f.context)
        XCTAssertEqual(try f.db.mitras(actor: admin).count, 3)
    }

    func testProfileAndPasswordChange() throws {
        let f = try Fixture()
        let m1 = try f.actor("mitra1")
        let p = try f.db.updateProfile(name: "Budi S.", bankName: "BCA", bankAccount: "1234567890", bankHolder: "Budi Santoso",
                                       actor: m1, context: f.context)
        XCTAssertEqual(p.bankAccount, "1234567890")
        XCTAssertThrowsError(try f.db.updateProfile(name: "B", bankName: "", bankAccount: "12ab", bankHolder: "", actor: m1, context: f.context))
        XCTAssertThrowsError(try f.db.changePassword(current: "wrong", new: "BaruBaru1", repeat: "BaruBaru1", actor: m1, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .invalid(field: "password", reason: .wrongPassword))
        }
        XCTAssertThrowsError(try f.db.changePassword(current: "Mitra123!", new: "BaruBaru1", repeat: "BaruBaru2", actor: m1, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .invalid(field: "password", reason: .passwordsDiffer))
        }
        try f.db.changePassword(current: "Mitra123!", new: "BaruBaru1", repeat: "BaruBaru1", actor: m1, context: f.context)
        XCTAssertNoThrow(try f.db.login(username: "mitra1", password: "BaruBaru1", context: f.context))
        XCTAssertThrowsError(try f.db.login(username: "mitra1", password: "Mitra123!", context: f.context))
    }
}
