import Foundation
import XCTest
import TerminalUI
@testable import FiberNodeTUI
import FiberNodeStore
import FiberNodeDomain

/// The dashboard's "isolated tomorrow" line (issue 14) now read from the flat summary (issue
/// 17): the same count and first three names the full dry run gives, per scope.
final class DashboardAutoIsolationTests: XCTestCase {
    func harness() throws -> (AppHarness, Actor) {
        let h = try financeHarness(width: 160, height: 40)
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.setSetting("isolation.auto", "true", actor: admin, context: h.context)
        let pkg = try h.db.packages()[0].id
        for (i, name) in ["Wati Anggraini", "Yusuf Maulana", "Zainal Arifin"].enumerated() {
            try h.db.createCustomer(CustomerInput(name: name, phone: "6281390000\(i)00", packageId: pkg, ownerId: admin.userId,
                                                  billingDate: String(1 + i), registerDate: "2026-01-10"), actor: admin, context: h.context)
        }
        try h.db.generateInvoices(period: Period("2026-03")!, actor: admin, context: h.context)   // theirs fall due on 1–3 February
        return (h, admin)
    }

    /// The line as the full dry run (`autoCandidates`) would draw it.
    func expected(_ h: AppHarness, _ actor: Actor, owner: String?) throws -> String {
        let full = try h.db.autoIsolationPreview(actor: actor, day: LocalDate("2026-03-05")!, ownerId: owner)
        let names = full.isEmpty ? "" : ": " + full.prefix(3).map(\.name).joined(separator: ", ") + (full.count > 3 ? ", …" : "")
        return "Isolir otomatis besok: \(full.count) pelanggan\(names)"
    }

    func testLineEqualsTheFullDryRunForEveryScope() throws {
        let (h, admin) = try harness()
        h.login("superadmin", "Admin123!")
        let all = try expected(h, admin, owner: nil)
        XCTAssertTrue(all.hasSuffix(", …"), all)   // more than three: cut with an ellipsis
        XCTAssertTrue(h.text.contains(all), "\(all)\n\(h.text)")
        let owners = try h.db.owners(actor: admin)
        for o in owners {
            h.type("o")
            let line = try expected(h, admin, owner: o.id)
            XCTAssertTrue(h.text.contains(line), "\(line)\n\(h.text)")
        }
        let (m, _) = try harness()
        m.login("mitra1", "Mitra123!")
        let m1 = try m.db.login(username: "mitra1", password: "Mitra123!", context: m.context).actor
        let mine = try expected(m, m1, owner: nil)
        XCTAssertTrue(m.text.contains(mine), "\(mine)\n\(m.text)")
        XCTAssertFalse(m.text.contains("Wati") || m.text.contains("Yusuf"), m.text)
    }
}
