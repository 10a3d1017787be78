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
}
