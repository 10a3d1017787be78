import Foundation

/// A billing period: one month, "2026-03".
public struct Period: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (2000...2999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year; self.month = month
    }

    /// Exactly "YYYY-MM".
    public init?(_ text: String) {
        let p = text.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 2, p[0].count == 4, p[1].count == 2,
              p[0].allSatisfy({ $0.isASCII && $0.isNumber }), p[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let y = Int(p[0]), let m = Int(p[1]) else { return nil }
        self.init(year: y, month: m)
    }

    public var next: Period { adding(months: 1) }
    public var previous: Period { adding(months: -1) }

    public func adding(months: Int) -> Period {
        let index = year * 12 + (month - 1) + months
        return Period(year: index / 12, month: index % 12 + 1) ?? self
    }

    public var numberOfDays: Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String { String(format: "%04d-%02d", year, month) }

    public static func < (a: Period, b: Period) -> Bool { (a.year, a.month) < (b.year, b.month) }

    static let monthsID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]
    static let monthsEN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// "Maret 2026" (id) or "March 2026" (en).
    public func displayName(language: String) -> String {
        (language == "en" ? Period.monthsEN : Period.monthsID)[month - 1] + " \(year)"
    }
}

/// A calendar date with no time of day, in the business time zone.
public struct LocalDate: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard let p = Period(year: year, month: month), (1...p.numberOfDays).contains(day) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// Exactly "YYYY-MM-DD", a real date.
    public init?(_ text: String) {
        let p = text.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
              p.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var period: Period { Period(year: year, month: month)! }
    /// "YYYY-MM-DD" (years are 2000...2999: always four digits). Written without
    /// `String(format:)`, which cost a CSV import of 10,000 rows a Foundation call per row.
    public var description: String {
        String(year) + (month < 10 ? "-0" : "-") + String(month) + (day < 10 ? "-0" : "-") + String(day)
    }
    public static func < (a: LocalDate, b: LocalDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// Days since 1970-01-01 (proleptic Gregorian).
    var dayNumber: Int {
        // Howard Hinnant's days_from_civil
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0); month = m; day = d
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }
    public func days(to other: LocalDate) -> Int { other.dayNumber - dayNumber }

    /// 1 = Monday … 7 = Sunday.
    public var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 + 1 }   // 1970-01-01 was a Thursday

    /// The date of an instant in a time zone.
    public static func from(_ instant: Date, in tz: TimeZone) -> LocalDate {
        let seconds = Int(floor(instant.timeIntervalSince1970)) + tz.secondsFromGMT(for: instant)
        return LocalDate(dayNumber: Int(floor(Double(seconds) / 86400)))
    }

    /// The instant this date starts in a time zone.
    public func startOfDay(in tz: TimeZone) -> Date {
        let utc = Date(timeIntervalSince1970: TimeInterval(dayNumber * 86400))
        var offset = tz.secondsFromGMT(for: utc)
        offset = tz.secondsFromGMT(for: utc.addingTimeInterval(-TimeInterval(offset)))
        return utc.addingTimeInterval(-TimeInterval(offset))
    }

    static let shortID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    static let shortEN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "5 Mar 2026" (id uses Indonesian month abbreviations).
    public func display(language: String) -> String {
        "\(day) \((language == "en" ? LocalDate.shortEN : LocalDate.shortID)[month - 1]) \(year)"
    }
}

/// The day of the month a customer is billed on: 1–28, so every month has it.
public struct BillingDay: Hashable, Codable, Sendable {
    public let day: Int
    public init(_ day: Int) throws {
        guard (1...28).contains(day) else { throw DomainError.invalidBillingDay(day) }
        self.day = day
    }
}

/// The prepaid billing calendar of the spec ("Sistem Pra-Bayar").
public enum BillingCalendar {
    /// Invoices generated on `date` are for the next month (2026-12-05 → 2027-01).
    public static func invoicePeriod(forGenerationOn date: LocalDate) -> Period { date.period.next }

    /// Prepaid: the invoice for `period` falls due on the billing day of the month BEFORE it
    /// (period 2026-03, day 5 → due 2026-02-05); the customer pays before the service month.
    public static func dueDate(period: Period, billingDay: BillingDay) -> LocalDate {
        let m = period.previous
        return LocalDate(year: m.year, month: m.month, day: billingDay.day)!
    }

    /// H-1: the invoice is generated the day before it falls due.
    public static func generationDate(period: Period, billingDay: BillingDay) -> LocalDate {
        dueDate(period: period, billingDay: billingDay).adding(days: -1)
    }

    /// The billing day due on `date` (nil after the 28th).
    public static func customersBilledOn(_ date: LocalDate) -> BillingDay? { try? BillingDay(date.day) }

    /// The daily H-1 job for a business date: customers billed tomorrow get the invoice for the
    /// month after tomorrow's month. Nil when tomorrow is the 29th–31st.
    public static func dailyJob(for businessDate: LocalDate) -> (billingDay: BillingDay, period: Period)? {
        let tomorrow = businessDate.adding(days: 1)
        guard let day = customersBilledOn(tomorrow) else { return nil }
        return (day, tomorrow.period.next)
    }

    /// Days past the due date (0 when not overdue).
    public static func overdueDays(dueDate: LocalDate, today: LocalDate) -> Int { max(0, dueDate.days(to: today)) }
}

extension Period {
    /// "Des 2026" (id) or "Dec 2026" (en): the period in a list column (issue 13 §5).
    public func shortName(language: String) -> String {
        (language == "en" ? LocalDate.shortEN : LocalDate.shortID)[month - 1] + " \(year)"
    }
}
