import Foundation
import GRDB
import FiberNodeDomain

/// Money received by the day it came in (live payments by `paid_on`; voids excluded).
public struct CollectedFigures: Sendable, Equatable {
    public struct Owner: Sendable, Equatable {
        public var ownerId: String
        public var businessName: String
        public var count: Int
        public var amount: Int
    }
    public struct Day: Sendable, Equatable {
        public var day: LocalDate
        public var count: Int
        public var amount: Int
    }
    public var from: LocalDate
    public var to: LocalDate
    public var total: Int = 0
    public var count: Int = 0
    /// cash / transfer / qris / ewallet / other → amount (methods with money only).
    public var byMethod: [String: Int] = [:]
    public var countByMethod: [String: Int] = [:]
    /// Largest first.
    public var byOwner: [Owner] = []
    /// Oldest first; days without money are left out.
    public var byDay: [Day] = []
    public init(from: LocalDate, to: LocalDate) { self.from = from; self.to = to }
}

extension AppDatabase {
    /// Live payments received between two business dates (inclusive), in the actor's scope
    /// (a mitra: itself; the superadmin: all, or `ownerId`). Read from the trigger-kept
    /// `payment_stats`, which tests compare with the ledger.
    public func collected(actor: Actor, from: LocalDate, to: LocalDate, ownerId: String? = nil) throws -> CollectedFigures {
        let owner = try Self.financeOwner(actor: actor, ownerId: ownerId)
        guard from <= to else { throw StoreError.invalid(field: "--from", reason: .outOfRange(min: 0, max: 0)) }
        return try read { db in try Self.collected(db, owner: owner, from: from, to: to) }
    }

    static func collected(_ db: Database, owner: String?, from: LocalDate, to: LocalDate) throws -> CollectedFigures {
        var out = CollectedFigures(from: from, to: to)
        // Whole calendar months inside the range come from `payment_month_stats` (a row per
        // month, owner and method), the days before and after them from `payment_stats` (per
        // day, owner and method), the by-day column from `payment_day_totals`: the rows read
        // grow with the months and owners asked about, never with the payments.
        func firstDay(_ p: Period) -> LocalDate { LocalDate(year: p.year, month: p.month, day: 1)! }
        let firstFull = from.day == 1 ? from.period : from.period.next
        let lastFull = to.adding(days: 1).day == 1 ? to.period : to.period.previous
        var parts: [String] = []
        var args: [DatabaseValueConvertible?] = []
        let ownerW = owner == nil ? "" : " AND owner_id = ?"
        func days(_ a: LocalDate, _ b: LocalDate) {
            guard a <= b else { return }
            parts.append("SELECT method, owner_id, payments, amount FROM payment_stats WHERE day BETWEEN ? AND ? AND payments > 0\(ownerW)")
            args += [a.description, b.description] + (owner.map { [$0] } ?? [])
        }
        if firstFull <= lastFull {
            days(from, firstDay(firstFull).adding(days: -1))
            parts.append("SELECT method, owner_id, payments, amount FROM payment_month_stats WHERE month BETWEEN ? AND ? AND payments > 0\(ownerW)")
            args += [firstFull.description, lastFull.description] + (owner.map { [$0] } ?? [])
            days(firstDay(lastFull.next), to)
        } else {
            days(from, to)
        }
        let source = "(" + parts.joined(separator: " UNION ALL ") + ")"
        var owners: [String: (Int, Int)] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT method, sum(payments), sum(amount) FROM \(source) GROUP BY method HAVING sum(payments) > 0",
                                  arguments: StatementArguments(args)!) {
            let m: String = r[0], n: Int = r[1], a: Int = r[2]
            out.total += a; out.count += n; out.byMethod[m] = a; out.countByMethod[m] = n
        }
        for r in try Row.fetchAll(db, sql: "SELECT owner_id, sum(payments), sum(amount) FROM \(source) GROUP BY owner_id HAVING sum(payments) > 0",
                                  arguments: StatementArguments(args)!) { owners[r[0]] = (r[1], r[2]) }
        if !owners.isEmpty {
            var names: [String: String] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT id, business_name FROM users WHERE id IN (\(owners.keys.map { _ in "?" }.joined(separator: ",")))",
                                      arguments: StatementArguments(Array(owners.keys))!) { names[r[0]] = r[1] }
            out.byOwner = owners.map { CollectedFigures.Owner(ownerId: $0.key, businessName: names[$0.key] ?? $0.key, count: $0.value.0, amount: $0.value.1) }
                .sorted { ($0.amount, $1.businessName) > ($1.amount, $0.businessName) }
        }
        out.byDay = try Row.fetchAll(db, sql: """
            SELECT day, payments, amount FROM payment_day_totals WHERE owner_id = ? AND day BETWEEN ? AND ? AND payments > 0 ORDER BY day
            """, arguments: [owner ?? "", from.description, to.description]).compactMap { r in
            LocalDate(r[0] as String).map { CollectedFigures.Day(day: $0, count: r[1], amount: r[2]) }
        }
        return out
    }

    /// Money received per calendar month (12 months ending with `last`), oldest first.
    static func collectedPerMonth(_ db: Database, owner: String?, last: Period, months: Int = 12) throws -> [(Period, Int)] {
        let periods = (0..<months).map { last.adding(months: $0 - (months - 1)) }
        var sql = "SELECT month, sum(amount) FROM payment_month_stats WHERE month BETWEEN ? AND ?"
        var args: [DatabaseValueConvertible?] = [periods[0].description, last.description]
        if let owner { sql += " AND owner_id = ?"; args.append(owner) }
        sql += " GROUP BY 1"
        var m: [String: Int] = [:]
        for r in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)!) { m[r[0]] = r[1] }
        return periods.map { ($0, m[$0.description] ?? 0) }
    }
}
