import Foundation

/// Why a phone number was refused.
public enum PhoneError: Error, Equatable, Sendable {
    case empty
    case invalidCharacter(Character)
    case badPrefix
    case tooShort(digits: Int)
    case tooLong(digits: Int)
}

/// An Indonesian WhatsApp number: digits only, starting with 62, 10–15 digits.
public struct PhoneNumber: Hashable, Codable, Sendable, CustomStringConvertible {
    public let digits: String

    private static let blanks = CharacterSet.whitespacesAndNewlines

    /// Accepts 0812…, 812…, +62 812-…, 62… with spaces, dots, dashes or parentheses.
    public static func normalize(_ raw: String) throws -> PhoneNumber {
        // Foundation's trimming only when there is something to trim (a CSV import normalises
        // 10,000 numbers, nearly all without surrounding blanks).
        let scalars = raw.unicodeScalars
        let plain = scalars.first.map { !blanks.contains($0) } == true && scalars.last.map { !blanks.contains($0) } == true
        var s = plain ? raw : raw.trimmingCharacters(in: blanks)
        guard !s.isEmpty else { throw PhoneError.empty }
        var plus = false
        if s.hasPrefix("+") { plus = true; s.removeFirst() }
        var digits = ""
        for c in s {
            if c == " " || c == "." || c == "-" || c == "(" || c == ")" { continue }
            guard c.isASCII, c.isNumber else { throw PhoneError.invalidCharacter(c) }
            digits.append(c)
        }
        guard !digits.isEmpty else { throw PhoneError.empty }
        if plus {
            guard digits.hasPrefix("62") else { throw PhoneError.badPrefix }
        } else if digits.hasPrefix("0") {
            digits = "62" + digits.dropFirst()
        } else if digits.hasPrefix("8") {
            digits = "62" + digits
        }
        guard digits.hasPrefix("62") else { throw PhoneError.badPrefix }
        guard digits.count >= 10 else { throw PhoneError.tooShort(digits: digits.count) }
        guard digits.count <= 15 else { throw PhoneError.tooLong(digits: digits.count) }
        return PhoneNumber(digits: digits)
    }

    /// "+62 812-3456-7890".
    public var display: String {
        let rest = Array(digits.dropFirst(2))
        var groups: [String] = []
        var i = 0
        let sizes = [3, 4, 4, 4]
        for size in sizes where i < rest.count {
            groups.append(String(rest[i..<min(rest.count, i + size)]))
            i += size
        }
        return "+62 " + groups.joined(separator: "-")
    }

    /// The digits for https://wa.me/…
    public var waMeDigits: String { digits }
    public var description: String { digits }
}
