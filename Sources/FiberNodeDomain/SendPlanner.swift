import Foundation

/// The anti-ban rules of one WhatsApp session (spec "Strategi Anti-Banned WhatsApp"); every
/// number comes from a `wa.*` setting. Seconds throughout.
public struct SendPolicy: Sendable, Equatable {
    public var minDelay: Int
    public var maxDelay: Int
    public var jitter: Int
    public var batchSize: Int
    public var batchCooldown: Int
    public var maxPerHour: Int
    public var maxPerDay: Int
    public var retryMax: Int
    public var retryDelay: Int
    /// Minutes after midnight; equal values turn quiet hours off.
    public var quietStart: Int
    public var quietEnd: Int
    public var holdWeekend: Bool
    public var timeZone: TimeZone

    public init(minDelay: Int = 8, maxDelay: Int = 15, jitter: Int = 5, batchSize: Int = 20, batchCooldown: Int = 300,
                maxPerHour: Int = 50, maxPerDay: Int = 300, retryMax: Int = 3, retryDelay: Int = 600,
                quietStart: Int = 21 * 60, quietEnd: Int = 8 * 60, holdWeekend: Bool = false,
                timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!) {
        self.minDelay = minDelay; self.maxDelay = max(minDelay, maxDelay); self.jitter = jitter
        self.batchSize = max(1, batchSize); self.batchCooldown = batchCooldown
        self.maxPerHour = max(1, maxPerHour); self.maxPerDay = max(1, maxPerDay)
        self.retryMax = retryMax; self.retryDelay = retryDelay
        self.quietStart = quietStart; self.quietEnd = quietEnd; self.holdWeekend = holdWeekend; self.timeZone = timeZone
    }

    /// "21:00" → 1260.
    public static func minutes(_ hhmm: String) -> Int? {
        let p = hhmm.split(separator: ":")
        guard p.count == 2, let h = Int(p[0]), let m = Int(p[1]), (0...23).contains(h), (0...59).contains(m) else { return nil }
        return h * 60 + m
    }

    func minuteOfDay(_ t: Date) -> Int {
        let day = LocalDate.from(t, in: timeZone)
        return Int(t.timeIntervalSince(day.startOfDay(in: timeZone)) / 60)
    }

    /// Inside quiet hours?
    public func isQuiet(_ t: Date) -> Bool {
        guard quietStart != quietEnd else { return false }
        let m = minuteOfDay(t)
        return quietStart < quietEnd ? (m >= quietStart && m < quietEnd) : (m >= quietStart || m < quietEnd)
    }

    /// Saturday or Sunday while the weekend is held?
    public func isHeldWeekend(_ t: Date) -> Bool {
        holdWeekend && LocalDate.from(t, in: timeZone).weekday >= 6
    }

    /// May a queued message go out at `t`?
    public func isAllowed(_ t: Date) -> Bool { !isQuiet(t) && !isHeldWeekend(t) }

    /// `t` when allowed, else the first allowed instant after it (the next morning, Monday).
    public func nextAllowed(from t: Date) -> Date {
        var t = t
        for _ in 0..<16 {
            if isHeldWeekend(t) {
                let day = LocalDate.from(t, in: timeZone)
                t = day.adding(days: 8 - day.weekday).startOfDay(in: timeZone)
                continue
            }
            if isQuiet(t) {
                let day = LocalDate.from(t, in: timeZone)
                let m = minuteOfDay(t)
                let endDay = m >= quietEnd ? day.adding(days: 1) : day
                t = endDay.startOfDay(in: timeZone).addingTimeInterval(TimeInterval(quietEnd * 60))
                continue
            }
            return t
        }
        return t
    }
}

/// Plans when each queued message of one session goes out: a random delay plus jitter between
/// messages, a rest after every batch, hourly (rolling) and daily caps, never in quiet hours or a
/// held weekend. Deterministic given the random function. Pure: no clock, no I/O.
public struct SendPlanner {
    public let policy: SendPolicy
    /// Instants already planned or sent for this session, ascending.
    public private(set) var times: [Date]
    var perDay: [LocalDate: Int] = [:]
    var batchCount = 0

    /// `history`: what the session already has planned or sent (any order).
    public init(policy: SendPolicy, history: [Date] = []) {
        self.policy = policy
        self.times = history.sorted()
        for t in times { perDay[LocalDate.from(t, in: policy.timeZone), default: 0] += 1 }
        // Count the trailing run of messages without a rest as the current batch.
        var i = times.count - 1
        while i > 0, times[i].timeIntervalSince(times[i - 1]) < TimeInterval(max(1, policy.batchCooldown)) { batchCount += 1; i -= 1 }
        if !times.isEmpty { batchCount += 1 }
        batchCount %= policy.batchSize
    }

    /// The next send instant at or after `notBefore`; `held` when quiet hours, the weekend or the
    /// daily cap pushed it later.
    public mutating func next(notBefore: Date, random: (ClosedRange<Int>) -> Int) -> (at: Date, held: Bool) {
        let p = policy
        let delay = TimeInterval(random(p.minDelay...p.maxDelay) + (p.jitter > 0 ? random(0...p.jitter) : 0))
        var t = notBefore
        if let last = times.last {
            if batchCount >= p.batchSize {
                t = max(t, last.addingTimeInterval(TimeInterval(p.batchCooldown) + delay))
                batchCount = 0
            } else {
                t = max(t, last.addingTimeInterval(delay))
            }
            if t.timeIntervalSince(last) >= TimeInterval(max(1, p.batchCooldown)) { batchCount = 0 }
        }
        var held = false
        var changed = true
        while changed {
            changed = false
            let allowed = p.nextAllowed(from: t)
            if allowed != t { t = allowed; held = true; changed = true }
            let day = LocalDate.from(t, in: p.timeZone)
            if perDay[day, default: 0] >= p.maxPerDay {
                t = day.adding(days: 1).startOfDay(in: p.timeZone); held = true; changed = true; batchCount = 0
                continue
            }
            let k = times.count - p.maxPerHour
            if k >= 0, t < times[k].addingTimeInterval(3600) {
                t = times[k].addingTimeInterval(3600); changed = true
            }
        }
        times.append(t)
        perDay[LocalDate.from(t, in: p.timeZone), default: 0] += 1
        batchCount += 1
        return (t, held)
    }
}
