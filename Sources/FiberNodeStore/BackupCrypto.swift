import Foundation
import Crypto
import CArgon2

/// The encrypted backup format: a fixed header (magic, Argon2id parameters, salt, nonce,
/// key check, plaintext length) authenticated as AES-256-GCM associated data, then the
/// ciphertext and the 16-byte tag.
///
/// ```
/// 0   8  magic "FNBKENC1"
/// 8   4  Argon2id memory (KiB, big-endian)     12  4  iterations     16  4  parallelism
/// 20 16  salt                                  36 12  GCM nonce
/// 48 16  key check = SHA-256("fibernode-backup-key-check" ‖ key)[0..<16]
/// 64  8  plaintext length (big-endian)
/// 72  …  ciphertext, then 16-byte tag
/// ```
/// The key check tells a wrong passphrase apart from a damaged file.
public enum BackupCrypto {
    static let magic = Data("FNBKENC1".utf8)
    static let headerLength = 72
    static let tagLength = 16

    /// True when the data starts like an encrypted backup.
    public static func isEncrypted(prefix: Data) -> Bool { prefix.count >= 8 && prefix.prefix(8) == magic }

    /// Argon2id raw key (32 bytes) from a passphrase.
    static func deriveKey(_ passphrase: String, salt: [UInt8], cost: PasswordCost) throws -> SymmetricKey {
        let pwd = Array(passphrase.utf8)
        var out = [UInt8](repeating: 0, count: 32)
        let rc = pwd.withUnsafeBytes { p in
            salt.withUnsafeBytes { s in
                argon2id_hash_raw(cost.iterations, cost.memoryKiB, cost.parallelism, p.baseAddress, pwd.count,
                                  s.baseAddress, salt.count, &out, out.count)
            }
        }
        guard rc == ARGON2_OK.rawValue else { throw StoreError.backup(.wrongPassphrase) }
        return SymmetricKey(data: out)
    }

    static func keyCheck(_ key: SymmetricKey) -> Data {
        var h = SHA256()
        h.update(data: Data("fibernode-backup-key-check".utf8))
        key.withUnsafeBytes { h.update(bufferPointer: $0) }
        return Data(h.finalize()).prefix(16)
    }

    static func be32(_ v: UInt32) -> Data { withUnsafeBytes(of: v.bigEndian) { Data($0) } }
    static func be64(_ v: UInt64) -> Data { withUnsafeBytes(of: v.bigEndian) { Data($0) } }
    static func read32(_ d: Data, _ at: Int) -> UInt32 { d[d.startIndex + at ..< d.startIndex + at + 4].reduce(0) { $0 << 8 | UInt32($1) } }
    static func read64(_ d: Data, _ at: Int) -> UInt64 { d[d.startIndex + at ..< d.startIndex + at + 8].reduce(0) { $0 << 8 | UInt64($1) } }

    /// Encrypts a whole file's bytes with a passphrase.
    public static func encrypt(_ plaintext: Data, passphrase: String, cost: PasswordCost, random: RandomSource) throws -> Data {
        let salt = random.bytes(16)
        let nonceBytes = random.bytes(12)
        let key = try deriveKey(passphrase, salt: salt, cost: cost)
        var header = magic
        header += be32(cost.memoryKiB) + be32(cost.iterations) + be32(cost.parallelism)
        header += Data(salt) + Data(nonceBytes) + keyCheck(key) + be64(UInt64(plaintext.count))
        precondition(header.count == headerLength)
        do {
            let box = try AES.GCM.seal(plaintext, using: key, nonce: try AES.GCM.Nonce(data: nonceBytes), authenticating: header)
            return header + box.ciphertext + box.tag
        } catch {
            throw StoreError.storage("encryption failed: \(error)")
        }
    }

    /// The Argon2id parameters FiberNode writes: from the test cost (64 KiB, 1, 1) up to
    /// `PasswordCost.standard` (19 MiB, 2 iterations, 1 lane). Anything else in a header is a
    /// forgery or damage; deriving a key with it could take gigabytes and minutes.
    public static func acceptable(memoryKiB m: UInt32, iterations t: UInt32, parallelism p: UInt32) -> Bool {
        let top = PasswordCost.standard
        return (8...top.memoryKiB).contains(m) && (1...top.iterations).contains(t) && (1...top.parallelism).contains(p)
    }

    /// Decrypts; a wrong passphrase and a damaged or truncated file are different errors.
    public static func decrypt(_ data: Data, passphrase: String, path: String) throws -> Data {
        let d = Data(data)   // index from 0
        guard d.count >= headerLength + tagLength, isEncrypted(prefix: d) else { throw StoreError.backup(.truncated(path: path)) }
        let header = d.prefix(headerLength)
        let m = read32(d, 8), t = read32(d, 12), p = read32(d, 16)
        // A hostile header must not make us allocate gigabytes or spin for minutes: the
        // parameters must be ones FiberNode writes (at most `PasswordCost.standard`, issue 12
        // item 8), else the file is damaged — checked, with the length, before any key is derived.
        guard acceptable(memoryKiB: m, iterations: t, parallelism: p) else {
            throw StoreError.backup(.truncated(path: path))
        }
        let salt = Array(d[20..<36]), nonce = d[36..<48], check = d[48..<64]
        let length = read64(d, 64)
        guard length <= UInt64(d.count), UInt64(d.count) == UInt64(headerLength) + length + UInt64(tagLength) else {
            throw StoreError.backup(.truncated(path: path))
        }
        let key = try deriveKey(passphrase, salt: salt, cost: PasswordCost(memoryKiB: m, iterations: t, parallelism: p))
        guard keyCheck(key) == check else { throw StoreError.backup(.wrongPassphrase) }
        let body = d[headerLength ..< d.count - tagLength], tag = d[(d.count - tagLength)...]
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: body, tag: tag)
            return try AES.GCM.open(box, using: key, authenticating: header)
        } catch {
            throw StoreError.backup(.truncated(path: path))
        }
    }

    /// SHA-256 of a file, streamed, as lowercase hex.
    public static func sha256(file path: String) throws -> String {
        guard let h = FileHandle(forReadingAtPath: path) else { throw StoreError.backup(.unreadable(path: path)) }
        defer { try? h.close() }
        var hasher = SHA256()
        while true {
            let chunk = h.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
