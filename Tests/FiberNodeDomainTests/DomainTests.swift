import Foundation
import XCTest
@testable import FiberNodeDomain

final class MoneyTests: XCTestCase {
    func testFormatting() {
        XCTAssertEqual(Rupiah(0).formatted, "Rp 0")
        XCTAssertEqual(Rupiah(999).formatted, "Rp 999")
        XCTAssertEqual(Rupiah(1000).formatted, "Rp 1.000")
        XCTAssertEqual(Rupiah(150_000).formatted, "Rp 150.000")
        XCTAssertEqual(Rupiah(1_000_000_000).formatted, "Rp 1.000.000.000")
        XCTAssertEqual(Rupiah(-10_000).formatted, "-Rp 10.000")
        XCTAssertEqual(Rupiah(150_000).plain, "150.000")
    }

    func testParse() {
        XCTAssertEqual(Rupiah.parse("150000"), Rupiah(150_000))
        XCTAssertEqual(Rupiah.parse("150.000"), Rupiah(150_000))
        XCTAssertEqual(Rupiah.parse("Rp 150.000"), Rupiah(150_000))
        XCTAssertEqual(Rupiah.parse(" Rp150.000 "), Rupiah(150_000))
        XCTAssertEqual(Rupiah.parse("0"), Rupiah(0))
        for bad in ["", "-5", "abc", "15.00", "1.5", "Rp", "99999999999999999999999", "1,000"] {
            XCTAssertNil(Rupiah.parse(bad), bad)
        }
        for n in [0, 5, 1000, 123_456_789] { XCTAssertEqual(Rupiah.parse(Rupiah(n).formatted), Rupiah(n)) }
    }

    func testInvoiceTotal() throws {
        XCTAssertEqual(try InvoiceMath.total(price: Rupiah(150_000), discount: Rupiah(10_000)), Rupiah(140_000))
        XCTAssertEqual(try InvoiceMath.total(price: Rupiah(150_000), discount: Rupiah(150_000)), Rupiah(0))
        XCTAssertThrowsError(try InvoiceMath.total(price: Rupiah(100), discount: Rupiah(101)))
        XCTAssertThrowsError(try InvoiceMath.total(price: Rupiah(100), discount: Rupiah(-1)))
    }
}

final class CalendarTests: XCTestCase {
    let jakarta = TimeZone(identifier: "Asia/Jakarta")!

    func testPeriodParsingAndYearEnd() {
        XCTAssertEqual(Period("2026-03")?.description, "2026-03")
        XCTAssertEqual(Period("2026-12")!.next.description, "2027-01")
        XCTAssertEqual(Period("2027-01")!.previous.description, "2026-12")
        XCTAssertEqual(Period("2026-01")!.adding(months: -13).description, "2024-12")
        for bad in ["2026-13", "2026-3", "abcd-01", "2026-00", "26-03", "2026-03-01", ""] { XCTAssertNil(Period(bad), bad) }
        XCTAssertEqual(Period("2028-02")!.numberOfDays, 29)
        XCTAssertEqual(Period("2026-02")!.numberOfDays, 28)
        XCTAssertEqual(Period("2100-02")!.numberOfDays, 28)
        XCTAssertEqual(Period("2000-02")!.numberOfDays, 29)
        XCTAssertEqual(Period("2026-03")!.displayName(language: "id"), "Maret 2026")
        XCTAssertEqual(Period("2026-03")!.displayName(language: "en"), "March 2026")
        XCTAssertLessThan(Period("2026-12")!, Period("2027-01")!)
    }

    func testLocalDates() {
        XCTAssertNil(LocalDate("2026-02-29"))
        XCTAssertNotNil(LocalDate("2028-02-29"))
        XCTAssertNil(LocalDate("2026-04-31"))
        XCTAssertNil(LocalDate("2026-4-01"))
        XCTAssertEqual(LocalDate("2026-12-31")!.adding(days: 1).description, "2027-01-01")
        XCTAssertEqual(LocalDate("2028-03-01")!.adding(days: -1).description, "2028-02-29")
        XCTAssertEqual(LocalDate("2026-01-01")!.days(to: LocalDate("2027-01-01")!), 365)
        XCTAssertEqual(LocalDate("2026-11-23")!.weekday, 1) // a Monday
        XCTAssertEqual(LocalDate("2026-11-29")!.weekday, 7)
        XCTAssertEqual(LocalDate("2026-03-05")!.display(language: "id"), "5 Mar 2026")
        XCTAssertEqual(LocalDate("2026-05-05")!.display(language: "id"), "5 Mei 2026")
    }

    func testBusinessDateAcrossUTCMidnight() {
        let f = ISO8601DateFormatter()
        // 17:30 UTC on 31 Jan is 00:30 on 1 Feb in Jakarta (UTC+7)
        XCTAssertEqual(LocalDate.from(f.date(from: "2026-01-31T17:30:00Z")!, in: jakarta).description, "2026-02-01")
        XCTAssertEqual(LocalDate.from(f.date(from: "2026-01-31T16:59:59Z")!, in: jakarta).description, "2026-01-31")
        XCTAssertEqual(LocalDate.from(f.date(from: "2026-12-31T17:00:00Z")!, in: jakarta).description, "2027-01-01")
        XCTAssertEqual(LocalDate("2026-02-01")!.startOfDay(in: jakarta), f.date(from: "2026-01-31T17:00:00Z"))
    }

    func testPrepaidCalendar() throws {
        let d5 = try BillingDay(5)
        XCTAssertEqual(BillingCalendar.dueDate(period: Period("2026-03")!, billingDay: d5).description, "2026-02-05")
        XCTAssertEqual(BillingCalendar.generationDate(period: Period("2026-03")!, billingDay: d5).description, "2026-02-04")
        XCTAssertEqual(BillingCalendar.dueDate(period: Period("2027-01")!, billingDay: try BillingDay(28)).description, "2026-12-28")
        XCTAssertEqual(BillingCalendar.generationDate(period: Period("2026-04")!, billingDay: try BillingDay(1)).description, "2026-02-28")
        XCTAssertEqual(BillingCalendar.invoicePeriod(forGenerationOn: LocalDate("2026-12-05")!).description, "2027-01")
        XCTAssertThrowsError(try BillingDay(0))
        XCTAssertThrowsError(try BillingDay(29))
    }

    func testDailyJobRule() {
        func job(_ s: String) -> String? {
            BillingCalendar.dailyJob(for: LocalDate(s)!).map { "\($0.billingDay.day)@\($0.period)" }
        }
        XCTAssertEqual(job("2026-02-04"), "5@2026-03")
        XCTAssertEqual(job("2026-12-31"), "1@2027-02")
        XCTAssertEqual(job("2026-02-27"), "28@2026-03")
        XCTAssertEqual(job("2026-02-28"), "1@2026-04")
        XCTAssertEqual(job("2028-02-28"), nil)   // tomorrow is the 29th
        XCTAssertEqual(job("2026-03-28"), nil)
        XCTAssertEqual(job("2026-03-30"), nil)
        XCTAssertEqual(job("2026-03-31"), "1@2026-05")
        XCTAssertEqual(BillingCalendar.overdueDays(dueDate: LocalDate("2026-02-25")!, today: LocalDate("2026-03-04")!), 7)
        XCTAssertEqual(BillingCalendar.overdueDays(dueDate: LocalDate("2026-03-05")!, today: LocalDate("2026-03-04")!), 0)
    }
}

final class PhoneTests: XCTestCase {
    func testValid() throws {
        for raw in ["081234567890", "81234567890", "+62 812-3456-7890", "62.812.3456.7890", "6281234567890", "(0812) 3456 7890"] {
            XCTAssertEqual(try PhoneNumber.normalize(raw).digits, "6281234567890", raw)
        }
        XCTAssertEqual(try PhoneNumber.normalize("0812345678").digits, "62812345678")
        XCTAssertEqual(try PhoneNumber.normalize("6281234567890").display, "+62 812-3456-7890")
    }

    func testInvalidNamesTheProblem() {
        func err(_ raw: String) -> PhoneError? {
            do { _ = try PhoneNumber.normalize(raw); return nil } catch { return error as? PhoneError }
        }
        XCTAssertEqual(err(""), .empty)
        XCTAssertEqual(err("  "), .empty)
        XCTAssertEqual(err("abc"), .invalidCharacter("a"))
        XCTAssertEqual(err("08a1"), .invalidCharacter("a"))
        XCTAssertEqual(err("+1 555 1234567"), .badPrefix)
        XCTAssertEqual(err("1234567890"), .badPrefix)
        XCTAssertEqual(err("0812"), .tooShort(digits: 5))
        XCTAssertEqual(err("0812345678901234567"), .tooLong(digits: 20))
        XCTAssertEqual(err("08１２"), .invalidCharacter("１"))
    }
}

final class PermissionTests: XCTestCase {
    /// The spec's role table, written out: true = mitra may do it too.
    let mitraAllowed: [Permission: Bool] = [
        .manageMitra: false, .createCustomer: true, .editCustomerAllFields: false, .editCustomerPhoneDiscount: true,
        .deleteCustomer: false, .isolateCustomer: false, .managePackages: false, .importCustomers: false,
        .exportCustomers: false, .viewAllOwners: false, .viewOwnFinance: true, .viewFinancePerMitra: false,
        .exportFinance: true, .markPayment: true, .generateInvoices: false, .manageSettings: false,
        .configureReceipt: false, .connectWhatsApp: true, .sendWhatsApp: true, .manageWhatsAppTemplates: false,
        .editOwnProfile: true, .editOwnBankAccount: true, .viewAuditLog: false, .manageBackups: false,
    ]

    func testFullMatrix() {
        XCTAssertEqual(Set(mitraAllowed.keys), Set(Permission.allCases), "every permission is in the expected table")
        for p in Permission.allCases {
            XCTAssertTrue(PermissionTable.allows(.superadmin, p), "superadmin \(p)")
            XCTAssertEqual(PermissionTable.allows(.mitra, p), mitraAllowed[p], "mitra \(p)")
        }
    }

    func testOwnership() {
        let m = Actor(userId: "m1", role: .mitra, username: "mitra1")
        let a = Actor(userId: "a", role: .superadmin, username: "superadmin")
        XCTAssertTrue(m.canAccess(ownerId: "m1"))
        XCTAssertFalse(m.canAccess(ownerId: "m2"))
        XCTAssertFalse(m.canAccess(ownerId: "a"))
        XCTAssertTrue(a.canAccess(ownerId: "m2"))
        XCTAssertFalse(m.can(.isolateCustomer))
    }

    func testClockAndRandom() {
        let c = ManualClock(Date(timeIntervalSince1970: 100))
        c.advance(by: 50)
        XCTAssertEqual(c.now().timeIntervalSince1970, 150)
        var a = SplitMix64(seed: 1), b = SplitMix64(seed: 1), d = SplitMix64(seed: 2)
        let xs = (0..<5).map { _ in a.next() }
        XCTAssertEqual(xs, (0..<5).map { _ in b.next() })
        XCTAssertNotEqual(xs, (0..<5).map { _ in d.next() })
    }
}
