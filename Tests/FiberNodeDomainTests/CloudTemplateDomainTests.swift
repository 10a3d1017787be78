import Foundation
import XCTest
@testable import FiberNodeDomain

/// Issue 18: template mappings, parameters Meta accepts, the window, opt-out words, day parts.
final class CloudTemplateDomainTests: XCTestCase {
    let jakarta = TimeZone(identifier: "Asia/Jakarta")!
    func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    func testParseAndParameters() throws {
        let t = try XCTUnwrap(try CloudTemplate.parse("tagihan_pengingat:id:name,period,amount,due_date"))
        XCTAssertEqual(t.name, "tagihan_pengingat"); XCTAssertEqual(t.language, "id")
        XCTAssertEqual(t.parameters(["name": "Ahmad\nFauzi", "period": "Maret      2026", "amount": ""]), ["Ahmad Fauzi", "Maret 2026", "-", "-"])
        XCTAssertNil(try CloudTemplate.parse("  "))
        XCTAssertEqual(try CloudTemplate.parse("nota_bayar:en_US")?.placeholders, [])
        XCTAssertThrowsError(try CloudTemplate.parse("Nota:id:name")) { XCTAssertEqual($0 as? CloudTemplate.ParseError, .name) }
        XCTAssertThrowsError(try CloudTemplate.parse("nota:ID:name")) { XCTAssertEqual($0 as? CloudTemplate.ParseError, .language) }
        XCTAssertThrowsError(try CloudTemplate.parse("nota:id:nama")) { XCTAssertEqual($0 as? CloudTemplate.ParseError, .placeholder("nama")) }
        let payload = t.payload(["name": "A", "period": "B", "amount": "C", "due_date": "D"])
        XCTAssertEqual(payload["name"] as? String, "tagihan_pengingat")
        XCTAssertEqual((payload["language"] as? [String: String])?["code"], "id")
        let body = (payload["components"] as? [[String: Any]])?.first
        XCTAssertEqual(body?["type"] as? String, "body")
        XCTAssertEqual((body?["parameters"] as? [[String: String]])?.map { $0["text"]! }, ["A", "B", "C", "D"])
    }

    func testWindowAndKeywords() {
        let t = at("2026-03-04T10:00:00Z")
        XCTAssertFalse(CustomerWindow.isOpen(lastInbound: nil, now: t))
        XCTAssertTrue(CustomerWindow.isOpen(lastInbound: t.addingTimeInterval(-86399), now: t))
        XCTAssertFalse(CustomerWindow.isOpen(lastInbound: t.addingTimeInterval(-86400), now: t))
        for w in ["BERHENTI", " stop ", "Unreg\n", "berhenti"] { XCTAssertEqual(OptOutKeyword.classify(w), true, w) }
        for w in ["MULAI", "start", " Mulai "] { XCTAssertEqual(OptOutKeyword.classify(w), false, w) }
        for w in ["stop dulu", "BERHENTI!", "", "halo"] { XCTAssertNil(OptOutKeyword.classify(w), w) }
    }

    func testDayPartsInBusinessTimeAcrossMidnight() {
        // 2026-03-04 in WIB (UTC+7)
        XCTAssertEqual(DayPart.at(at("2026-03-03T20:59:00Z"), in: jakarta), .malam)   // 03:59
        XCTAssertEqual(DayPart.at(at("2026-03-03T21:00:00Z"), in: jakarta), .pagi)    // 04:00
        XCTAssertEqual(DayPart.at(at("2026-03-04T03:59:00Z"), in: jakarta), .pagi)    // 10:59
        XCTAssertEqual(DayPart.at(at("2026-03-04T04:00:00Z"), in: jakarta), .siang)   // 11:00
        XCTAssertEqual(DayPart.at(at("2026-03-04T08:00:00Z"), in: jakarta), .sore)    // 15:00
        XCTAssertEqual(DayPart.at(at("2026-03-04T11:00:00Z"), in: jakarta), .malam)   // 18:00
        XCTAssertEqual(DayPart.at(at("2026-12-31T17:30:00Z"), in: jakarta), .malam)   // 00:30 on 1 Jan
        XCTAssertEqual(DayPart.at(at("2026-03-04T02:30:00Z"), in: TimeZone(identifier: "Asia/Jayapura")!), .siang)  // 11:30 WIT
        XCTAssertEqual(DayPart.pagi.fit("Selamat malam"), "Selamat pagi")
        XCTAssertEqual(DayPart.pagi.fit("Halo"), "Halo")
        XCTAssertEqual(DayPart.sore.retime("🔔 *Pengingat*\n\nSelamat pagi *Ahmad*, Selamat siang.\n\nSelamat pagi tetap di badan"),
                       "🔔 *Pengingat*\n\nSelamat sore *Ahmad*, Selamat sore.\n\nSelamat pagi tetap di badan")
        XCTAssertEqual(DayPart.malam.retime("Halo *Ahmad*"), "Halo *Ahmad*")
    }
}
