import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// The dashboard's automatic-isolation dry run read flat in customers (issue 17): the summary
/// equals the full candidate list (`autoCandidates`, what the daily job acts on) after every
/// kind of write, `isolation_watch` and its counts equal their direct definitions, the
/// dashboard's queries never walk invoices, and the migration fills the same state.
final class IsolationPreviewTests: XCTestCase {
    func lines(_ db: AppDatabase, _ sql: String) throws -> [String] {
        try db.read { d in
            try Row.fetchAll(d, sql: sql).map { r in
                (0..<r.count).map { i -> String in
                    let v: DatabaseValue = r[i]
                    if case .string(let s) = v.storage { return s }
                    return "\(v)"
                }.joined(separator: " ")
            }
        }
    }

    static let directWatch = """
        SELECT c.id, c.owner_id, c.code, coalesce(c.promise_until, '-'), min(i.due_date) FROM customers c JOIN invoices i ON i.customer_id = c.id
        WHERE i.status != 'paid' AND c.status = 'active' AND c.deleted_at IS NULL GROUP BY c.id ORDER BY 1
        """

    func assertWatchExact(_ db: AppDatabase, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try lines(db, "SELECT customer_id, owner_id, code, coalesce(promise_until, '-'), oldest_due FROM isolation_watch ORDER BY 1"),
                       try lines(db, Self.directWatch), "isolation_watch", file: file, line: line)
        XCTAssertEqual(try lines(db, "SELECT owner_id, oldest_due, customers FROM isolation_watch_stats WHERE customers != 0 ORDER BY 1, 2"),
                       try lines(db, """
                           WITH w AS (\(Self.directWatch.replacingOccurrences(of: "ORDER BY 1", with: "")))
                           SELECT * FROM (SELECT owner_id, "min(i.due_date)", count(*) FROM w GROUP BY 1, 2
                                          UNION ALL SELECT '', "min(i.due_date)", count(*) FROM w GROUP BY 2) ORDER BY 1, 2
                           """), "isolation_watch_stats", file: file, line: line)
    }

    /// Seen over a run, so the comparisons are not all of empty lists.
    struct Seen { var checks = 0, countsAboveThree = 0, promisedOut = 0 }

    func assertSummaryEqualsCandidates(_ f: Fixture, scopes: [(Actor, String?)], seen: inout Seen,
                                       file: StaticString = #filePath, line: UInt = #line) throws {
        let today = LocalDate.from(f.clock.now(), in: TimeZone(identifier: "Asia/Jakarta")!)
        for offset in [-20, 0, 1, 8, 25, 60] {
            let day = today.adding(days: offset)
            for (actor, owner) in scopes {
                let full = try f.db.autoIsolationPreview(actor: actor, day: day, ownerId: owner)
                let s = try f.db.autoIsolationSummary(actor: actor, day: day, ownerId: owner)
                XCTAssertEqual(s.count, full.count, "count on \(day) for \(actor.username)/\(owner ?? "all")", file: file, line: line)
                XCTAssertEqual(s.first, Array(full.prefix(3)), "first on \(day) for \(actor.username)/\(owner ?? "all")", file: file, line: line)
                seen.checks += 1
                if full.count > 3 { seen.countsAboveThree += 1 }
                let promised = try f.db.read { d in
                    try Int.fetchOne(d, sql: "SELECT count(*) FROM isolation_watch WHERE promise_until >= ? AND oldest_due < ?",
                                     arguments: [day.description, day.adding(days: -(try AppDatabase.settings(d).int("invoices.isolation_overdue_days"))).description])!
                }
                seen.promisedOut += promised
            }
        }
    }

    func testSummaryEqualsCandidatesAfterEveryKindOfWrite() throws {
        let f = try Fixture(start: "2026-01-05T03:00:00Z")
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        try f.db.setSetting("isolation.auto", "true", actor: admin, context: f.context)
        let pkg = try f.db.packages()
        let owners = try f.db.owners(actor: admin)
        let scopes: [(Actor, String?)] = [(admin, nil), (admin, owners[1].id), (m1, nil)]
        var rng = SplitMix64(seed: 1714)
        var codes: [String] = []
        var made = 0
        func create() throws {
            let c = try f.db.createCustomer(CustomerInput(name: "Pelanggan \(made)", phone: "62813\(String(format: "%08d", made))",
                                                          packageId: pkg[Int(rng.next() % UInt64(pkg.count))].id,
                                                          ownerId: owners[Int(rng.next() % UInt64(owners.count))].id,
                                                          billingDate: String(1 + Int(rng.next() % 28))),
                                            actor: admin, context: f.context)
            codes.append(c.code)
            made += 1
        }
        for _ in 0..<40 { try create() }
        var next = Period("2026-02")!
        for _ in 0..<3 { try f.db.generateInvoices(period: next, actor: admin, context: f.context); next = next.next }
        var seen = Seen()
        try assertWatchExact(f.db)
        try assertSummaryEqualsCandidates(f, scopes: scopes, seen: &seen)
        var all = try f.db.invoices(actor: admin, filter: InvoiceFilter(), limit: 10_000)
        var live: [String] = []
        let methods = PaymentMethod.allCases
        for step in 0..<400 {
            f.clock.advance(by: Double(rng.next() % 40_000))
            let today = LocalDate.from(f.clock.now(), in: TimeZone(identifier: "Asia/Jakarta")!)
            let code = codes[Int(rng.next() % UInt64(codes.count))]
            switch rng.next() % 18 {
            case 0...4:   // payments, full and partial
                let inv = try f.db.invoice(all[Int(rng.next() % UInt64(all.count))].id, actor: admin)
                guard inv.status != "paid" else { break }
                let amount = rng.next() % 2 == 0 ? nil : max(1, inv.remaining / (2 + Int(rng.next() % 3)))
                let r = try f.db.recordPayment(PaymentRequest(invoice: inv.number, amount: amount, method: methods[Int(rng.next() % 5)],
                                                              reference: "R\(step)", expectedVersion: inv.version), actor: admin, context: f.context)
                live.append(r.payment.id)
            case 5...6 where !live.isEmpty:   // a void opens the invoice again
                let id = live.remove(at: Int(rng.next() % UInt64(live.count)))
                try f.db.voidPayment(id, reason: "salah catat \(step)", actor: admin, context: f.context)
            case 7:
                let inv = try f.db.invoice(all[Int(rng.next() % UInt64(all.count))].id, actor: admin)
                guard inv.status != "unpaid" else { break }
                try f.db.markUnpaid(inv.number, reason: "batal", expectedVersion: nil, actor: admin, context: f.context)
                let gone = Set(try f.db.payments(invoice: inv.id, actor: admin).map(\.id))
                live.removeAll { gone.contains($0) }
            case 8:
                _ = try? f.db.setIsolated(code, isolated: rng.next() % 2 == 0, actor: admin, context: f.context)
            case 9:
                _ = try? f.db.setInactive(code, inactive: rng.next() % 2 == 0, actor: admin, context: f.context)
            case 10:
                let c = try f.db.read { d in try Row.fetchOne(d, sql: "SELECT id, deleted_at FROM customers WHERE code = ?", arguments: [code])! }
                if (c[1] as String?) == nil { try f.db.deleteCustomer(id: c[0], actor: admin, context: f.context) }
                else { try f.db.restoreCustomer(id: c[0], actor: admin, context: f.context) }
            case 11, 12:   // promises ahead, cleared, and ones that run out
                let until = rng.next() % 4 == 0 ? nil : today.adding(days: Int(rng.next() % 30))
                _ = try? f.db.promise(code, until: until, today: today, actor: admin, context: f.context)
            case 13:
                try f.db.setSetting("invoices.isolation_overdue_days", String(1 + Int(rng.next() % 30)), actor: admin, context: f.context)
            case 14:   // owner, due date and code changes straight in SQL: the triggers keep the watch
                try f.db.write { d in
                    try d.execute(sql: "UPDATE customers SET owner_id = ?, code = code || 'X' WHERE code = ?",
                                  arguments: [owners[Int(rng.next() % UInt64(owners.count))].id, code])
                    try d.execute(sql: "UPDATE invoices SET owner_id = (SELECT owner_id FROM customers WHERE code = ?), due_date = date(due_date, ?) WHERE customer_id = (SELECT id FROM customers WHERE code = ?)",
                                  arguments: [code + "X", rng.next() % 2 == 0 ? "+3 days" : "-11 days", code + "X"])
                }
                codes = codes.map { $0 == code ? code + "X" : $0 }
            case 15:   // an invoice moves to another customer; a hard delete cascades
                if step % 3 == 0 {
                    try f.db.write { d in try d.execute(sql: "DELETE FROM customers WHERE code = ?", arguments: [code]) }
                    codes.removeAll { $0 == code }
                } else {
                    let other = codes[Int(rng.next() % UInt64(codes.count))]
                    try f.db.write { d in
                        try d.execute(sql: """
                            UPDATE invoices SET customer_id = (SELECT id FROM customers WHERE code = ?), period = ?
                            WHERE id = (SELECT id FROM invoices WHERE customer_id = (SELECT id FROM customers WHERE code = ?) ORDER BY period LIMIT 1)
                              AND NOT EXISTS (SELECT 1 FROM invoices WHERE customer_id = (SELECT id FROM customers WHERE code = ?) AND period LIKE '2030-%')
                            """, arguments: [other, "2030-" + String(format: "%02d", 1 + step % 12), code, other])
                    }
                }
                all = try f.db.invoices(actor: admin, filter: InvoiceFilter(), limit: 10_000)
                let ids = Set(try f.db.read { d in try String.fetchAll(d, sql: "SELECT id FROM payments") })
                live.removeAll { !ids.contains($0) }
            case 16:   // new customers, then a new period's invoices
                try create()
                if step % 4 == 0 && next <= today.period.next {
                    try f.db.generateInvoices(period: next, actor: admin, context: f.context)
                    next = next.next
                    all = try f.db.invoices(actor: admin, filter: InvoiceFilter(), limit: 10_000)
                }
            default: break
            }
            if step % 20 == 19 {
                try assertWatchExact(f.db)
                try assertSummaryEqualsCandidates(f, scopes: scopes, seen: &seen)
            }
        }
        try assertWatchExact(f.db)
        try assertSummaryEqualsCandidates(f, scopes: scopes, seen: &seen)
        XCTAssertGreaterThan(seen.countsAboveThree, 20, "the lists compared were long enough to cut")
        XCTAssertGreaterThan(seen.promisedOut, 0, "promised customers were subtracted")
        XCTAssertGreaterThan(try lines(f.db, "SELECT 1 FROM customers WHERE status != 'active' OR deleted_at IS NOT NULL").count, 0)
        XCTAssertGreaterThan(try lines(f.db, "SELECT 1 FROM payments WHERE voided_at IS NOT NULL").count, 5)
    }

    /// Every statement the summary runs, planned: none walks invoices or customers, whatever
    /// their size — the count is a seek into the per-date counts, the names an index walk, and
    /// only the three shown customers' invoices are read (by customer).
    func testSummaryQueriesDoNotScanInvoices() throws {
        let f = try Fixture(start: "2026-03-20T03:00:00Z")
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        for p in ["2026-02", "2026-03", "2026-04"] { try f.db.generateInvoices(period: Period(p)!, actor: admin, context: f.context) }
        try f.db.write { d in try d.execute(sql: "ANALYZE") }   // as the generator leaves a large database
        for owner in [nil, m1.userId] as [String?] {
            final class Box: @unchecked Sendable { var sql: [String] = [] }
            let box = Box()
            let s = try f.db.read { d in
                d.trace(options: .statement) { e in if case .statement(let st) = e { box.sql.append(st.expandedSQL) } }
                defer { d.trace(options: .statement, nil) }
                return try AppDatabase.autoSummary(d, day: LocalDate("2026-03-21")!, ownerId: owner, limit: 3)
            }
            XCTAssertGreaterThan(s.count, 0)
            XCTAssertEqual(s.first.count, min(3, s.count))
            let queries = box.sql.filter { $0.uppercased().hasPrefix("SELECT") && !$0.contains("FROM settings") }
            XCTAssertGreaterThanOrEqual(queries.count, 3, "\(box.sql)")
            for q in queries {
                let plan = try f.db.read { d in try Row.fetchAll(d, sql: "EXPLAIN QUERY PLAN " + q).map { $0["detail"] as String } }
                XCTAssertFalse(plan.contains { $0.hasPrefix("SCAN") }, "\(q)\n\(plan)")
                if q.contains("JOIN invoices") {
                    XCTAssertTrue(plan.contains { $0.contains("SEARCH i USING") && $0.contains("customer_id=?") }, "\(plan)")
                }
            }
        }
    }

    /// The migration fills `isolation_watch` and its counts from the rows alone: the same
    /// state the triggers kept write by write.
    func testMigrationBackfillEqualsTriggerKeptState() throws {
        let path = tempPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var kept: [[String]] = []
        do {
            let f = try Fixture(start: "2026-03-12T03:00:00Z", file: path)
            let admin = try f.actor("superadmin")
            for p in ["2026-02", "2026-03", "2026-04"] { try f.db.generateInvoices(period: Period(p)!, actor: admin, context: f.context) }
            for (i, inv) in try f.db.invoices(actor: admin, filter: InvoiceFilter(), limit: 10_000).enumerated() where i % 3 != 0 {
                try f.db.recordPayment(PaymentRequest(invoice: inv.number, amount: i % 4 == 0 ? inv.remaining / 2 : nil, method: .transfer),
                                       actor: admin, context: f.context)
            }
            try f.db.promise("PLG-000002", until: LocalDate("2026-03-20")!, today: LocalDate("2026-03-12")!, actor: admin, context: f.context)
            try f.db.setIsolated("PLG-000003", isolated: true, actor: admin, context: f.context)
            kept = [try lines(f.db, "SELECT * FROM isolation_watch ORDER BY 1"),
                    try lines(f.db, "SELECT * FROM isolation_watch_stats WHERE customers != 0 ORDER BY 1, 2")]
            XCTAssertGreaterThan(kept[0].count, 0)
            // Back to the schema before this migration, the rows kept.
            try f.db.writer.writeWithoutTransaction { d in
                for t in ["isolation_watch", "isolation_watch_stats"] { try d.execute(sql: "DROP TABLE \(t)") }
                try d.execute(sql: "DROP INDEX idx_invoices_open_customer")
                for t in try String.fetchAll(d, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'isolation_%'") {
                    try d.execute(sql: "DROP TRIGGER \(t)")
                }
            }
        }
        let db = try AppDatabase.open(path: path, create: false)
        try db.writer.writeWithoutTransaction { d in try d.inTransaction { try Migrations.isolationPreview(d); return .commit } }
        XCTAssertEqual([try lines(db, "SELECT * FROM isolation_watch ORDER BY 1"),
                        try lines(db, "SELECT * FROM isolation_watch_stats WHERE customers != 0 ORDER BY 1, 2")], kept)
        try assertWatchExact(db)
    }
}
