import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// Issue 17 item 4: the import was made faster; what it writes must not change. These runs
/// pin every written value (customer rows with their numbers and codes, the FTS rows, the
/// aggregates, one audit row each with its metadata, the counter) as the import wrote them
/// before the speed-up, on the deterministic test context (seed 42, manual clock).
final class ImportGoldenTests: XCTestCase {
    let header = "nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register"

    /// Everything the import writes, as text, in a fixed order.
    func dump(_ f: Fixture) throws -> String {
        try f.db.read { d in
            var out = ""
            for r in try Row.fetchAll(d, sql: """
                SELECT id, no, code, owner_id, package_id, name, phone, nik, address, billing_date, discount, total_bill,
                       status, register_date, notes, deleted_at, version, created_at, updated_at
                FROM customers WHERE id IN (SELECT resource_id FROM activity_logs WHERE action = 'customer.import') ORDER BY no
                """) {
                out += "C " + r.databaseValues.map { "\($0)" }.joined(separator: "|") + "\n"
            }
            for r in try Row.fetchAll(d, sql: """
                SELECT id, user_id, username, action, resource, resource_id, metadata, ip_address, created_at
                FROM activity_logs WHERE action = 'customer.import' ORDER BY rowid
                """) {
                out += "A " + r.databaseValues.map { "\($0)" }.joined(separator: "|") + "\n"
            }
            out += "N " + (try Int.fetchOne(d, sql: "SELECT value FROM counters WHERE name = 'customer'")!).description + "\n"
            for r in try Row.fetchAll(d, sql: "SELECT * FROM customer_stats ORDER BY 1, 2, 3") {
                out += "S " + r.databaseValues.map { "\($0)" }.joined(separator: "|") + "\n"
            }
            let fts = try Int.fetchOne(d, sql: "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH 'Golden*'")!
            out += "F \(fts)\n"
            return out
        }
    }

    /// FNV-1a 64 of a text: a short fingerprint of a long dump.
    func fnv(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in s.utf8 { h ^= UInt64(b); h = h &* 0x100000001b3 }
        return h
    }

    func testSmallImportWritesExactlyWhatItWroteBefore() throws {
        let f = try Fixture()
        let body = """
        Golden Satu,6281300000001,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,3201234567890011,2025-01-15
        Golden "Dua",6281300000002,10000,28,net mekarjaya,Paket 20 Mbps,150000,140000,,
        Golden Tiga,6281300000002,0,1,Net Mekarjaya,Paket 50 Mbps,250000,250000,,2025-03-10
        Golden Salah,6281300000003,0,31,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
        Golden Ahmad,6281234567890,0,7,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2024-12-31

        """
        let r = try f.db.importCustomers(csv: header + "\n" + body, dryRun: false, actor: try f.actor("superadmin"), context: f.context)
        XCTAssertEqual(r.imported, 4)
        XCTAssertEqual(r.rejected, [ImportRejection(line: 5, problem: .billingDay("31"))])
        XCTAssertEqual(r.warnings, [ImportRejection(line: 4, problem: .phoneShared(firstLine: 3)),
                                    ImportRejection(line: 6, problem: .phoneShared(firstLine: nil))])
        let got = try dump(f)
        XCTAssertEqual(got, Self.small, "\n" + got)
    }

    func testTwelveHundredRowsWriteExactlyWhatTheyWroteBefore() throws {
        let f = try Fixture()
        var body = ""
        let areas = ["WiFi Sukamaju", "Net Mekarjaya", "wifi sukamaju"]
        let packages = [("Paket 10 Mbps", 100_000), ("Paket 20 Mbps", 150_000), ("Paket 50 Mbps", 250_000)]
        for n in 0..<1_200 {
            let (p, price) = packages[n % 3]
            let discount = n % 7 == 0 ? 5_000 : 0
            let nik = n % 5 == 0 ? String(format: "32012345%08d", n) : ""
            let reg = n % 4 == 0 ? "" : String(format: "2025-%02d-%02d", n % 12 + 1, n % 28 + 1)
            body += "Golden Warga \(n),62813\(String(format: "%08d", n % 1_100)),\(discount),\(n % 28 + 1),\(areas[n % 3]),\(p),\(price),\(price - discount),\(nik),\(reg)\n"
        }
        var seen: [(Int, Int)] = []
        let r = try f.db.importCustomers(csv: header + "\n" + body, dryRun: false, actor: try f.actor("superadmin"), context: f.context,
                                         progress: { seen.append(($0, $1)) })
        XCTAssertEqual(r.imported, 1_200)
        XCTAssertEqual(r.rejected, [])
        XCTAssertEqual(r.warnings.count, 100)
        XCTAssertEqual(seen.map(\.0), [0, 500, 1_000])
        let got = try dump(f)
        XCTAssertEqual(got.split(separator: "\n").filter { $0.hasPrefix("C ") }.count, 1_200)
        XCTAssertEqual(got.split(separator: "\n").filter { $0.hasPrefix("A ") }.count, 1_200)
        XCTAssertEqual(fnv(got), Self.largeFingerprint, "\(got.prefix(2_000))")
    }

    /// The import writes its audit JSON directly; it must be the text the generic encoder
    /// writes for the same dictionaries, whatever the name holds.
    func testImportAuditJSONIsTheGenericEncoding() {
        for name in ["Budi", "Budi \"Bud\" Santoso, Jr", "back\\slash", "Sité Ñur 🙂", "tab\there", "line\u{2028}sep", "’quote’"] {
            for (nik, address, notes) in [(nil, nil, nil), ("3201234567890001", "Jl. Melati \"3\"", "catatan\nbaru")] as [(String?, String?, String?)] {
                let c = CustomerRecord(id: "id-1", no: 7, code: "PLG-000007", ownerId: "owner", packageId: "pkg", name: name,
                                       phone: "6281200000001", nik: nik, address: address, billingDate: 28, discount: 10_000,
                                       totalBill: 90_000, status: "active", registerDate: "2025-01-15", notes: notes,
                                       deletedAt: nil, version: 1, createdAt: Date(), updatedAt: Date())
                XCTAssertEqual(AppDatabase.importAuditJSON(c, line: 12_345),
                               AuditJSON.encode(["after": AppDatabase.auditFields(c), "line": 12_345] as [String: Any]), name)
            }
        }
    }

    static let small = #"""
    C "75d91342-a16d-47ca-9e2c-9d5092162cd7"|4|"PLG-000004"|"dc8ee702-1ce3-47aa-b233-7c4dc5521434"|"f2234824-5a58-4c09-86db-803cfa3144de"|"Golden Satu"|"6281300000001"|"3201234567890011"|NULL|5|0|100000|"active"|"2025-01-15"|NULL|NULL|1|"2026-03-01 00:00:00.000"|"2026-03-01 00:00:00.000"
    C "9df4a463-4efe-47a5-9e7f-cb3b02653bc8"|5|"PLG-000005"|"076aa848-f4df-4a17-a0b8-72291aca5eb0"|"5d6d3745-1c67-4937-a42f-9e9eee35f6cc"|"Golden \"Dua\""|"6281300000002"|NULL|NULL|28|10000|140000|"active"|"2026-03-01"|NULL|NULL|1|"2026-03-01 00:00:00.000"|"2026-03-01 00:00:00.000"
    C "55c2a4c9-7f1c-45a3-836e-f04ac02d4961"|6|"PLG-000006"|"076aa848-f4df-4a17-a0b8-72291aca5eb0"|"bf195b77-4a72-4434-be50-16450e8a347e"|"Golden Tiga"|"6281300000002"|NULL|NULL|1|0|250000|"active"|"2025-03-10"|NULL|NULL|1|"2026-03-01 00:00:00.000"|"2026-03-01 00:00:00.000"
    C "11558cf3-f067-4210-81db-290bc5091c44"|7|"PLG-000007"|"dc8ee702-1ce3-47aa-b233-7c4dc5521434"|"f2234824-5a58-4c09-86db-803cfa3144de"|"Golden Ahmad"|"6281234567890"|NULL|NULL|7|0|100000|"active"|"2024-12-31"|NULL|NULL|1|"2026-03-01 00:00:00.000"|"2026-03-01 00:00:00.000"
    A "405f1d96-b856-4ec2-84df-bb7eac258b17"|"956eeb2f-2632-47bd-83f1-66b233e3ef28"|"superadmin"|"customer.import"|"customers"|"75d91342-a16d-47ca-9e2c-9d5092162cd7"|"{\"after\":{\"address\":\"\",\"billing_date\":5,\"discount\":0,\"name\":\"Golden Satu\",\"nik\":\"3201234567890011\",\"notes\":\"\",\"owner_id\":\"dc8ee702-1ce3-47aa-b233-7c4dc5521434\",\"package_id\":\"f2234824-5a58-4c09-86db-803cfa3144de\",\"phone\":\"6281300000001\",\"register_date\":\"2025-01-15\",\"status\":\"active\",\"total_bill\":100000},\"line\":2}"|"test"|"2026-03-01 00:00:00.000"
    A "2229d006-27bc-4e87-b969-2bce94d2b728"|"956eeb2f-2632-47bd-83f1-66b233e3ef28"|"superadmin"|"customer.import"|"customers"|"9df4a463-4efe-47a5-9e7f-cb3b02653bc8"|"{\"after\":{\"address\":\"\",\"billing_date\":28,\"discount\":10000,\"name\":\"Golden \\\"Dua\\\"\",\"nik\":\"\",\"notes\":\"\",\"owner_id\":\"076aa848-f4df-4a17-a0b8-72291aca5eb0\",\"package_id\":\"5d6d3745-1c67-4937-a42f-9e9eee35f6cc\",\"phone\":\"6281300000002\",\"register_date\":\"2026-03-01\",\"status\":\"active\",\"total_bill\":140000},\"line\":3}"|"test"|"2026-03-01 00:00:00.000"
    A "8c2d33fe-f48c-4745-91af-a4a2cb2f58c6"|"956eeb2f-2632-47bd-83f1-66b233e3ef28"|"superadmin"|"customer.import"|"customers"|"55c2a4c9-7f1c-45a3-836e-f04ac02d4961"|"{\"after\":{\"address\":\"\",\"billing_date\":1,\"discount\":0,\"name\":\"Golden Tiga\",\"nik\":\"\",\"notes\":\"\",\"owner_id\":\"076aa848-f4df-4a17-a0b8-72291aca5eb0\",\"package_id\":\"bf195b77-4a72-4434-be50-16450e8a347e\",\"phone\":\"6281300000002\",\"register_date\":\"2025-03-10\",\"status\":\"active\",\"total_bill\":250000},\"line\":4}"|"test"|"2026-03-01 00:00:00.000"
    A "330045ff-915b-45ab-8a8f-d5ec14b34652"|"956eeb2f-2632-47bd-83f1-66b233e3ef28"|"superadmin"|"customer.import"|"customers"|"11558cf3-f067-4210-81db-290bc5091c44"|"{\"after\":{\"address\":\"\",\"billing_date\":7,\"discount\":0,\"name\":\"Golden Ahmad\",\"nik\":\"\",\"notes\":\"\",\"owner_id\":\"dc8ee702-1ce3-47aa-b233-7c4dc5521434\",\"package_id\":\"f2234824-5a58-4c09-86db-803cfa3144de\",\"phone\":\"6281234567890\",\"register_date\":\"2024-12-31\",\"status\":\"active\",\"total_bill\":100000},\"line\":6}"|"test"|"2026-03-01 00:00:00.000"
    N 7
    S "076aa848-f4df-4a17-a0b8-72291aca5eb0"|"active"|"2025-03"|1
    S "076aa848-f4df-4a17-a0b8-72291aca5eb0"|"active"|"2026-03"|1
    S "956eeb2f-2632-47bd-83f1-66b233e3ef28"|"active"|"2025-03"|1
    S "dc8ee702-1ce3-47aa-b233-7c4dc5521434"|"active"|"2024-12"|1
    S "dc8ee702-1ce3-47aa-b233-7c4dc5521434"|"active"|"2025-01"|1
    S "dc8ee702-1ce3-47aa-b233-7c4dc5521434"|"active"|"2025-03"|2
    F 4

    """#
    static let largeFingerprint: UInt64 = 13824303927201387053
}
