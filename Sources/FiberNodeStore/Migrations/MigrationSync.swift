import GRDB

extension Migrations {
    // MARK: - sync: field laptops, an operation log validated at home (issue 16)

    /// Laptop side: `sync_identity` (one row: this laptop's device id, token, user, remote,
    /// cursor) and `sync_ops` (the operation log; each write use case appends one in its own
    /// transaction). Server side: `sync_devices` (token stored hashed, revocable),
    /// `sync_applied` keyed by (device, op key) so a replayed operation changes nothing, and
    /// `sync_conflicts` (overpayments and customer edits changed on both sides) for a person
    /// to settle. `sync_changes` is the per-row change counter the pull reads: one row per
    /// (table, row) of the synced tables with the sequence of its last change, kept by triggers.
    static func sync(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE sync_identity (
            id          INTEGER PRIMARY KEY CHECK (id = 1),
            device_id   TEXT NOT NULL,
            token       TEXT NOT NULL,
            user_id     TEXT NOT NULL,
            remote      TEXT,
            cursor      INTEGER NOT NULL DEFAULT 0,
            last_sync_at TEXT,
            last_result TEXT,
            created_at  TEXT NOT NULL
        );
        CREATE TABLE sync_ops (
            seq        INTEGER PRIMARY KEY AUTOINCREMENT,
            key        TEXT NOT NULL UNIQUE,
            type       TEXT NOT NULL CHECK (type IN ('payment.record','payment.void','customer.create','customer.edit')),
            payload    TEXT NOT NULL CHECK (json_valid(payload)),
            user_id    TEXT NOT NULL,
            status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','rejected')),
            reason     TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE sync_devices (
            id           TEXT PRIMARY KEY NOT NULL,
            user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
            token_hash   TEXT NOT NULL,
            created_at   TEXT NOT NULL,
            last_sync_at TEXT,
            revoked_at   TEXT,
            revoked_by   TEXT REFERENCES users(id) ON DELETE SET NULL
        );
        CREATE INDEX idx_sync_devices_user ON sync_devices(user_id);
        CREATE TABLE sync_applied (
            device_id  TEXT NOT NULL,
            op_key     TEXT NOT NULL,
            type       TEXT NOT NULL,
            status     TEXT NOT NULL CHECK (status IN ('applied','conflict','rejected')),
            reason     TEXT,
            applied_at TEXT NOT NULL,
            PRIMARY KEY (device_id, op_key)
        ) WITHOUT ROWID;
        CREATE TABLE sync_conflicts (
            id          TEXT PRIMARY KEY NOT NULL,
            kind        TEXT NOT NULL CHECK (kind IN ('overpaid','customer_edit')),
            owner_id    TEXT NOT NULL,
            device_id   TEXT,
            user_id     TEXT,
            op_key      TEXT,
            customer_id TEXT,
            invoice_id  TEXT,
            payment_id  TEXT,
            detail      TEXT CHECK (detail IS NULL OR json_valid(detail)),
            created_at  TEXT NOT NULL,
            settled_at  TEXT,
            settled_by  TEXT REFERENCES users(id) ON DELETE SET NULL,
            resolution  TEXT CHECK (resolution IS NULL OR resolution IN ('refund','credit','void','keep_server','take_laptop'))
        );
        CREATE INDEX idx_sync_conflicts_open ON sync_conflicts(owner_id, created_at) WHERE settled_at IS NULL;

        CREATE TABLE sync_changes (
            tbl        TEXT NOT NULL,
            row_id     TEXT NOT NULL,
            owner_id   TEXT,
            prev_owner TEXT,
            deleted    INTEGER NOT NULL DEFAULT 0,
            seq        INTEGER NOT NULL,
            PRIMARY KEY (tbl, row_id)
        ) WITHOUT ROWID;
        CREATE INDEX idx_sync_changes_seq ON sync_changes(seq);
        """)
        // One change counter per synced row; owner NULL = every scope (packages); users are
        // their own owner (a mitra pulls its own account only). A laptop keeps none: it pulls.
        let tables: [(String, String)] = [("customers", "owner_id"), ("invoices", "owner_id"), ("payments", "owner_id"),
                                          ("packages", "NULL"), ("users", "id")]
        for (t, owner) in tables {
            let o = { (row: String) in owner == "NULL" ? "NULL" : "\(row).\(owner)" }
            try db.execute(sql: """
            CREATE TRIGGER sync_\(t)_ai AFTER INSERT ON \(t) WHEN NOT EXISTS (SELECT 1 FROM sync_identity) BEGIN
                INSERT INTO sync_changes(tbl, row_id, owner_id, prev_owner, deleted, seq)
                VALUES ('\(t)', new.id, \(o("new")), NULL, 0, (SELECT coalesce(max(seq), 0) + 1 FROM sync_changes))
                ON CONFLICT(tbl, row_id) DO UPDATE SET owner_id = excluded.owner_id, prev_owner = sync_changes.owner_id,
                    deleted = 0, seq = excluded.seq;
            END;
            CREATE TRIGGER sync_\(t)_au AFTER UPDATE ON \(t) WHEN NOT EXISTS (SELECT 1 FROM sync_identity) BEGIN
                INSERT INTO sync_changes(tbl, row_id, owner_id, prev_owner, deleted, seq)
                VALUES ('\(t)', new.id, \(o("new")), \(o("old")), 0, (SELECT coalesce(max(seq), 0) + 1 FROM sync_changes))
                ON CONFLICT(tbl, row_id) DO UPDATE SET owner_id = excluded.owner_id, prev_owner = excluded.prev_owner,
                    deleted = 0, seq = excluded.seq;
            END;
            CREATE TRIGGER sync_\(t)_ad AFTER DELETE ON \(t) WHEN NOT EXISTS (SELECT 1 FROM sync_identity) BEGIN
                INSERT INTO sync_changes(tbl, row_id, owner_id, prev_owner, deleted, seq)
                VALUES ('\(t)', old.id, \(o("old")), \(o("old")), 1, (SELECT coalesce(max(seq), 0) + 1 FROM sync_changes))
                ON CONFLICT(tbl, row_id) DO UPDATE SET owner_id = excluded.owner_id, prev_owner = excluded.prev_owner,
                    deleted = 1, seq = excluded.seq;
            END;
            """)
        }
    }
}
