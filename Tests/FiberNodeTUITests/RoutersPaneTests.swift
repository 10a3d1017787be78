import Foundation
import XCTest
import TerminalUI
import FiberNodeStore
import FiberNodeDomain
import FiberNodeFakes
@testable import FiberNodeTUI

/// The Router pane and the router lines of the customer screens, on the virtual screen (issue 15).
final class RoutersPaneTests: XCTestCase {
    func admin(_ h: AppHarness) throws -> Actor {
        try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
    }

    func testSuperadminSeesReachabilityPendingAndReason() throws {
        let h = try AppHarness(width: 100, height: 30)
        let a = try admin(h)
        let router = FakeRouterState()
        router.addSecret(name: "rudi", profile: "50M", online: true)
        let fake = FakeRouterServer(state: router, protocol: .rest)
        try fake.start()
        defer { fake.stop() }
        try h.db.addRouter(RouterInput(name: "core", url: fake.url, username: "fibernode", password: "rahasia"), actor: a, context: h.context)
        try h.db.setService(customer: "PLG-000003", router: "core", kind: .pppoe, target: "rudi", actor: a, context: h.context)
        h.login("superadmin", "Admin123!")
        h.press(.char("0"))
        XCTAssertTrue(h.text.contains("core"))
        XCTAssertTrue(h.text.contains("belum dicek"))
        XCTAssertFalse(h.text.contains("rahasia"), "the password is never drawn")
        h.press(.char("t"))
        XCTAssertTrue(h.text.contains("Router core terhubung: FakeTik, RouterOS 7.16.2 (stable), hAP ax2."), h.text)

        // Isolate from the customer list: applied and read back.
        h.press(.char("2"), .down, .down, .char("I"), .char("y"))
        XCTAssertTrue(h.text.contains("Router core: perubahan diterapkan dan sudah dicek ulang."), h.text)
        XCTAssertEqual(router.secret(named: "rudi")?.profile, "isolir")
        // The router goes away: the restore is pending with the reason in words.
        fake.stop()
        h.press(.char("I"), .char("y"))
        XCTAssertTrue(h.text.contains("perubahan diantrekan"), h.text)
        h.press(.enter)
        XCTAssertTrue(h.text.contains("Router core · PPPoE rudi"), h.text)
        XCTAssertTrue(h.text.contains("Perubahan router menunggu: pemulihan: router tak terjangkau"), h.text)
        h.press(.escape, .char("0"))
        XCTAssertTrue(h.text.contains("tak terjangkau"))
        XCTAssertTrue(h.text.contains("PLG-000003 Rudi Hartono · pemulihan · percobaan 1"), h.text)
        XCTAssertFalse(h.text.contains("unreachable"), "no English word on an Indonesian screen")
        h.press(.char("1"))
        XCTAssertTrue(h.text.contains("Router: 1 · tak terjangkau 1 · perubahan menunggu 1"), h.text)
    }

    func testReconcileViewDryRunThenApply() throws {
        let h = try AppHarness(width: 100, height: 30, language: .en)
        let a = try admin(h)
        let router = FakeRouterState()
        router.addSecret(name: "ahmad", profile: "isolir")
        let fake = FakeRouterServer(state: router, protocol: .api)
        try fake.start()
        defer { fake.stop() }
        try h.db.addRouter(RouterInput(name: "core", url: fake.url, username: "fibernode", password: "rahasia"), actor: a, context: h.context)
        try h.db.setService(customer: "PLG-000001", router: "core", kind: .pppoe, target: "ahmad", actor: a, context: h.context)
        h.login("superadmin", "Admin123!")
        h.press(.char("0"), .char("R"))
        XCTAssertTrue(h.text.contains("active in FiberNode but isolated"), h.text)
        XCTAssertEqual(router.secret(named: "ahmad")?.profile, "isolir", "the view is a dry run until confirmed")
        h.press(.char("y"))
        XCTAssertTrue(h.text.contains("1 differences fixed."), h.text)
        XCTAssertEqual(router.secret(named: "ahmad")?.profile, "default")
    }

    func testMitraSeesOwnRoutersReadOnly() throws {
        let h = try AppHarness(width: 100, height: 30)
        let a = try admin(h)
        try h.db.addRouter(RouterInput(name: "pusat", url: "http://127.0.0.1:1", username: "u", password: "p"), actor: a, context: h.context)
        try h.db.addRouter(RouterInput(name: "sukamaju", ownerId: "WiFi Sukamaju", url: "http://127.0.0.1:1", username: "u", password: "p"),
                           actor: a, context: h.context)
        h.login("mitra1", "Mitra123!")
        h.press(.char("7"))
        XCTAssertTrue(h.text.contains("Hanya lihat"))
        XCTAssertTrue(h.text.contains("sukamaju"))
        XCTAssertFalse(h.text.contains("pusat"), "another owner's router is never shown")
        h.press(.char("a"))
        XCTAssertFalse(h.text.contains("Tambah router"), "no add form for a mitra")
    }
}
