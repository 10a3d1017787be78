import Foundation
import GRDB

/// What typed search text means (issue 13): an invoice number prefix ("INV-2026…"), a customer
/// code prefix ("PLG-0010…", which the customers' FTS index does not hold), or words for that
/// index (name, phone, NIK, address). Every form is answered from an index, never a full scan.
public enum SearchText: Equatable, Sendable {
    /// An upper-cased invoice number prefix.
    case invoiceNumber(String)
    /// The customer numbers whose code ("PLG-" + six digits) starts with what was typed.
    case customerCode(ClosedRange<Int>)
    /// An FTS5 prefix query over the customers' name, phone, NIK and address.
    case words(String)
    case none

    public init(_ raw: String) {
        let t = raw.trimmingCharacters(in: .whitespaces).uppercased()
        if t.isEmpty { self = .none; return }
        if t.hasPrefix("INV"), t.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            self = .invoiceNumber(t); return
        }
        if t.hasPrefix("PLG") {
            var rest = t.dropFirst(3)
            if rest.first == "-" { rest = rest.dropFirst() }
            if rest.allSatisfy({ $0.isASCII && $0.isNumber }), rest.count <= 9 {
                if rest.count >= 6 { let n = Int(rest)!; self = .customerCode(n...n); return }
                var scale = 1
                for _ in 0..<(6 - rest.count) { scale *= 10 }
                let lo = (Int(rest) ?? 0) * scale
                self = .customerCode(lo...(lo + scale - 1)); return
            }
        }
        if let q = AppDatabase.ftsQuery(t) { self = .words(q) } else { self = .none }
    }

    /// A condition on the customers aliased `alias` (nil when nothing was typed).
    func customerClause(_ alias: String) -> (String, [DatabaseValueConvertible?])? {
        switch self {
        case .customerCode(let r): return ("\(alias).no BETWEEN ? AND ?", [r.lowerBound, r.upperBound])
        case .words(let q): return ("\(alias).no IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?)", [q])
        case .invoiceNumber, .none: return nil
        }
    }

    /// How many customers the text matches, from the index alone, counted up to `cap` (to choose
    /// a query plan: the callers only ask "more than N?", and counting every match of "m" among
    /// 500,000 customers would cost more than the page it chooses a plan for).
    func customerMatches(_ db: Database, upTo cap: Int) throws -> Int {
        switch self {
        case .customerCode(let r):
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM customers WHERE no BETWEEN ? AND ? LIMIT ?)",
                                    arguments: [r.lowerBound, r.upperBound, cap]) ?? 0
        case .words(let q):
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ? LIMIT ?)",
                                    arguments: [q, cap]) ?? 0
        case .invoiceNumber, .none: return 0
        }
    }

    /// A condition on the invoices aliased `i`. A narrow customer match is read through the
    /// invoices' customer index; a broad one (`broad`) walks the list's order index and tests
    /// membership, stopping at the page (the unary `+` keeps the planner off the customer index).
    func invoiceClause(broad: Bool) -> (String, [DatabaseValueConvertible?])? {
        switch self {
        case .invoiceNumber(let p):
            // "INV-202612-0010" names a few invoices: read them from the number index. A short
            // prefix ("INV-2026") names a whole period or more: walk the list's order instead.
            let plus = p.count < 14 ? "+" : ""
            return ("\(plus)i.number >= ? AND \(plus)i.number < ?", [p, p + "\u{FFFF}"])
        case .customerCode, .words:
            let (c, args) = customerClause("sc")!
            return ("\(broad ? "+" : "")i.customer_id IN (SELECT sc.id FROM customers sc WHERE \(c))", args)
        case .none: return nil
        }
    }

    /// Above this many matching customers a search is "broad" (see `invoiceClause`).
    static let broadCustomers = 300

    /// Up to this many matches a customer search is listed in the chosen order (name, billing
    /// day: all matches read and sorted, a few ms); beyond it, over every owner, the matches are
    /// listed in customer-number order straight from the full-text index and counted up to here
    /// ("more than 2,000"), so a keystroke costs the same at 500,000 customers as at 5,000.
    public static let orderedMatches = 2_000
}
