import Foundation
import XCTest
import TerminalUI
@testable import FiberNodeTUI
import FiberNodeStore
import FiberNodeDomain
import FiberNodeWhatsApp

/// The WhatsApp pane on a virtual 80x24 screen.
final class WhatsAppPaneTests: XCTestCase {
    func openPane(_ h: AppHarness) {
        h.login("superadmin", "Admin123!")
        h.press(.char("5"))
    }

    func testPaneDrawsAt80x24WithoutGateway() throws {
        let h = try AppHarness()
        openPane(h)
        XCTAssertTrue(h.text.contains("WhatsApp"), h.text)
        XCTAssertTrue(h.text.contains("menunggu 0"), h.text)
        XCTAssertTrue(h.text.contains("FiberNode Pusat"), h.text)
        XCTAssertTrue(h.text.contains("Belum ada gateway"), h.text)
        XCTAssertEqual(h.screen.lines.count, 24)
        XCTAssertTrue(h.screen.lines.allSatisfy { TextWidth.width(of: $0) <= 80 })
        // queue and log views
        h.press(.char("v"))
        XCTAssertTrue(h.text.contains("Antrean kosong"), h.text)
        h.press(.char("v"))
        XCTAssertTrue(h.text.contains("Belum ada pesan"), h.text)
    }

    func testPaymentWithoutGatewayLogsFailedAndLogOffersManualFallbackQR() throws {
        let h = try AppHarness()
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: h.context)
        let inv = try h.db.invoices(actor: admin, filter: InvoiceFilter()).first!
        openPane(h)
        // pay through the store + the same direct-send path the Invoices pane uses
        let paid = try h.db.markPaid(inv.id, method: .cash, expectedVersion: nil, actor: admin, context: h.context)
        guard case .main(let main) = h.app.mode else { return XCTFail() }
        main.session.info("paid")
        WhatsAppDirect.afterPayment(paid, session: main.session)
        XCTAssertTrue(main.session.status?.text.hasPrefix("paid · Nota WA tidak terkirim") == true, "\(String(describing: main.session.status))")
        h.press(.char("v")); h.press(.char("v"))   // log view
        h.press(.function(5))
        XCTAssertTrue(h.text.contains("gagal"), h.text)   // the status in words (issue 13), not "failed"
        XCTAssertFalse(h.text.contains("failed"), h.text)
        h.press(.enter)                               // manual fallback: text + QR
        XCTAssertTrue(h.text.contains("Kirim manual"), h.text)
        XCTAssertTrue(h.text.contains("Nota Pembayaran"), h.text)
        XCTAssertTrue(h.text.contains("▀") || h.text.contains("▄") || h.text.contains("█"), h.text)
        let log = try h.db.messageLog(actor: admin, timeZone: TimeZone(identifier: "Asia/Jakarta")!)
        XCTAssertEqual(log.first?.status, "failed")
        XCTAssertEqual(log.first?.messageType, "receipt")
    }

    func testPairingQRIsDrawnFromTheGatewayAnswer() throws {
        let h = try AppHarness(width: 100, height: 40)
        openPane(h)
        guard case .main(let main) = h.app.mode, let pane = main.current as? WhatsAppPane else { return XCTFail() }
        // A fake gateway answer: pairing with a short QR value.
        pane.configs[pane.sessions[0].userId] = GatewayConfig(kind: "waha", url: "http://127.0.0.1:9", apiKey: "", session: "default")
        pane.pairingOwner = pane.sessions[0].userId
        pane.call.start(now: { Date() }, describe: { "\($0)" }) {
            ConnectResult(status: SessionStatus(state: .scanQR), qr: "2@FakeWAHAqrValue,abc123==")
        }
        pane.call.wait()
        h.app.render()
        XCTAssertTrue(h.text.contains("menunggu pindai kode QR"), h.text)   // not WAHA's SCAN_QR_CODE (issue 13)
        XCTAssertFalse(h.text.contains("SCAN_QR_CODE"), h.text)
        XCTAssertTrue(h.text.contains("Pindai dengan WhatsApp"), h.text)
        let qrRows = h.screen.lines.filter { $0.contains("▀") || $0.contains("▄") }
        XCTAssertGreaterThan(qrRows.count, 8)
    }

    func testMonoThemeDrawsAsciiQR() {
        let m = QRMatrix("https://wa.me/6281234567890")!
        let lines = m.lines(ascii: true, quiet: 1)
        XCTAssertTrue(lines.joined().contains("##"))
        XCTAssertFalse(lines.joined().contains("▀"))
    }
}

final class WhatsAppTemplateEditorTests: XCTestCase {
    func testTemplateEditorPreviewsAndRefusesUnknownPlaceholder() throws {
        let h = try AppHarness()
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: h.context)
        h.login("superadmin", "Admin123!")
        h.press(.char("5"))
        h.press(.char("T"))                       // choose the template (reminder) …
        h.press(.function(2))                     // … pick the sample customer (issue 13: a list) …
        XCTAssertTrue(h.text.contains("PLG-000001"), h.text)
        h.press(.enter)                           // … and open the editor
        XCTAssertTrue(h.text.contains("Template Pengingat"), h.text)
        XCTAssertTrue(h.text.contains("Pengingat Tagihan WiFi"), h.text)   // live preview, filled
        XCTAssertTrue(h.text.contains("Ahmad Fauzi") || h.text.contains("Dewi Lestari") || h.text.contains("Rudi Hartono"), h.text)
        h.press(.end); h.type(" {nama}")
        XCTAssertTrue(h.text.contains("Pratinjau (!)"), h.text)
        h.press(.enter)                           // refused: stays open
        XCTAssertTrue(h.text.contains("Template Pengingat"), h.text)
        for _ in 0..<7 { h.press(.backspace) }
        h.type(" {amount}")
        h.press(.enter)
        XCTAssertTrue(h.text.contains("Template Pengingat disimpan"), h.text)
        XCTAssertTrue(try h.db.settings()["wa.template.reminder"].hasSuffix("{amount}"))
        XCTAssertTrue(try h.db.settings()["wa.template.reminder"].contains("\n"))
    }
}

final class WhatsAppComposeTests: XCTestCase {
    /// Compose to one customer with no gateway: the filled text is previewed, editable, and
    /// "sending" opens the manual fallback (text + wa.me QR) and logs the failure.
    func testComposeWithoutGatewayOffersFallback() throws {
        let h = try AppHarness()
        h.login("superadmin", "Admin123!")
        h.press(.char("5"))
        h.press(.char("m"))
        h.type("PLG-000003")          // issue 13: the customer is searched in a picker list …
        XCTAssertTrue(h.text.contains("Rudi Hartono"), h.text)
        XCTAssertFalse(h.text.contains("Ahmad Fauzi"), h.text)
        h.press(.enter)               // … and taken; template: reminder (default) → choose custom with →
        h.press(.right); h.press(.right); h.press(.right)
        h.press(.tab)
        h.type("{greeting} {name}, tes")
        h.press(.function(2))
        XCTAssertTrue(h.text.contains("Rudi Hartono · +6281333444555"), h.text)
        XCTAssertTrue(h.text.contains("Rudi Hartono*, tes") || h.text.contains("Rudi Hartono, tes"), h.text)
        h.press(.enter)
        XCTAssertTrue(h.text.contains("Kirim manual"), h.text)
        XCTAssertTrue(h.text.contains("▀") || h.text.contains("▄"), h.text)
        h.press(.escape)
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        let log = try h.db.messageLog(actor: admin, timeZone: TimeZone(identifier: "Asia/Jakarta")!)
        XCTAssertEqual(log.first?.messageType, "manual")
        XCTAssertEqual(log.first?.status, "failed")
        XCTAssertTrue(log.first?.content.hasSuffix("Rudi Hartono, tes") == true, log.first?.content ?? "")
    }
}

final class WhatsAppBulkTests: XCTestCase {
    /// Bulk to all unpaid → preview → confirm → queued (planned per owner session); mitra1
    /// sees only its own two.
    func testBulkPreviewConfirmQueues() throws {
        let h = try AppHarness()
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: h.context)
        h.login("superadmin", "Admin123!")
        h.press(.char("5"))
        h.press(.char("b"))
        h.press(.function(2))
        BackgroundJobs.running("wa.bulk")?.wait(); h.app.tick(); h.app.render()   // filled off the loop (issue 13 §7)
        XCTAssertTrue(h.text.contains("3 dari 3 pelanggan dicentang"), h.text)
        XCTAssertTrue(h.text.contains("Pengingat Tagihan WiFi"), h.text)
        h.press(.enter)
        XCTAssertTrue(h.text.contains("3 pesan masuk antrean"), h.text)
        XCTAssertTrue(h.text.contains("‹Antrean›"), h.text)
        let m1 = try h.db.login(username: "mitra1", password: "Mitra123!", context: h.context).actor
        XCTAssertEqual(try h.db.queueItems(actor: m1).count, 2)
        XCTAssertEqual(try h.db.queueItems(actor: admin).count, 3)
    }
}

final class WhatsAppBulkTickTests: XCTestCase {
    /// The bulk preview lists the customers ticked; Space unticks one, the count follows, and
    /// only the ticked ones are queued (issue 14 §3).
    func testSpaceUnticksACustomerBeforeQueueing() throws {
        let h = try AppHarness()
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: h.context)
        h.login("superadmin", "Admin123!")
        h.press(.char("5"), .char("b"), .function(2))
        BackgroundJobs.running("wa.bulk")?.wait(); h.app.tick(); h.app.render()   // filled off the loop (issue 13 §7)
        XCTAssertTrue(h.text.contains("3 dari 3 pelanggan dicentang"), h.text)
        XCTAssertEqual(h.screen.lines.filter { $0.contains("[✓]") }.count, 3, h.text)
        h.press(.down, .char(" "))
        XCTAssertTrue(h.text.contains("2 dari 3 pelanggan dicentang"), h.text)
        XCTAssertEqual(h.screen.lines.filter { $0.contains("[ ]") }.count, 1, h.text)
        h.press(.char(" "), .char(" "))   // back and forth
        XCTAssertTrue(h.text.contains("2 dari 3 pelanggan dicentang"), h.text)
        h.press(.char("a"))
        XCTAssertTrue(h.text.contains("3 dari 3"), h.text)
        h.press(.char("a"))
        XCTAssertTrue(h.text.contains("0 dari 3"), h.text)
        h.press(.enter)   // nothing ticked: nothing queued, the preview stays
        XCTAssertTrue(h.text.contains("0 dari 3"), h.text)
        h.press(.char(" "))
        XCTAssertTrue(h.text.contains("1 dari 3"), h.text)
        h.press(.enter)
        XCTAssertTrue(h.text.contains("1 pesan masuk antrean"), h.text)
        XCTAssertEqual(try h.db.queueItems(actor: admin).count, 1)
    }
}

final class SettingsTemplateTests: XCTestCase {
    /// Pengaturan: Enter on a `wa.template.*` key opens the template editor with its preview.
    func testSettingsPaneOpensTemplateEditor() throws {
        let h = try AppHarness()
        h.login("superadmin", "Admin123!")
        h.press(.char("8"))
        let index = try XCTUnwrap(SettingsCatalog.all.firstIndex { $0.key == "wa.template.receipt" })
        for _ in 0..<index { h.app.handle(.down) }
        h.press(.enter)
        XCTAssertTrue(h.text.contains("Template Nota"), h.text)
        XCTAssertTrue(h.text.contains("Pratinjau (ok)"), h.text)
        h.press(.escape)
        XCTAssertFalse(h.text.contains("Template Nota"), h.text)
    }
}
