import Foundation
import XCTest
import TerminalUI
@testable import FiberNodeTUI
import FiberNodeStore
import FiberNodeDomain
import FiberNodeWhatsApp

/// Issue 18 on the virtual screen: the breaker says why and R resumes; replies and opt-outs
/// are shown sanitised; the customer detail says receipts still go; reasons are in words.
final class DeliveryPaneTests: XCTestCase {
    func testPausedQueueSaysWhyAndRResumes() throws {
        let h = try AppHarness()
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.pauseSession(ownerId: admin.userId, reason: .failures(5), context: h.context)
        h.login("superadmin", "Admin123!")
        XCTAssertTrue(h.text.contains("Antrean FiberNode Pusat dijeda: 5 pengiriman terakhir gagal"), h.text)   // dashboard
        h.press(.char("5"))
        XCTAssertTrue(h.text.contains("dijeda: 5 pengiriman terakhir gagal"), h.text)
        XCTAssertTrue(h.screen.lines.allSatisfy { TextWidth.width(of: $0) <= 80 })
        h.press(.char("R"))
        XCTAssertFalse(h.text.contains("dijeda: 5"), h.text)
        XCTAssertTrue(h.text.contains("Antrean FiberNode Pusat dilanjutkan"), h.text)
        XCTAssertEqual(try h.db.pausedSessions(actor: admin).count, 0)
        h.press(.char("R"))
        XCTAssertTrue(h.text.contains("tidak sedang dijeda"), h.text)
    }

    func testRepliesTabAndOptOutLineAreSanitised() throws {
        let h = try AppHarness()
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.recordInbound(ownerIds: [admin.userId], gateway: "cloud", phone: "6281333444555", body: "BERHENTI\u{1b}[2J", waMessageId: "w1",
                               at: h.context.clock.now(), context: h.context)
        try h.db.recordInbound(ownerIds: [admin.userId], gateway: "cloud", phone: "6281333444555", body: "stop", waMessageId: "w2",
                               at: h.context.clock.now(), context: h.context)
        h.login("superadmin", "Admin123!")
        h.press(.char("5"))
        XCTAssertTrue(h.text.contains("1 pelanggan berhenti (BERHENTI)"), h.text)
        for _ in 0..<3 { h.press(.char("v")) }
        XCTAssertTrue(h.text.contains("‹Balasan›"), h.text)
        XCTAssertTrue(h.text.contains("Rudi Hartono"), h.text)
        XCTAssertFalse(h.text.contains("\u{1b}"))
        // English screen
        XCTAssertEqual(Strings(.en).f(.waOptedOutLine, 2).hasPrefix("2 customers opted out"), true)
    }

    func testCustomerDetailShowsTheOptOutAndReplies() throws {
        let h = try AppHarness(width: 100, height: 40)
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.recordInbound(ownerIds: [admin.userId], gateway: "waha", phone: "6281333444555", body: "Unreg", waMessageId: "w1",
                               at: h.context.clock.now(), context: h.context)
        h.login("superadmin", "Admin123!")
        guard case .main(let main) = h.app.mode else { return XCTFail() }
        let d = try CustomerDetail.load(session: main.session, id: "PLG-000003")
        let screen = TextScreen(width: 100, height: 40)
        d.draw(on: screen, in: Rect(row: 0, col: 0, width: 100, height: 40), session: main.session)
        let text = screen.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("Berhenti menerima WhatsApp sejak"), text)
        XCTAssertTrue(text.contains("nota pembayarannya tetap terkirim"), text)
        XCTAssertTrue(text.contains("Balasan WhatsApp"), text)
        XCTAssertTrue(text.contains("Unreg"), text)
    }

    func testManualSendToAnOptedOutNumberAsksFirst() throws {
        let h = try AppHarness()
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.recordInbound(ownerIds: [admin.userId], gateway: "waha", phone: "6281333444555", body: "STOP", waMessageId: "w1",
                               at: h.context.clock.now(), context: h.context)
        h.login("superadmin", "Admin123!")
        h.press(.char("5"))
        guard case .main(let main) = h.app.mode, let pane = main.current as? WhatsAppPane else { return XCTFail() }
        let m = try h.db.compose(kind: .custom, customerId: "PLG-000003", actor: admin, context: h.context)
        pane.preview(m)
        h.app.render()
        h.press(.enter)
        XCTAssertTrue(h.text.contains("meminta berhenti menerima pesan"), h.text)
        h.press(.char("n"))                                     // not sent, nothing logged
        XCTAssertEqual(try h.db.messageLog(actor: admin, timeZone: TimeZone(identifier: "Asia/Jakarta")!).count, 0)
    }

    func testReasonsAndCloudPreviewInWords() throws {
        let id = Strings(.id), en = Strings(.en)
        XCTAssertEqual(id.reason("needs an approved template (reminder)"),
                       "Perlu template WhatsApp yang disetujui (Pengingat): pelanggan belum menulis dalam 24 jam terakhir")
        XCTAssertTrue(en.reason("needs an approved template (reminder)").hasPrefix("Needs an approved WhatsApp template"))
        XCTAssertTrue(id.reason("rate limited by WhatsApp (2/4)").hasSuffix("(percobaan 2/4)"), id.reason("rate limited by WhatsApp (2/4)"))
        XCTAssertTrue(id.reason("template parameter count mismatch (132000): body: 3 vs 4").contains("132000"))
        XCTAssertEqual(id.reason("something else"), "something else")
        XCTAssertEqual(id.reason("Message Undeliverable (131026)"), id.describe(.undeliverable))
        XCTAssertEqual(id.reason("Some new title (999999)"), "Some new title (999999)")
        let t = try XCTUnwrap(try CloudTemplate.parse("tagihan_pengingat:id:name,amount"))
        XCTAssertEqual(id.cloudPreview(kind: "reminder", template: t, values: ["name": "Ahmad"]),
                       ["Template Cloud: tagihan_pengingat (bahasa id)", "{{1}} {name} = Ahmad", "{{2}} {amount} = -"])
        XCTAssertTrue(id.cloudPreview(kind: "overdue", template: nil, values: [:])[0].contains("wa.cloud.template.overdue"))
    }
}
