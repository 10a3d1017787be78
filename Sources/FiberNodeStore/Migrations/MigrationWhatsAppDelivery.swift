import GRDB

extension Migrations {
    // MARK: - whatsappDelivery: Cloud templates, inbound replies, opt-out, the breaker (issue 18)

    /// - `wa_message_queue.params`: the placeholder values a message was filled from (JSON), so the
    ///   Cloud API can send the kind's template with the same values at send time.
    /// - `wa_contacts`: per owner and number, the last inbound message (the 24-hour window) and
    ///   the opt-out (BERHENTI/STOP/UNREG; MULAI/START clears it).
    /// - `wa_inbound_messages`: customers' replies, idempotent on the gateway's message id.
    /// - `wa_sessions.paused_at/pause_reason/resumed_at`: the breaker; the queue of a paused session
    ///   waits; failures before `resumed_at` no longer count.
    /// - `wa_message_logs.status_at`: when a delivery status last moved (Cloud `statuses`).
    static func whatsappDelivery(_ db: Database) throws {
        try db.execute(sql: """
        ALTER TABLE wa_message_queue ADD COLUMN params TEXT CHECK (params IS NULL OR json_valid(params));
        ALTER TABLE wa_sessions ADD COLUMN paused_at TEXT;
        ALTER TABLE wa_sessions ADD COLUMN pause_reason TEXT;
        ALTER TABLE wa_sessions ADD COLUMN resumed_at TEXT;
        ALTER TABLE wa_message_logs ADD COLUMN status_at TEXT;
        CREATE INDEX idx_wa_logs_wa_message_id ON wa_message_logs(wa_message_id);

        CREATE TABLE wa_contacts (
            owner_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            phone           TEXT NOT NULL CHECK (length(phone) BETWEEN 8 AND 20 AND phone NOT GLOB '*[^0-9]*'),
            last_inbound_at TEXT,
            opted_out_at    TEXT,
            opt_out_word    TEXT,
            updated_at      TEXT NOT NULL,
            PRIMARY KEY (owner_id, phone)
        ) WITHOUT ROWID;

        CREATE TABLE wa_inbound_messages (
            id            TEXT PRIMARY KEY NOT NULL,
            owner_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            customer_id   TEXT REFERENCES customers(id) ON DELETE SET NULL,
            phone         TEXT NOT NULL,
            body          TEXT NOT NULL CHECK (length(body) <= 4096),
            gateway       TEXT NOT NULL CHECK (gateway IN ('waha','cloud')),
            wa_message_id TEXT,
            received_at   TEXT NOT NULL,
            UNIQUE (owner_id, wa_message_id)
        );
        CREATE INDEX idx_wa_inbound_owner_received ON wa_inbound_messages(owner_id, received_at);
        CREATE INDEX idx_wa_inbound_customer ON wa_inbound_messages(customer_id, received_at);
        """)
    }
}
