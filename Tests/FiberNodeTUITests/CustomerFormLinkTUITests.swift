import Foundation
import XCTest
import TerminalUI
import FiberNodeStore
import FiberNodeDomain
@testable import FiberNodeTUI

/// The router link rows of the customer add / edit form, on the virtual screen (issue 15).
final class CustomerFormLinkTUITests: XCTestCase {
    func testSuperadminLinksInTheAddAndEditForms() throws {
        let h = try AppHarness(width: 100, height: 30)
        let a = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.addRouter(RouterInput(name: "core", url: "http://127.0.0.1:1", username: "u", password: "p"), actor: a, context: h.context)
        h.login("superadmin", "Admin123!")
        h.press(.char("2"), .char("a"))
        XCTAssertTrue(h.text.contains("Tambah pelanggan"), h.text)
        XCTAssertTrue(h.text.contains("Jenis layanan"), h.text)
        h.type("Sari Link"); h.press(.enter); h.type("081299990001")
        for _ in 0..<9 { h.press(.enter) }
        // A PPPoE name without a router is refused in words and nothing is saved.
        h.press(.enter, .enter); h.type("sari"); h.press(.enter)
        XCTAssertTrue(h.text.contains("Pilih router untuk PPPoE/IP ini"), h.text)
        // A bad IP is refused by the store: no customer is left behind.
        h.press(.up, .up, .right, .enter, .right, .enter)
        h.press(.backspace, .backspace, .backspace, .backspace); h.type("10.0.0.300"); h.press(.enter)
        XCTAssertTrue(h.text.contains("Tambah pelanggan"), "the form stays open")
        XCTAssertEqual(try h.db.customerCount(actor: a, filter: CustomerFilter(search: "Sari Link")), 0)
        // PPPoE sari on core: one save, customer and link.
        h.press(.up, .left, .enter)
        for _ in 0..<10 { h.press(.backspace) }
        h.type("sari"); h.press(.enter)
        XCTAssertTrue(h.text.contains("ditambahkan"), h.text)
        let c = try XCTUnwrap(try h.db.customers(actor: a, filter: CustomerFilter(search: "Sari Link"), after: nil, backwards: false, limit: 1).first)
        let link = try XCTUnwrap(try h.db.service(customer: c.id, actor: a))
        XCTAssertEqual([link.routerName, link.kind, link.target], ["core", "pppoe", "sari"])

        // Edit: the form shows the link and changes it to a static IP.
        try h.db.setService(customer: "PLG-000001", router: "core", kind: .pppoe, target: "ahmad", actor: a, context: h.context)
        let first = try h.db.customer(id: "PLG-000001", actor: a)
        h.press(.char("/")); h.type(first.name); h.press(.enter, .char("e"))
        XCTAssertTrue(h.text.contains("◂ core ▸"), h.text)
        XCTAssertTrue(h.text.contains("ahmad"), h.text)
        h.press(.function(2))
        XCTAssertTrue(h.text.contains("disimpan"), h.text)
        XCTAssertEqual(try h.db.customer(id: first.id, actor: a).version, first.version, "nothing changed, nothing written")
    }

    func testMitraSeesTheLinkReadOnlyAndKeepsIt() throws {
        let h = try AppHarness(width: 100, height: 30)
        let a = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        let m = try h.db.login(username: "mitra1", password: "Mitra123!", context: h.context).actor
        try h.db.addRouter(RouterInput(name: "core", url: "http://127.0.0.1:1", username: "u", password: "p"), actor: a, context: h.context)
        let mine = try XCTUnwrap(try h.db.customers(actor: m, filter: CustomerFilter(), after: nil, backwards: false, limit: 1).first)
        try h.db.setService(customer: mine.id, router: "core", kind: .pppoe, target: "mitra-a", actor: a, context: h.context)
        h.login("mitra1", "Mitra123!")
        h.press(.char("2"), .char("e"))
        XCTAssertTrue(h.text.contains("Jenis layanan"), h.text)
        XCTAssertTrue(h.text.contains("mitra-a"), h.text)
        // Only phone and discount take keys: the link rows are skipped and sent back unchanged.
        h.press(.enter, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace)
        h.type("2000"); h.press(.enter)
        XCTAssertTrue(h.text.contains("disimpan"), h.text)
        XCTAssertEqual(try h.db.customer(id: mine.id, actor: m).discount, 2000)
        XCTAssertEqual(try h.db.service(customer: mine.id, actor: m)?.target, "mitra-a")
    }
}
