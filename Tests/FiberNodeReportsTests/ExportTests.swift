import Foundation
import XCTest
import GRDB
@testable import FiberNodeReports
import FiberNodeStore
import FiberNodeDomain

final class ExportTests: XCTestCase {
    func fixture() throws -> (AppDatabase, StoreContext, Actor) {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-01T00:00:00Z")!)
        let ctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 3)), passwordCost: .testing)
        let db = try AppDatabase.inMemory()
        try Seeder.demo(into: db, context: ctx)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: ctx).actor
        return (db, ctx, admin)
    }

    func tmp(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fn-exp-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    func testCSVRoundTripIntoAnEmptyDatabaseWithTheSameOwnersAndPackages() throws {
        let (db, ctx, admin) = try fixture()
        let pkg = try db.packages().first { $0.name == "Paket 20 Mbps" }!.id
        try db.createCustomer(CustomerInput(name: "Koma, \"Kutip\"", phone: "6281299990000", nik: "3201234567890099",
                                            packageId: pkg, billingDate: "9", discount: "2500"), actor: admin, context: ctx)
        let path = tmp("pelanggan.csv")
        XCTAssertEqual(try CustomerExporter.export(db: db, actor: admin, format: .csv, to: path), 4)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix(CustomerCSV.header.joined(separator: ",") + "\r\n"))
        XCTAssertTrue(text.contains("\"Koma, \"\"Kutip\"\"\""))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".part"))

        // an empty database with the same owners and packages
        let (db2, ctx2, admin2) = try fixture()
        try db2.write { d in try d.execute(sql: "DELETE FROM customers") }
        let report = try db2.importCustomers(csv: text, dryRun: false, actor: admin2, context: ctx2)
        XCTAssertEqual(report.rejected, [])
        XCTAssertEqual(report.imported, 4)
        func snapshot(_ db: AppDatabase, _ a: Actor) throws -> [String] {
            try db.customers(actor: a, filter: CustomerFilter(), limit: 100).map {
                "\($0.name)|\($0.phone)|\($0.area)|\($0.packageName)|\($0.billingDate)|\($0.discount)|\($0.totalBill)|\($0.nik ?? "")|\($0.registerDate)"
            }
        }
        XCTAssertEqual(try snapshot(db2, admin2), try snapshot(db, admin))
    }

    func testMitraCannotExportCustomers() throws {
        let (db, ctx, _) = try fixture()
        let m1 = try db.login(username: "mitra1", password: "Mitra123!", context: ctx).actor
        let path = tmp("x.csv")
        XCTAssertThrowsError(try CustomerExporter.export(db: db, actor: m1, format: .csv, to: path)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testXLSXIsARealWorkbook() throws {
        let (db, _, admin) = try fixture()
        let path = tmp("pelanggan.xlsx")
        XCTAssertEqual(try CustomerExporter.export(db: db, actor: admin, format: .xlsx, to: path), 3)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(Array(data.prefix(2)), [0x50, 0x4B]) // a zip container
        // Open it with openpyxl when the system Python has it (installed by make test).
        let py = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: py) else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: py)
        p.arguments = ["-c", """
            import sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1]).active
            rows = list(ws.iter_rows(values_only=True))
            assert rows[0][0] == 'nama' and ws['A1'].font.b, rows[0]
            dewi = [r for r in rows if r[0] == 'Dewi Lestari'][0]
            assert dewi[2] == 10000 and dewi[6] == 150000 and dewi[7] == 140000, dewi
            assert ws['H3'].number_format == '#,##0', ws['H3'].number_format
            assert dewi[1] == '6289876543210'
            print('ok', len(rows))
            """, path]
        let out = Pipe(); p.standardOutput = out; p.standardError = out
        try p.run(); p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if text.contains("No module named 'openpyxl'") { return }
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.hasPrefix("ok 4"), text)
    }
}
