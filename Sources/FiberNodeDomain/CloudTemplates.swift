import Foundation

/// One approved WhatsApp Cloud API template a message kind maps to (setting
/// `wa.cloud.template.<kind>` = `NAME:LANG:placeholder,placeholder,…`): the placeholders fill
/// the template's body parameters `{{1}}…{{n}}` in that order, from the same values
/// FiberNode's own `{placeholder}` templates use. Pure.
public struct CloudTemplate: Sendable, Equatable {
    public var name: String
    public var language: String
    public var placeholders: [String]

    public init(name: String, language: String, placeholders: [String]) {
        self.name = name; self.language = language; self.placeholders = placeholders
    }

    /// The message kinds that may map to a template (`overdue` is the ledger's notice).
    public static let kinds = ["reminder", "overdue", "receipt", "isolation", "custom"]

    /// Why a setting value is not a template mapping.
    public enum ParseError: Error, Equatable, Sendable {
        /// Not `NAME:LANG:…`.
        case format
        /// Meta's names: lowercase letters, digits and `_`, at most 512.
        case name
        /// `id`, `en_US`, …
        case language
        /// A placeholder FiberNode does not know.
        case placeholder(String)
    }

    /// `tagihan_pengingat:id:name,period,amount,due_date`; empty → nil (no template for the kind).
    public static func parse(_ raw: String) throws -> CloudTemplate? {
        let v = raw.trimmingCharacters(in: .whitespaces)
        if v.isEmpty { return nil }
        let parts = v.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
        guard parts.count >= 2 else { throw ParseError.format }
        let name = parts[0], lang = parts[1]
        guard !name.isEmpty, name.count <= 512, name.allSatisfy({ ($0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "_" }) else {
            throw ParseError.name
        }
        guard (2...8).contains(lang.count), lang.allSatisfy({ ($0.isLetter && $0.isASCII) || $0 == "_" }),
              lang.first?.isLowercase == true else { throw ParseError.language }
        var ps: [String] = []
        if parts.count == 3 {
            ps = parts[2].split(separator: ",", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            for p in ps where !MessageTemplates.placeholders.contains(p) { throw ParseError.placeholder(p) }
        }
        return CloudTemplate(name: name, language: lang, placeholders: ps)
    }

    /// The setting's canonical text.
    public var setting: String { "\(name):\(language):\(placeholders.joined(separator: ","))" }

    /// The body parameter values, in order. Meta refuses empty parameters and ones with new
    /// lines, tabs or more than four spaces in a row, so those are cleaned: a missing value
    /// becomes "-".
    public func parameters(_ values: [String: String]) -> [String] {
        placeholders.map { Self.clean(values[$0] ?? "") }
    }

    static func clean(_ s: String) -> String {
        var out = ""
        var spaces = 0
        for ch in s {
            let c: Character = (ch == "\n" || ch == "\r" || ch == "\t") ? " " : ch
            if c == " " { spaces += 1; if spaces > 1 { continue } } else { spaces = 0 }
            out.append(c)
        }
        let t = out.trimmingCharacters(in: .whitespaces)
        return t.isEmpty ? "-" : String(t.prefix(1024))
    }

    /// The `template` object of a Cloud API send.
    public func payload(_ values: [String: String]) -> [String: Any] {
        var t: [String: Any] = ["name": name, "language": ["code": language]]
        if !placeholders.isEmpty {
            t["components"] = [["type": "body", "parameters": parameters(values).map { ["type": "text", "text": $0] }]]
        }
        return t
    }
}

/// What is known of a customer's 24-hour customer-service window (from inbound webhooks).
public enum CustomerWindow {
    public static let length: TimeInterval = 24 * 3600
    /// Open when the customer's last message came less than 24 hours before `now`.
    public static func isOpen(lastInbound: Date?, now: Date) -> Bool {
        guard let lastInbound else { return false }
        return now.timeIntervalSince(lastInbound) < length && now >= lastInbound.addingTimeInterval(-300)
    }
}

/// Replies that opt a number out of (or back into) automatic messages.
public enum OptOutKeyword {
    public static let stop: Set<String> = ["BERHENTI", "STOP", "UNREG"]
    public static let start: Set<String> = ["MULAI", "START"]

    /// true = opt out, false = opt back in, nil = an ordinary reply.
    public static func classify(_ text: String) -> Bool? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        if stop.contains(t) { return true }
        if start.contains(t) { return false }
        return nil
    }
}

/// The part of the day in business time, for greetings and wording (issue 18): Indonesian
/// custom — pagi until 10:59, siang until 14:59, sore until 17:59, malam after.
public enum DayPart: String, CaseIterable, Sendable {
    case pagi, siang, sore, malam

    public static func at(_ t: Date, in tz: TimeZone) -> DayPart {
        let day = LocalDate.from(t, in: tz)
        let minute = Int(t.timeIntervalSince(day.startOfDay(in: tz)) / 60)
        switch minute {
        case 240..<660: return .pagi        // 04:00–10:59
        case 660..<900: return .siang       // 11:00–14:59
        case 900..<1080: return .sore       // 15:00–17:59
        default: return .malam
        }
    }

    /// "Selamat pagi".
    public var greeting: String { "Selamat \(rawValue)" }

    /// A greeting picked from the list fits the hour: any "Selamat pagi/siang/sore/malam" becomes
    /// the one for this part of the day; other greetings ("Halo") stay.
    public func fit(_ greeting: String) -> String {
        Self.isTimed(greeting) ? self.greeting : greeting
    }

    static func isTimed(_ s: String) -> Bool {
        DayPart.allCases.contains { s.lowercased() == $0.greeting.lowercased() }
    }

    /// A message written for another hour (queued in the evening, sent after quiet hours in the
    /// morning): the timed greetings of its first four lines become this part's. Nothing else changes.
    public func retime(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        for i in lines.indices.prefix(4) {
            for part in DayPart.allCases where part != self {
                lines[i] = lines[i].replacingOccurrences(of: part.greeting, with: greeting)
            }
        }
        return lines.joined(separator: "\n")
    }
}
