import Foundation
import XCTest
import FiberNodeStore
import FiberNodeDomain
import FiberNodeWhatsApp
import FiberNodeFakes

/// A demo store with a manual clock and a seeded generator.
struct WAFixture {
    let db: AppDatabase
    let clock: ManualClock
    let context: StoreContext

    init(start: String = "2026-03-04T00:00:00Z", file: String? = nil, seed: UInt64 = 7) throws {
        clock = ManualClock(ISO8601DateFormatter().date(from: start)!)
        context = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: seed)), origin: "test", agent: "xctest",
                               passwordCost: .testing)
        db = try file.map { try AppDatabase.open(path: $0, create: true) } ?? AppDatabase.inMemory()
        try Seeder.demo(into: db, context: context)
    }

    func actor(_ username: String) throws -> Actor {
        try db.login(username: username, password: username == "superadmin" ? "Admin123!" : "Mitra123!", context: context).actor
    }

    /// Points the installation at a WAHA with delays at 0 and quiet hours off.
    func useWAHA(_ url: URL, key: String = "", fast: Bool = true) throws {
        let admin = try actor("superadmin")
        try db.setSetting("wa.gateway", "waha", actor: admin, context: context)
        try db.setSetting("wa.waha.url", url.absoluteString, actor: admin, context: context)
        if !key.isEmpty { try db.setSetting("wa.waha.api_key", key, actor: admin, context: context) }
        if fast {
            for (k, v) in [("wa.min_delay_s", "0"), ("wa.max_delay_s", "0"), ("wa.jitter_s", "0"), ("wa.batch_cooldown_s", "0"),
                           ("wa.quiet_start", "00:00"), ("wa.quiet_end", "00:00"), ("wa.max_per_hour", "100000"),
                           ("wa.max_per_day", "1000000")] {
                try db.setSetting(k, v, actor: admin, context: context)
            }
        }
    }
}

func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }
