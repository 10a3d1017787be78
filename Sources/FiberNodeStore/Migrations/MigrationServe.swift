import GRDB

extension Migrations {
    // MARK: - serve: one-time download links and webhook replay protection (issue 12)

    /// `download_links`: a file an export wrote, offered once through `serve` at
    /// `/download/TOKEN` for an hour. Only the SHA-256 of the token is stored, so a copy of
    /// the database gives no working link. `webhook_events`: the ids of the webhook events
    /// already applied; the same id again changes nothing.
    static func serve(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE download_links (
            id           TEXT PRIMARY KEY NOT NULL,
            token_sha256 TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
            path         TEXT NOT NULL CHECK (length(path) BETWEEN 1 AND 4096),
            file_name    TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
            user_id      TEXT REFERENCES users(id) ON DELETE SET NULL,
            created_at   TEXT NOT NULL,
            expires_at   TEXT NOT NULL,
            used_at      TEXT
        );
        CREATE INDEX idx_download_links_expires ON download_links(expires_at);

        CREATE TABLE webhook_events (
            source      TEXT NOT NULL,
            event_id    TEXT NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
            received_at TEXT,
            PRIMARY KEY (source, event_id)
        ) WITHOUT ROWID;
        """)
    }
}
