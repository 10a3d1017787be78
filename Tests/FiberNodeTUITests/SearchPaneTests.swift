import Foundation
import XCTest
import GRDB
import TerminalUI
@testable import FiberNodeTUI
import FiberNodeStore
import FiberNodeDomain

/// `n` more active customers of the superadmin (bulk SQL, through the FTS trigger).
func addBulkCustomers(_ db: AppDatabase, _ n: Int) throws {
    try db.write { db in
        let pkg = try String.fetchOne(db, sql: "SELECT id FROM packages ORDER BY price LIMIT 1")!
        let owner = try String.fetchOne(db, sql: "SELECT id FROM users WHERE username = 'superadmin'")!
        let start = (try Int.fetchOne(db, sql: "SELECT max(no) FROM customers") ?? 0) + 1
        try db.execute(sql: """
            WITH RECURSIVE s(k) AS (SELECT ? UNION ALL SELECT k + 1 FROM s WHERE k < ?)
            INSERT INTO customers(id, no, code, owner_id, package_id, name, phone, billing_date, total_bill, status, register_date,
                                  created_at, updated_at)
            SELECT 'c-' || k, k, 'PLG-' || printf('%06d', k), ?, ?, 'Warga ' || k, '62813' || printf('%08d', k), 1 + k % 28, 100000,
                   'active', '2026-01-01', '2026-01-01', '2026-01-01'
            FROM s
            """, arguments: [start, start + n - 1, owner, pkg])
        try db.execute(sql: "UPDATE counters SET value = ? WHERE name = 'customer'", arguments: [start + n - 1])
    }
}

/// Issue 13 item 3: search as you type in Tagihan; a customer picked from a list.
final class InvoiceSearchTUITests: XCTestCase {
    func testSearchByNumberCodeNameAndPayFromTheRow() throws {
        let h = try AppHarness(width: 100, height: 30)
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try addBulkCustomers(h.db, 40)
        try h.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: h.context)
        h.login("superadmin", "Admin123!")
        h.press(.char("3"))
        XCTAssertTrue(h.text.contains("INV-202604-000001"), h.text)
        h.press(.char("/"))
        h.type("INV-202604-000003")
        XCTAssertTrue(h.text.contains("Cari: INV-202604-000003_"), h.text)
        XCTAssertTrue(h.text.contains("INV-202604-000003"), h.text)
        XCTAssertFalse(h.text.contains("INV-202604-000001"), h.text)
        h.app.tick(); h.app.render()                     // the totals follow after a pause
        XCTAssertTrue(h.text.contains("1 tagihan") || h.text.contains("Total 1"), h.text)
        // by customer code, name and phone (typed the local way)
        h.press(.ctrl("u")); h.type("PLG-000041")
        XCTAssertTrue(h.text.contains("INV-202604-000041"), h.text)
        XCTAssertFalse(h.text.contains("INV-202604-000042"), h.text)
        h.press(.ctrl("u")); h.type("warga 42")
        XCTAssertTrue(h.text.contains("INV-202604-000042"), h.text)
        h.press(.ctrl("u")); h.type("081300000043")
        XCTAssertTrue(h.text.contains("INV-202604-000043"), h.text)
        XCTAssertFalse(h.text.contains("INV-202604-000042"), h.text)
        h.press(.ctrl("u")); h.type("tidakadasiapapun")
        XCTAssertTrue(h.text.contains("Tidak ada yang cocok"), h.text)
        // pay from the row: Enter ends the typing, p opens the pay dialog with a reference
        h.press(.ctrl("u")); h.type("INV-202604-000003"); h.press(.enter)
        h.press(.char("p"))
        XCTAssertTrue(h.text.contains("Bayar INV-202604-000003"), h.text)
        h.press(.tab); h.press(.tab); h.type("TRX-77"); h.press(.function(2))
        XCTAssertEqual(try h.db.invoice("INV-202604-000003", actor: admin).status, "paid")
        XCTAssertEqual(try h.db.payments(invoice: "INV-202604-000003", actor: admin).first?.reference, "TRX-77")
        // Esc clears the search: the whole period again
        h.press(.char("/")); h.press(.escape)
        XCTAssertTrue(h.text.contains("INV-202604-000001"), h.text)
    }

    func testMitraSearchesOnlyItsOwn() throws {
        let h = try AppHarness(width: 100, height: 30)
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: h.context)
        let m1 = try h.db.login(username: "mitra1", password: "Mitra123!", context: h.context).actor
        let all = try h.db.invoices(actor: admin, filter: InvoiceFilter(period: "2026-04"), limit: 100)
        let other = try XCTUnwrap(all.first { $0.ownerId != m1.userId })
        let mine = try XCTUnwrap(all.first { $0.ownerId == m1.userId })
        h.login("mitra1", "Mitra123!")
        h.press(.char("3")); h.press(.char("/"))
        h.type(other.number)
        XCTAssertFalse(h.text.contains(other.number + " "), h.text)
        h.press(.ctrl("u")); h.type(other.customerCode)
        XCTAssertFalse(h.text.contains(other.number), h.text)
        h.press(.ctrl("u")); h.type(mine.number)
        XCTAssertTrue(h.text.contains(mine.number), h.text)
        // the picker in WhatsApp compose: another owner's customer cannot be found
        h.press(.enter); h.press(.char("5")); h.press(.char("m"))
        XCTAssertTrue(h.text.contains("Pilih") || h.text.contains("Kirim pesan") || h.text.contains("Cari:"), h.text)
        h.type(other.customerCode)
        XCTAssertTrue(h.text.contains("Tidak ada pelanggan yang cocok"), h.text)
        h.press(.ctrl("u")); h.type(mine.customerCode)
        XCTAssertTrue(h.text.contains(mine.customerCode), h.text)
    }

    func testPelangganFindsACustomerByCode() throws {
        let h = try AppHarness(width: 100, height: 30)
        try addBulkCustomers(h.db, 1200)
        h.login("superadmin", "Admin123!")
        h.press(.char("2")); h.press(.char("/"))
        h.type("PLG-001009")
        XCTAssertTrue(h.text.contains("PLG-001009"), h.text)
        XCTAssertTrue(h.text.contains("Warga 1009"), h.text)
        XCTAssertFalse(h.text.contains("PLG-001008"), h.text)
    }
}

/// Issue 13 item 4: the work on an invoice from a customer's detail.
final class CustomerInvoicesTUITests: XCTestCase {
    func testDetailListsInvoicesWithPaymentsAndWorksOnThem() throws {
        let h = try AppHarness(width: 100, height: 30)
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.generateInvoices(period: Period("2026-03")!, actor: admin, context: h.context)
        try h.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: h.context)
        let march = try h.db.invoice("INV-202603-000003", actor: admin)
        try h.db.markPaid(march.id, method: .transfer, amount: 50_000, reference: "BCA-1", expectedVersion: nil, actor: admin, context: h.context)
        h.login("superadmin", "Admin123!")
        h.press(.char("2")); h.press(.char("/")); h.type("PLG-000003"); h.press(.enter)
        h.press(.enter)                                    // the detail
        XCTAssertTrue(h.text.contains("Enter: Tagihan dan pembayaran pelanggan ini"), h.text)
        XCTAssertTrue(h.text.contains("dibayar Rp 50.000"), h.text)   // the partial payment, in words
        h.press(.enter)                                    // its invoices and payments
        XCTAssertTrue(h.text.contains("INV-202603-000003"), h.text)
        XCTAssertTrue(h.text.contains("INV-202604-000003"), h.text)
        XCTAssertTrue(h.text.contains("BCA-1"), h.text)
        XCTAssertTrue(h.text.contains("Transfer") || h.text.contains("transfer"), h.text)
        // pay the newest (selected) from here
        h.press(.char("p"))
        XCTAssertTrue(h.text.contains("Bayar INV-202604-000003"), h.text)
        h.press(.function(2))
        XCTAssertEqual(try h.db.invoice("INV-202604-000003", actor: admin).status, "paid")
        XCTAssertTrue(h.text.contains("INV-202604-000003"), h.text)   // back in the list, the payment under it
        XCTAssertGreaterThanOrEqual(h.text.components(separatedBy: "Tunai").count - 1, 1, h.text)
        // the receipt
        h.press(.char("v"))
        XCTAssertTrue(h.text.contains("LUNAS") || h.text.contains("Lunas") || h.text.contains("lunas"), h.text)
        h.press(.escape)
        // save it
        h.press(.char("S"))
        XCTAssertTrue(h.text.contains("Simpan nota ke berkas"), h.text)
        h.press(.escape)
        // resend the receipt by WhatsApp: preview, then (no gateway) the wa.me fallback
        h.press(.char("m"))
        XCTAssertTrue(h.text.contains("Kirim Nota") || h.text.contains("Kirim"), h.text)
        h.press(.enter)
        XCTAssertTrue(h.text.contains("Kirim manual"), h.text)
        h.press(.escape)
        // a reminder for the partly paid March invoice
        h.press(.up); h.press(.char("m"))
        XCTAssertTrue(h.text.contains("Kirim"), h.text)
        XCTAssertTrue(h.text.contains("Rudi Hartono"), h.text)
    }

    func testInvoiceRowSendsReminder() throws {
        let h = try AppHarness(width: 100, height: 30)
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: h.context)
        h.login("superadmin", "Admin123!")
        h.press(.char("3")); h.press(.char("/")); h.type("INV-202604-000003"); h.press(.enter)
        h.press(.char("m"))
        XCTAssertTrue(h.text.contains("Kirim Pengingat") || h.text.contains("Kirim"), h.text)
        XCTAssertTrue(h.text.contains("Rudi Hartono"), h.text)
        h.press(.enter)
        XCTAssertTrue(h.text.contains("Kirim manual"), h.text)
        let log = try h.db.messageLog(actor: admin, timeZone: TimeZone(identifier: "Asia/Jakarta")!)
        XCTAssertEqual(log.first?.status, "failed")
    }
}

/// Issue 13 item 7: long work shows progress, once at a time, and survives its dialog.
final class ProgressTUITests: XCTestCase {
    func testGenerationShowsProgressThenDoneAndCannotStartTwice() throws {
        let h = try AppHarness(width: 100, height: 30)
        try addBulkCustomers(h.db, 3000)
        h.login("superadmin", "Admin123!")
        h.press(.char("3")); h.press(.char("g"))
        h.press(.function(2))                               // period, owner → the preview
        XCTAssertTrue(h.text.contains("Lanjutkan?"), h.text)
        h.press(.char("y"))
        XCTAssertTrue(h.text.contains("Membuat tagihan"), h.text)
        let job = try XCTUnwrap(BackgroundJobs.running("invoice.generate"))
        // a second start while it runs is refused
        XCTAssertNil(BackgroundJobs.start(kind: "invoice.generate", label: "x") { _ in "" })
        job.wait()
        h.app.tick(); h.app.render()
        XCTAssertTrue(h.text.contains("Selesai"), h.text)
        XCTAssertTrue(h.text.contains("3.003 dari 3.003") || h.text.contains("tagihan dibuat"), h.text)
        XCTAssertEqual(job.progress.done, job.progress.total)
        h.press(.escape)
        XCTAssertTrue(h.text.contains("tagihan dibuat"), h.text)   // the status line says the result
        XCTAssertNil(BackgroundJobs.running("invoice.generate"))
    }

    func testClosingEarlyKeepsTheWorkAndBusyIsRefused() throws {
        let h = try AppHarness(width: 100, height: 30)
        h.login("superadmin", "Admin123!")
        h.press(.char("3"))
        // a job of the same kind that waits until released
        let gate = DispatchSemaphore(value: 0)
        let job = try XCTUnwrap(BackgroundJobs.start(kind: "invoice.generate", label: "Membuat tagihan") { job in
            job.report(5, 10); gate.wait(); job.report(10, 10); return "sepuluh"
        })
        var result: String?
        job.onFinish = { if case .success(let m) = $0 { result = m } }
        let deadline = Date().addingTimeInterval(10)
        while job.progress.done != 5 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        h.app.tick(); h.app.render()
        XCTAssertTrue(h.text.contains("Membuat tagihan: 5 dari 10"), h.text)   // the status line while no dialog is up
        h.press(.char("g"))
        XCTAssertTrue(h.text.contains("Masih berjalan: Membuat tagihan"), h.text)
        h.session(main: h).present(ProgressModal(job: job, strings: Strings(.id)))
        h.app.render()
        XCTAssertTrue(h.text.contains("5 dari 10"), h.text)
        h.press(.escape)                                    // closed early
        gate.signal(); job.wait()
        h.app.tick(); h.app.render()
        XCTAssertEqual(result, "sepuluh")
        XCTAssertNil(BackgroundJobs.running("invoice.generate"))
    }
}

extension AppHarness {
    /// Waits for every background job (exports, imports) and lets the loop deliver them.
    func finishJobs() {
        for kind in ["export.invoices", "customers.import", "wa.bulk", "invoice.generate", "backup.create"] { BackgroundJobs.running(kind)?.wait() }
        app.tick(); app.render()
    }

    func session(main _: AppHarness) -> Session {
        guard case .main(let m) = app.mode else { fatalError("not logged in") }
        return m.session
    }
}

/// Issue 13 item 7: the invoice export (XLSX) reports rows written of the rows in range, from
/// the Keuangan dialog off the loop.
final class ExportProgressTUITests: XCTestCase {
    func testXLSXExportFromKeuanganRunsWithProgress() throws {
        let h = try AppHarness(width: 100, height: 30)
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try addBulkCustomers(h.db, 2500)
        try h.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: h.context)
        let path = NSTemporaryDirectory() + "fn-export-\(UUID().uuidString).xlsx"
        defer { unlink(path) }
        h.login("superadmin", "Admin123!")
        h.press(.char("4")); h.press(.char("]"))           // April: its invoices fall due in March
        h.press(.char("E"))
        h.press(.enter); h.press(.enter); h.press(.right); h.press(.enter)
        h.press(.ctrl("u")); h.type(path); h.press(.enter)
        let job = try XCTUnwrap(BackgroundJobs.running("export.invoices"))
        h.app.render()
        XCTAssertTrue(h.text.contains("dari"), h.text)       // the count of the rows in range
        job.wait()
        XCTAssertEqual(job.progress.done, job.progress.total)
        XCTAssertEqual(job.progress.total, 2503)
        h.app.tick(); h.app.render()
        XCTAssertTrue(h.text.contains("2503 tagihan diekspor") || h.text.contains("2.503 tagihan diekspor"), h.text)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
    }
}

/// Issue 13 item 7: the CSV import runs off the loop; its dialog closes when done and the
/// next key reaches the pane.
final class ImportProgressTUITests: XCTestCase {
    func testImportRunsInTheBackgroundAndTheNextKeyWorks() throws {
        let h = try AppHarness(width: 100, height: 30)
        let path = NSTemporaryDirectory() + "fn-import-\(UUID().uuidString).csv"
        defer { unlink(path) }
        var csv = "nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register\n"
        for i in 1...1200 { csv += "Impor Uji \(i),62815\(String(format: "%07d", i)),0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15\n" }
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        h.login("superadmin", "Admin123!")
        h.press(.char("2")); h.press(.char("i"))
        h.type(path); h.press(.enter)
        XCTAssertTrue(h.text.contains("1.200 valid"), h.text)
        h.press(.enter)
        let job = try XCTUnwrap(BackgroundJobs.running("customers.import"))
        h.app.tick(); h.app.render()                      // a tick while it runs
        job.wait()
        XCTAssertEqual(job.progress.total, 1200)
        h.app.tick(); h.app.render()
        XCTAssertTrue(h.text.contains("1.200 baris diimpor"), h.text)
        XCTAssertTrue(h.app.modals.isEmpty, "\(h.app.modals)")
        h.press(.char("i"))
        XCTAssertTrue(h.text.contains("Impor pelanggan dari CSV"), h.text)
    }
}
