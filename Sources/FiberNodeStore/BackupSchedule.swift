import Foundation
import GRDB
import FiberNodeDomain

// MARK: - Retention (pure)

/// Which scheduled backups to keep: the newest backup of each of the last `daily` days,
/// `weekly` ISO weeks (Monday to Sunday) and `monthly` months that have a backup, counted in
/// the business time zone. The three rules are independent and their union is kept (restic's
/// `--keep-daily/--keep-weekly/--keep-monthly`), so one backup may satisfy several rules.
public enum BackupRetention {
    public struct Policy: Sendable, Equatable {
        public var daily: Int, weekly: Int, monthly: Int
        public init(daily: Int, weekly: Int, monthly: Int) { self.daily = daily; self.weekly = weekly; self.monthly = monthly }
        public static let standard = Policy(daily: 7, weekly: 4, monthly: 12)
        public init(settings s: SettingsSnapshot) {
            self.init(daily: s.int("backup.keep_daily"), weekly: s.int("backup.keep_weekly"), monthly: s.int("backup.keep_monthly"))
        }
    }

    /// The ids to keep; every other id may be pruned.
    public static func kept<ID: Hashable>(_ items: [(id: ID, at: Date)], policy: Policy, timeZone: TimeZone) -> Set<ID> {
        let newestFirst = items.sorted { $0.at > $1.at }
        var keep = Set<ID>()
        func rule<B: Hashable>(_ count: Int, _ bucket: (LocalDate) -> B) {
            guard count > 0 else { return }
            var seen = Set<B>()
            for item in newestFirst {
                let b = bucket(LocalDate.from(item.at, in: timeZone))
                if seen.contains(b) { continue }
                seen.insert(b)
                keep.insert(item.id)
                if seen.count == count { return }
            }
        }
        rule(policy.daily) { $0 }
        rule(policy.weekly) { $0.adding(days: -($0.weekday - 1)) }   // the Monday of its week
        rule(policy.monthly) { $0.period }
        return keep
    }
}

// MARK: - Schedule

/// The worker's entry point for scheduled backups: `runDue` takes one when the daily slot
/// (`backup.time`, business time zone) has passed since the last scheduled backup, then prunes
/// scheduled backups by the retention policy. Manual and pre-restore backups are never pruned.
public enum BackupScheduler {
    public struct Outcome: Sendable {
        /// The backup taken now, if one was due.
        public let created: BackupRecord?
        /// Backups whose files were deleted by the retention policy.
        public let pruned: [BackupRecord]
        /// When the next scheduled backup falls due.
        public let next: Date
    }

    /// The latest daily slot at or before `now`.
    public static func lastSlot(now: Date, time: String, timeZone: TimeZone) -> Date {
        let parts = time.split(separator: ":").compactMap { Int($0) }
        let seconds = TimeInterval(((parts.first ?? 2) * 60 + (parts.dropFirst().first ?? 0)) * 60)
        let today = LocalDate.from(now, in: timeZone)
        let slot = today.startOfDay(in: timeZone).addingTimeInterval(seconds)
        return slot <= now ? slot : today.adding(days: -1).startOfDay(in: timeZone).addingTimeInterval(seconds)
    }

    /// Takes the scheduled backup if due and prunes. Safe to call as often as the worker likes.
    /// The passphrase of setting `backup.passphrase`, when set, encrypts scheduled backups.
    @discardableResult
    public static func runDue(db: AppDatabase, context: StoreContext) throws -> Outcome {
        let settings = try db.settings()
        let now = context.clock.now()
        let tz = settings.timeZone
        let slot = lastSlot(now: now, time: settings["backup.time"], timeZone: tz)
        let nextSlot = lastSlot(now: slot.addingTimeInterval(36 * 3600), time: settings["backup.time"], timeZone: tz)
        guard settings.bool("backup.enabled") else { return Outcome(created: nil, pruned: [], next: nextSlot) }
        let last = try db.read { d in
            try Date.fetchOne(d, sql: "SELECT max(created_at) FROM backups WHERE kind = 'scheduled'")
        }
        var created: BackupRecord?
        if last.map({ $0 < slot }) ?? true {
            let passphrase = settings["backup.passphrase"]
            created = try db.makeBackup(output: nil, passphrase: passphrase.isEmpty ? nil : passphrase, kind: .scheduled,
                                        actor: nil, context: context)
        }
        let pruned = try prune(db: db, policy: .init(settings: settings), timeZone: tz, context: context)
        return Outcome(created: created, pruned: pruned, next: nextSlot)
    }

    /// Deletes the files of scheduled backups the policy does not keep and marks their rows.
    static func prune(db: AppDatabase, policy: BackupRetention.Policy, timeZone: TimeZone, context: StoreContext) throws -> [BackupRecord] {
        let live = try db.read { d in
            try BackupRecord.fetchAll(d, sql: "SELECT * FROM backups WHERE kind = 'scheduled' AND pruned_at IS NULL")
        }
        var keep = BackupRetention.kept(live.map { (id: $0.id, at: $0.createdAt) }, policy: policy, timeZone: timeZone)
        // Whatever the policy says (all zero included), the newest scheduled backup stays.
        if let newest = live.max(by: { $0.createdAt < $1.createdAt }) { keep.insert(newest.id) }
        let drop = live.filter { !keep.contains($0.id) }.sorted { $0.createdAt < $1.createdAt }
        guard !drop.isEmpty else { return [] }
        for r in drop { try? FileManager.default.removeItem(atPath: r.path) }
        let now = context.clock.now()
        try db.write { d in
            for r in drop {
                try d.execute(sql: "UPDATE backups SET pruned_at = ? WHERE id = ?", arguments: [now, r.id])
            }
            try Audit.record(d, actor: nil, action: "backup.prune", resource: "backups", resourceId: nil,
                             metadata: ["names": drop.map(\.name), "kept": keep.count], context: context)
        }
        return drop
    }
}
