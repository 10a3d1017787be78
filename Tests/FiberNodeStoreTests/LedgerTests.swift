import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// The payment ledger (issue 14): invoices follow their live payments, the aggregates follow
/// the ledger, voids keep the record, overpayment only from a field laptop.
final class LedgerTests: XCTestCase {
    func lines(_ f: Fixture, _ sql: String) throws -> [String] {
        try f.db.read { d in try Row.fetchAll(d, sql: sql).map { r in (0..<r.count).map { "\(r[$0] as DatabaseValue)" }.joined(separator: " ") } }
    }

    func testRandomPaymentsAndVoidsMatchDirectSums() throws {
        let f = try Fixture(start: "2026-03-12T03:00:00Z")
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        let pkg = try f.db.packages()
        let owners = try f.db.owners(actor: admin)
        var rng = SplitMix64(seed: 11)
        for n in 0..<40 {
            try f.db.createCustomer(CustomerInput(name: "Pelanggan \(n)", phone: "62813\(String(format: "%08d", n))",
                                                  packageId: pkg[Int(rng.next() % UInt64(pkg.count))].id,
                                                  ownerId: owners[Int(rng.next() % UInt64(owners.count))].id,
                                                  billingDate: String(1 + Int(rng.next() % 28)), discount: n % 4 == 0 ? "5000" : "0"),
                                    actor: admin, context: f.context)
        }
        for p in ["2026-02", "2026-03", "2026-04"] { try f.db.generateInvoices(period: Period(p)!, actor: admin, context: f.context) }
        let all = try f.db.invoices(actor: admin, filter: InvoiceFilter(), limit: 10_000)
        let methods = PaymentMethod.allCases
        var live: [String] = []
        for step in 0..<400 {
            f.clock.advance(by: Double(rng.next() % 40_000))       // payments land on many business days
            let inv = try f.db.invoice(all[Int(rng.next() % UInt64(all.count))].id, actor: admin)
            switch rng.next() % 10 {
            case 0...5 where inv.status != "paid":
                let amount = rng.next() % 2 == 0 ? nil : max(1, inv.remaining / (2 + Int(rng.next() % 3)))
                let r = try f.db.recordPayment(PaymentRequest(invoice: inv.number, amount: amount, method: methods[Int(rng.next() % 5)],
                                                              reference: "REF\(step)", expectedVersion: inv.version),
                                               actor: admin, context: f.context)
                live.append(r.payment.id)
            case 6...7 where !live.isEmpty:
                let id = live.remove(at: Int(rng.next() % UInt64(live.count)))
                try f.db.voidPayment(id, reason: "salah catat \(step)", actor: admin, context: f.context)
            case 8 where inv.status != "unpaid":
                try f.db.markUnpaid(inv.number, reason: "batal", expectedVersion: nil, actor: admin, context: f.context)
                let gone = Set(try f.db.payments(invoice: inv.id, actor: admin).map(\.id))
                live.removeAll { gone.contains($0) }
            case 9:   // a field laptop: accepted and flagged even when it overpays
                let r = try f.db.recordPayment(PaymentRequest(invoice: inv.number, amount: inv.remaining + 10_000, method: .cash,
                                                              deviceId: "laptop-1", acceptOverpayment: true), actor: admin, context: f.context)
                XCTAssertEqual(r.payment.flag, "overpaid")
                live.append(r.payment.id)
            default: break
            }
        }
        // Every invoice: paid amount and status are its live payments.
        let derived = try lines(f, """
            SELECT i.number, i.paid_amount, i.status FROM invoices i ORDER BY i.number
            """)
        let direct = try lines(f, """
            SELECT i.number, coalesce(sum(p.amount), 0),
                   CASE WHEN coalesce(sum(p.amount), 0) = 0 THEN 'unpaid' WHEN sum(p.amount) >= i.total_amount THEN 'paid' ELSE 'partial' END
            FROM invoices i LEFT JOIN payments p ON p.invoice_id = i.id AND p.voided_at IS NULL GROUP BY i.id ORDER BY i.number
            """)
        XCTAssertEqual(derived, direct)
        XCTAssertGreaterThan(try lines(f, "SELECT 1 FROM payments WHERE voided_at IS NOT NULL").count, 10)
        XCTAssertGreaterThan(try lines(f, "SELECT 1 FROM invoices WHERE status = 'partial'").count, 0)
        // Invoice aggregates still exact.
        XCTAssertEqual(try lines(f, "SELECT owner_id, period, status, invoices, billed, collected FROM invoice_stats WHERE invoices > 0 ORDER BY 1, 2, 3"),
                       try lines(f, "SELECT owner_id, period, status, count(*), sum(total_amount), sum(paid_amount) FROM invoices GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"))
        // Payment aggregates equal the ledger.
        XCTAssertEqual(try lines(f, "SELECT day, owner_id, method, payments, amount FROM payment_stats WHERE payments > 0 ORDER BY 1, 2, 3"),
                       try lines(f, "SELECT paid_on, owner_id, method, count(*), sum(amount) FROM payments WHERE voided_at IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"))
        // `collected` over ranges and owners equals a direct sum over the payments list.
        let days = try f.db.read { d in try String.fetchAll(d, sql: "SELECT DISTINCT paid_on FROM payments ORDER BY 1") }
        XCTAssertGreaterThan(days.count, 20)
        for (a, b) in [(0, days.count - 1), (3, 9), (days.count / 2, days.count / 2)] {
            let from = LocalDate(days[a])!, to = LocalDate(days[b])!
            for (actor, owner) in [(admin, nil), (admin, owners[1].id), (m1, nil)] as [(Actor, String?)] {
                let c = try f.db.collected(actor: actor, from: from, to: to, ownerId: owner)
                let rows = try f.db.payments(actor: actor, filter: PaymentFilter(from: from, to: to, ownerId: owner, includeVoided: false), limit: 100_000)
                XCTAssertEqual(c.total, rows.map(\.amount).reduce(0, +))
                XCTAssertEqual(c.count, rows.count)
                XCTAssertEqual(c.byMethod.values.reduce(0, +), c.total)
                XCTAssertEqual(c.byOwner.map(\.amount).reduce(0, +), c.total)
                XCTAssertEqual(c.byDay.map(\.amount).reduce(0, +), c.total)
                for m in methods { XCTAssertEqual(c.byMethod[m.rawValue] ?? 0, rows.filter { $0.method == m.rawValue }.map(\.amount).reduce(0, +)) }
                if actor.userId == m1.userId { XCTAssertTrue(c.byOwner.allSatisfy { $0.ownerId == m1.userId }) }
            }
        }
    }

    func testPartialPaymentsVoidOneAndReferenceAndOverpayment() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1"), m2 = try f.actor("mitra2")
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        let inv = try f.db.invoice("INV-202604-000002", actor: m1)
        let a = try f.db.recordPayment(PaymentRequest(invoice: inv.number, amount: 40_000, method: .cash, expectedVersion: inv.version),
                                       actor: m1, context: f.context)
        XCTAssertEqual([a.invoice.status, "\(a.invoice.paidAmount)"], ["partial", "40000"])
        XCTAssertFalse(a.becamePaid)
        // overpayment refused from the TUI / CLI: nothing written
        XCTAssertThrowsError(try f.db.recordPayment(PaymentRequest(invoice: inv.number, amount: 100_001), actor: m1, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .invalid(field: "amount", reason: .outOfRange(min: 1, max: 100_000)))
        }
        XCTAssertThrowsError(try f.db.recordPayment(PaymentRequest(invoice: inv.number, reference: String(repeating: "x", count: 101)), actor: m1, context: f.context))
        let b = try f.db.recordPayment(PaymentRequest(invoice: inv.number, method: .transfer, reference: "BCA 123456", expectedVersion: a.invoice.version),
                                       actor: m1, context: f.context)
        XCTAssertTrue(b.becamePaid)
        XCTAssertEqual([b.invoice.status, "\(b.invoice.paidAmount)", b.payment.reference ?? ""], ["paid", "140000", "BCA 123456"])
        // stale version → conflict
        XCTAssertThrowsError(try f.db.voidPayment(a.payment.id, reason: "x", expectedVersion: a.invoice.version, actor: m1, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .changedByOther)
        }
        // another owner cannot see or void it
        XCTAssertThrowsError(try f.db.voidPayment(a.payment.id, reason: "x", actor: m2, context: f.context))
        XCTAssertTrue(try f.db.payments(actor: m2).isEmpty)
        XCTAssertThrowsError(try f.db.voidPayment(a.payment.id, reason: " ", actor: m1, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .invalid(field: "reason", reason: .required))
        }
        let v = try f.db.voidPayment(a.payment.id, reason: "uang palsu", actor: m1, context: f.context)
        XCTAssertEqual([v.status, "\(v.paidAmount)", v.paymentMethod ?? ""], ["partial", "100000", "transfer"])
        let ps = try f.db.payments(invoice: inv.number, actor: m1)
        XCTAssertEqual(ps.map(\.isVoided), [true, false])
        XCTAssertEqual(ps[0].voidReason, "uang palsu")
        XCTAssertEqual(ps[0].voidedByName, "Budi Santoso")
        XCTAssertThrowsError(try f.db.voidPayment(a.payment.id, reason: "lagi", actor: m1, context: f.context))
        // unpay voids the rest; the record stays
        let u = try f.db.markUnpaid(inv.number, reason: "salah pelanggan", expectedVersion: nil, actor: m1, context: f.context)
        XCTAssertEqual([u.status, "\(u.paidAmount)"], ["unpaid", "0"])
        XCTAssertEqual(try f.db.payments(invoice: inv.number, actor: m1).map(\.isVoided), [true, true])
        XCTAssertEqual(try f.db.activityLog(actor: admin).filter { $0.action == "payment.void" }.count, 1)
        // a field laptop's payment on a paid invoice is kept and flagged
        _ = try f.db.markPaid(inv.number, method: .qris, expectedVersion: nil, actor: m1, context: f.context)
        XCTAssertThrowsError(try f.db.markPaid(inv.number, method: .cash, expectedVersion: nil, actor: m1, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .alreadyExists(what: "payment of \(inv.number)"))
        }
        let field = try f.db.recordPayment(PaymentRequest(invoice: inv.number, amount: 140_000, method: .cash, deviceId: "laptop-7",
                                                          acceptOverpayment: true), actor: m1, context: f.context)
        XCTAssertEqual(field.payment.flag, "overpaid")
        XCTAssertEqual(field.payment.deviceId, "laptop-7")
        XCTAssertEqual([field.invoice.status, "\(field.invoice.paidAmount)"], ["paid", "280000"])
        XCTAssertFalse(field.becamePaid)
        XCTAssertEqual(PaymentMethod.parse("Tunai"), .cash)
        XCTAssertEqual(PaymentMethod.parse("e-wallet"), .ewallet)
        XCTAssertEqual(PaymentMethod.parse("lainnya"), .other)
        XCTAssertNil(PaymentMethod.parse("bitcoin"))
    }

    /// An old database (before the ledger) gets one payment per paid or partial invoice, on
    /// the business date of its paid_at; the aggregates agree.
    func testMigrationTurnsPaidInvoicesIntoPayments() throws {
        let full = tempPath(), path = tempPath()
        for p in [full, path] {
            try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        }
        do {
            let f = try Fixture(start: "2026-03-31T18:30:00Z", file: full)   // 01:30 on 1 April in Jakarta
            let admin = try f.actor("superadmin")
            try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
            try f.db.markPaid("INV-202604-000001", method: .transfer, note: "BRI", expectedVersion: nil, actor: admin, context: f.context)
            try f.db.markPaid("INV-202604-000002", method: .cash, amount: 50_000, expectedVersion: nil, actor: admin, context: f.context)
        }
        // A database written before the ledger: the migrations up to it, holding the same rows.
        // the ledger migration's place, found rather than hard-coded (other branches append theirs)
        let ledgerIndex: Int = try {
            let q = try DatabaseQueue()
            var i = 0
            try q.write { d in while !(try d.tableExists("payments")) { try Migrations.all[i](d); i += 1 } }
            return i - 1
        }()
        let old = try DatabaseQueue(path: path)
        try old.writeWithoutTransaction { d in
            try d.inTransaction {
                for m in Migrations.all.prefix(ledgerIndex) { try m(d) }
                try d.execute(sql: "PRAGMA user_version = \(ledgerIndex)")
                return .commit
            }
            try d.execute(sql: "ATTACH DATABASE ? AS full", arguments: [full])
            for t in ["users", "packages", "customers", "invoices", "settings"] {
                let cols = try d.columns(in: t, in: "main").map(\.name).joined(separator: ", ")
                try d.execute(sql: "INSERT INTO main.\(t)(\(cols)) SELECT \(cols) FROM full.\(t)")
            }
            try d.execute(sql: "DETACH DATABASE full")
        }
        try old.close()
        let db = try AppDatabase.open(path: path, create: false)
        let rows = try db.read { d in
            try Row.fetchAll(d, sql: "SELECT i.number, p.amount, p.method, coalesce(p.note, ''), p.paid_on FROM payments p JOIN invoices i ON i.id = p.invoice_id ORDER BY 1")
                .map { "\($0[0] as String) \($0[1] as Int) \($0[2] as String) \($0[3] as String) \($0[4] as String)" }
        }
        XCTAssertEqual(rows, ["INV-202604-000001 100000 transfer BRI 2026-04-01", "INV-202604-000002 50000 cash  2026-04-01"])
        let admin = try db.read { d in try UserRecord.fetchOne(d, sql: "SELECT * FROM users WHERE username = 'superadmin'")!.actor }
        let c = try db.collected(actor: admin, from: LocalDate("2026-04-01")!, to: LocalDate("2026-04-01")!)
        XCTAssertEqual([c.total, c.count, c.byMethod["transfer"] ?? 0], [150_000, 2, 100_000])
    }
}
