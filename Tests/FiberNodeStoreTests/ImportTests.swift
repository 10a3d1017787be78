import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

final class ImportTests: XCTestCase {
    let header = "nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register"

    func run(_ body: String, dryRun: Bool = false, crlf: Bool = false, bom: Bool = false, f: Fixture? = nil) throws -> (ImportReport, Fixture) {
        let fx = try f ?? Fixture()
        var text = header + "\n" + body
        if crlf { text = text.replacingOccurrences(of: "\n", with: "\r\n") }
        if bom { text = "\u{FEFF}" + text }
        return (try fx.db.importCustomers(csv: text, dryRun: dryRun, actor: try fx.actor("superadmin"), context: fx.context), fx)
    }

    func testExampleFromTheSpecImportsWithBOMAndCRLF() throws {
        let body = """
        Ahmad Baru,6281234500001,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,3201234567890001,2025-01-15
        Siti Nurhaliza,6289876500002,10000,10,WiFi Sukamaju,Paket 20 Mbps,150000,140000,3201234567890002,2025-02-01
        "Budi ""Bud"" Santoso, Jr",6281122334455,0,15,Net Mekarjaya,Paket 50 Mbps,250000,250000,,2025-03-10
        Dewi Lestari,6287766554433,20000,20,net mekarjaya,Paket 10 Mbps,100000,80000,3201234567890004,2025-04-05

        """
        let (r, f) = try run(body, crlf: true, bom: true)
        XCTAssertEqual(r.rejected, [])
        XCTAssertEqual(r.imported, 4)
        let admin = try f.actor("superadmin")
        let budi = try f.db.customers(actor: admin, filter: CustomerFilter(search: "santoso")).first!
        XCTAssertEqual(budi.name, "Budi \"Bud\" Santoso, Jr")
        XCTAssertEqual(budi.area, "Net Mekarjaya")
        XCTAssertNil(budi.nik)
        XCTAssertEqual(budi.registerDate, "2025-03-10")
        // importing the same file again imports nothing new
        let (again, _) = try run(body, crlf: true, bom: true, f: f)
        XCTAssertEqual(again.imported, 0)
        XCTAssertEqual(again.rejected.map(\.problem), Array(repeating: .phoneExists, count: 4))
        XCTAssertEqual(try f.db.customerCount(actor: admin, filter: CustomerFilter()), 7)
    }

    func testEveryRejectionReasonWithItsLine() throws {
        let body = """
        Ok Satu,6281200000001,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
        ,6281200000002,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
        Telp Salah,12345,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
        ok satu,0812 0000 0001,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
        Ahmad Fauzi,6281234567890,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
        Area Salah,6281200000003,0,5,Antah Berantah,Paket 10 Mbps,100000,100000,,2025-01-15
        Paket Salah,6281200000004,0,5,WiFi Sukamaju,Paket 1 Gbps,100000,100000,,2025-01-15
        Tarif Salah,6281200000005,0,5,WiFi Sukamaju,Paket 10 Mbps,90000,90000,,2025-01-15
        Total Salah,6281200000006,10000,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
        Diskon Besar,6281200000007,200000,5,WiFi Sukamaju,Paket 10 Mbps,100000,-100000,,2025-01-15
        Tanggal Salah,6281200000008,0,31,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
        NIK Salah,6281200000009,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,12345,2025-01-15
        Daftar Salah,6281200000010,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-02-30
        Kolom Kurang,6281200000011,0,5
        Diskon Huruf,6281200000012,abc,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
        """
        let (r, f) = try run(body)
        XCTAssertEqual(r.imported, 1)
        let byLine = Dictionary(uniqueKeysWithValues: r.rejected.map { ($0.line, $0.problem) })
        XCTAssertEqual(byLine[3], .missingName)
        XCTAssertEqual(byLine[4], .phone(.badPrefix))
        XCTAssertEqual(byLine[5], .phoneRepeated(firstLine: 2))
        XCTAssertEqual(byLine[6], .phoneExists)
        XCTAssertEqual(byLine[7], .unknownArea("Antah Berantah"))
        XCTAssertEqual(byLine[8], .unknownPackage("Paket 1 Gbps"))
        XCTAssertEqual(byLine[9], .priceMismatch(given: 90_000, actual: 100_000))
        XCTAssertEqual(byLine[10], .totalMismatch(given: 100_000, expected: 90_000))
        XCTAssertEqual(byLine[11], .discountOutOfRange(discount: 200_000, price: 100_000))
        XCTAssertEqual(byLine[12], .billingDay("31"))
        XCTAssertEqual(byLine[13], .nik)
        XCTAssertEqual(byLine[14], .registerDate("2025-02-30"))
        XCTAssertEqual(byLine[15], .columnCount(found: 4, expected: 10))
        XCTAssertEqual(byLine[16], .notANumber(field: "diskon"))
        XCTAssertEqual(r.rejected.count, 14)
        XCTAssertEqual(try f.db.customerCount(actor: try f.actor("superadmin"), filter: CustomerFilter()), 4)
    }

    /// Issue 14 §5 (collect3): a number shared by another connection (another name) is
    /// imported with a warning; the same name and number again is still the same row, refused.
    func testSharedPhoneImportsWithWarning() throws {
        let body = """
        Ahmad Kios,6281234567890,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
        Rumah Dua,6281200000001,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
        Rumah Tiga,6281200000001,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
        Rumah Dua,6281200000001,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
        """
        let (dry, _) = try run(body, dryRun: true)
        XCTAssertEqual(dry.valid.count, 3)
        XCTAssertEqual(dry.warnings.map(\.line), [2, 4])
        let (r, f) = try run(body)
        XCTAssertEqual(r.imported, 3)
        XCTAssertEqual(r.rejected, [ImportRejection(line: 5, problem: .phoneRepeated(firstLine: 3))])
        XCTAssertEqual(r.warnings, [ImportRejection(line: 2, problem: .phoneShared(firstLine: nil)),
                                    ImportRejection(line: 4, problem: .phoneShared(firstLine: 3))])
        XCTAssertEqual(try f.db.customerCount(actor: try f.actor("superadmin"), filter: CustomerFilter()), 6)
        let (again, _) = try run(body, f: f)
        XCTAssertEqual(again.imported, 0, "a file imports once")
    }

    func testDryRunWritesNothingAndMultilineFieldsKeepLineNumbers() throws {
        let body = "\"Nama\nDua Baris\",6281200000001,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15\nX,bad,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15\n"
        let (r, f) = try run(body, dryRun: true)
        // A line break inside a name is a control character (issue 12): refused, with the
        // record's first line; the next record still gets its physical line.
        XCTAssertEqual(r.valid.count, 0)
        XCTAssertEqual(r.imported, 0)
        XCTAssertEqual(r.rejected.map(\.line), [2, 4])
        XCTAssertEqual(r.rejected.first?.problem, .controlCharacters(field: "nama"))
        XCTAssertEqual(try f.db.customerCount(actor: try f.actor("superadmin"), filter: CustomerFilter()), 3)
    }

    func testWrongHeaderAndMitraAreRefused() throws {
        let f = try Fixture()
        XCTAssertThrowsError(try f.db.importCustomers(csv: "name,phone\nA,1\n", dryRun: false, actor: try f.actor("superadmin"), context: f.context)) {
            guard case .invalid(field: "header", _) = $0 as? StoreError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try f.db.importCustomers(csv: header + "\n", dryRun: false, actor: try f.actor("mitra1"), context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }
        XCTAssertThrowsError(try f.db.importCustomers(csv: "", dryRun: false, actor: try f.actor("superadmin"), context: f.context))
    }
}
