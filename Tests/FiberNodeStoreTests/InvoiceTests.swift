import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

final class InvoiceTests: XCTestCase {
    func testGenerationIsPrepaidAndIdempotent() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin")
        let r1 = try f.db.generateInvoices(period: Period("2027-01")!, actor: admin, context: f.context)
        XCTAssertEqual(r1, GenerationResult(created: 3, skipped: 0))
        let r2 = try f.db.generateInvoices(period: Period("2027-01")!, actor: admin, context: f.context)
        XCTAssertEqual(r2, GenerationResult(created: 0, skipped: 3))
        let rows = try f.db.invoices(actor: admin, filter: InvoiceFilter(period: "2027-01"))
        XCTAssertEqual(rows.map(\.dueDate), ["2026-12-05", "2026-12-10", "2026-12-15"])   // the month before the period
        let dewi = rows.first { $0.customerName == "Dewi Lestari" }!
        XCTAssertEqual([dewi.amount, dewi.discount, dewi.totalAmount], [150_000, 10_000, 140_000])
        XCTAssertEqual(dewi.number, "INV-202701-000002")
        XCTAssertEqual(dewi.receiptToken?.count, 40)                                        // 160 bits
        XCTAssertEqual(Set(rows.compactMap(\.receiptToken)).count, 3)
        XCTAssertThrowsError(try f.db.generateInvoices(period: Period("2027-01")!, actor: try f.actor("mitra1"), context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }
        let log = try f.db.activityLog(actor: admin).filter { $0.action == "invoice.generate" }
        XCTAssertEqual(log.count, 2)
    }

    func testIsolatedAndDeletedCustomersAreSkippedAndDiscountChangesKeepSnapshots() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin")
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        let dewi = try f.db.customers(actor: admin, filter: CustomerFilter(search: "dewi")).first!
        var i = CustomerInput(dewi); i.discount = "50000"
        try f.db.updateCustomer(id: dewi.id, i, expectedVersion: dewi.version, actor: admin, context: f.context)
        try f.db.setIsolated("PLG-000001", isolated: true, actor: admin, context: f.context)
        try f.db.deleteCustomer(id: try f.db.customer(id: "PLG-000003", actor: admin).id, actor: admin, context: f.context)
        let r = try f.db.generateInvoices(period: Period("2026-05")!, actor: admin, context: f.context)
        XCTAssertEqual(r.created, 1)
        let april = try f.db.invoices(actor: admin, filter: InvoiceFilter(period: "2026-04", customerId: dewi.id)).first!
        let may = try f.db.invoices(actor: admin, filter: InvoiceFilter(period: "2026-05", customerId: dewi.id)).first!
        XCTAssertEqual(april.totalAmount, 140_000)
        XCTAssertEqual(may.totalAmount, 100_000)
        XCTAssertThrowsError(try f.db.setIsolated("PLG-000002", isolated: true, actor: try f.actor("mitra1"), context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }
    }

    func testDailyJobAcrossMonthAndYearEnds() throws {
        let f = try Fixture()
        // billing days of the demo customers: 5, 10, 15
        XCTAssertEqual(try DailyJob.run(db: f.db, businessDate: LocalDate("2026-12-04")!, context: f.context).created, 1)
        let inv = try f.db.invoices(actor: try f.actor("superadmin"), filter: InvoiceFilter()).first!
        XCTAssertEqual(inv.period, "2027-01")
        XCTAssertEqual(inv.dueDate, "2026-12-05")
        XCTAssertEqual(try DailyJob.run(db: f.db, businessDate: LocalDate("2026-12-04")!, context: f.context).created, 0) // twice: safe
        XCTAssertEqual(try DailyJob.run(db: f.db, businessDate: LocalDate("2026-12-30")!, context: f.context).created, 0) // tomorrow 31st
        let admin = try f.actor("superadmin")
        let pkg = try f.db.packages().first!.id
        try f.db.createCustomer(CustomerInput(name: "Awal Bulan", phone: "6281200009999", packageId: pkg, billingDate: "1"), actor: admin, context: f.context)
        try f.db.createCustomer(CustomerInput(name: "Akhir Feb", phone: "6281200008888", packageId: pkg, billingDate: "28"), actor: admin, context: f.context)
        let ye = try DailyJob.run(db: f.db, businessDate: LocalDate("2026-12-31")!, context: f.context)
        XCTAssertEqual([ye.created, ye.billingDay], [1, 1])
        XCTAssertEqual(ye.period, "2027-02")
        let feb = try DailyJob.run(db: f.db, businessDate: LocalDate("2027-02-27")!, context: f.context)
        XCTAssertEqual(feb.period, "2027-03")
        XCTAssertEqual(try f.db.invoices(actor: admin, filter: InvoiceFilter(period: "2027-03")).first?.dueDate, "2027-02-28")
    }

    func testPaymentsPartialAndUnpayWithReason() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        let inv = try f.db.invoice("INV-202604-000002", actor: m1)
        let p1 = try f.db.markPaid(inv.number, method: .cash, amount: 40_000, expectedVersion: inv.version, actor: m1, context: f.context)
        XCTAssertEqual([p1.status, "\(p1.paidAmount)", "\(p1.version)"], ["partial", "40000", "2"])
        XCTAssertThrowsError(try f.db.markPaid(inv.number, method: .cash, amount: 200_000, expectedVersion: p1.version, actor: m1, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .invalid(field: "amount", reason: .outOfRange(min: 1, max: 100_000)))
        }
        let p2 = try f.db.markPaid(inv.number, method: .transfer, note: "BCA", expectedVersion: p1.version, actor: m1, context: f.context)
        XCTAssertEqual(p2.status, "paid")
        XCTAssertEqual(p2.paidAmount, 140_000)
        XCTAssertEqual(p2.paidByName, "Budi Santoso")
        XCTAssertEqual(p2.paymentMethod, "transfer")
        XCTAssertThrowsError(try f.db.markPaid(inv.number, method: .cash, expectedVersion: nil, actor: m1, context: f.context))
        XCTAssertThrowsError(try f.db.markUnpaid(inv.number, reason: "  ", expectedVersion: p2.version, actor: m1, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .invalid(field: "reason", reason: .required))
        }
        let u = try f.db.markUnpaid(inv.number, reason: "salah input", expectedVersion: p2.version, actor: m1, context: f.context)
        XCTAssertEqual([u.status, "\(u.paidAmount)", u.unpaidReason ?? ""], ["unpaid", "0", "salah input"])
        XCTAssertNotNil(u.receiptVoidedAt)
        let logs = try f.db.activityLog(actor: admin).filter { $0.action.hasPrefix("invoice.") }.map(\.action)
        XCTAssertEqual(logs.filter { $0 == "invoice.pay" }.count, 2)
        XCTAssertTrue(try f.db.activityLog(actor: admin).first { $0.action == "invoice.unpay" }!.metadata!.contains("salah input"))
        let totals = try f.db.invoiceTotals(actor: m1, filter: InvoiceFilter(period: "2026-04"))
        XCTAssertEqual(totals, InvoiceTotals(count: 2, total: 240_000, paid: 0, unpaid: 240_000))
    }

    func testMitraCannotTouchAnotherOwnersInvoice() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin"), m2 = try f.actor("mitra2")
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        XCTAssertEqual(try f.db.invoices(actor: m2, filter: InvoiceFilter()).count, 0)
        XCTAssertThrowsError(try f.db.markPaid("INV-202604-000001", method: .cash, expectedVersion: nil, actor: m2, context: f.context)) {
            XCTAssertEqual($0 as? StoreError, .notPermitted)
        }
        XCTAssertThrowsError(try f.db.invoice("INV-202604-000003", actor: m2)) { XCTAssertEqual($0 as? StoreError, .notPermitted) }
        XCTAssertEqual(try f.db.invoice("INV-202604-000001", actor: admin).status, "unpaid")
    }

    func testTwoConnectionsPayingTheSameVersionExactlyOneWins() throws {
        let path = tempPath()
        let f = try Fixture(file: path)
        let admin = try f.actor("superadmin")
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        let inv = try f.db.invoice("INV-202604-000001", actor: admin)
        let other = try AppDatabase.open(path: path, create: false)
        let group = DispatchGroup()
        let results = Locked<[Result<InvoiceRow, Error>]>([])
        for db in [f.db, other] {
            group.enter()
            DispatchQueue.global().async {
                let r = Result { try db.markPaid(inv.id, method: .cash, expectedVersion: inv.version, actor: admin, context: f.context) }
                results.mutate { $0.append(r) }
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(results.value.filter { if case .success = $0 { return true } else { return false } }.count, 1)
        let failure = results.value.compactMap { if case .failure(let e) = $0 { return e as? StoreError } else { return nil } }
        XCTAssertEqual(failure, [.changedByOther])
        XCTAssertEqual(try f.db.invoice(inv.id, actor: admin).version, inv.version + 1)
    }

    func testTwoProcessesGeneratingAtOnceMakeNoDuplicates() throws {
        let path = tempPath()
        let f = try Fixture(file: path)
        let admin = try f.actor("superadmin")
        let pkg = try f.db.packages().first!.id
        for n in 0..<300 {
            try f.db.createCustomer(CustomerInput(name: "C\(n)", phone: String(format: "628130000%04d", n), packageId: pkg,
                                                  billingDate: "\(n % 28 + 1)"), actor: admin, context: f.context)
        }
        let dbs = [f.db] + (0..<3).map { _ in try! AppDatabase.open(path: path, create: false) }
        let group = DispatchGroup()
        let created = Locked(0)
        let errors = Locked<[Error]>([])
        for db in dbs {
            group.enter()
            DispatchQueue.global().async {
                do {
                    let r = try db.generateInvoices(period: Period("2026-06")!, actor: admin, context: f.context)
                    created.mutate { $0 += r.created }
                } catch { errors.mutate { $0.append(error) } }
                group.leave()
            }
        }
        group.wait()
        XCTAssertTrue(errors.value.isEmpty, "\(errors.value)")
        XCTAssertEqual(created.value, 303)
        XCTAssertEqual(try f.db.invoiceTotals(actor: admin, filter: InvoiceFilter(period: "2026-06")).count, 303)
    }

    func testIsolationCandidates() throws {
        let f = try Fixture()
        let admin = try f.actor("superadmin")
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)   // due 2026-03-05/10/15
        try f.db.markPaid("INV-202604-000003", method: .cash, expectedVersion: nil, actor: admin, context: f.context)
        let c = try f.db.isolationCandidates(actor: admin, today: LocalDate("2026-03-17")!)       // 7 days: before 03-10
        XCTAssertEqual(c.map(\.code), ["PLG-000001"])
        XCTAssertEqual(try f.db.isolationCandidates(actor: admin, today: LocalDate("2026-03-18")!).map(\.code), ["PLG-000001", "PLG-000002"])
        XCTAssertThrowsError(try f.db.isolationCandidates(actor: try f.actor("mitra1"), today: LocalDate("2026-03-18")!))
    }
}
