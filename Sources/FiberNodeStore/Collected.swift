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
        var sql = "SELECT day, owner_id, method, payments, amount FROM payment_stats WHERE day BETWEEN ? AND ? AND payments > 0"
        var args: [DatabaseValueConvertible?] = [from.description, to.description]
        if let owner { sql += " AND owner_id = ?"; args.append(owner) }
        var owners: [String: (Int, Int)] = [:]
        var days: [String: (Int, Int)] = [:]
        for r in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)!) {
            let day: String = r[0], o: String = r[1], m: String = r[2], n: Int = r[3], a: Int = r[4]
            out.total += a; out.count += n
            out.byMethod[m, default: 0] += a; out.countByMethod[m, default: 0] += n
            owners[o, default: (0, 0)].0 += n; owners[o, default: (0, 0)].1 += a
            days[day, default: (0, 0)].0 += n; days[day, default: (0, 0)].1 += a
        }
        if !owners.isEmpty {
            var names: [String: String] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT id, business_name FROM users WHERE id IN (\(owners.keys.map { _ in "?" }.joined(separator: ",")))",
                                      arguments: StatementArguments(Array(owners.keys))!) { names[r[0]] = r[1] }
            out.byOwner = owners.map { CollectedFigures.Owner(ownerId: $0.key, businessName: names[$0.key] ?? $0.key, count: $0.value.0, amount: $0.value.1) }
                .sorted { ($0.amount, $1.businessName) > ($1.amount, $0.businessName) }
        }
        out.byDay = days.compactMap { k, v in LocalDate(k).map { CollectedFigures.Day(day: $0, count: v.0, amount: v.1) } }
            .sorted { $0.day < $1.day }
        return out
    }

    /// Money received per calendar month (12 months ending with `last`), oldest first.
    static func collectedPerMonth(_ db: Database, owner: String?, last: Period, months: Int = 12) throws -> [(Period, Int)] {
        let periods = (0..<months).map { last.adding(months: $0 - (months - 1)) }
        var sql = "SELECT substr(day, 1, 7), sum(amount) FROM payment_stats WHERE day >= ? AND day < ?"
        var args: [DatabaseValueConvertible?] = [periods[0].description + "-01", last.next.description + "-01"]
        if let owner { sql += " AND owner_id = ?"; args.append(owner) }
        sql += " GROUP BY 1"
        var m: [String: Int] = [:]
        for r in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)!) { m[r[0]] = r[1] }
        return periods.map { ($0, m[$0.description] ?? 0) }
    }
}
