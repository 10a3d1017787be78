import XCTest
@testable import FiberNodeDomain

/// Issue 17 item 4: the CSV import's per-row helpers skip Foundation on their common input;
/// the uncommon input (blanks around, separators) must still give what it gave.
final class ImportFastPathTests: XCTestCase {
    func testRupiahPlainDigitsAndTheRest() {
        XCTAssertEqual(Rupiah.parse("0150000"), Rupiah(150_000))
        XCTAssertEqual(Rupiah.parse("007"), Rupiah(7))
        XCTAssertEqual(Rupiah.parse("9223372036854775807"), Rupiah(Int.max))
        XCTAssertNil(Rupiah.parse("9223372036854775808"))
        XCTAssertEqual(Rupiah.parse(" 150000\t"), Rupiah(150_000))
        XCTAssertEqual(Rupiah.parse("rp150.000"), Rupiah(150_000))
        XCTAssertNil(Rupiah.parse("١٢٣"), "Arabic-Indic digits are not ASCII digits")
    }

    func testPhoneWithAndWithoutBlanksAround() throws {
        for raw in ["081234567890", " 081234567890", "081234567890\n", "\t+62 812-3456-7890 ", "\u{00A0}0812 3456 7890"] {
            XCTAssertEqual(try PhoneNumber.normalize(raw).digits, "6281234567890", raw.debugDescription)
        }
        XCTAssertThrowsError(try PhoneNumber.normalize("\n"))
    }

    func testLocalDateDescriptionPads() {
        XCTAssertEqual(LocalDate(year: 2025, month: 1, day: 5)?.description, "2025-01-05")
        XCTAssertEqual(LocalDate(year: 2999, month: 12, day: 31)?.description, "2999-12-31")
        XCTAssertEqual(LocalDate("2026-10-09")?.description, "2026-10-09")
    }
}
