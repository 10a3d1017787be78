import Foundation
import XCTest
import TerminalUI
@testable import FiberNodeTUI
import FiberNodeStore
import FiberNodeDomain

/// README.md's and man/fibernode.1's key tables against the bindings (issue 13 §6): every
/// documented key exists and every binding is documented. The tables are generated from the
/// bindings: `RECORD_KEYS=1 swift test --filter KeyDocsTests` rewrites them.
final class KeyDocsTests: XCTestCase {
    struct Row: Hashable { let pane: String; let keys: String; let help: String }
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let everyPane = "(every pane)"

    /// Every binding of every pane the superadmin sees, in each of the pane's states (list and
    /// detail, each Keuangan view, each WhatsApp tab, the audit view), then the global keys.
    func bindings() throws -> [Row] {
        let h = try AppHarness(width: 120, height: 40)
        h.login("superadmin", "Admin123!")
        guard case .main(let main) = h.app.mode else { XCTFail("not logged in"); return [] }
        let id = Strings(.id), en = Strings(.en)
        var rows: [Row] = []
        func add(_ pane: String, _ list: [Binding]) {
            for b in list {
                let r = Row(pane: pane, keys: b.keyLabel, help: en[b.help])
                if !rows.contains(r) { rows.append(r) }
            }
        }
        for (i, pane) in main.paneIDs.enumerated() {
            main.select(i); h.app.render()
            let title = id[pane.title]
            add(title, main.current.bindings)
            switch pane {
            case .customers:
                h.press(.enter); add(title, main.current.bindings); h.press(.escape)
            case .finance:
                for (key, _, _) in FinancePane.viewKeys { h.press(.char(key)); add(title, main.current.bindings) }
            case .whatsapp:
                for _ in 0..<4 { h.press(.char("v")); add(title, main.current.bindings) }
            case .settings:
                h.press(.char("A")); add(title + " › " + id[.paneAudit], main.current.bindings); h.press(.escape)
            default: break
            }
        }
        add(Self.everyPane, Keymap.global)
        return rows
    }

    // MARK: the two documents

    func readmeBlock(_ rows: [Row]) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = "| pane | keys | what |\n|---|---|---|\n"
        for r in rows { out += "| \(cell(r.pane)) | `\(cell(r.keys))` | \(cell(r.help)) |\n" }
        return out
    }

    func manBlock(_ rows: [Row]) -> String {
        // ASCII only: anything else as groff's \[uXXXX], so the page renders without preconv.
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-").unicodeScalars.map {
                $0.isASCII ? String($0) : String(format: "\\[u%04X]", $0.value)
            }.joined()
        }
        var out = ".SS Key table\n"
        for r in rows {
            let text = esc(r.help)
            out += ".TP\n.B \"\(esc(r.pane)): \(esc(r.keys))\"\n" + (text.hasPrefix(".") || text.hasPrefix("'") ? "\\&" : "") + text + "\n"
        }
        return out
    }

    static let readmeMarks = ("<!-- keys:begin (generated from the bindings: RECORD_KEYS=1 swift test --filter KeyDocsTests) -->\n",
                              "<!-- keys:end -->")
    static let manMarks = (".\\\" keys:begin (generated from the bindings: RECORD_KEYS=1 swift test --filter KeyDocsTests)\n",
                           ".\\\" keys:end")

    /// The text between the markers of `file`.
    func block(_ file: String, _ marks: (String, String)) throws -> (text: String, whole: String, range: Range<String.Index>) {
        let path = Self.root.appendingPathComponent(file)
        let whole = try String(contentsOf: path, encoding: .utf8)
        guard let a = whole.range(of: marks.0), let b = whole.range(of: marks.1, range: a.upperBound..<whole.endIndex) else {
            XCTFail("\(file) has no key table markers"); return ("", whole, whole.startIndex..<whole.startIndex)
        }
        return (String(whole[a.upperBound..<b.lowerBound]), whole, a.upperBound..<b.lowerBound)
    }

    func testReadmeAndManPageKeyTablesMatchTheBindings() throws {
        let rows = try bindings()
        XCTAssertGreaterThan(rows.count, 60)
        let docs: [(String, (String, String), String)] = [("README.md", Self.readmeMarks, readmeBlock(rows)),
                                                          ("man/fibernode.1", Self.manMarks, manBlock(rows))]
        for (file, marks, wanted) in docs {
            var (text, whole, range) = try block(file, marks)
            if ProcessInfo.processInfo.environment["RECORD_KEYS"] == "1" {
                whole.replaceSubrange(range, with: wanted)
                try whole.write(to: Self.root.appendingPathComponent(file), atomically: true, encoding: .utf8)
                text = wanted
            }
            // Both directions, by (pane, keys): a documented key that no binding has, a binding
            // nobody documented.
            let documented = Set(parse(text, man: file.hasSuffix(".1")))
            let bound = Set(rows.map { "\($0.pane): \($0.keys)" })
            XCTAssertEqual(documented.subtracting(bound).sorted(), [], "\(file) documents keys that are not bound")
            XCTAssertEqual(bound.subtracting(documented).sorted(), [], "\(file) misses bindings")
            XCTAssertEqual(text, wanted, "\(file): the key table differs from the bindings (RECORD_KEYS=1 regenerates it)")
        }
    }

    /// A man-page string back to text: `\[uXXXX]`, `\-`, `\e`.
    static func unescape(_ s: String) -> String {
        var out = s.replacingOccurrences(of: "\\-", with: "-")
        while let r = out.range(of: #"\\\[u[0-9A-F]{4,5}\]"#, options: .regularExpression) {
            let hex = out[r].dropFirst(3).dropLast()
            out.replaceSubrange(r, with: String(Character(Unicode.Scalar(UInt32(hex, radix: 16)!)!)))
        }
        return out.replacingOccurrences(of: "\\e", with: "\\")
    }

    /// "pane: keys" of each documented row.
    func parse(_ text: String, man: Bool) -> [String] {
        if man {
            return text.components(separatedBy: "\n").filter { $0.hasPrefix(".B \"") }.map {
                Self.unescape(String($0.dropFirst(4).dropLast()))
            }
        }
        return text.components(separatedBy: "\n").dropFirst(2).compactMap { line -> String? in
            let cells = line.replacingOccurrences(of: "\\|", with: "\u{1}").split(separator: "|").map {
                $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{1}", with: "|")
            }
            guard cells.count >= 2 else { return nil }
            return cells[0] + ": " + cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
        }
    }

    /// One meaning per letter (issue 13 §6): `a` adds, `d` deletes, `e` edits, `E` exports,
    /// `i` imports, `I` isolates, `r` brings back (restore a deleted row; WhatsApp: a failed
    /// message back into the queue) — in every pane that binds them.
    func testOneMeaningPerLetterAcrossPanes() throws {
        let meaning: [String: Set<String>] = [
            "a": ["Add"], "d": ["Delete"], "e": ["Edit", "Name and bank account"], "E": ["Export", "Export (due-date range)"],
            "i": ["Import CSV"], "I": ["Isolate / restore"], "r": ["Restore", "Retry"],
        ]
        var seen: [String: Set<String>] = [:]
        for r in try bindings() where r.pane != Self.everyPane {
            for k in r.keys.split(separator: " ").map(String.init) where meaning[k] != nil { seen[k, default: []].insert(r.help) }
        }
        for (k, helps) in seen { XCTAssertTrue(helps.isSubset(of: meaning[k]!), "`\(k)` means \(helps.sorted()) across panes") }
        XCTAssertNotNil(seen["a"]); XCTAssertNotNil(seen["d"])
    }
}
