import Foundation
import GRDB
import FiberNodeDomain

// MARK: - Login

extension AppDatabase {
    /// Checks a username and password with Argon2id and the lockout rule
    /// (`security.lockout_attempts` failures within `security.lockout_minutes` lock the
    /// username for that long). Every attempt is stored in `login_attempts`. The error never
    /// reveals whether the username exists or is disabled.
    public func login(username rawUsername: String, password: String, context: StoreContext) throws -> UserProfile {
        let username = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        let now = context.clock.now()
        let (user, lockedUntil) = try read { db -> (UserRecord?, Date?) in
            let s = try Self.settings(db)
            let until = try Self.lockedUntil(db, username: username, now: now, settings: s)
            let u = try UserRecord.fetchOne(db, sql: "SELECT * FROM users WHERE username = ? COLLATE NOCASE", arguments: [username])
            return (u, until)
        }
        if let until = lockedUntil {
            try recordAttempt(username: username, success: false, context: context)
            throw StoreError.locked(until: until)
        }
        // Hash outside any transaction: Argon2id takes tens of milliseconds.
        let ok: Bool
        if let user {
            ok = PasswordHasher.verify(password, encoded: user.passwordHash)
        } else {
            _ = PasswordHasher.verify(password, encoded: PasswordHasher.dummyHash)
            ok = false
        }
        guard let user, ok, user.isActive, user.deletedAt == nil else {
            try recordAttempt(username: username, success: false, context: context)
            // The failure that reaches the limit locks at once.
            let until = try read { db in try Self.lockedUntil(db, username: username, now: now, settings: try Self.settings(db)) }
            if let until { throw StoreError.locked(until: until) }
            throw StoreError.loginFailed
        }
        return try write { db in
            try Self.insertAttempt(db, username: username, success: true, context: context)
            try db.execute(sql: "UPDATE users SET last_login_at = ? WHERE id = ?", arguments: [now, user.id])
            var u = user; u.lastLoginAt = now
            return UserProfile(u)
        }
    }

    /// When the username is locked: the end of the lock, else nil. A lock starts at the
    /// failure that makes `limit` failures within `window`, and lasts `window`; attempts made
    /// during a lock are recorded but neither extend it nor count towards the next one.
    static func lockedUntil(_ db: Database, username: String, now: Date, settings: SettingsSnapshot) throws -> Date? {
        let limit = max(1, settings.int("security.lockout_attempts"))
        let window = TimeInterval(settings.int("security.lockout_minutes") * 60)
        let lastSuccess = try Date.fetchOne(db, sql: """
            SELECT max(created_at) FROM login_attempts WHERE username = ? AND success = 1
            """, arguments: [username])
        let since = max(now.addingTimeInterval(-2 * window), lastSuccess ?? .distantPast)
        let failures = try Date.fetchAll(db, sql: """
            SELECT created_at FROM login_attempts
            WHERE username = ? AND success = 0 AND created_at > ?
            ORDER BY created_at
            """, arguments: [username, since])
        var until: Date? = nil
        var run: [Date] = []
        for f in failures {
            if let u = until, f < u { continue }         // during a lock
            run.append(f)
            run.removeAll { f.timeIntervalSince($0) > window }
            if run.count >= limit { until = f.addingTimeInterval(window); run.removeAll() }
        }
        if let u = until, u > now { return u }
        return nil
    }

    func recordAttempt(username: String, success: Bool, context: StoreContext) throws {
        try write { db in try Self.insertAttempt(db, username: username, success: success, context: context) }
    }

    static func insertAttempt(_ db: Database, username: String, success: Bool, context: StoreContext) throws {
        try db.execute(sql: """
            INSERT INTO login_attempts(id, username, ip_address, success, user_agent, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [context.random.uuid(), String(username.prefix(100)), context.origin, success, context.agent, context.clock.now()])
    }

    /// A user's current profile (for refreshing the header after changes).
    public func profile(userId: String) throws -> UserProfile? {
        try read { db in
            try UserRecord.fetchOne(db, key: userId).map(UserProfile.init)
        }
    }

    /// Whether the user still may use the app (active, not deleted).
    public func isActiveUser(_ userId: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT is_active = 1 AND deleted_at IS NULL FROM users WHERE id = ?", arguments: [userId]) ?? false
        }
    }
}

// MARK: - Password rules

public enum PasswordPolicy {
    public static let minLength = 8
    public static func check(_ password: String) throws {
        if password.count < minLength || password.count > 128 {
            throw StoreError.invalid(field: "password", reason: .passwordTooWeak)
        }
    }
}
