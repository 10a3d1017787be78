import Foundation
import XCTest
@testable import FiberNodeStore
import FiberNodeDomain

/// Keyset pages both ways over the message log and the audit log (issue 13): every row once,
/// in the list's order, across ties on the timestamp; a mitra sees only its own.
final class PagingTests: XCTestCase {
    func walk<R, C>(_ read: (C?, Bool, Int) throws -> [R], cursor: (R) -> C, size: Int) throws -> (forward: [R], backward: [R]) {
        var fwd: [R] = []
        var c: C?
        while true {
            let p = try read(c, false, size)
            fwd += p
            guard p.count == size, let l = p.last else { break }
            c = cursor(l)
        }
        var back: [R] = []
        c = nil
        // from the end: the last page (backwards from nothing), then pages before it
        var p = try read(nil, true, size)
        while !p.isEmpty {
            back = p + back
            p = try read(cursor(p[0]), true, size)
        }
        _ = c
        return (fwd, back)
    }

    func testMessageLogPagesBothWaysOverTiesAndScope() throws {
        let f = try Fixture()
        let sa = try f.actor("superadmin"), m1 = try f.actor("mitra1")
        try f.db.write { db in
            for i in 0..<260 {
                // ten messages share each instant: the id breaks the tie
                let at = Date(timeIntervalSince1970: 1_780_000_000 + Double(i / 10) * 60)
                try db.execute(sql: """
                    INSERT INTO wa_message_logs (id, owner_id, message_type, phone, content, status, sent_at)
                    VALUES (?, ?, 'custom', '6281200000000', 'x', 'sent', ?)
                    """, arguments: [String(format: "log-%04d", i), i % 2 == 0 ? sa.userId : m1.userId, at])
            }
        }
        let tz = TimeZone(identifier: "Asia/Jakarta")!
        let all = try f.db.messageLog(actor: sa, timeZone: tz, limit: 1000).map(\.id)
        XCTAssertEqual(all.count, 260)
        for size in [7, 50, 200] {
            let w = try walk({ c, b, n in try f.db.messageLogPage(actor: sa, timeZone: tz, after: c, backwards: b, limit: n) },
                             cursor: { MessageLogCursor($0) }, size: size)
            XCTAssertEqual(w.forward.map(\.id), all, "forward, pages of \(size)")
            XCTAssertEqual(w.backward.map(\.id), all, "backward, pages of \(size)")
        }
        let mine = try walk({ c, b, n in try f.db.messageLogPage(actor: m1, timeZone: tz, after: c, backwards: b, limit: n) },
                            cursor: { MessageLogCursor($0) }, size: 9)
        XCTAssertEqual(mine.forward.count, 130)
        XCTAssertTrue(mine.forward.allSatisfy { $0.ownerId == m1.userId })
        XCTAssertEqual(mine.backward.map(\.id), mine.forward.map(\.id))
    }

    func testAuditPagesBackwards() throws {
        let f = try Fixture()
        let sa = try f.actor("superadmin")
        for i in 1...40 {
            f.clock.advance(by: i % 3 == 0 ? 0 : 60)     // some share an instant
            try f.db.setSetting("wa.batch_size", String(20 + i), actor: sa, context: f.context)
        }
        let tz = TimeZone(identifier: "Asia/Jakarta")!
        let all = try f.db.activityPage(actor: sa, filter: AuditFilter(), timeZone: tz, after: nil, limit: 1000).map(\.id)
        for size in [6, 25] {
            let w = try walk({ c, b, n in try f.db.activityPage(actor: sa, filter: AuditFilter(), timeZone: tz, after: c, backwards: b, limit: n) },
                             cursor: { AuditCursor($0) }, size: size)
            XCTAssertEqual(w.forward.map(\.id), all)
            XCTAssertEqual(w.backward.map(\.id), all)
        }
    }
}
