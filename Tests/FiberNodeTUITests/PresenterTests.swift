import XCTest
import Foundation
@testable import FiberNodeTUI
import FiberNodeStore
import FiberNodeDomain
import TerminalUI

/// The column policy through the pane presenters (issue 13): at 80, 100 and 120 columns, with
/// long names, wide (CJK) and combining characters, money, dates, statuses and codes are never cut.
final class PresenterTests: XCTestCase {
    let s = Strings(.id)
    /// The list's width inside the main screen at a terminal width (menu and margins).
    func paneWidth(_ cols: Int) -> Int { cols - MainView.menuWidth - 2 }

    func customer(_ name: String, total: Int = 1_250_000, status: String = "active", day: Int = 28) throws -> CustomerRow {
        let json: [String: Any] = [
            "id": UUID().uuidString, "no": 1009, "code": "PLG-001009", "name": name, "phone": "6281234567890",
            "packageId": "p", "packageName": "Paket Rumah Super Cepat 100 Mbps", "packageSpeed": "100 Mbps", "packagePrice": 1_250_000,
            "ownerId": "o", "area": "WiFi Sukamaju Raya Barat Daya", "billingDate": day, "discount": 0, "totalBill": total,
            "status": status, "registerDate": "2025-01-15", "version": 1,
        ]
        return try JSONDecoder().decode(CustomerRow.self, from: JSONSerialization.data(withJSONObject: json))
    }

    func invoice(_ name: String, total: Int = 12_500_000, status: String = "unpaid", due: String = "2026-11-05") throws -> InvoiceRow {
        let json: [String: Any] = [
            "id": UUID().uuidString, "number": "INV-2026-12-001009", "customerId": "c", "customerCode": "PLG-001009",
            "customerName": name, "customerPhone": "6281234567890", "ownerId": "o", "area": "WiFi Sukamaju Raya Barat Daya",
            "packageName": "Paket 100 Mbps", "packageSpeed": "100 Mbps", "period": "2026-12", "amount": total, "discount": 0,
            "totalAmount": total, "paidAmount": 0, "status": status, "dueDate": due, "version": 1,
        ]
        return try JSONDecoder().decode(InvoiceRow.self, from: JSONSerialization.data(withJSONObject: json))
    }

    let names = ["Bambang Suryadi Wicaksono Hadiningrat Putra Perkasa", "王小明张伟李娜刘洋陈静杨帆王小明张伟", "Ñoño José Müller-Lüdenscheidt",
                 "Dewi Sartika e\u{301}e\u{301}e\u{301} Déjà vu Café Crème", "Ani"]

    func testCustomerColumnsAt80_100_120() throws {
        let rows = try names.map { try customer($0) } + [customer("Budi", total: 150_000, status: "isolated", day: 3)]
        let p = CustomerPresenter()
        for cols in [80, 100, 120] {
            let w = paneWidth(cols)
            let out = p.lines(rows, width: w, s)
            XCTAssertEqual(TextWidth.width(of: out.header), w)
            XCTAssertFalse(out.header.contains("…"), "header cut at \(cols): \(out.header)")
            for (r, line) in zip(rows, out.rows) {
                XCTAssertEqual(TextWidth.width(of: line), w, "\(cols): \(line)")
                XCTAssertTrue(line.contains(r.code), "code cut at \(cols): \(line)")
                XCTAssertTrue(line.contains(Rupiah(r.totalBill).plain), "money cut at \(cols): \(line)")
                XCTAssertTrue(line.contains(p.statusLabel(r, s)), "status cut at \(cols): \(line)")
            }
            // the name always has room for its start
            XCTAssertTrue(out.rows[0].contains("Bambang"), out.rows[0])
            XCTAssertTrue(out.rows[1].contains("王小明"), out.rows[1])
            if cols >= 100 { XCTAssertTrue(out.rows[4].contains("Ani")) }
        }
        // at 120 the phone shows; at 80 the lowest priorities (area, package) went whole
        let wide = p.lines(rows, width: paneWidth(120), s)
        XCTAssertTrue(wide.rows[0].contains("6281234567890"))
        let narrow = p.lines(rows, width: paneWidth(80), s)
        XCTAssertFalse(narrow.header.contains(s[.colArea]))
    }

    func testInvoiceColumnsKeepTheOverdueMarkAndMoney() throws {
        let rows = try names.map { try invoice($0) } + [invoice("Sari", total: 150_000, status: "paid", due: "2026-12-05")]
        let p = InvoicePresenter(today: "2026-11-30")
        for cols in [80, 100, 120] {
            let w = paneWidth(cols)
            let out = p.lines(rows, width: w, s)
            XCTAssertFalse(out.header.contains("…"), "header cut at \(cols): \(out.header)")
            XCTAssertTrue(out.header.contains(s[.colDue]) || cols == 80, out.header)
            for (r, line) in zip(rows, out.rows) {
                XCTAssertEqual(TextWidth.width(of: line), w)
                XCTAssertTrue(line.contains(Rupiah(r.totalAmount).plain), "money cut at \(cols): \(line)")
                let status = s.statusName(r.status) + (p.overdue(r) ? " !" : "")
                XCTAssertTrue(line.contains(status), "status cut at \(cols): \(line)")
            }
        }
    }

    func testHeaderKeepsUserRoleAndDateAndShortensTheBusinessName() {
        for width in [80, 100, 120] {
            let h = MainView.header(app: "FiberNode", business: "Jaringan Internet Desa Sukamaju Makmur Sejahtera Abadi", user: "superadmin",
                                    role: "Superadmin", owner: "Kantor Pusat Sukamaju", date: "Senin, 30 November 2026", bar: "│", dot: " · ",
                                    width: width)
            XCTAssertTrue(h.right.contains("superadmin (Superadmin)"))
            XCTAssertTrue(h.right.contains("Senin, 30 November 2026"))
            XCTAssertLessThanOrEqual(TextWidth.width(of: h.left) + 2 + TextWidth.width(of: h.right), width)
            XCTAssertTrue(h.left.hasPrefix(" FiberNode"))
        }
        let roomy = MainView.header(app: "FiberNode", business: "Jaya", user: "a", role: "Mitra", owner: "Jaya Net", date: "1 Des",
                                    bar: "|", dot: " - ", width: 120)
        XCTAssertEqual(roomy.left, " FiberNode - Jaya")
        XCTAssertEqual(roomy.right, "a (Mitra) | Jaya Net | 1 Des ")
    }
}
