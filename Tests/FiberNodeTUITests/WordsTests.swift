import Foundation
import XCTest
import TerminalUI
@testable import FiberNodeTUI
import FiberNodeStore
import FiberNodeDomain

/// Words on screen (issue 13 §5): statuses as domain types with a display name each, the
/// audit in words, errors as sentences, counts grouped, dates in the user's language.
final class WordsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every status a screen can show, with its stored (raw) value.
    func everyStatus(_ s: Strings) -> [(raw: String, name: String)] {
        CustomerStatus.allCases.map { ($0.rawValue, s.name($0)) } + InvoiceStatus.allCases.map { ($0.rawValue, s.name($0)) }
            + QueueStatus.allCases.map { ($0.rawValue, s.name($0)) } + DeliveryStatus.allCases.map { ($0.rawValue, s.name($0)) }
            + ConnectionState.allCases.map { ($0.rawValue, s.name($0)) } + SessionState.allCases.map { ($0.rawValue, s.name($0)) }
            + RouterActionStatus.allCases.map { ($0.rawValue, s.name($0)) } + RouterActionKind.allCases.map { ($0.rawValue, s.name($0)) }
    }

    func testEveryStatusHasADisplayNameInIndonesianAndEnglish() {
        for lang in Language.allCases {
            for (raw, name) in everyStatus(Strings(lang)) {
                XCTAssertFalse(name.isEmpty, "\(lang) \(raw)")
                XCTAssertFalse(name.contains("_"), "\(lang) \(raw): \(name)")
            }
        }
        // Indonesian never shows the stored English code.
        for (raw, name) in everyStatus(Strings(.id)) { XCTAssertNotEqual(name.lowercased(), raw.lowercased(), raw) }
        let id = Strings(.id)
        XCTAssertEqual(id.name(InvoiceStatus.paid), "lunas")
        XCTAssertEqual(id.name(InvoiceStatus.partial), "terbayar", "partial is never \"lunas\"")
        XCTAssertFalse(id.name(InvoiceStatus.partial).contains("lunas"))
        XCTAssertEqual(id.name(SessionState.scanQR), "menunggu pindai kode QR")
        XCTAssertEqual(id.name(QueueStatus.pending), "menunggu")
        XCTAssertEqual(id.name(CustomerStatus.active), "aktif")
        XCTAssertEqual(Strings(.en).name(InvoiceStatus.unpaid), "unpaid")
    }

    /// The Swift files under Sources, with comments cut away (naively: a `//` outside a string).
    func sources() throws -> [(path: String, lines: [String])] {
        let dir = Self.root.appendingPathComponent("Sources")
        let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)!
        var out: [(String, [String])] = []
        for case let url as URL in e where url.pathExtension == "swift" {
            let rel = String(url.path.dropFirst(dir.path.count + 1))
            out.append((rel, try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")))
        }
        return out
    }

    func testNoStatusStringLiteralOutsideTheStoresSQL() throws {
        // The store maps its SQL strings (FiberNodeStore); the fakes speak the outside
        // servers' wire protocol (FiberNodeFakes); the enums hold the raw values; the sync
        // protocol's frame types ("done") are wire words of its own, never shown.
        let exempt = ["FiberNodeStore/", "FiberNodeFakes/", "FiberNodeDomain/Statuses.swift", "FiberNodeSync/SyncProtocol.swift"]
        let raws = Set(everyStatus(Strings(.en)).map(\.raw)).subtracting(["isolate", "restore"])
        let literal = try NSRegularExpression(pattern: #""([A-Za-z_]+)"(\s*:)?"#)
        var found: [String] = []
        let files = try sources()
        XCTAssertGreaterThan(files.count, 100)
        for (path, lines) in files where !exempt.contains(where: { path.hasPrefix($0) }) {
            for (n, line) in lines.enumerated() {
                var code = line
                if let c = code.range(of: "//") { code = String(code[..<c.lowerBound]) }
                if code.trimmingCharacters(in: .whitespaces).hasPrefix("///") { continue }
                for m in literal.matches(in: code, range: NSRange(code.startIndex..., in: code)) {
                    let word = String(code[Range(m.range(at: 1), in: code)!])
                    // A dictionary key (`"sent": n` in JSON output) names a field, not a status.
                    if m.range(at: 2).location != NSNotFound { continue }
                    // An entry of the strings tables (`.stActive: "active"`) is the English display name.
                    if code.range(of: #"\.[A-Za-z]+:\s*"\#(word)""#, options: .regularExpression) != nil { continue }
                    if raws.contains(word) { found.append("\(path):\(n + 1): \"\(word)\"") }
                }
            }
        }
        XCTAssertEqual(found, [], "status literals outside the store:\n" + found.joined(separator: "\n"))
    }

    func testEveryAuditActionTheStoreWritesHasWordsInBothLanguages() throws {
        let action = try NSRegularExpression(pattern: #""([a-z_]+\.[a-z_.+]+)""#)
        var written: Set<String> = []
        for (path, lines) in try sources() where path.hasPrefix("FiberNodeStore/") {
            let text = lines.joined(separator: "\n")
            var at = text.startIndex
            while let r = text.range(of: "Audit.record(", range: at..<text.endIndex) {
                let call = String(text[r.upperBound...].prefix(220))
                if let a = call.range(of: "action: ") {
                    let arg = String(call[a.upperBound...].prefix(while: { $0 != "," }))
                    for m in action.matches(in: arg, range: NSRange(arg.startIndex..., in: arg)) {
                        written.insert(String(arg[Range(m.range(at: 1), in: arg)!]))
                    }
                }
                at = r.upperBound
            }
        }
        XCTAssertGreaterThan(written.count, 40)
        for a in written { XCTAssertNotNil(AuditAction(rawValue: a), "store writes \(a) with no words") }
        for lang in Language.allCases {
            let s = Strings(lang)
            for a in AuditAction.allCases {
                let w = s.auditAction(a.rawValue)
                XCTAssertFalse(w.isEmpty || w.contains(a.rawValue), "\(lang) \(a)")
            }
        }
        XCTAssertEqual(Strings(.id).auditAction("invoice.pay"), "Pembayaran dicatat")
        XCTAssertEqual(Strings(.en).auditAction("invoice.pay"), "Payment recorded")
    }

    func testAuditViewShowsTheActionInWordsAndTheResourceByItsCode() throws {
        let h = try AppHarness(width: 100, height: 30)
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.generateInvoices(period: Period("2026-03")!, actor: admin, context: h.context)
        let inv = try h.db.invoices(actor: admin, filter: InvoiceFilter(), limit: 1)[0]
        h.clock.advance(by: 60)
        _ = try h.db.markPaid(inv.id, method: .cash, expectedVersion: inv.version, actor: admin, context: h.context)
        h.login("superadmin", "Admin123!")
        h.press(.char("8"), .char("A"))
        let t = h.text
        let row = h.screen.lines.first { $0.contains("Pembayaran dicatat") }
        XCTAssertNotNil(row, t)
        XCTAssertTrue(row?.contains(inv.number) == true, "the invoice by its number\n" + t)
        XCTAssertFalse(t.contains("invoice.pay"), t)
        let uuid = try NSRegularExpression(pattern: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-")
        XCTAssertEqual(uuid.numberOfMatches(in: t, range: NSRange(t.startIndex..., in: t)), 0, "no UUID on screen\n" + t)
        // The detail: the action in words, the resource kind and its code; no UUID.
        h.press(.enter)
        let d = h.text
        XCTAssertTrue(d.contains("Pembayaran dicatat"), d)
        XCTAssertTrue(d.contains("Tagihan " + inv.number), d)
        XCTAssertEqual(uuid.numberOfMatches(in: d, range: NSRange(d.startIndex..., in: d)), 0, "no UUID in the detail\n" + d)
        // Dates in words, not ISO.
        XCTAssertTrue(d.contains("4 Mar 2026"), d)
        // The codes come from the store only for whoever may read the audit log.
        let mitra = try h.db.login(username: "mitra1", password: "Mitra123!", context: h.context).actor
        XCTAssertThrowsError(try h.db.auditResourceLabels([], actor: mitra)) { XCTAssertEqual($0 as? StoreError, .notPermitted) }
    }

    func testErrorsAreWholeSentencesWithIndonesianFieldNames() {
        let id = Strings(.id)
        let phone = id.message(for: StoreError.invalid(field: "phone", reason: .phone(.tooShort(digits: 8))))
        XCTAssertTrue(phone.hasPrefix("Nomor telepon tidak valid ("), phone)
        XCTAssertFalse(phone.contains("phone"))
        XCTAssertEqual(id.message(for: StoreError.notFound(what: "customer")), "Pelanggan tidak ditemukan.")
        XCTAssertEqual(id.message(for: StoreError.notFound(what: "invoice INV-202603-0001")), "Tagihan INV-202603-0001 tidak ditemukan.")
        XCTAssertEqual(id.message(for: StoreError.notFound(what: "payment 9f1c2d3e-aaaa")), "Pembayaran tidak ditemukan.", "no UUID")
        let paid = id.message(for: StoreError.alreadyExists(what: "payment of INV-202603-0001"))
        XCTAssertEqual(paid, "Tagihan INV-202603-0001 sudah lunas; pembayaran tidak dicatat dua kali.")
        XCTAssertEqual(id.message(for: StoreError.alreadyExists(what: "phone 6281234567890")),
                       "Nomor HP 6281234567890 sudah dipakai pelanggan lain.")
        XCTAssertFalse(id.message(for: StoreError.alreadyExists(what: "void of payment 9f1c2d3e")).contains("9f1c"))
        XCTAssertEqual(Strings(.en).message(for: StoreError.notFound(what: "customer")), "Customer not found.")
        XCTAssertTrue(Strings(.en).message(for: StoreError.invalid(field: "billing_date", reason: .required)).hasPrefix("Billing day"))
        // Every field the store names has words in both languages.
        for f in ["name", "phone", "billing_date", "business_name", "bank_account", "register_date", "api_key"] {
            XCTAssertNotEqual(id.fieldName(f), f); XCTAssertNotEqual(Strings(.en).fieldName(f), f)
        }
    }

    func testCountsAreGroupedLikeMoneyAndDatesAreInWords() {
        let id = Strings(.id)
        XCTAssertEqual(id.f(.custFooter, 10000, 1001, 1015), "10.000 pelanggan · baris 1.001–1.015")
        XCTAssertEqual(id.f(.dashCustomersLine, 1234, 5), "Pelanggan aktif 1.234 · terisolir 5")
        XCTAssertEqual(id.f(.invFooter, 1500, "Rp 1", "Rp 2", "Rp 3"), "1.500 tagihan · total Rp 1 · terbayar Rp 2 · belum Rp 3")
        XCTAssertEqual(id.f(.terminalTooSmall, 70, 20), "Terminal terlalu kecil (70x20). Perbesar ke minimal 80x24.")
        XCTAssertEqual(id.date("2026-11-01"), "1 Nov 2026")
        XCTAssertEqual(id.period("2026-12"), "Des 2026")
        XCTAssertEqual(Strings(.en).period("2026-12"), "Dec 2026")
        // The Tagihan list: period and due date in words, partial as "terbayar", never ISO.
        let p = InvoicePresenter(today: "2026-03-20")
        var row = try! XCTUnwrap(sampleInvoice())
        let cells = p.cells(row, id)
        XCTAssertEqual(cells[3], "Des 2026"); XCTAssertEqual(cells[4], "1 Nov 2026")
        row.status = InvoiceStatus.partial.rawValue
        XCTAssertEqual(p.cells(row, id)[6], "terbayar")
    }

    /// Tagihan, Pelanggan and the WhatsApp queue on the virtual screen: statuses and dates in
    /// Indonesian, no stored code and no ISO date.
    func testPanesShowStatusesAndDatesInIndonesian() throws {
        let h = try AppHarness(width: 120, height: 40)
        let admin = try h.db.login(username: "superadmin", password: "Admin123!", context: h.context).actor
        try h.db.generateInvoices(period: Period("2026-03")!, actor: admin, context: h.context)
        let inv = try h.db.invoices(actor: admin, filter: InvoiceFilter(), limit: 1)[0]
        _ = try h.db.markPaid(inv.id, method: .cash, amount: 1000, expectedVersion: inv.version, actor: admin, context: h.context)
        h.login("superadmin", "Admin123!")
        // Tagihan opens on the next period; `*` (all periods — `a` adds, elsewhere) shows March.
        h.press(.char("3"), .char("*"))
        var t = h.text
        XCTAssertTrue(t.contains("periode: semua"), t)
        XCTAssertTrue(t.contains("belum bayar"), t)
        XCTAssertTrue(h.screen.lines.contains { $0.contains(inv.number) && $0.contains("terbayar") }, "partial is \"terbayar\"\n" + t)
        XCTAssertTrue(t.contains("Mar 2026"), t)
        for raw in ["unpaid", "partial", "2026-03"] { XCTAssertFalse(t.contains(raw), "\(raw) on screen\n" + t) }
        XCTAssertTrue(t.contains("terbayar Rp 1.000"), "the footer's paid sum is \"terbayar\", not \"lunas\"\n" + t)
        // Pelanggan: the status column in words.
        h.press(.char("2"))
        t = h.text
        XCTAssertTrue(t.contains("aktif"), t)
        XCTAssertFalse(t.contains("active"), t)
        // WhatsApp queue: a queued reminder reads "menunggu", the filter line too.
        _ = try h.db.enqueueReminders(businessDate: LocalDate("2026-03-04")!, context: h.context)
        h.press(.char("5"), .char("v"), .function(5))
        t = h.text
        XCTAssertFalse(t.contains("pending"), t)
        h.press(.char("f"))
        XCTAssertTrue(h.text.contains("menunggu"), h.text)
        XCTAssertFalse(h.text.contains("pending"), h.text)
    }

    func sampleInvoice() -> InvoiceRow? {
        let json = """
            {"id":"x","number":"INV-202612-0001","customer_id":"c","customer_code":"PLG-000001","customer_name":"Budi",
             "customer_phone":"6281234567890","owner_id":"o","area":"WiFi","package_name":"P","package_speed":"10",
             "period":"2026-12","amount":100000,"discount":0,"total_amount":100000,"paid_amount":0,"status":"unpaid",
             "due_date":"2026-11-01","version":1}
            """
        let d = JSONDecoder(); d.keyDecodingStrategy = .convertFromSnakeCase
        return try? d.decode(InvoiceRow.self, from: Data(json.utf8))
    }
}
