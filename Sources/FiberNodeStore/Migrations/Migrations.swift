import GRDB

/// Versioned schema migrations. Never edit a shipped migration: append a new one.
/// `PRAGMA user_version` records how many have been applied; all pending ones run in
/// one transaction (see `AppDatabase.migrate`).
enum Migrations {
    static let all: [(Database) throws -> Void] = [v1, v2Finance, backups, serve, ledger, outbox, collection, routers, whatsappDelivery, sync, scaleStats, isolationPreview, searchPrefix, packageStats]

    // MARK: - v1: the spec's schema, adapted to SQLite and a terminal product

    static func v1(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE users (
            id            TEXT PRIMARY KEY NOT NULL,
            username      TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) BETWEEN 1 AND 100),
            password_hash TEXT NOT NULL,
            name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
            role          TEXT NOT NULL CHECK (role IN ('superadmin','mitra')),
            phone         TEXT CHECK (phone IS NULL OR length(phone) <= 20),
            business_name TEXT NOT NULL CHECK (length(business_name) BETWEEN 1 AND 255),
            bank_name     TEXT CHECK (bank_name IS NULL OR length(bank_name) <= 100),
            bank_account  TEXT CHECK (bank_account IS NULL OR length(bank_account) <= 50),
            bank_holder   TEXT CHECK (bank_holder IS NULL OR length(bank_holder) <= 255),
            is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0,1)),
            last_login_at TEXT,
            deleted_at    TEXT,
            version       INTEGER NOT NULL DEFAULT 1,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL
        );
        -- business name is the customers' "area" and the CSV import key: unique, any case
        CREATE UNIQUE INDEX idx_users_business_name ON users(business_name COLLATE NOCASE);
        CREATE INDEX idx_users_role ON users(role);

        CREATE TABLE packages (
            id          TEXT PRIMARY KEY NOT NULL,
            name        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 255),
            speed       TEXT NOT NULL CHECK (length(speed) BETWEEN 1 AND 50),
            price       INTEGER NOT NULL CHECK (price >= 0),
            description TEXT,
            is_active   INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0,1)),
            version     INTEGER NOT NULL DEFAULT 1,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );

        CREATE TABLE customers (
            id            TEXT PRIMARY KEY NOT NULL,
            no            INTEGER NOT NULL UNIQUE,             -- numeric part of code; FTS rowid
            code          TEXT NOT NULL UNIQUE,                -- human-facing, e.g. PLG-000123
            owner_id      TEXT NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
            package_id    TEXT NOT NULL REFERENCES packages(id) ON DELETE RESTRICT,
            name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
            phone         TEXT NOT NULL CHECK (length(phone) BETWEEN 10 AND 15 AND phone NOT GLOB '*[^0-9]*' AND phone GLOB '62*'),
            nik           TEXT CHECK (nik IS NULL OR (length(nik) = 16 AND nik NOT GLOB '*[^0-9]*')),
            address       TEXT,
            billing_date  INTEGER NOT NULL CHECK (billing_date BETWEEN 1 AND 28),
            discount      INTEGER NOT NULL DEFAULT 0 CHECK (discount >= 0),
            total_bill    INTEGER NOT NULL CHECK (total_bill >= 0),
            status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','isolated','inactive')),
            register_date TEXT NOT NULL,
            notes         TEXT,
            deleted_at    TEXT,
            version       INTEGER NOT NULL DEFAULT 1,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL
        );
        CREATE INDEX idx_customers_owner ON customers(owner_id);
        CREATE INDEX idx_customers_phone ON customers(phone);
        CREATE INDEX idx_customers_billing_date ON customers(billing_date);
        CREATE INDEX idx_customers_status ON customers(status);
        CREATE INDEX idx_customers_package ON customers(package_id);
        CREATE INDEX idx_customers_name ON customers(name COLLATE NOCASE, id);
        CREATE INDEX idx_customers_owner_name ON customers(owner_id, name COLLATE NOCASE, id);

        -- Full-text search over name, phone, NIK and address; rowid = customers.no
        CREATE VIRTUAL TABLE customers_fts USING fts5(name, phone, nik, address, tokenize = 'unicode61 remove_diacritics 2');
        CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers BEGIN
            INSERT INTO customers_fts(rowid, name, phone, nik, address)
            VALUES (new.no, new.name, new.phone, coalesce(new.nik, ''), coalesce(new.address, ''));
        END;
        CREATE TRIGGER customers_fts_ad AFTER DELETE ON customers BEGIN
            DELETE FROM customers_fts WHERE rowid = old.no;
        END;
        CREATE TRIGGER customers_fts_au AFTER UPDATE OF name, phone, nik, address ON customers BEGIN
            DELETE FROM customers_fts WHERE rowid = old.no;
            INSERT INTO customers_fts(rowid, name, phone, nik, address)
            VALUES (new.no, new.name, new.phone, coalesce(new.nik, ''), coalesce(new.address, ''));
        END;

        CREATE TABLE invoices (
            id               TEXT PRIMARY KEY NOT NULL,
            number           TEXT NOT NULL UNIQUE,            -- human-facing, e.g. INV-2026-03-000123
            customer_id      TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            owner_id         TEXT NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
            period           TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
            amount           INTEGER NOT NULL CHECK (amount >= 0),
            discount         INTEGER NOT NULL DEFAULT 0 CHECK (discount >= 0),
            total_amount     INTEGER NOT NULL CHECK (total_amount >= 0),
            paid_amount      INTEGER NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),
            status           TEXT NOT NULL DEFAULT 'unpaid' CHECK (status IN ('unpaid','paid','partial')),
            paid_at          TEXT,
            paid_by          TEXT REFERENCES users(id),
            payment_method   TEXT CHECK (payment_method IS NULL OR payment_method IN ('cash','transfer','qris','ewallet','other')),
            payment_note     TEXT,
            unpaid_reason    TEXT,
            due_date         TEXT NOT NULL,
            receipt_url      TEXT,
            receipt_token    TEXT UNIQUE,
            receipt_voided_at TEXT,
            reminder_sent_at TEXT,
            receipt_sent_at  TEXT,
            isolir_sent_at   TEXT,
            version          INTEGER NOT NULL DEFAULT 1,
            created_at       TEXT NOT NULL,
            updated_at       TEXT NOT NULL
        );
        CREATE INDEX idx_invoices_customer ON invoices(customer_id);
        CREATE INDEX idx_invoices_owner ON invoices(owner_id);
        CREATE INDEX idx_invoices_period ON invoices(period);
        CREATE INDEX idx_invoices_status ON invoices(status);
        CREATE INDEX idx_invoices_due_date ON invoices(due_date);
        CREATE UNIQUE INDEX idx_invoices_customer_period ON invoices(customer_id, period);

        CREATE TABLE wa_sessions (
            id                TEXT PRIMARY KEY NOT NULL,
            user_id           TEXT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
            status            TEXT NOT NULL DEFAULT 'disconnected' CHECK (status IN ('disconnected','connecting','connected')),
            phone_number      TEXT,
            last_connected_at TEXT,
            -- per-owner gateway settings; NULL means "use the installation default"
            gateway           TEXT CHECK (gateway IS NULL OR gateway IN ('none','waha','cloud')),
            gateway_url       TEXT,
            gateway_api_key   TEXT,
            gateway_session   TEXT,
            created_at        TEXT NOT NULL,
            updated_at        TEXT NOT NULL
        );

        CREATE TABLE wa_message_logs (
            id            TEXT PRIMARY KEY NOT NULL,
            session_id    TEXT REFERENCES wa_sessions(id) ON DELETE SET NULL,
            owner_id      TEXT REFERENCES users(id) ON DELETE SET NULL,
            customer_id   TEXT REFERENCES customers(id) ON DELETE SET NULL,
            invoice_id    TEXT REFERENCES invoices(id) ON DELETE SET NULL,
            message_type  TEXT NOT NULL CHECK (message_type IN ('reminder','receipt','isolation','custom','manual')),
            phone         TEXT NOT NULL,
            content       TEXT NOT NULL,
            status        TEXT NOT NULL CHECK (status IN ('sent','delivered','read','failed')),
            error_message TEXT,
            wa_message_id TEXT,
            sent_at       TEXT NOT NULL
        );
        CREATE INDEX idx_wa_logs_session ON wa_message_logs(session_id);
        CREATE INDEX idx_wa_logs_customer ON wa_message_logs(customer_id);
        CREATE INDEX idx_wa_logs_type ON wa_message_logs(message_type);
        CREATE INDEX idx_wa_logs_owner_sent ON wa_message_logs(owner_id, sent_at);

        CREATE TABLE settings (
            key        TEXT PRIMARY KEY NOT NULL,
            value      TEXT,
            updated_by TEXT REFERENCES users(id) ON DELETE SET NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE activity_logs (
            id          TEXT PRIMARY KEY NOT NULL,
            user_id     TEXT REFERENCES users(id) ON DELETE SET NULL,
            username    TEXT,
            action      TEXT NOT NULL,
            resource    TEXT,
            resource_id TEXT,
            metadata    TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
            ip_address  TEXT,
            created_at  TEXT NOT NULL
        );
        CREATE INDEX idx_activity_created ON activity_logs(created_at);
        CREATE INDEX idx_activity_user ON activity_logs(user_id, created_at);
        CREATE INDEX idx_activity_resource ON activity_logs(resource, resource_id);

        CREATE TABLE wa_message_queue (
            id            TEXT PRIMARY KEY NOT NULL,
            session_id    TEXT NOT NULL REFERENCES wa_sessions(id),
            owner_id      TEXT REFERENCES users(id) ON DELETE SET NULL,
            customer_id   TEXT REFERENCES customers(id) ON DELETE SET NULL,
            invoice_id    TEXT REFERENCES invoices(id) ON DELETE SET NULL,
            message_type  TEXT NOT NULL DEFAULT 'reminder' CHECK (message_type IN ('reminder','custom','manual')),
            stage         INTEGER,                            -- reminder: days before due date
            dedupe_key    TEXT UNIQUE,                        -- exactly once per invoice + type + stage
            phone         TEXT NOT NULL,
            content       TEXT NOT NULL,
            priority      INTEGER NOT NULL DEFAULT 0,
            status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','held','sending','sent','failed','cancelled')),
            retry_count   INTEGER NOT NULL DEFAULT 0,
            max_retries   INTEGER NOT NULL DEFAULT 3,
            scheduled_at  TEXT NOT NULL,
            claimed_at    TEXT,
            sent_at       TEXT,
            error_message TEXT,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL
        );
        CREATE INDEX idx_wa_queue_status_scheduled ON wa_message_queue(status, scheduled_at);
        CREATE INDEX idx_wa_queue_session ON wa_message_queue(session_id);

        CREATE TABLE login_attempts (
            id         TEXT PRIMARY KEY NOT NULL,
            username   TEXT NOT NULL,
            ip_address TEXT NOT NULL,
            success    INTEGER NOT NULL CHECK (success IN (0,1)),
            user_agent TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX idx_login_attempts_username_created ON login_attempts(username, created_at);
        CREATE INDEX idx_login_attempts_ip_created ON login_attempts(ip_address, created_at);

        -- counters for human-facing codes (customer no, invoice no)
        CREATE TABLE counters (
            name  TEXT PRIMARY KEY NOT NULL,
            value INTEGER NOT NULL
        );
        """)
    }
}
