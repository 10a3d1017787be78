import Foundation
import XCTest
@testable import FiberNodeStore
import FiberNodeDomain

/// A store with a manual clock, a seeded generator and cheap Argon2 parameters.
struct Fixture {
    let db: AppDatabase
    let clock: ManualClock
    let context: StoreContext

    init(start: String = "2026-03-01T00:00:00Z", demo: Bool = true, file: String? = nil) throws {
        clock = ManualClock(ISO8601DateFormatter().date(from: start)!)
        context = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 42)), origin: "test", agent: "xctest",
                               passwordCost: .testing)
        if let file {
            db = try AppDatabase.open(path: file, create: true)
        } else {
            db = try AppDatabase.inMemory()
        }
        if demo { try Seeder.demo(into: db, context: context) }
    }

    func actor(_ username: String) throws -> Actor {
        try db.read { d in
            try UserRecord.fetchOne(d, sql: "SELECT * FROM users WHERE username = ?", arguments: [username])!.actor
        }
    }
}

func tempPath(_ name: String = "fn.db") -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fn-\(UUID().uuidString)")
    return dir.appendingPathComponent(name).path
}

/// A value shared between threads in a test.
final class Locked<T>: @unchecked Sendable {
    private var v: T
    private let lock = NSLock()
    init(_ v: T) { self.v = v }
    var value: T { lock.lock(); defer { lock.unlock() }; return v }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); f(&v); lock.unlock() }
}
