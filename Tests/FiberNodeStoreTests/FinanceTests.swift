import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

final class FinanceTests: XCTestCase {
    /// Demo data (mitra1: Ahmad 100k day 5, Dewi 140k day 10; superadmin: Rudi 250k day 15),
    /// three periods, a few payments: every figure has a hand-computed answer.
    func testKnownAnswersForEachView() throws {
        let f = try Fixture(start: "2026-03-12T03:00:00Z")   // 10:00 WIB, 12 March 2026
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1"), m2 = try f.actor("mitra2")
        for p in ["2026-02", "2026-03", "2026-04"] { try f.db.generateInvoices(period: Period(p)!, actor: admin, context: f.context) }
        // Feb: all paid; Mar: Ahmad paid by transfer, Dewi half in cash, Rudi unpaid; Apr: Ahmad paid by QRIS.
        for n in ["INV-202602-000001", "INV-202602-000002", "INV-202602-000003"] {
            try f.db.markPaid(n, method: .cash, expectedVersion: nil, actor: admin, context: f.context)
        }
        try f.db.markPaid("INV-202603-000001", method: .transfer, expectedVersion: nil, actor: m1, context: f.context)
        try f.db.markPaid("INV-202603-000002", method: .cash, amount: 70_000, expectedVersion: nil, actor: m1, context: f.context)
        try f.db.markPaid("INV-202604-000001", method: .qris, expectedVersion: nil, actor: m1, context: f.context)

        let march = try f.db.financePeriod(actor: admin, period: Period("2026-03")!)
        XCTAssertEqual(march, FinanceFigures(invoices: 3, paidCount: 1, billed: 490_000, collected: 170_000))
        XCTAssertEqual(march.outstanding, 320_000)
        XCTAssertEqual(march.percentCollected, 34.7)
        XCTAssertEqual(try f.db.financePeriod(actor: m1, period: Period("2026-03")!),
                       FinanceFigures(invoices: 2, paidCount: 1, billed: 240_000, collected: 170_000))
        XCTAssertEqual(try f.db.financePeriod(actor: m2, period: Period("2026-03")!), FinanceFigures())
        // a mitra cannot ask for another owner
        XCTAssertThrowsError(try f.db.financePeriod(actor: m1, period: Period("2026-03")!, ownerId: admin.userId)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }

        let year = try f.db.financeYear(actor: admin, year: 2026)
        XCTAssertEqual(year.count, 12)
        XCTAssertEqual(year.map { $0.figures.billed }, [0, 490_000, 490_000, 490_000, 0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(year[1].figures.collected, 490_000)
        XCTAssertEqual(year[3].figures.collected, 100_000)

        let owners = try f.db.financePerOwner(actor: admin, period: Period("2026-03")!)
        XCTAssertEqual(owners.map(\.businessName), ["FiberNode Pusat", "Net Mekarjaya", "WiFi Sukamaju"])
        XCTAssertEqual(owners.map(\.customers), [1, 0, 2])
        XCTAssertEqual(owners.map { $0.figures.collected }, [0, 0, 170_000])
        XCTAssertEqual(owners.map(\.figures).reduce(FinanceFigures(), +), march)
        XCTAssertThrowsError(try f.db.financePerOwner(actor: m1, period: nil)) { XCTAssertEqual($0 as? StoreError, .notPermitted) }

        // Due 10 March: Dewi's April invoice (prepaid: due in the month before the period).
        let due = try f.db.financeDueOn(actor: admin, date: LocalDate("2026-03-10")!)
        XCTAssertEqual(due.rows.map(\.number), ["INV-202604-000002"])
        XCTAssertEqual(due.figures, FinanceFigures(invoices: 1, paidCount: 0, billed: 140_000, collected: 0))
        XCTAssertTrue(try f.db.financeDueOn(actor: m2, date: LocalDate("2026-03-10")!).rows.isEmpty)

        // Uncollected, oldest first: Mar Dewi (due 02-10), Mar Rudi (02-15), Apr Dewi (03-10), Apr Rudi (03-15).
        let open = try f.db.financeUncollected(actor: admin)
        XCTAssertEqual(open.rows.map(\.number), ["INV-202603-000002", "INV-202603-000003", "INV-202604-000002", "INV-202604-000003"])
        XCTAssertEqual(open.count, 4)
        XCTAssertEqual(open.outstanding, 70_000 + 250_000 + 140_000 + 250_000)
        let page2 = try f.db.financeUncollected(actor: admin, after: InvoiceCursor(open.rows[1]), limit: 10)
        XCTAssertEqual(page2.rows.map(\.number), ["INV-202604-000002", "INV-202604-000003"])
        XCTAssertEqual(try f.db.financeUncollected(actor: m1).outstanding, 70_000 + 140_000)

        let methods = try f.db.financeMethods(actor: admin, period: Period("2026-03")!)
        XCTAssertEqual(methods, [MethodFigures(method: "transfer", invoices: 1, amount: 100_000),
                                 MethodFigures(method: "cash", invoices: 1, amount: 70_000)])

        // Dashboard on 12 March for March: overdue = Mar Dewi + Mar Rudi + Apr Dewi (due 10th); Apr Rudi due 15th is not.
        let dash = try f.db.dashboard(actor: admin, period: Period("2026-03")!, today: LocalDate("2026-03-12")!)
        XCTAssertEqual(dash.periodFigures, march)
        XCTAssertEqual(dash.activeCustomers, 3)
        XCTAssertEqual(dash.activeMitra, 2)
        XCTAssertEqual(dash.overdueCount, 3)
        XCTAssertEqual(dash.overdueAmount, 70_000 + 250_000 + 140_000)
        XCTAssertEqual(dash.dueToday, FinanceFigures())
        XCTAssertEqual(try f.db.dashboard(actor: admin, period: Period("2026-03")!, today: LocalDate("2026-03-14")!).dueTomorrow.billed, 250_000)
        XCTAssertEqual(dash.revenue.count, 12)
        XCTAssertEqual(dash.revenue.last?.period, Period("2026-03")!)
        XCTAssertEqual(dash.revenue.suffix(2).map { $0.figures.collected }, [490_000, 170_000])
        XCTAssertEqual(dash.growth.last?.customers, 3)
        let dm1 = try f.db.dashboard(actor: m1, period: Period("2026-03")!, today: LocalDate("2026-03-12")!)
        XCTAssertEqual(dm1.activeCustomers, 2)
        XCTAssertEqual(dm1.activeMitra, 0)
        XCTAssertEqual(dm1.overdueAmount, 70_000 + 140_000)
    }

    /// The aggregates kept by triggers equal the invoices after every kind of change, and the
    /// per-owner rows sum to the whole: checked on generated data against direct queries.
    func testAggregatesMatchInvoicesAfterRandomChanges() throws {
        let f = try Fixture(start: "2026-03-12T03:00:00Z")
        let admin = try f.actor("superadmin")
        let pkg = try f.db.packages()
        let owners = try f.db.owners(actor: admin)
        var rng = SplitMix64(seed: 7)
        for n in 0..<60 {
            let owner = owners[Int(rng.next() % UInt64(owners.count))]
            try f.db.createCustomer(CustomerInput(name: "Pelanggan \(n)", phone: "62813\(String(format: "%08d", n))",
                                                  packageId: pkg[Int(rng.next() % UInt64(pkg.count))].id, ownerId: owner.id,
                                                  billingDate: String(1 + Int(rng.next() % 28)), discount: n % 4 == 0 ? "5000" : "0"),
                                    actor: admin, context: f.context)
        }
        for p in ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04"] { try f.db.generateInvoices(period: Period(p)!, actor: admin, context: f.context) }
        let all = try f.db.invoices(actor: admin, filter: InvoiceFilter(), limit: 10_000)
        let methods = PaymentMethod.allCases
        for inv in all where rng.next() % 3 != 0 {
            let partial = rng.next() % 5 == 0
            try f.db.markPaid(inv.number, method: methods[Int(rng.next() % UInt64(methods.count))],
                              amount: partial ? inv.totalAmount / 3 : nil, expectedVersion: nil, actor: admin, context: f.context)
        }
        for inv in try f.db.invoices(actor: admin, filter: InvoiceFilter(status: "paid"), limit: 10_000) where rng.next() % 7 == 0 {
            try f.db.markUnpaid(inv.number, reason: "salah input", expectedVersion: nil, actor: admin, context: f.context)
        }
        // hard delete of a customer cascades to its invoices
        try f.db.write { d in try d.execute(sql: "DELETE FROM customers WHERE no = 5") }

        let direct = try f.db.read { d in
            try Row.fetchAll(d, sql: """
                SELECT owner_id, period, status, count(*), sum(total_amount), sum(paid_amount)
                FROM invoices GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                """).map { "\($0[0] as String) \($0[1] as String) \($0[2] as String) \($0[3] as Int) \($0[4] as Int) \($0[5] as Int)" }
        }
        let stats = try f.db.read { d in
            try Row.fetchAll(d, sql: "SELECT owner_id, period, status, invoices, billed, collected FROM invoice_stats WHERE invoices > 0 ORDER BY 1, 2, 3")
                .map { "\($0[0] as String) \($0[1] as String) \($0[2] as String) \($0[3] as Int) \($0[4] as Int) \($0[5] as Int)" }
        }
        XCTAssertEqual(stats, direct)
        XCTAssertGreaterThan(direct.count, 10)

        for p in ["2026-01", "2026-03"] {
            let whole = try f.db.financePeriod(actor: admin, period: Period(p)!)
            let rows = try f.db.invoices(actor: admin, filter: InvoiceFilter(period: p), limit: 10_000)
            XCTAssertEqual(whole.billed, rows.map(\.totalAmount).reduce(0, +))
            XCTAssertEqual(whole.collected, rows.map(\.paidAmount).reduce(0, +))
            XCTAssertEqual(whole.paidCount, rows.filter { $0.status == "paid" }.count)
            XCTAssertEqual(try f.db.financePerOwner(actor: admin, period: Period(p)!).map(\.figures).reduce(FinanceFigures(), +), whole)
            let byMethod = try f.db.financeMethods(actor: admin, period: Period(p)!).map(\.amount).reduce(0, +)
            XCTAssertEqual(byMethod, whole.collected)
            // list footers from the aggregates equal the rows, for every status filter
            for status in [nil, "paid", "partial", "unpaid"] {
                let t = try f.db.invoiceTotals(actor: admin, filter: InvoiceFilter(period: p, status: status))
                let r = rows.filter { status == nil || $0.status == status }
                XCTAssertEqual(t, InvoiceTotals(count: r.count, total: r.map(\.totalAmount).reduce(0, +), paid: r.map(\.paidAmount).reduce(0, +),
                                                unpaid: r.map(\.totalAmount).reduce(0, +) - r.map(\.paidAmount).reduce(0, +)), "\(p) \(status ?? "all")")
            }
        }
        let m1 = try f.actor("mitra1")
        let mine = try f.db.invoices(actor: m1, filter: InvoiceFilter(status: "unpaid"), limit: 10_000)
        XCTAssertEqual(try f.db.invoiceTotals(actor: m1, filter: InvoiceFilter(status: "unpaid")).total, mine.map(\.totalAmount).reduce(0, +))
        // Overdue from the aggregates equals the direct definition.
        for day in ["2026-03-01", "2026-03-12", "2026-03-28"] {
            let d = try f.db.dashboard(actor: admin, period: Period("2026-03")!, today: LocalDate(day)!)
            let rows = try f.db.invoices(actor: admin, filter: InvoiceFilter(overdueOn: day), limit: 10_000)
            XCTAssertEqual(d.overdueCount, rows.count, day)
            XCTAssertEqual(d.overdueAmount, rows.map(\.remaining).reduce(0, +), day)
        }
        let open = try f.db.financeUncollected(actor: admin, limit: 10_000)
        XCTAssertEqual(open.rows.count, open.count)
        XCTAssertEqual(open.rows.map(\.remaining).reduce(0, +), open.outstanding)
        XCTAssertEqual(open.rows.map(\.dueDate), open.rows.map(\.dueDate).sorted())
    }
}

final class AuditJSONTests: XCTestCase {
    func testEncodesWhatJSONSerializationReadsBack() throws {
        let meta: [String: Any] = ["name": "Koma, \"Kutip\" \\ back\nline\ttab\u{01}\u{2028} émoji 🙂", "n": -42, "ok": true,
                                   "nested": ["b": 1, "a": ["x", 2, false]], "empty": "", "null": NSNull()]
        let text = AuditJSON.encode(meta)
        let back = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        XCTAssertEqual(back["name"] as? String, meta["name"] as? String)
        XCTAssertEqual(back["n"] as? Int, -42)
        XCTAssertEqual(back["ok"] as? Bool, true)
        XCTAssertTrue(back["null"] is NSNull)
        let nested = back["nested"] as! [String: Any]
        XCTAssertEqual(nested["b"] as? Int, 1)
        XCTAssertEqual((nested["a"] as! [Any]).count, 3)
        XCTAssertTrue(text.hasPrefix("{\"empty\":\"\",\"n\":-42,\"name\":"), text)   // keys sorted
        XCTAssertFalse(text.contains("\n"))
    }

    func testSecretsAreRedactedInTheLog() throws {
        let f = try Fixture()
        try f.db.write { d in
            try Audit.record(d, actor: nil, action: "test", resource: nil, resourceId: nil,
                             metadata: ["password": "Rahasia1!", "after": ["api_key": "k-123", "name": "x"]], context: f.context)
        }
        let m = try f.db.read { d in try String.fetchOne(d, sql: "SELECT metadata FROM activity_logs WHERE action = 'test'") }!
        XCTAssertFalse(m.contains("Rahasia1!") || m.contains("k-123"), m)
        XCTAssertTrue(m.contains("[redacted]"))
    }
}

final class BroadSearchTests: XCTestCase {
    /// A search matching more than 3,000 customers walks the name index; the page must be
    /// the same as sorting every match, for an owner filter and a mitra; over every owner it is
    /// listed by number (issue 17) and counted up to the limit.
    func testBroadSearchPagesEqualSortedMatches() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        var csv = CustomerCSV.header.joined(separator: ",") + "\n"
        for n in 0..<3200 {
            let area = n % 3 == 0 ? "WiFi Sukamaju" : "FiberNode Pusat"
            csv += "Mawar \(String(format: "%04d", (n * 7919) % 3200)),62877\(String(format: "%08d", n)),0,\(n % 28 + 1),\(area),Paket 10 Mbps,100000,100000,,2026-01-01\n"
        }
        XCTAssertEqual(try f.db.importCustomers(csv: csv, dryRun: false, actor: admin, context: f.context).imported, 3200)
        for (actor, owner) in [(admin, nil as String?), (admin, m1.userId), (m1, nil)] {
            var filter = CustomerFilter(search: "maw", ownerId: owner)
            filter.sort = .name
            let all = try f.db.customers(actor: actor, filter: CustomerFilter(search: "mawar", ownerId: owner), limit: 10_000)
            // Over every owner, more than `SearchText.orderedMatches` are listed by number (issue 17).
            let byNumber = actor.userId == admin.userId && owner == nil
            let expected = byNumber ? all.sorted { $0.no < $1.no } : all.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
            let page1 = try f.db.customers(actor: actor, filter: filter, limit: 15)
            XCTAssertEqual(page1.map(\.id), expected.prefix(15).map(\.id))
            let page2 = try f.db.customers(actor: actor, filter: filter, after: CustomerCursor(row: page1.last!, sort: .name), limit: 15)
            XCTAssertEqual(page2.map(\.id), expected.dropFirst(15).prefix(15).map(\.id))
            XCTAssertEqual(try f.db.customerCount(actor: actor, filter: filter), byNumber ? SearchText.orderedMatches + 1 : expected.count)
        }
    }
}
