import Foundation
import XCTest
import FiberNodeDomain

/// The anti-ban planner on a virtual clock.
final class PlannerTests: XCTestCase {
    let tz = TimeZone(identifier: "Asia/Jakarta")!

    func localMinutes(_ t: Date) -> Int {
        let d = LocalDate.from(t, in: tz)
        return Int(t.timeIntervalSince(d.startOfDay(in: tz)) / 60)
    }

    /// 5 mitra × 500 reminders, planned from the 06:00 job: per session never over a cap,
    /// never in quiet hours, at least the minimum spacing, all on that business day.
    func testFiveMitraTimesFiveHundredFitOneDay() {
        // Defaults, except a daily cap that lets 500 fit (the default 300 would, correctly, spill over).
        let policy = SendPolicy(maxPerDay: 500, timeZone: tz)
        let jobTime = date("2026-03-04T23:00:00Z")      // 06:00 WIB on 2026-03-05
        let day = LocalDate("2026-03-05")!
        var rng = SplitMix64(seed: 99)
        for _ in 0..<5 {
            var planner = SendPlanner(policy: policy)
            var times: [Date] = []
            var held = 0
            for _ in 0..<500 {
                let slot = planner.next(notBefore: jobTime) { Int.random(in: $0, using: &rng) }
                times.append(slot.at)
                if slot.held { held += 1 }
            }
            XCTAssertGreaterThan(held, 0, "06:00 is inside quiet hours: the first ones are held until 08:00")
            XCTAssertEqual(times, times.sorted())
            for t in times {
                XCTAssertFalse(policy.isQuiet(t), "\(t) in quiet hours")
                XCTAssertEqual(LocalDate.from(t, in: tz), day)
                XCTAssertGreaterThanOrEqual(localMinutes(t), 8 * 60)
                XCTAssertLessThan(localMinutes(t), 21 * 60)
            }
            for i in 1..<times.count { XCTAssertGreaterThanOrEqual(times[i].timeIntervalSince(times[i - 1]), 8) }
            // Rolling hour: any 51 consecutive sends span at least an hour.
            for i in 0..<(times.count - 50) { XCTAssertGreaterThanOrEqual(times[i + 50].timeIntervalSince(times[i]), 3600) }
            // After every 20 there is a rest of at least the cooldown (or more).
            for b in stride(from: 20, to: times.count, by: 20) where times[b].timeIntervalSince(times[b - 1]) < 300 {
                // only allowed when the hour cap already forced a longer gap before
                XCTFail("no cooldown after message \(b)")
            }
        }
    }

    func testDailyCapSpillsToNextMorningAndWeekendHold() {
        var policy = SendPolicy(timeZone: tz)           // default cap 300/day
        var planner = SendPlanner(policy: policy)
        var rng = SplitMix64(seed: 1)
        let start = date("2026-03-05T01:00:00Z")        // 08:00 WIB Thursday
        let times = (0..<400).map { _ in planner.next(notBefore: start) { Int.random(in: $0, using: &rng) }.at }
        let byDay = Dictionary(grouping: times) { LocalDate.from($0, in: tz) }.mapValues(\.count)
        XCTAssertEqual(byDay[LocalDate("2026-03-05")!], 300)
        XCTAssertEqual(byDay[LocalDate("2026-03-06")!], 100)
        XCTAssertTrue(times.allSatisfy { !policy.isQuiet($0) })

        policy.holdWeekend = true
        let saturday = date("2026-03-07T03:00:00Z")     // Sat 10:00 WIB
        XCTAssertFalse(policy.isAllowed(saturday))
        let next = policy.nextAllowed(from: saturday)
        XCTAssertEqual(LocalDate.from(next, in: tz).description, "2026-03-09")
        XCTAssertEqual(localMinutes(next), 8 * 60)
    }

    func testQuietHoursOffWhenEqualAndSameDayWindow() {
        var p = SendPolicy(quietStart: 0, quietEnd: 0, timeZone: tz)
        XCTAssertFalse(p.isQuiet(date("2026-03-04T17:00:00Z")))     // 00:00 WIB
        p = SendPolicy(quietStart: 12 * 60, quietEnd: 13 * 60, timeZone: tz)
        XCTAssertTrue(p.isQuiet(date("2026-03-04T05:30:00Z")))      // 12:30 WIB
        XCTAssertEqual(localMinutes(p.nextAllowed(from: date("2026-03-04T05:30:00Z"))), 13 * 60)
    }

    /// The planner continues from what a session already has: a second plan never crowds the first.
    func testHistoryKeepsCapsAcrossRuns() {
        let policy = SendPolicy(minDelay: 0, maxDelay: 0, jitter: 0, batchSize: 1000, batchCooldown: 0, maxPerHour: 10,
                                quietStart: 0, quietEnd: 0, timeZone: tz)
        var a = SendPlanner(policy: policy)
        let t0 = date("2026-03-05T02:00:00Z")
        let first = (0..<10).map { _ in a.next(notBefore: t0) { $0.lowerBound }.at }
        var b = SendPlanner(policy: policy, history: first)
        let next = b.next(notBefore: t0) { $0.lowerBound }.at
        XCTAssertGreaterThanOrEqual(next.timeIntervalSince(first[0]), 3600)
    }

    func testTemplatesRenderRefuseUnknownAndDropSwitchedOffLines() {
        XCTAssertEqual(MessageTemplates.unknownPlaceholders(in: "Halo {name} {nama} {amount} {foo}"), ["nama", "foo"])
        XCTAssertTrue(MessageTemplates.unknownPlaceholders(in: MessageTemplates.defaultReceipt).isEmpty)
        XCTAssertTrue(MessageTemplates.unknownPlaceholders(in: MessageTemplates.defaultReminder).isEmpty)
        let values: [String: String?] = ["greeting": "Hai", "name": "Ani", "nik": String?.none, "amount": "Rp 1"]
        let text = MessageTemplates.render("{greeting} {name}\n• NIK: {nik}\nTotal {amount}", values: values)
        XCTAssertEqual(text, "Hai Ani\nTotal Rp 1")
        let p = try! PhoneNumber.normalize("0812-3456-7890")
        XCTAssertEqual(p.chatId, "6281234567890@c.us")
        XCTAssertEqual(p.waMeLink(text: "Halo Ani & co"), "https://wa.me/6281234567890?text=Halo%20Ani%20%26%20co")
    }
}
