import Foundation
import FiberNodeDomain

/// A thread-safe source of randomness passed in from the executable (system RNG) or tests (seeded).
public final class RandomSource: @unchecked Sendable {
    private var generator: any RandomNumberGenerator
    private let lock = NSLock()
    /// With the system generator, bytes come from a pool refilled 4 KiB at a time from the
    /// kernel: one system call per eight bytes made ids and tokens a cost of bulk imports.
    private let system: Bool
    private var pool: [UInt8] = []
    private var used = 0

    public init(_ generator: any RandomNumberGenerator) {
        self.generator = generator
        system = generator is SystemRandomNumberGenerator
    }

    /// `count` random bytes.
    public func bytes(_ count: Int) -> [UInt8] {
        lock.lock(); defer { lock.unlock() }
        if system, count <= 1024 {
            if pool.count - used < count { refill() }
            if pool.count - used >= count {
                defer { used += count }
                return Array(pool[used..<(used + count)])
            }
        }
        var out = [UInt8](); out.reserveCapacity(count)
        while out.count < count {
            let v = generator.next()
            withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0.prefix(count - out.count)) }
        }
        return out
    }

    private lazy var urandom = FileHandle(forReadingAtPath: "/dev/urandom")

    private func refill() {
        // The kernel's CSPRNG, 4 KiB at a time, through one descriptor kept open.
        if let h = urandom, let data = try? h.read(upToCount: 4096), data.count == 4096 {
            pool = [UInt8](data)
        } else {
            pool = (0..<4096).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
        used = 0
    }

    /// A random integer in the range.
    public func int(in range: ClosedRange<Int>) -> Int {
        lock.lock(); defer { lock.unlock() }
        return Int.random(in: range, using: &generator)
    }

    /// A version-4 UUID string built from this source.
    public func uuid() -> String {
        var b = bytes(16)
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        let t = (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
        return UUID(uuid: t).uuidString.lowercased()
    }

    /// An unguessable URL-safe token of `bits` bits (hex).
    public func token(bits: Int = 160) -> String {
        bytes((bits + 7) / 8).map { String(format: "%02x", $0) }.joined()
    }
}

/// What every use case receives instead of reading the real clock or random generator.
public struct StoreContext: Sendable {
    public let clock: any Clock
    public let random: RandomSource
    /// Where the actor is (SSH client address or "local"), for login_attempts and the audit log.
    public let origin: String
    /// The terminal or program name, for login_attempts.user_agent.
    public let agent: String
    /// Argon2id cost; tests may lower it, production uses `.standard`.
    public let passwordCost: PasswordCost
    /// Set by the sync server while it replays a laptop's operation (issue 16): the use case's
    /// own transaction then records the operation's key, so a replay is applied exactly once.
    public var replay: ReplayTag?

    public init(clock: any Clock, random: RandomSource, origin: String = "local",
                agent: String = "fibernode", passwordCost: PasswordCost = .standard) {
        self.clock = clock; self.random = random; self.origin = origin
        self.agent = agent; self.passwordCost = passwordCost
    }
}
