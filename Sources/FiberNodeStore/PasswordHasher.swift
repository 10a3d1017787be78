import Foundation
import CArgon2

/// Argon2id cost parameters.
public struct PasswordCost: Sendable, Equatable {
    public let memoryKiB: UInt32
    public let iterations: UInt32
    public let parallelism: UInt32
    /// OWASP minimum: m = 19 MiB, t = 2, p = 1.
    public static let standard = PasswordCost(memoryKiB: 19 * 1024, iterations: 2, parallelism: 1)
    /// Cheap parameters for unit tests only.
    public static let testing = PasswordCost(memoryKiB: 64, iterations: 1, parallelism: 1)
    public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
        self.memoryKiB = memoryKiB; self.iterations = iterations; self.parallelism = parallelism
    }
}

/// Argon2id password hashing through libargon2 (PHC encoded strings).
public enum PasswordHasher {
    public static func hash(_ password: String, cost: PasswordCost, random: RandomSource) -> String {
        let salt = random.bytes(16)
        let pwd = Array(password.utf8)
        let hashLen = 32
        let encLen = argon2_encodedlen(cost.iterations, cost.memoryKiB, cost.parallelism,
                                       UInt32(salt.count), UInt32(hashLen), Argon2_id)
        var encoded = [CChar](repeating: 0, count: encLen)
        let rc = pwd.withUnsafeBytes { p in
            salt.withUnsafeBytes { s in
                argon2id_hash_encoded(cost.iterations, cost.memoryKiB, cost.parallelism,
                                      p.baseAddress, pwd.count, s.baseAddress, salt.count,
                                      hashLen, &encoded, encLen)
            }
        }
        precondition(rc == ARGON2_OK.rawValue, "argon2id_hash_encoded failed: \(rc)")
        return String(cString: encoded)
    }

    public static func verify(_ password: String, encoded: String) -> Bool {
        let pwd = Array(password.utf8)
        return pwd.withUnsafeBytes { p in
            argon2id_verify(encoded, p.baseAddress, pwd.count) == ARGON2_OK.rawValue
        }
    }

    /// A hash of a random password, used so a login for an unknown user costs the same time.
    static let dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE"
}
