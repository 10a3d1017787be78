import Foundation
import XCTest
@testable import FiberNodeReports
@testable import FiberNodeStore
import FiberNodeDomain

/// Receipts compared with checked-in golden files; re-record with RECORD_SNAPSHOTS=1 and review the diff.
final class ReceiptTests: XCTestCase {
    func invoice(status: String = "paid", voided: Bool = false) -> InvoiceRow {
        InvoiceRow(id: "i1", number: "INV-202603-000002", customerId: "c1", customerCode: "PLG-000002", customerName: "Dewi Lestari",
                   customerPhone: "6289876543210", customerNik: "3201234567890002", ownerId: "o1", area: "WiFi Sukamaju",
                   packageName: "Paket 20 Mbps", packageSpeed: "20 Mbps", period: "2026-03", amount: 150_000, discount: 10_000,
                   totalAmount: 140_000, paidAmount: status == "paid" ? 140_000 : (status == "partial" ? 40_000 : 0), status: status,
                   paidAt: status == "unpaid" ? nil : ISO8601DateFormatter().date(from: "2026-02-04T03:15:00Z"),
                   paidByName: status == "unpaid" ? nil : "Budi Santoso", paymentMethod: status == "unpaid" ? nil : "transfer",
                   paymentNote: nil, unpaidReason: nil, dueDate: "2026-02-05", receiptToken: String(repeating: "ab", count: 20),
                   receiptVoidedAt: voided ? ISO8601DateFormatter().date(from: "2026-02-05T01:00:00Z") : nil, version: 2)
    }

    var options: ReceiptOptions {
        var values: [String: String] = [:]
        for d in SettingsCatalog.all { values[d.key] = d.defaultValue }
        return ReceiptOptions(settings: SettingsSnapshot(values: values))
    }

    func assertGolden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil || !FileManager.default.fileExists(atPath: url.path) {
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(text, try String(contentsOf: url, encoding: .utf8), name, file: file, line: line)
    }

    func testTextReceiptsAtEachWidth() throws {
        for w in [32, 48, 80] {
            let text = Receipt.text(invoice(), options: options, width: w)
            for l in text.split(separator: "\n") { XCTAssertLessThanOrEqual(l.count, w, "\(w): \(l)") }
            XCTAssertTrue(text.contains("LUNAS"))
            XCTAssertTrue(text.contains("Rp 140.000"))
            XCTAssertFalse(text.contains("3201234567890002"), "NIK is off by default")
            try assertGolden(text, "receipt-\(w).txt")
        }
    }

    func testTogglesAndStates() throws {
        var o = options
        o.showNik = true; o.showPaidBy = false; o.showDiscount = false; o.showCustomerPhone = false
        let t = Receipt.text(invoice(status: "partial"), options: o, width: 48)
        XCTAssertTrue(t.contains("3201234567890002"))
        XCTAssertFalse(t.contains("Budi Santoso"))
        XCTAssertFalse(t.contains("Diskon"))
        XCTAssertFalse(t.contains("6289876543210"))
        XCTAssertTrue(t.contains("DIBAYAR SEBAGIAN"))
        XCTAssertTrue(t.contains("Rp 100.000"))  // remaining
        let v = Receipt.text(invoice(status: "unpaid", voided: true), options: options, width: 48)
        XCTAssertTrue(v.contains("DIBATALKAN"))
        XCTAssertTrue(v.contains("telah dibatalkan"))
    }

    func testHTMLIsSelfContainedAndEscaped() throws {
        var inv = invoice()
        inv.customerName = "<script>alert(1)</script> & Co"
        let html = Receipt.html(inv, options: options)
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"))
        XCTAssertFalse(html.contains("http://") || html.contains("https://") || html.contains("src="))
        XCTAssertTrue(html.contains("LUNAS"))
        try assertGolden(Receipt.html(invoice(), options: options), "receipt.html")
    }
}

/// The business name setting appears on receipts (text and HTML) once it is set.
extension ReceiptTests {
    func testBusinessNameOnTextAndHTMLReceipts() {
        let base = invoice()
        var values: [String: String] = [:]
        for d in SettingsCatalog.all { values[d.key] = d.defaultValue }
        XCTAssertFalse(Receipt.text(base, options: ReceiptOptions(settings: SettingsSnapshot(values: values)), width: 48).contains("Jaya Net"))
        values["business.name"] = "Jaya Net"
        let o = ReceiptOptions(settings: SettingsSnapshot(values: values))
        for w in [32, 48, 80] { XCTAssertTrue(Receipt.text(base, options: o, width: w).contains("Jaya Net"), "\(w)") }
        XCTAssertTrue(Receipt.html(base, options: o).contains("<h1>Jaya Net</h1>"))
        values["business.name"] = "<b>x</b>"
        XCTAssertTrue(Receipt.html(base, options: ReceiptOptions(settings: SettingsSnapshot(values: values))).contains("&lt;b&gt;x&lt;/b&gt;"))
    }
}

/// Issue 13 item 9 (collect3): the receipt of an unpaid invoice is the invoice — it does not
/// call itself a payment receipt nor thank the customer for paying.
extension ReceiptTests {
    func testUnpaidInvoiceIsNotAThankYouReceipt() {
        let footer = options.footer
        XCTAssertTrue(footer.lowercased().contains("terima kasih"), "the default footer thanks for a payment")
        for t in [Receipt.text(invoice(status: "unpaid"), options: options, width: 48), Receipt.html(invoice(status: "unpaid"), options: options)] {
            XCTAssertFalse(t.contains(footer), t)
            XCTAssertFalse(t.uppercased().contains("NOTA PEMBAYARAN"), t)
            XCTAssertTrue(t.contains("BELUM DIBAYAR"))
            XCTAssertTrue(t.contains("belum dibayar"))
            XCTAssertFalse(t.contains("Tanggal bayar"))
        }
        XCTAssertTrue(Receipt.text(invoice(status: "unpaid"), options: options, width: 32).contains("TAGIHAN"))
        // paid and partly paid still thank; a voided receipt does not
        XCTAssertTrue(Receipt.text(invoice(), options: options, width: 48).contains(footer))
        XCTAssertTrue(Receipt.text(invoice(status: "partial"), options: options, width: 48).contains("NOTA PEMBAYARAN"))
        XCTAssertFalse(Receipt.text(invoice(status: "unpaid", voided: true), options: options, width: 48).contains(footer))
    }
}
