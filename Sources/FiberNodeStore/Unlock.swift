import Foundation
import GRDB
import FiberNodeDomain

extension AppDatabase {
    /// Ends a login lockout (issue 14, "lockouts can be lifted"): superadmin only. The lock is
    /// computed from the failures since the last success, so the unlock records a marker
    /// attempt (success, agent `unlock`, origin the superadmin) that closes the run; audited.
    /// Returns whether the user was locked.
    @discardableResult
    public func unlockUser(_ username: String, actor: Actor, context: StoreContext) throws -> Bool {
        guard actor.can(.manageMitra) else { throw StoreError.notPermitted }
        return try write { db in
            guard let user = try UserRecord.fetchOne(db, sql: "SELECT * FROM users WHERE username = ? AND deleted_at IS NULL",
                                                     arguments: [username]) else {
                throw StoreError.notFound(what: "user \(username)")
            }
            let now = context.clock.now()
            let wasLocked = try Self.lockedUntil(db, username: user.username, now: now, settings: try Self.settings(db)) != nil
            try db.execute(sql: """
                INSERT INTO login_attempts(id, username, ip_address, success, user_agent, created_at) VALUES (?, ?, ?, 1, 'unlock', ?)
                """, arguments: [context.random.uuid(), user.username, "unlock:\(actor.username)", now])
            try Audit.record(db, actor: actor, action: "user.unlock", resource: "users", resourceId: user.id,
                             metadata: ["username": user.username, "was_locked": wasLocked], context: context)
            return wasLocked
        }
    }

    /// Failed attempts in the current run and how many remain before a lock (the login screen
    /// says so after the third failure).
    public func loginAttemptsRemaining(username: String, context: StoreContext) throws -> (failures: Int, remaining: Int) {
        try read { db in
            let s = try Self.settings(db)
            let limit = max(1, s.int("security.lockout_attempts"))
            let window = TimeInterval(s.int("security.lockout_minutes") * 60)
            let now = context.clock.now()
            let lastSuccess = try Date.fetchOne(db, sql: "SELECT max(created_at) FROM login_attempts WHERE username = ? AND success = 1",
                                                arguments: [username])
            let since = max(now.addingTimeInterval(-window), lastSuccess ?? .distantPast)
            let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM login_attempts WHERE username = ? AND success = 0 AND created_at > ?",
                                     arguments: [username, since]) ?? 0
            return (n, max(0, limit - n))
        }
    }
}
