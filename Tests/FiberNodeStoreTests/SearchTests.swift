import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// Search as you type (issue 13): invoices by customer name, code, phone and invoice number,
/// customers by code; keyset paged, answered from an index, a mitra only its own.
final class SearchTests: XCTestCase {
    /// `n` more active customers (bulk SQL, through the FTS trigger) for mitra1 and the superadmin.
    func addCustomers(_ f: Fixture, _ n: Int) throws {
        try f.db.write { db in
            let pkg = try String.fetchOne(db, sql: "SELECT id FROM packages ORDER BY price LIMIT 1")!
            let owners = try String.fetchAll(db, sql: "SELECT id FROM users WHERE username IN ('superadmin','mitra1') ORDER BY username")
            let start = (try Int.fetchOne(db, sql: "SELECT max(no) FROM customers") ?? 0) + 1
            try db.execute(sql: """
                WITH RECURSIVE s(k) AS (SELECT ? UNION ALL SELECT k + 1 FROM s WHERE k < ?)
                INSERT INTO customers(id, no, code, owner_id, package_id, name, phone, billing_date, total_bill, status, register_date,
                                      created_at, updated_at)
                SELECT 'c-' || k, k, 'PLG-' || printf('%06d', k), CASE k % 2 WHEN 0 THEN ? ELSE ? END, ?,
                       'Warga ' || k, '62813' || printf('%08d', k), 1 + k % 28, 100000, 'active', '2026-01-01', '2026-01-01', '2026-01-01'
                FROM s
                """, arguments: [start, start + n - 1, owners[0], owners[1], pkg])
            try db.execute(sql: "UPDATE counters SET value = ? WHERE name = 'customer'", arguments: [start + n - 1])
        }
    }

    func testSearchTextForms() {
        XCTAssertEqual(SearchText("PLG-001009"), .customerCode(1009...1009))
        XCTAssertEqual(SearchText("plg-0010"), .customerCode(1000...1099))
        XCTAssertEqual(SearchText("PLG"), .customerCode(0...999_999))
        XCTAssertEqual(SearchText("inv-2026"), .invoiceNumber("INV-2026"))
        XCTAssertEqual(SearchText("  "), .none)
        if case .words = SearchText("budi 0812") {} else { XCTFail("words") }
    }

    func testCustomerCodeFindsTheCustomerInPelanggan() throws {
        let f = try Fixture()
        try addCustomers(f, 1200)
        let sa = try f.actor("superadmin")
        let rows = try f.db.customers(actor: sa, filter: CustomerFilter(search: "PLG-001009"))
        XCTAssertEqual(rows.map(\.code), ["PLG-001009"])
        XCTAssertEqual(try f.db.customerCount(actor: sa, filter: CustomerFilter(search: "PLG-001009")), 1)
        XCTAssertEqual(try f.db.customerCount(actor: sa, filter: CustomerFilter(search: "plg-00100")), 10)
        // a mitra's search never reaches another owner's customer
        let m1 = try f.actor("mitra1")
        let owner = try f.db.customer(id: "PLG-001009", actor: sa).ownerId
        let mine = try f.db.customers(actor: m1, filter: CustomerFilter(search: "PLG-001009"))
        XCTAssertEqual(mine.count, owner == m1.userId ? 1 : 0)
    }

    func testInvoiceSearchByNameCodePhoneNumberPagedAndScoped() throws {
        let f = try Fixture()
        try addCustomers(f, 2000)
        let sa = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        for p in ["2026-03", "2026-04"] { try f.db.generateInvoices(period: Period(p)!, actor: sa, context: f.context) }
        let c = try f.db.customer(id: "PLG-001009", actor: sa)
        func search(_ text: String, _ actor: Actor, period: String? = nil) throws -> [InvoiceRow] {
            try f.db.invoices(actor: actor, filter: InvoiceFilter(period: period, search: text), limit: 10_000)
        }
        XCTAssertEqual(Set(try search("PLG-001009", sa).map(\.customerId)), [c.id])
        XCTAssertEqual(try search("PLG-001009", sa).count, 2)
        XCTAssertEqual(Set(try search("warga 1009", sa).map(\.customerId)), [c.id])
        XCTAssertEqual(Set(try search("0813" + String(c.phone.dropFirst(5)), sa).map(\.customerId)), [c.id])
        XCTAssertEqual(try search("INV-202604-001009", sa).map(\.number), ["INV-202604-001009"])
        XCTAssertEqual(try search("inv-202604-00100", sa).count, 10)
        XCTAssertEqual(try search("INV-202604", sa, period: "2026-04").count, try f.db.invoiceTotals(actor: sa, filter: InvoiceFilter(period: "2026-04")).count)
        // totals follow the search
        XCTAssertEqual(try f.db.invoiceTotals(actor: sa, filter: InvoiceFilter(search: "PLG-001009")).count, 2)
        // a mitra: only its own customers' invoices, whatever is typed
        let mitraRows = try search("warga", m1)
        XCTAssertFalse(mitraRows.isEmpty)
        XCTAssertTrue(mitraRows.allSatisfy { $0.ownerId == m1.userId })
        let other = try f.db.invoices(actor: sa, filter: InvoiceFilter(search: "warga"), limit: 5000).first { $0.ownerId != m1.userId }!
        XCTAssertTrue(try search(other.number, m1).isEmpty)
        // keyset pages of a broad search, both ways: every row once, in order
        let filter = InvoiceFilter(search: "warga")
        let all = try f.db.invoices(actor: sa, filter: filter, limit: 10_000).map(\.id)
        XCTAssertEqual(all.count, 4000)
        var seen: [String] = [], cursor: InvoiceCursor?
        while true {
            let page = try f.db.invoices(actor: sa, filter: filter, after: cursor, limit: 333)
            seen += page.map(\.id)
            guard let last = page.last else { break }
            cursor = InvoiceCursor(last)
        }
        XCTAssertEqual(seen, all)
        let back = try f.db.invoices(actor: sa, filter: filter, after: InvoiceCursor(try f.db.invoice(all[100], actor: sa)), backwards: true, limit: 50)
        XCTAssertEqual(back.map(\.id), Array(all[50..<100]))
    }

    /// Every search form is answered from an index: no plain scan of the invoices or customers.
    func testInvoiceSearchPlansUseIndexes() throws {
        let f = try Fixture()
        try addCustomers(f, 500)
        let sa = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        try f.db.generateInvoices(period: Period("2026-04")!, actor: sa, context: f.context)
        for (text, actor, period) in [("PLG-000109", sa, nil), ("warga 10", sa, "2026-04"), ("warga", sa, "2026-04"), ("PLG", m1, nil),
                                      ("INV-202604-000109", sa, nil), ("INV-2026", m1, "2026-04"), ("INV-2026", sa, "2026-04"),
                                      ("0813", sa, nil)] as [(String, Actor, String?)] {
            let filter = InvoiceFilter(period: period, search: text)
            let plan = try f.db.read { db -> String in
                let s = SearchText(text)
                let broad = try s.customerMatches(db, upTo: SearchText.broadCustomers + 1) > SearchText.broadCustomers
                var (w, args) = AppDatabase.invoiceWhere(filter, actor: actor, broad: broad)
                w += " AND (i.due_date, i.number) > (?, ?)"; args += ["2026-01-01", ""]
                let rows = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + AppDatabase.invoiceSelect(s, broad: broad) + " WHERE \(w) ORDER BY i.due_date, i.number LIMIT 20",
                                            arguments: StatementArguments(args)!)
                return rows.map { $0["detail"] as String }.joined(separator: "\n")
            }
            XCTAssertFalse(plan.contains("SCAN i\n") || plan.hasSuffix("SCAN i") || plan.contains("SCAN i USING"), "\(text): \(plan)")
            XCTAssertFalse(plan.range(of: #"SCAN (c|sc|customers)\b(?! USING)"#, options: .regularExpression) != nil
                           && !plan.contains("VIRTUAL TABLE"), "\(text): \(plan)")
            XCTAssertTrue(plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX") || plan.contains("PRIMARY KEY"), "\(text): \(plan)")
            // a narrow customer match reads the invoices by customer, never a whole period or owner
            if ["PLG-000109", "warga 10"].contains(text) { XCTAssertTrue(plan.contains("SEARCH i USING INDEX idx_invoices_customer_period"), "\(text): \(plan)") }
            print("PLAN \(text):\n\(plan)")
        }
    }

    /// Issue 17: a search matching more than `SearchText.orderedMatches` customers over every
    /// owner is listed by customer number straight from the full-text index (every match once,
    /// in order, both ways, deleted ones left out) and counted up to the limit plus one; a
    /// narrower one, or one owner's, keeps the name order and an exact count.
    func testBroadSearchListsByNumberAndCountsUpToTheLimit() throws {
        let f = try Fixture()
        try addCustomers(f, SearchText.orderedMatches + 300)
        let sa = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        // one deleted match must not be listed
        try f.db.write { db in try db.execute(sql: "UPDATE customers SET deleted_at = '2026-02-01' WHERE code = 'PLG-000500'") }
        let broad = CustomerFilter(search: "warga")
        XCTAssertTrue(try f.db.listsMatchesByNumber(actor: sa, filter: broad))
        XCTAssertEqual(try f.db.customerCount(actor: sa, filter: broad), SearchText.orderedMatches + 1)
        let expected = try f.db.read { db in
            try String.fetchAll(db, sql: "SELECT code FROM customers WHERE deleted_at IS NULL AND name LIKE 'Warga %' ORDER BY no")
        }
        var seen: [String] = [], cursor: CustomerCursor?
        while true {
            let page = try f.db.customers(actor: sa, filter: broad, after: cursor, limit: 333)
            seen += page.map(\.code)
            guard let last = page.last else { break }
            cursor = CustomerCursor(row: last, sort: broad.sort)   // the pane's cursor carries a name key
        }
        XCTAssertEqual(seen, expected)
        XCTAssertFalse(seen.contains("PLG-000500"))
        let anchor = try f.db.customer(id: expected[100], actor: sa)
        let back = try f.db.customers(actor: sa, filter: broad, after: CustomerCursor(row: anchor, sort: broad.sort), backwards: true, limit: 50)
        XCTAssertEqual(back.map(\.code), Array(expected[50..<100]))
        // the plan reads the full-text index in its own order: no sort, no walk of the customers
        let plan = try f.db.read { db -> String in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT c.id FROM customers_fts JOIN customers c ON c.no = customers_fts.rowid "
                             + "WHERE customers_fts MATCH '\"WARGA\"*' AND c.deleted_at IS NULL ORDER BY customers_fts.rowid LIMIT 50")
                .map { $0["detail"] as String }.joined(separator: "\n")
        }
        XCTAssertTrue(plan.contains("VIRTUAL TABLE"), plan)
        XCTAssertFalse(plan.contains("TEMP B-TREE"), plan)
        // narrower: name order, exact count
        let narrow = CustomerFilter(search: "warga 10")
        XCTAssertFalse(try f.db.listsMatchesByNumber(actor: sa, filter: narrow))
        let names = try f.db.customers(actor: sa, filter: narrow, limit: 1000).map(\.name)
        XCTAssertEqual(names, names.sorted { $0.lowercased() < $1.lowercased() })
        XCTAssertEqual(try f.db.customerCount(actor: sa, filter: narrow), names.count)
        // a mitra's broad search: its own only, name order, exact count
        XCTAssertFalse(try f.db.listsMatchesByNumber(actor: m1, filter: broad))
        let mine = try f.db.customers(actor: m1, filter: broad, limit: 5000)
        XCTAssertTrue(mine.allSatisfy { $0.ownerId == m1.userId })
        XCTAssertEqual(mine.map(\.name), mine.map(\.name).sorted { $0.lowercased() < $1.lowercased() })
        XCTAssertEqual(try f.db.customerCount(actor: m1, filter: broad), mine.count)
        // the isolated filter keeps the exact path (few rows of a broad match)
        XCTAssertFalse(try f.db.listsMatchesByNumber(actor: sa, filter: CustomerFilter(search: "warga", status: CustomerStatus.isolated.rawValue)))
    }

    /// Issue 17: the list's total without a search or package filter comes from the trigger-kept
    /// counts; it must equal counting the rows, for every owner and status filter, after
    /// deletes and isolations, for the superadmin and a mitra.
    func testListTotalFromAggregatesEqualsCountingRows() throws {
        let f = try Fixture()
        try addCustomers(f, 300)
        let sa = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        try f.db.deleteCustomer(id: "PLG-000010", actor: sa, context: f.context)
        _ = try f.db.setIsolated("PLG-000011", isolated: true, actor: sa, context: f.context)
        _ = try f.db.setIsolated("PLG-000012", isolated: true, actor: sa, context: f.context)
        let owners: [String?] = [nil, m1.userId, sa.userId]
        let statuses: [String?] = [nil] + CustomerStatus.allCases.map(\.rawValue)
        for (actor, ownerList) in [(sa, owners), (m1, [nil] as [String?])] {
            for owner in ownerList {
                for status in statuses {
                    let filter = CustomerFilter(status: status, ownerId: owner)
                    let scope = actor.userId == m1.userId ? m1.userId : owner
                    let direct = try f.db.read { db in
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM customers WHERE deleted_at IS NULL AND (? IS NULL OR owner_id = ?) AND (? IS NULL OR status = ?)",
                                         arguments: [scope, scope, status, status])!
                    }
                    XCTAssertEqual(try f.db.customerCount(actor: actor, filter: filter), direct, "\(owner ?? "-") \(status ?? "-")")
                }
            }
        }
        XCTAssertEqual(try f.db.customerCount(actor: sa, filter: CustomerFilter(deleted: true)), 1)
    }

    /// Issue 17: the package list's customer counts (package_stats) and the mitra list's
    /// customer counts and unpaid totals (customer_stats, invoice_stats) equal counting and
    /// summing the rows, after new customers, a package change, a delete, a restore and payments.
    func testPackageAndMitraListsFromAggregatesEqualTheRows() throws {
        let f = try Fixture()
        try addCustomers(f, 120)
        let sa = try f.actor("superadmin")
        try f.db.generateInvoices(period: Period("2026-04")!, actor: sa, context: f.context)
        let pkgs = try f.db.packages().map(\.id)
        let c = try f.db.customer(id: "PLG-000020", actor: sa)
        var input = CustomerInput(c); input.packageId = pkgs.last!
        _ = try f.db.updateCustomer(id: c.id, input, expectedVersion: c.version, actor: sa, context: f.context)
        try f.db.deleteCustomer(id: "PLG-000021", actor: sa, context: f.context)
        try f.db.deleteCustomer(id: "PLG-000022", actor: sa, context: f.context)
        try f.db.restoreCustomer(id: try f.db.customer(id: "PLG-000022", actor: sa).id, actor: sa, context: f.context)
        for inv in try f.db.invoices(actor: sa, filter: InvoiceFilter(period: "2026-04"), limit: 30) {
            try f.db.recordPayment(PaymentRequest(invoice: inv.number, amount: inv.remaining / 2, method: .cash), actor: sa, context: f.context)
        }
        for p in try f.db.packages() {
            let n = try f.db.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM customers WHERE package_id = ? AND deleted_at IS NULL", arguments: [p.id])! }
            XCTAssertEqual(p.customerCount, n, p.name)
        }
        for m in try f.db.mitras(actor: sa) {
            let (n, unpaid) = try f.db.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM customers WHERE owner_id = ? AND deleted_at IS NULL", arguments: [m.id])!,
                 try Int.fetchOne(db, sql: "SELECT coalesce(sum(total_amount - paid_amount), 0) FROM invoices WHERE owner_id = ? AND status != 'paid'", arguments: [m.id])!)
            }
            XCTAssertEqual(m.customerCount, n, m.businessName)
            XCTAssertEqual(m.unpaidTotal, unpaid, m.businessName)
        }
    }
}
