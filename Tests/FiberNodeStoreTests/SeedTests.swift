import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

final class SeedTests: XCTestCase {
    func testDemoHoldsTheSpecSeedData() throws {
        let f = try Fixture()
        let users = try f.db.read { d in try Row.fetchAll(d, sql: "SELECT username, role, business_name FROM users ORDER BY username") }
        XCTAssertEqual(users.map { $0["username"] as String }, ["mitra1", "mitra2", "superadmin"])
        XCTAssertEqual(users.map { $0["business_name"] as String }, ["WiFi Sukamaju", "Net Mekarjaya", "FiberNode Pusat"])
        let packages = try f.db.read { d in try Row.fetchAll(d, sql: "SELECT name, price FROM packages ORDER BY price") }
        XCTAssertEqual(packages.map { $0["price"] as Int }, [100_000, 150_000, 200_000, 250_000, 350_000])
        let customers = try f.db.read { d in
            try Row.fetchAll(d, sql: """
                SELECT c.name, c.phone, c.discount, c.total_bill, c.billing_date, u.username, c.code
                FROM customers c JOIN users u ON u.id = c.owner_id ORDER BY c.no
                """)
        }
        XCTAssertEqual(customers.count, 3)
        XCTAssertEqual(customers[1]["name"] as String, "Dewi Lestari")
        XCTAssertEqual(customers[1]["discount"] as Int, 10_000)
        XCTAssertEqual(customers[1]["total_bill"] as Int, 140_000)
        XCTAssertEqual(customers[2]["username"] as String, "superadmin")
        XCTAssertEqual(customers.map { $0["code"] as String }, ["PLG-000001", "PLG-000002", "PLG-000003"])
        // Demo refuses to run twice.
        XCTAssertThrowsError(try Seeder.demo(into: f.db, context: f.context))
    }

    func testInitCreatesOneSuperadminAndRefusesExisting() throws {
        let path = tempPath()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
        let ctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 7)), passwordCost: .testing)
        let db = try Seeder.initialize(path: path, business: "Uji Net", adminUsername: "Boss", adminPassword: "Rahasia123", context: ctx)
        let p = try db.login(username: "boss", password: "Rahasia123", context: ctx)
        XCTAssertEqual(p.businessName, "Uji Net")
        XCTAssertThrowsError(try Seeder.initialize(path: path, business: "X", adminUsername: "a", adminPassword: "Rahasia123", context: ctx)) {
            XCTAssertEqual($0 as? StoreError, .databaseExists(path: path))
        }
        XCTAssertThrowsError(try Seeder.initialize(path: tempPath(), business: "X", adminUsername: "a", adminPassword: "short", context: ctx)) {
            XCTAssertEqual($0 as? StoreError, .invalid(field: "password", reason: .passwordTooWeak))
        }
        XCTAssertThrowsError(try Seeder.initialize(path: tempPath(), business: " ", adminUsername: "a", adminPassword: "Rahasia123", context: ctx))
    }

    func testBusinessNameIsUniqueIgnoringCase() throws {
        let f = try Fixture()
        XCTAssertThrowsError(try f.db.write { d in
            try Seeder.insertUser(d, username: "mitra3", password: "Mitra123!", name: "X", role: .mitra, business: "wifi SUKAMAJU", context: f.context)
        }) { XCTAssertEqual($0 as? StoreError, .alreadyExists(what: "business_name")) }
    }

    func testOverviewIsScopedToTheOwner() throws {
        let f = try Fixture()
        let admin = try f.db.overview(actor: try f.actor("superadmin"))
        let m1 = try f.db.overview(actor: try f.actor("mitra1"))
        let m2 = try f.db.overview(actor: try f.actor("mitra2"))
        XCTAssertEqual(admin.activeCustomers, 3)
        XCTAssertEqual(admin.activeMitra, 2)
        XCTAssertEqual(m1.activeCustomers, 2)
        XCTAssertEqual(m1.activeMitra, 0)
        XCTAssertEqual(m2.activeCustomers, 0)
    }
}
