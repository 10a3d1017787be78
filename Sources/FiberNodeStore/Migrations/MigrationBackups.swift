import GRDB

extension Migrations {
    // MARK: - backups: the record of every backup file taken (issue 7)

    /// One row per backup file: where it is, how big, its SHA-256, whether it is encrypted,
    /// and why it was taken (manual, scheduled, pre-restore). Pruning deletes the file and
    /// marks the row `pruned_at`; the row stays as history.
    static func backups(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE backups (
            id             TEXT PRIMARY KEY NOT NULL,
            name           TEXT NOT NULL,
            path           TEXT NOT NULL,
            size           INTEGER NOT NULL CHECK (size >= 0),
            sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
            encrypted      INTEGER NOT NULL DEFAULT 0 CHECK (encrypted IN (0,1)),
            kind           TEXT NOT NULL CHECK (kind IN ('manual','scheduled','pre-restore')),
            schema_version INTEGER NOT NULL,
            created_by     TEXT,
            created_at     TEXT NOT NULL,
            pruned_at      TEXT
        );
        CREATE INDEX idx_backups_created ON backups(created_at);
        CREATE INDEX idx_backups_kind_created ON backups(kind, created_at);
        """)
    }
}
