import Foundation
import XCTest
import TerminalUI
@testable import FiberNodeTUI
@testable import FiberNodeStore
import FiberNodeDomain
import GRDB

/// Demo data at 4 March 2026 with three periods of invoices and some payments:
/// mitra1 owns Ahmad (100k, day 5) and Dewi (140k, day 10); the superadmin owns Rudi (250k, day 15).
func financeHarness(width: Int = 80, height: Int = 24, theme: ThemeName = .dark) throws -> AppHarness {
    let h = try AppHarness(width: width, height: height)
    let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
    for p in ["2026-02", "2026-03", "2026-04"] { try h.db.generateInvoices(period: Period(p)!, actor: admin, context: h.context) }
    for n in ["INV-202602-000001", "INV-202602-000002", "INV-202602-000003", "INV-202603-000001"] {
        try h.db.markPaid(n, method: .transfer, expectedVersion: nil, actor: admin, context: h.context)
    }
    try h.db.markPaid("INV-202603-000002", method: .cash, amount: 70_000, expectedVersion: nil, actor: admin, context: h.context)
    return h
}

final class FinancePaneTests: XCTestCase {
    func testMitraSeesOnlyItsOwnMoneyInEveryView() throws {
        let h = try financeHarness()
        h.login("mitra1", "Mitra123!")
        h.type("4")
        XCTAssertTrue(h.text.contains("Keuangan"))
        XCTAssertTrue(h.text.contains("Maret 2026"))
        // March for mitra1: 240.000 billed, 170.000 paid, 70.000 left
        XCTAssertTrue(h.text.contains("2 tagihan · 1 lunas · sisa Rp 70.000"), h.text)
        XCTAssertTrue(h.text.contains("Ditagih Rp 240.000 · terbayar Rp 170.000 (70,8%)"), h.text)
        XCTAssertFalse(h.text.contains("Rudi Hartono"))
        XCTAssertFalse(h.text.contains("w:Mitra"))          // no per-mitra view for a mitra
        h.type("w")
        XCTAssertFalse(h.text.contains("Pemilik"))
        h.type("]")                                          // April
        XCTAssertTrue(h.text.contains("April 2026"))
        XCTAssertTrue(h.text.contains("2 tagihan · 0 lunas · sisa Rp 240.000"), h.text)
        h.type("y")
        XCTAssertTrue(h.text.contains("2026-02") && h.text.contains("240.000"))
        XCTAssertFalse(h.text.contains("490.000"))          // the whole business's figure
        h.type("u")
        XCTAssertTrue(h.text.contains("3 tagihan belum lunas · Rp 310.000 belum tertagih"), h.text)
        h.type("b")
        XCTAssertTrue(h.text.contains("April 2026"))
        h.type("[")
        XCTAssertTrue(h.text.contains("Transfer") && h.text.contains("Tunai"), h.text)
    }

    func testSuperadminPerMitraRowsReconcileAndOwnerFilter() throws {
        let h = try financeHarness(width: 100)
        h.login("superadmin", "Admin123!")
        h.type("4")
        XCTAssertTrue(h.text.contains("3 tagihan · ditagih Rp 490.000 · terbayar Rp 170.000 (34,7%) · sisa Rp 320.000"), h.text)
        h.type("w")
        let lines = Array(h.screen.lines.dropFirst(2))     // not the header bar
        func row(_ name: String) -> String? { lines.first { $0.contains(name) } }
        XCTAssertNotNil(row("FiberNode Pusat")?.range(of: "250.000"), h.text)
        XCTAssertNotNil(row("WiFi Sukamaju")?.range(of: "170.000"), h.text)
        XCTAssertNotNil(row("Net Mekarjaya"))
        let total = try XCTUnwrap(row("Total"))
        XCTAssertTrue(total.contains("490.000") && total.contains("170.000") && total.contains("320.000") && total.contains("34,7"), total)
        h.screen.resize(width: 80, height: 24); h.app.render()   // 80 columns: names whole, "unpaid" column dropped
        XCTAssertTrue(h.text.contains("FiberNode Pusat    "), h.text)
        XCTAssertTrue(h.text.contains("34,7"), h.text)
        // owner filter: o cycles all → FiberNode Pusat → …
        h.type("m"); h.type("o")
        XCTAssertTrue(h.text.contains("Pemilik: FiberNode Pusat"), h.text)
        XCTAssertTrue(h.text.contains("1 tagihan · 0 lunas · sisa Rp 250.000"), h.text)
    }

    func testDueDateViewAndDatePicker() throws {
        let h = try financeHarness()
        h.login("superadmin", "Admin123!")
        h.type("4"); h.type("t")
        XCTAssertTrue(h.text.contains("4 Mar 2026") || h.text.contains("04"), h.text)
        h.type("t")                                          // pick a date
        h.press(.ctrl("u")); h.type("2026-03-10"); h.press(.enter)
        XCTAssertTrue(h.text.contains("Dewi Lestari"), h.text)
        XCTAssertTrue(h.text.contains("1 tagihan · 0 lunas · sisa Rp 140.000"), h.text)
        h.type("t"); h.press(.ctrl("u")); h.type("10-03-2026"); h.press(.enter)
        XCTAssertTrue(h.text.contains("YYYY-MM-DD"), h.text)   // a clear message, the dialog stays
        h.press(.escape)
    }

    func testExportFromThePaneMatchesTheScreen() throws {
        let h = try financeHarness()
        h.login("mitra1", "Mitra123!")
        h.type("4")
        // a mitra types a name; the file lands in its export folder (issue 12)
        let name = "fin-\(UUID().uuidString).csv"
        let m1 = try h.db.login(username: "mitra1", password: "Mitra123!", context: h.context).actor
        let path = (h.db.outputPolicy(for: m1).exportFolder as NSString).appendingPathComponent(name)
        defer { unlink(path) }
        h.type("E")
        XCTAssertTrue(h.text.contains("2026-02-01") && h.text.contains("2026-02-28"), h.text)   // March invoices fall due in February
        h.press(.enter); h.press(.enter); h.press(.enter)
        h.press(.ctrl("u")); h.type(name); h.press(.enter)
        // issue 13 item 7: the export runs off the loop with a progress dialog that closes when done
        BackgroundJobs.running("export.invoices")?.wait()
        h.app.tick(); h.app.render()
        XCTAssertTrue(h.text.contains("2 tagihan diekspor"), h.text)
        XCTAssertFalse(h.text.contains("Esc: tutup (pekerjaan"), h.text)
        let csv = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(csv.contains("TOTAL,2,,,,,,,,240000"), csv)
        XCTAssertTrue(csv.contains("TERBAYAR,1,,,,,,,,170000"), csv)
        XCTAssertFalse(csv.contains("Rudi Hartono"))
    }

    func testDashboardFiguresAndChartsAtEightyByTwentyFour() throws {
        let h = try financeHarness()
        h.login("superadmin", "Admin123!")
        XCTAssertTrue(h.text.contains("Periode Maret 2026"))
        XCTAssertTrue(h.text.contains("Tagihan periode ini 3 · lunas 1 · belum lunas 2"), h.text)
        XCTAssertTrue(h.text.contains("Ditagih Rp 490.000 · terbayar Rp 170.000 (34,7%)"), h.text)
        // 4 March: March invoices (due in February) are overdue, Ahmad's April one is due tomorrow
        XCTAssertTrue(h.text.contains("besok 1 (Rp 100.000)"), h.text)
        XCTAssertTrue(h.text.contains("Terlambat 2 tagihan · Rp 320.000"), h.text)
        // Money received (issue 14): every payment was recorded today, 4 March.
        XCTAssertTrue(h.text.contains("Uang masuk hari ini Rp 660.000 (5) · bulan ini Rp 660.000 (5)"), h.text)
        XCTAssertTrue(h.text.contains("Uang masuk/bln (maks 660.000)"), h.text)
        XCTAssertFalse(h.text.contains("66…"), h.text)   // never a figure cut mid-number
        // The chart is money received per month: all of it in March, the last column.
        let chartRows = h.screen.lines.filter { $0.contains("█") || $0.contains("▁") || $0.contains("▄") }
        XCTAssertFalse(chartRows.isEmpty)
        let labels = try XCTUnwrap(h.screen.lines.first { $0.contains("A M J J A S O N D J F M") })
        XCTAssertFalse(labels.isEmpty)
        for line in h.screen.lines { XCTAssertLessThanOrEqual(TextWidth.width(of: line), 80) }
        XCTAssertTrue(h.text.contains("Sesi WhatsApp: 0 tersambung · 0 menyambung · 3 terputus"), h.text)
        // mitra1's session is connected (as the worker or the pane records it)
        let m1 = try h.db.read { try String.fetchOne($0, sql: "SELECT id FROM users WHERE username = 'mitra1'") }!
        try h.db.updateSessionState(ownerId: m1, status: "connected", phone: "6281122334455", context: h.context)
        h.press(.function(5))
        XCTAssertTrue(h.text.contains("Sesi WhatsApp: 1 tersambung · 0 menyambung · 2 terputus"), h.text)
        // mitra1's dashboard: its own figures only
        h.press(.function(9))
        h.login("mitra1", "Mitra123!")
        XCTAssertTrue(h.text.contains("Pelanggan aktif 2"), h.text)
        XCTAssertTrue(h.text.contains("Ditagih Rp 240.000 · terbayar Rp 170.000 (70,8%)"), h.text)
        XCTAssertFalse(h.text.contains("mitra aktif"))
        XCTAssertTrue(h.text.contains("Sesi WhatsApp: tersambung (6281122334455)"), h.text)
    }

    func testChartGoldenUnicodeAndASCII() {
        let values = [0, 100, 200, 300, 400, 490]
        let labels = ["O", "N", "D", "J", "F", "M"]
        XCTAssertEqual(BarChart.render(values: values, labels: labels, width: 12, height: 3, ascii: false), [
            "        ▄ █ ",
            "    ▂ ▇ █ █ ",
            "  ▅ █ █ █ █ ",
            "O N D J F M ",
        ])
        XCTAssertEqual(BarChart.render(values: values, labels: labels, width: 12, height: 3, ascii: true), [
            "        # # ",
            "      # # # ",
            "  # # # # # ",
            "O N D J F M ",
        ])
    }
}

final class CustomerSearchCountTests: XCTestCase {
    /// Typing a search narrows the list at every key; the total follows at the first pause.
    func testListFollowsEveryKeyAndTheTotalTheFirstPause() throws {
        let h = try AppHarness()
        h.login("superadmin", "Admin123!")
        h.type("2")
        XCTAssertTrue(h.text.contains("3 pelanggan · baris 1–3"), h.text)
        h.type("/"); h.type("dewi")
        XCTAssertTrue(h.text.contains("Dewi Lestari"))
        XCTAssertFalse(h.text.contains("Ahmad Fauzi"))
        XCTAssertTrue(h.text.contains("… pelanggan · baris 1–1"), h.text)
        h.app.tick(); h.app.render()
        XCTAssertTrue(h.text.contains("1 pelanggan · baris 1–1"), h.text)
        h.press(.escape)
        XCTAssertTrue(h.text.contains("3 pelanggan · baris 1–3"), h.text)
    }
}
