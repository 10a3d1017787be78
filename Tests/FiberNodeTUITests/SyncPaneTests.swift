import Foundation
import XCTest
import TerminalUI
import FiberNodeStore
import FiberNodeDomain
import FiberNodeSync
@testable import FiberNodeTUI

/// The field laptop in the TUI (issue 16): the header on a laptop, the sync key with its
/// result, and on the server the Sinkronisasi pane's conflicts (settled, audited) and the
/// superadmin's devices (revoked after a confirmation).
final class SyncPaneTests: XCTestCase {
    var clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-04T01:00:00Z")!)
    var server: AppDatabase!
    var laptop: AppDatabase!
    var sctx: StoreContext!
    var lctx: StoreContext!

    override func setUpWithError() throws {
        sctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 9)), passwordCost: .testing)
        lctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 10)), passwordCost: .testing)
        server = try AppDatabase.inMemory()
        try Seeder.demo(into: server, context: sctx)
        let admin = try server.login(username: "superadmin", password: "Admin123!", context: sctx).actor
        _ = try server.generateInvoices(period: Period(year: 2026, month: 3)!, actor: admin, context: sctx)
        laptop = try AppDatabase.inMemory()
        let link = MemoryLink(), done = DispatchSemaphore(value: 0)
        let srv = SyncServer(db: server, context: sctx)
        Thread { srv.serve(link.server); done.signal() }.start()
        try SyncClient(db: laptop, context: lctx).clone(link.client, user: "mitra1", password: "Mitra123!", deviceName: "Laptop Budi", remote: "command:mem")
        done.wait()
        let server = self.server!, sctx = self.sctx!
        SyncPane.connector = { _ in
            let l = MemoryLink()
            let srv = SyncServer(db: server, context: sctx)
            Thread { srv.serve(l.server) }.start()
            return l.client
        }
    }

    override func tearDown() { SyncPane.connector = nil }

    func app(_ db: AppDatabase, _ ctx: StoreContext, width: Int = 100, height: Int = 30) -> (App, TextScreen) {
        let screen = TextScreen(width: width, height: height)
        let app = App(db: db, context: ctx, screen: screen, keys: ScriptedKeys(), options: AppOptions(language: .id, theme: .dark, showSplash: false, demoCreated: false))
        app.render()
        return (app, screen)
    }

    func login(_ app: App, _ user: String, _ password: String) {
        for c in user { app.handle(.char(c)) }; app.handle(.enter)
        for c in password { app.handle(.char(c)) }; app.handle(.enter)
        app.render()
    }

    func goToSync(_ app: App, _ screen: TextScreen) {
        for _ in 0..<14 where !screen.lines.dropFirst().prefix(2).joined().contains("Sinkronisasi") {
            app.handle(.tab); app.render()
        }
    }

    /// Golden screens of the Sinkronisasi pane (issue 13 "every pane"): the laptop's view
    /// (mitra1, its header and waiting changes) and the server's (superadmin, the devices).
    func testGoldenSyncPane() throws {
        let admin = try laptop.login(username: "mitra1", password: "Mitra123!", context: lctx).actor
        let inv = try XCTUnwrap(try laptop.read { try String.fetchOne($0, sql: "SELECT number FROM invoices ORDER BY number LIMIT 1") })
        _ = try laptop.markPaid(inv, method: .cash, expectedVersion: nil, actor: admin, context: lctx)
        for (w, h) in [(80, 24), (120, 40)] {
            let (la, ls) = app(laptop, lctx, width: w, height: h)
            login(la, "mitra1", "Mitra123!"); goToSync(la, ls)
            try assertScreen(ls, "sync-laptop-\(w)x\(h)")
            let (sa, ss) = app(server, sctx, width: w, height: h)
            login(sa, "superadmin", "Admin123!"); goToSync(sa, ss)
            try assertScreen(ss, "sync-server-\(w)x\(h)")
        }
    }

    func testLaptopHeaderSaysLastSyncAndWaitingChangesAndTheKeySyncs() throws {
        let mitra = try laptop.login(username: "mitra1", password: "Mitra123!", context: lctx).actor
        let inv = try laptop.read { try String.fetchOne($0, sql: "SELECT id FROM invoices LIMIT 1")! }
        try laptop.recordPayment(PaymentRequest(invoice: inv, amount: 10_000), actor: mitra, context: lctx)
        try laptop.writer.write { try $0.execute(sql: "UPDATE sync_identity SET last_sync_at = ?", arguments: [clock.now().addingTimeInterval(-2 * 3600)]) }
        let (app, screen) = app(laptop, lctx)
        login(app, "mitra1", "Mitra123!")
        XCTAssertTrue(screen.lines[0].contains("LAPTOP · sinkron terakhir 2 jam lalu · 1 perubahan menunggu"), screen.lines[0])
        goToSync(app, screen)
        XCTAssertTrue(screen.text.contains("Sinkronkan sekarang") || screen.text.contains("F6"), screen.text)
        app.handle(.char("s"))
        let end = Date().addingTimeInterval(20)
        while !screen.text.contains("Sinkron selesai") && Date() < end { Thread.sleep(forTimeInterval: 0.02); app.tick(); app.render() }
        XCTAssertTrue(screen.text.contains("1 dikirim, 1 diterapkan"), screen.text)
        XCTAssertTrue(screen.lines[0].contains("baru saja · 0 perubahan menunggu"), screen.lines[0])
        XCTAssertEqual(try server.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM payments") }, 1)
    }

    func testServerPaneListsTheConflictAndSettlesItAndTheSuperadminRevokesTheLaptop() throws {
        let mitra = try laptop.login(username: "mitra1", password: "Mitra123!", context: lctx).actor
        let admin = try server.login(username: "superadmin", password: "Admin123!", context: sctx).actor
        let inv = try laptop.read { try String.fetchOne($0, sql: "SELECT id FROM invoices LIMIT 1")! }
        try server.recordPayment(PaymentRequest(invoice: inv), actor: admin, context: sctx)
        try laptop.recordPayment(PaymentRequest(invoice: inv), actor: mitra, context: lctx)
        let link = MemoryLink(), srv = SyncServer(db: server, context: sctx)
        Thread { srv.serve(link.server) }.start()
        XCTAssertEqual(try SyncClient(db: laptop, context: lctx).sync(link.client).conflicts, 1)

        var (app, screen) = app(server, sctx)
        login(app, "mitra1", "Mitra123!")
        goToSync(app, screen)
        XCTAssertTrue(screen.text.contains("Konflik yang perlu diselesaikan (1)"), screen.text)
        XCTAssertTrue(screen.text.contains("Bayar ganda"), screen.text)
        XCTAssertFalse(screen.text.contains("Laptop terdaftar"), "a mitra does not see devices")
        app.handle(.char("r")); app.render()
        XCTAssertTrue(screen.text.contains("Konflik diselesaikan"), screen.text)
        XCTAssertTrue(screen.text.contains("Tidak ada konflik terbuka"), screen.text)
        XCTAssertEqual(try server.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM activity_logs WHERE action = 'sync.settle'") }, 1)

        (app, screen) = self.app(server, sctx)
        login(app, "superadmin", "Admin123!")
        goToSync(app, screen)
        XCTAssertTrue(screen.text.contains("Laptop terdaftar (1)"), screen.text)
        XCTAssertTrue(screen.text.contains("Laptop Budi · mitra1"), screen.text)
        app.handle(.char("x")); app.render()
        XCTAssertTrue(screen.text.contains("Cabut laptop Laptop Budi milik mitra1?"), screen.text)
        app.handle(.char("y")); app.render()
        XCTAssertTrue(screen.text.contains("dicabut"), screen.text)
        XCTAssertNotNil(try server.devices(actor: admin).first?.revokedAt)
    }
}
