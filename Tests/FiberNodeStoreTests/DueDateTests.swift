import Foundation
import XCTest
import GRDB
@testable import FiberNodeStore
import FiberNodeDomain

/// Generation says what it will create before doing it, and proposes a period whose due
/// dates are still ahead (issue 14).
final class DueDateTests: XCTestCase {
    func testPreviewCountsPastDueAndProposesAPeriodAhead() throws {
        let f = try Fixture(start: "2026-03-20T03:00:00Z")
        let admin = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        let today = LocalDate("2026-03-20")!
        XCTAssertThrowsError(try f.db.previewGeneration(period: Period("2026-04")!, today: today, actor: m1))
        // demo: billing days 5, 10, 15 → April's invoices fall due on 5, 10, 15 March: all past on the 20th
        let v = try f.db.previewGeneration(period: Period("2026-04")!, today: today, actor: admin)
        XCTAssertEqual([v.count, v.pastDue], [3, 3])
        XCTAssertEqual(v.total, try f.db.read { try Int.fetchOne($0, sql: "SELECT sum(max(0, p.price - c.discount)) FROM customers c JOIN packages p ON p.id = c.package_id") })
        XCTAssertEqual(try f.db.proposedGenerationPeriod(today: today, actor: admin), Period("2026-05")!)
        XCTAssertEqual(try f.db.previewGeneration(period: Period("2026-05")!, today: today, actor: admin).pastDue, 0)
        // on the 1st the next period is ahead
        XCTAssertEqual(try f.db.proposedGenerationPeriod(today: LocalDate("2026-03-01")!, actor: admin), Period("2026-04")!)
        // the preview is what generation then does
        let r = try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        XCTAssertEqual(r.created, v.count)
        XCTAssertEqual(try f.db.previewGeneration(period: Period("2026-04")!, today: today, actor: admin).count, 0)
    }

    /// No invoice falls due before its customer registered (issue 14 §5, collect3): the first
    /// due date is the later of the billing-day date and the registration date — in generation,
    /// in the daily job, and in the preview that counts what is already past due.
    func testFirstDueDateIsNeverBeforeRegistration() throws {
        let f = try Fixture(start: "2026-03-20T03:00:00Z")
        let admin = try f.actor("superadmin")
        let today = LocalDate("2026-03-20")!
        let pkg = try f.db.read { try String.fetchOne($0, sql: "SELECT id FROM packages WHERE name = 'Paket 10 Mbps'")! }
        // registered today, billed on the 5th: April's invoice would fall due on 5 March
        let new = try f.db.createCustomer(CustomerInput(name: "Baru Daftar", phone: "081200009999", packageId: pkg, billingDate: "5"),
                                          actor: admin, context: f.context)
        XCTAssertEqual(new.registerDate, "2026-03-20")
        // registered with a date ahead (connection next month), billed on the 25th
        let later = try f.db.createCustomer(CustomerInput(name: "Pasang Nanti", phone: "081200008888", packageId: pkg, billingDate: "25",
                                                          registerDate: "2026-04-28"), actor: admin, context: f.context)
        let v = try f.db.previewGeneration(period: Period("2026-04")!, today: today, actor: admin)
        XCTAssertEqual([v.count, v.pastDue], [5, 3], "the seed's three are past due; the new ones are not")
        try f.db.generateInvoices(period: Period("2026-04")!, actor: admin, context: f.context)
        func due(_ c: CustomerRow, _ p: String) throws -> String? {
            try f.db.read { try String.fetchOne($0, sql: "SELECT due_date FROM invoices WHERE customer_id = ? AND period = ?", arguments: [c.id, p]) }
        }
        XCTAssertEqual(try due(new, "2026-04"), "2026-03-20", "due on the day of registration, not before")
        XCTAssertEqual(try due(later, "2026-04"), "2026-04-28")
        // the seed (registered a year ago) keeps the billing-day date
        XCTAssertEqual(try f.db.read { try String.fetchAll($0, sql: """
            SELECT i.due_date FROM invoices i JOIN customers c ON c.id = i.customer_id
            WHERE i.period = '2026-04' AND c.code <= 'PLG-000003' ORDER BY c.code
            """) }, ["2026-03-05", "2026-03-10", "2026-03-15"])
        // later periods are on the billing day again
        try f.db.generateInvoices(period: Period("2026-05")!, actor: admin, context: f.context)
        XCTAssertEqual(try due(new, "2026-05"), "2026-04-05")
        XCTAssertEqual(try due(later, "2026-05"), "2026-04-28", "still not before registration")
        try f.db.generateInvoices(period: Period("2026-06")!, actor: admin, context: f.context)
        XCTAssertEqual(try due(later, "2026-06"), "2026-05-25")
        // nothing of theirs is overdue on the day they registered
        let overdue = try f.db.invoices(actor: admin, filter: InvoiceFilter(overdueOn: today.description), limit: 100)
        XCTAssertEqual(overdue.count, 3, "only the seed's")
        XCTAssertEqual(try f.db.dashboard(actor: admin, period: Period("2026-03")!, today: today).overdueCount, overdue.count)
        // a service month that ended before registration is not billed at all
        let (_, _) = (try f.db.generateInvoices(period: Period("2026-03")!, actor: admin, context: f.context), 0)
        XCTAssertNil(try due(later, "2026-03"))
        XCTAssertEqual(try due(new, "2026-03"), "2026-03-20")
    }

    /// The daily job's invoice for a customer registered after its billing day is due on the
    /// registration date too.
    func testDailyJobRespectsRegistration() throws {
        let f = try Fixture(start: "2026-03-09T03:00:00Z")
        let admin = try f.actor("superadmin")
        let pkg = try f.db.read { try String.fetchOne($0, sql: "SELECT id FROM packages WHERE name = 'Paket 10 Mbps'")! }
        let c = try f.db.createCustomer(CustomerInput(name: "Daftar Besok", phone: "081200007777", packageId: pkg, billingDate: "10",
                                                      registerDate: "2026-03-12"), actor: admin, context: f.context)
        _ = try DailyJob.run(db: f.db, businessDate: LocalDate("2026-03-09")!, context: f.context)
        let due = try f.db.read { try String.fetchAll($0, sql: "SELECT due_date FROM invoices WHERE customer_id = ?", arguments: [c.id]) }
        XCTAssertFalse(due.isEmpty, "the daily job billed the customer")
        XCTAssertTrue(due.allSatisfy { $0 >= "2026-03-12" }, "\(due)")
    }
}
