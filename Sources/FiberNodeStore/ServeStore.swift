import Foundation
import Crypto
import GRDB
import FiberNodeDomain

/// What `fibernode serve` reads and writes besides receipts (issue 12): a cheap health query,
/// one-time download links, webhook event ids already applied.
extension AppDatabase {
    /// How long a download link stays valid.
    public static let downloadLinkLifetime: TimeInterval = 3600

    /// A cheap liveness check: one primary-key lookup in `settings` (the marker table).
    /// Never `integrity_check`, which reads the whole file.
    public func ping() throws -> Bool {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM settings WHERE key = 'business.name'") != nil }
    }

    /// A one-time link to `path` (an absolute path to a regular file the caller wrote),
    /// offered as `fileName`, on behalf of user `userId`. Returns the token for
    /// `{receipt.base_url}/download/TOKEN`; it works once, within an hour. Audited
    /// (`download.link.create`).
    public func createDownloadLink(path: String, fileName: String, userId: String, context: StoreContext) throws -> String {
        guard path.hasPrefix("/"), !path.contains("\0") else { throw StoreError.invalid(field: "path", reason: .badFormat(expected: "/…")) }
        let name = (fileName as NSString).lastPathComponent
        guard !name.isEmpty, name.count <= 255, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw StoreError.invalid(field: "file_name", reason: .tooLong(max: 255)) }
        let token = context.random.token(bits: 160)
        let id = context.random.uuid()
        let now = context.clock.now()
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT username, role FROM users WHERE id = ? AND deleted_at IS NULL",
                                             arguments: [userId]) else { throw StoreError.notFound(what: "user") }
            try db.execute(sql: """
                INSERT INTO download_links(id, token_sha256, path, file_name, user_id, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, Self.sha256Hex(token), path, name, userId, now.databaseValue,
                                 now.addingTimeInterval(Self.downloadLinkLifetime).databaseValue])
            let actor = Actor(userId: userId, role: Role(rawValue: row["role"]) ?? .mitra, username: row["username"])
            try Audit.record(db, actor: actor, action: "download.link.create", resource: "download_link", resourceId: id,
                             metadata: ["file_name": name], context: context)
        }
        return token
    }

    /// Consumes a download link: the file's path and name when the token is known, unused,
    /// not expired and the file is still a regular file; nil otherwise (and nothing changes).
    /// Audited (`download.take`).
    public func takeDownload(token: String, context: StoreContext) throws -> (path: String, fileName: String)? {
        guard token.count == 40, token.allSatisfy(\.isHexDigit) else { return nil }
        let now = context.clock.now()
        return try write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, path, file_name, user_id FROM download_links
                WHERE token_sha256 = ? AND used_at IS NULL AND expires_at > ?
                """, arguments: [Self.sha256Hex(token.lowercased()), now.databaseValue]) else { return nil }
            let path: String = row["path"], name: String = row["file_name"], id: String = row["id"]
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { return nil }
            try db.execute(sql: "UPDATE download_links SET used_at = ? WHERE id = ? AND used_at IS NULL",
                           arguments: [now.databaseValue, id])
            guard db.changesCount == 1 else { return nil }
            try Audit.record(db, actor: nil, action: "download.take", resource: "download_link", resourceId: id,
                             metadata: ["file_name": name, "user_id": (row["user_id"] as String?) ?? ""], context: context)
            return (path, name)
        }
    }

    /// Records a webhook event id; true the first time, false when it was already seen
    /// (a replay: the caller then changes nothing).
    public func recordWebhookEvent(source: String, eventId: String, context: StoreContext?) throws -> Bool {
        try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO webhook_events(source, event_id, received_at) VALUES (?, ?, ?)",
                           arguments: [source, eventId, context?.clock.now().databaseValue])
            return db.changesCount == 1
        }
    }

    static func sha256Hex(_ s: String) -> String {
        SHA256.hash(data: Data(s.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
