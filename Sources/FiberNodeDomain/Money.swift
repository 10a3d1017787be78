import Foundation

/// An amount of Indonesian rupiah; integers only, never floating point.
public struct Rupiah: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var value: Int
    public init(_ value: Int) { self.value = value }
    public static let zero = Rupiah(0)

    public static func + (a: Rupiah, b: Rupiah) -> Rupiah { Rupiah(a.value + b.value) }
    public static func - (a: Rupiah, b: Rupiah) -> Rupiah { Rupiah(a.value - b.value) }
    public static func < (a: Rupiah, b: Rupiah) -> Bool { a.value < b.value }

    /// "150.000" (dot thousands separator).
    public var plain: String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(".") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// "Rp 150.000"; negative "-Rp 10.000".
    public var formatted: String {
        value < 0 ? "-Rp " + Rupiah(-value).plain : "Rp " + plain
    }

    public var description: String { formatted }

    /// Parses "150000", "150.000", "Rp 150.000", "Rp150.000"; nil for negatives, letters, empty or overflow.
    public static func parse(_ text: String) -> Rupiah? {
        // Plain digits (every amount of a CSV import): the same result without Foundation's
        // trimming, three times per imported row.
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return Int(text).map(Rupiah.init) }
        var s = text.trimmingCharacters(in: .whitespaces)
        if s.lowercased().hasPrefix("rp") { s = String(s.dropFirst(2)).trimmingCharacters(in: .whitespaces) }
        guard !s.isEmpty else { return nil }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count > 1 {
            // dots must be thousands separators: 1–3 digits, then groups of exactly 3
            guard let first = parts.first, (1...3).contains(first.count), parts.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        }
        let digits = parts.joined()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else { return nil }
        return Rupiah(n)
    }
}

/// Invoice arithmetic.
public enum InvoiceMath {
    /// price − discount; the discount must be within 0...price.
    public static func total(price: Rupiah, discount: Rupiah) throws -> Rupiah {
        guard discount.value >= 0, discount <= price else {
            throw DomainError.invalidDiscount(discount: discount.value, price: price.value)
        }
        return price - discount
    }
}

/// Errors of the pure domain rules.
public enum DomainError: Error, Equatable, Sendable {
    case invalidBillingDay(Int)
    case invalidDiscount(discount: Int, price: Int)
    case invalidPeriod(String)
    case invalidDate(String)
}
