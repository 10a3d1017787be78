import Foundation
import XCTest
import GRDB
import CSV
@testable import FiberNodeReports
import FiberNodeStore
import FiberNodeDomain

final class InvoiceExportTests: XCTestCase {
    /// Demo data, three periods, some payments (see FinanceTests for the same numbers).
    func fixture() throws -> (AppDatabase, StoreContext, Actor, Actor) {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-12T03:00:00Z")!)
        let ctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 3)), passwordCost: .testing)
        let db = try AppDatabase.inMemory()
        try Seeder.demo(into: db, context: ctx)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: ctx).actor
        let m1 = try db.login(username: "mitra1", password: "Mitra123!", context: ctx).actor
        for p in ["2026-02", "2026-03", "2026-04"] { try db.generateInvoices(period: Period(p)!, actor: admin, context: ctx) }
        try db.markPaid("INV-202603-000001", method: .transfer, expectedVersion: nil, actor: m1, context: ctx)
        try db.markPaid("INV-202603-000002", method: .cash, amount: 70_000, expectedVersion: nil, actor: m1, context: ctx)
        try db.markPaid("INV-202602-000003", method: .qris, expectedVersion: nil, actor: admin, context: ctx)
        return (db, ctx, admin, m1)
    }

    func tmp(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fn-inv-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    func parse(_ path: String) throws -> [[String]] {
        var text = try String(contentsOfFile: path, encoding: .utf8)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let reader = try CSVReader(string: text)
        var rows: [[String]] = []
        while let r = reader.next() { rows.append(r) }
        return rows
    }

    func testCSVReadBackEqualsTheDatabaseAndTheFinanceFigures() throws {
        let (db, _, admin, _) = try fixture()
        let path = tmp("rekap.csv")
        // due dates in February: the March invoices
        let r = try InvoiceExporter.export(db: db, actor: admin, from: LocalDate("2026-02-01")!, to: LocalDate("2026-02-28")!,
                                           format: .csv, to: path, bom: true, timeZone: TimeZone(identifier: "Asia/Jakarta")!)
        XCTAssertEqual(r.rows, 3)
        XCTAssertEqual(r.figures, try db.financePeriod(actor: admin, period: Period("2026-03")!))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF])
        let rows = try parse(path)
        XCTAssertEqual(rows[0], InvoiceExporter.header(language: "id"))
        let data = rows.dropFirst().filter { $0[0].hasPrefix("INV-") }
        let db3 = try db.invoices(actor: admin, filter: InvoiceFilter(dueFrom: "2026-02-01", dueTo: "2026-02-28"))
        XCTAssertEqual(data.map { $0[0] }, db3.map(\.number))
        XCTAssertEqual(data.map { Int($0[9])! }, db3.map(\.totalAmount))
        XCTAssertEqual(data.map { Int($0[11])! }, db3.map(\.paidAmount))
        let ahmad = data.first { $0[2] == "Ahmad Fauzi" }!
        XCTAssertEqual(ahmad[10], "paid"); XCTAssertEqual(ahmad[14], "transfer"); XCTAssertEqual(ahmad[13], "Budi Santoso")
        XCTAssertEqual(ahmad[12], "2026-03-12 10:00")                       // WIB, not UTC
        let total = rows.first { $0.first == "TOTAL" }!, paid = rows.first { $0.first == "TERBAYAR" }!,
            unpaid = rows.first { $0.first == "BELUM TERBAYAR" }!
        XCTAssertEqual([total[1], total[9]], ["3", "490000"])
        XCTAssertEqual([paid[1], paid[9]], ["1", "170000"])
        XCTAssertEqual([unpaid[1], unpaid[9]], ["2", "320000"])
    }

    func testMitraExportsOnlyItsOwnAndBadRangeChangesNothing() throws {
        let (db, _, admin, m1) = try fixture()
        // a mitra writes only into its own export folder (issue 12)
        let path = try db.outputPolicy(for: m1).resolve("m1-\(UUID().uuidString).csv", extensions: ["csv"])
        defer { unlink(path) }
        XCTAssertThrowsError(try InvoiceExporter.export(db: db, actor: m1, from: LocalDate("2026-01-01")!, to: LocalDate("2026-12-31")!,
                                                        format: .csv, to: tmp("outside.csv"), timeZone: TimeZone(identifier: "Asia/Jakarta")!)) {
            XCTAssertEqual($0 as? OutputError, .outsideFolder(folder: db.outputPolicy(for: m1).exportFolder))
        }
        let tz = TimeZone(identifier: "Asia/Jakarta")!
        let r = try InvoiceExporter.export(db: db, actor: m1, from: LocalDate("2026-01-01")!, to: LocalDate("2026-12-31")!,
                                           format: .csv, to: path, timeZone: tz)
        XCTAssertEqual(r.rows, 6)
        XCTAssertFalse(try parse(path).contains { $0.count > 3 && $0[3] == "FiberNode Pusat" })
        XCTAssertThrowsError(try InvoiceExporter.export(db: db, actor: m1, from: LocalDate("2026-01-01")!, to: LocalDate("2026-12-31")!,
                                                        ownerId: admin.userId, format: .csv, to: tmp("x.csv"), timeZone: tz)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }
        let bad = tmp("bad.csv")
        XCTAssertThrowsError(try InvoiceExporter.export(db: db, actor: admin, from: LocalDate("2026-05-01")!, to: LocalDate("2026-01-01")!,
                                                        format: .csv, to: bad, timeZone: tz))
        XCTAssertFalse(FileManager.default.fileExists(atPath: bad))
        XCTAssertFalse(FileManager.default.fileExists(atPath: bad + ".part"))
    }

    func testXLSXHasNumericRupiahAndASheetPerOwner() throws {
        let (db, _, admin, _) = try fixture()
        let path = tmp("rekap.xlsx")
        let r = try InvoiceExporter.export(db: db, actor: admin, from: LocalDate("2026-01-01")!, to: LocalDate("2026-03-31")!,
                                           format: .xlsx, to: path, timeZone: TimeZone(identifier: "Asia/Jakarta")!)
        XCTAssertEqual(r.rows, 9)
        let py = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: py) else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: py)
        p.arguments = ["-c", """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            names = wb.sheetnames
            assert names == ['Tagihan', 'FiberNode Pusat', 'Net Mekarjaya', 'WiFi Sukamaju'], names
            ws = wb['Tagihan']
            rows = [r for r in ws.iter_rows(values_only=True) if r[0]]
            data = [r for r in rows[1:] if str(r[0]).startswith('INV-')]
            assert len(data) == 9, len(data)
            assert all(isinstance(r[9], (int, float)) for r in data)
            total = [r for r in rows if r[0] == 'TOTAL'][0]
            assert total[9] == sum(r[9] for r in data) == 1470000, total
            paid = [r for r in rows if r[0] == 'TERBAYAR'][0]
            assert paid[9] == sum(r[11] for r in data) == 420000, paid
            sums = 0
            for n in names[1:]:
                t = [r for r in wb[n].iter_rows(values_only=True) if r[0] == 'TOTAL'][0]
                sums += t[9]
            assert sums == total[9], sums
            assert ws['J2'].number_format == '#,##0', ws['J2'].number_format
            print('ok')
            """, path]
        let out = Pipe(); p.standardOutput = out; p.standardError = out
        try p.run(); p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if text.contains("No module named 'openpyxl'") { return }
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.hasPrefix("ok"), text)
    }
}

final class CSVEncodingTests: XCTestCase {
    /// Whatever we write, CSV.swift (an independent RFC 4180 reader) reads back unchanged.
    func testQuotingRoundTripsThroughAnIndependentReader() throws {
        let rows: [[String]] = [
            ["plain", "with,comma", "with \"quotes\"", "multi\nline", "cr\r\nlf", "", "émoji 🙂", "  spaces  "],
            ["\"", ",", "\n", "a\"b,c\r\nd", "0812", "=1+1"],
        ]
        var bytes: [UInt8] = []
        for r in rows { CSVFile.encode(r, into: &bytes) }
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("plain,\"with,comma\",\"with \"\"quotes\"\"\",\"multi\nline\""), text)
        let reader = try CSVReader(string: text)
        var back: [[String]] = []
        while let r = reader.next() { back.append(r) }
        XCTAssertEqual(back, rows)
    }
}
