import Foundation
import XCTest
import GRDB
import TerminalUI
@testable import FiberNodeTUI
import FiberNodeStore
import FiberNodeDomain

/// Issue 17: in Pelanggan a search matching more than `SearchText.orderedMatches` customers over
/// every owner is listed by code, and the footer says so (no exact count, no row numbers); a
/// narrower search gets the exact count again.
final class BroadSearchPaneTests: XCTestCase {
    func testBroadSearchFooterSaysMoreThanAndListsByCode() throws {
        try check(width: 100, height: 30)
        try check(width: 80, height: 24)   // the whole footer, uncut, in the smallest terminal
    }

    func check(width: Int, height: Int) throws {
        let h = try AppHarness(width: width, height: height)
        let n = SearchText.orderedMatches + 100
        try h.db.write { db in
            let pkg = try String.fetchOne(db, sql: "SELECT id FROM packages ORDER BY price LIMIT 1")!
            let owner = try String.fetchOne(db, sql: "SELECT id FROM users WHERE username = 'superadmin'")!
            let start = (try Int.fetchOne(db, sql: "SELECT max(no) FROM customers") ?? 0) + 1
            try db.execute(sql: """
                WITH RECURSIVE s(k) AS (SELECT ? UNION ALL SELECT k + 1 FROM s WHERE k < ?)
                INSERT INTO customers(id, no, code, owner_id, package_id, name, phone, billing_date, total_bill, status, register_date,
                                      created_at, updated_at)
                SELECT 'b-' || k, k, 'PLG-' || printf('%06d', k), ?, ?, 'Zulfa ' || (? + 100000 - k), '62819' || printf('%08d', k),
                       1 + k % 28, 100000, 'active', '2026-01-01', '2026-01-01', '2026-01-01'
                FROM s
                """, arguments: [start, start + n - 1, owner, pkg, start + n - 1])
            try db.execute(sql: "UPDATE counters SET value = ? WHERE name = 'customer'", arguments: [start + n - 1])
        }
        h.login("superadmin", "Admin123!")
        h.press(.char("2"), .char("/"))
        h.type("zulfa")
        h.app.tick(); h.app.render()   // the deferred count, as after a pause in typing
        XCTAssertTrue(h.text.contains("lebih dari 2.000 cocok · urut kode · ketik lebih banyak"), h.text)
        // by code: the first rows are the lowest numbers, although their names sort last
        let codes = h.screen.lines.compactMap { line in line.range(of: #"PLG-\d{6}"#, options: .regularExpression).map { String(line[$0]) } }
        XCTAssertFalse(codes.isEmpty, h.text)
        XCTAssertEqual(codes, codes.sorted(), h.text)
        // narrower: the exact count and the row numbers again
        h.type(" 1000")
        h.app.tick(); h.app.render()
        XCTAssertFalse(h.text.contains("lebih dari"), h.text)
        XCTAssertNotNil(h.text.range(of: #"\d+ pelanggan · baris \d+–\d+"#, options: .regularExpression), h.text)
    }
}
