import GRDB

extension Migrations {
    // MARK: - routers: MikroTik routers, customer service links, the router_actions outbox (issue 15)

    /// `routers`: one MikroTik per row (its password is a secret: never listed, redacted in the
    /// audit). `customer_services`: which router entry is the customer's (a PPPoE secret by name
    /// or a static IP) and the profile to restore after isolation. `router_actions`: the outbox,
    /// written in the same transaction as the isolation or restore; applied, read back, then
    /// marked done (or kept pending with the router's reason, retried with backoff).
    static func routers(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE routers (
            id              TEXT PRIMARY KEY NOT NULL,
            name            TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),
            owner_id        TEXT NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
            url             TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 255),
            username        TEXT NOT NULL CHECK (length(username) BETWEEN 1 AND 100),
            password        TEXT NOT NULL,
            isolate_profile TEXT NOT NULL DEFAULT 'isolir' CHECK (length(isolate_profile) BETWEEN 1 AND 100),
            address_list    TEXT NOT NULL DEFAULT 'fibernode-isolir' CHECK (length(address_list) BETWEEN 1 AND 100),
            fingerprint     TEXT CHECK (fingerprint IS NULL OR (length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*')),
            last_checked_at TEXT,
            last_ok_at      TEXT,
            last_error      TEXT,
            identity        TEXT,
            ros_version     TEXT,
            board           TEXT,
            reconciled_at   TEXT,                          -- the last dry-run reconcile (worker, daily)
            drift           INTEGER,                       -- differences it found
            version         INTEGER NOT NULL DEFAULT 1,
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL
        );
        CREATE INDEX idx_routers_owner ON routers(owner_id);

        CREATE TABLE customer_services (
            customer_id     TEXT PRIMARY KEY NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            router_id       TEXT NOT NULL REFERENCES routers(id) ON DELETE CASCADE,
            kind            TEXT NOT NULL CHECK (kind IN ('pppoe','ip')),
            target          TEXT NOT NULL CHECK (length(target) BETWEEN 1 AND 100),
            restore_profile TEXT,
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL,
            UNIQUE (router_id, kind, target)
        );

        CREATE TABLE router_actions (
            id              TEXT PRIMARY KEY NOT NULL,
            router_id       TEXT NOT NULL REFERENCES routers(id) ON DELETE CASCADE,
            customer_id     TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            action          TEXT NOT NULL CHECK (action IN ('isolate','restore')),
            kind            TEXT NOT NULL CHECK (kind IN ('pppoe','ip')),
            target          TEXT NOT NULL,
            status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done','superseded')),
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error      TEXT,
            created_by      TEXT,
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL,
            done_at         TEXT
        );
        CREATE INDEX idx_router_actions_due ON router_actions(status, next_attempt_at);
        CREATE INDEX idx_router_actions_customer ON router_actions(customer_id, status);
        CREATE INDEX idx_router_actions_router ON router_actions(router_id, status);
        """)
    }
}
