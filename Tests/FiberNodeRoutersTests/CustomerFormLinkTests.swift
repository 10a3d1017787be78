import Foundation
import XCTest
import FiberNodeStore
import FiberNodeDomain
import FiberNodeRouters

/// The router link saved with the customer (issue 15): one transaction for customer and link.
final class CustomerFormLinkTests: XCTestCase {
    func newCustomer(_ f: RouterFixture, phone: String = "081299990001") throws -> CustomerInput {
        CustomerInput(name: "Sari Link", phone: phone, packageId: try f.db.packages(activeOnly: true)[0].id, billingDate: "5", discount: "0")
    }

    func testCreateWithLinkIsOneSave() throws {
        let f = try RouterFixture()
        let c = try f.db.createCustomer(try newCustomer(f), link: CustomerLinkInput(router: "core", kind: .pppoe, target: " sari "),
                                        actor: f.admin, context: f.context)
        let l = try XCTUnwrap(try f.db.service(customer: c.code, actor: f.admin))
        XCTAssertEqual([l.routerName, l.kind, l.target], ["core", "pppoe", "sari"])
        XCTAssertTrue(try f.db.pendingRouterActions(due: nil).isEmpty, "an active new customer queues nothing")
    }

    func testBadLinkLeavesNoCustomerBehind() throws {
        let f = try RouterFixture()
        let before = try f.db.customerCount(actor: f.admin, filter: CustomerFilter())
        let bad: [(CustomerLinkInput, String)] = [
            (CustomerLinkInput(router: "nowhere", kind: .pppoe, target: "sari"), "unknown router"),
            (CustomerLinkInput(router: "core", kind: .ip, target: "10.0.0.300"), "bad IP"),
            (CustomerLinkInput(router: "core", kind: .pppoe, target: "  "), "empty PPPoE"),
        ]
        for (link, why) in bad {
            XCTAssertThrowsError(try f.db.createCustomer(try newCustomer(f), link: link, actor: f.admin, context: f.context), why)
        }
        // A PPPoE name another customer already has is refused too.
        try f.db.setService(customer: "PLG-000001", router: "core", kind: .pppoe, target: "ahmad", actor: f.admin, context: f.context)
        XCTAssertThrowsError(try f.db.createCustomer(try newCustomer(f), link: CustomerLinkInput(router: "core", kind: .pppoe, target: "ahmad"),
                                                     actor: f.admin, context: f.context)) { e in
            guard case StoreError.alreadyExists = e else { return XCTFail("\(e)") }
        }
        XCTAssertEqual(try f.db.customerCount(actor: f.admin, filter: CustomerFilter()), before, "no customer was left behind")
        // The same phone is free again: nothing of the refused saves stayed.
        XCTAssertNoThrow(try f.db.createCustomer(try newCustomer(f), actor: f.admin, context: f.context))
    }

    func testEditChangesTheLinkAndABadOneChangesNothing() throws {
        let f = try RouterFixture()
        let c = try f.db.createCustomer(try newCustomer(f), link: CustomerLinkInput(router: "core", kind: .pppoe, target: "sari"),
                                        actor: f.admin, context: f.context)
        var input = CustomerInput(c); input.name = "Sari Baru"
        let saved = try f.db.updateCustomer(id: c.id, input, expectedVersion: c.version,
                                            link: CustomerLinkInput(router: "core", kind: .ip, target: "192.168.88.40"),
                                            actor: f.admin, context: f.context)
        XCTAssertEqual(saved.name, "Sari Baru")
        XCTAssertEqual(try f.db.service(customer: c.id, actor: f.admin)?.target, "192.168.88.40")

        var again = CustomerInput(saved); again.name = "Sari Salah"
        XCTAssertThrowsError(try f.db.updateCustomer(id: c.id, again, expectedVersion: saved.version,
                                                     link: CustomerLinkInput(router: "core", kind: .ip, target: "999.1.1.1"),
                                                     actor: f.admin, context: f.context))
        XCTAssertEqual(try f.db.customer(id: c.id, actor: f.admin).name, "Sari Baru", "the refused link rolled the edit back")
        XCTAssertEqual(try f.db.service(customer: c.id, actor: f.admin)?.kind, "ip")
    }

    func testLinkingAnIsolatedCustomerInTheFormQueuesItsIsolation() throws {
        let f = try RouterFixture()
        f.router.addSecret(name: "dewi", profile: "20M")
        _ = try f.db.setIsolated("PLG-000002", isolated: true, actor: f.admin, context: f.context)
        let row = try f.db.customer(id: "PLG-000002", actor: f.admin)
        try f.db.updateCustomer(id: row.id, CustomerInput(row), expectedVersion: row.version,
                                link: CustomerLinkInput(router: "core", kind: .pppoe, target: "dewi"), actor: f.admin, context: f.context)
        XCTAssertEqual(try f.db.pendingRouterActions(due: nil).map(\.action), ["isolate"])
        XCTAssertEqual(f.applier.applyDue().done, 1)
        XCTAssertEqual(f.router.secret(named: "dewi")?.profile, "isolir")
    }

    func testMitraMayResendItsLinkButNotChangeIt() throws {
        let f = try RouterFixture()
        let m = try f.mitra()
        let mine = try XCTUnwrap(try f.db.customers(actor: m, filter: CustomerFilter(), after: nil, backwards: false, limit: 1).first)
        try f.db.setService(customer: mine.id, router: "core", kind: .pppoe, target: "mitra-a", actor: f.admin, context: f.context)
        var input = CustomerInput(mine); input.discount = "1000"
        let routerId = try XCTUnwrap(try f.db.service(customer: mine.id, actor: m)?.routerId)
        XCTAssertThrowsError(try f.db.updateCustomer(id: mine.id, input, expectedVersion: mine.version,
                                                     link: CustomerLinkInput(router: routerId, kind: .pppoe, target: "other"),
                                                     actor: m, context: f.context)) { e in XCTAssertEqual(e as? StoreError, .notPermitted) }
        XCTAssertEqual(try f.db.customer(id: mine.id, actor: m).discount, mine.discount, "refused link, nothing saved")
        let saved = try f.db.updateCustomer(id: mine.id, input, expectedVersion: mine.version,
                                            link: CustomerLinkInput(router: routerId, kind: .pppoe, target: "mitra-a"),
                                            actor: m, context: f.context)
        XCTAssertEqual(saved.discount, 1000)
        XCTAssertEqual(try f.db.service(customer: mine.id, actor: m)?.target, "mitra-a")
    }
}
