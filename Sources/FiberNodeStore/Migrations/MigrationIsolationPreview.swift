import GRDB

extension Migrations {
    // MARK: - isolation preview: the dashboard's "isolated tomorrow" line flat in customers (issue 17)

    /// The dashboard showed who `isolation.auto` would isolate tomorrow by grouping every open
    /// overdue invoice by customer (2 s at size l, 171,000 such invoices) to draw a count and
    /// three names. What it needs is kept here by triggers, in the same transaction as the write:
    ///
    /// - `isolation_watch`: one row per customer the daily job could isolate some day — active,
    ///   not deleted, with at least one open (not paid) invoice — with the due date of its
    ///   oldest open invoice, its owner, code and promise. A customer is a candidate on `day`
    ///   exactly when `oldest_due < day − isolation_overdue_days` and no promise runs on or
    ///   after `day`. Indexed by (oldest_due, code) and (owner_id, oldest_due, code): the first
    ///   names are an ordered walk with LIMIT; by promise: the few promised are subtracted.
    /// - `isolation_watch_stats`: those customers counted per owner and oldest due date, plus
    ///   one row per date for every owner together (`owner_id = ''`): the count is a sum over
    ///   dates, not over customers.
    /// - `idx_invoices_open_customer`: open invoices by customer and due date (a partial index,
    ///   a customer's few unpaid invoices), so a payment that closes the oldest one finds the
    ///   next in one seek.
    ///
    /// Kept in tables of their own (not columns of `customers`) so a field laptop's pull never
    /// carries them and the server's per-row change counter (`sync_changes`) does not move when
    /// a payment changes a customer's oldest open invoice. A laptop builds its own by the same
    /// triggers while the clone loads (customers before invoices). Filled from the rows here.
    static func isolationPreview(_ db: Database) throws {
        try db.execute(sql: """
        CREATE INDEX idx_invoices_open_customer ON invoices(customer_id, due_date) WHERE status != 'paid';

        CREATE TABLE isolation_watch (
            customer_id    TEXT PRIMARY KEY NOT NULL,
            owner_id       TEXT NOT NULL,
            code           TEXT NOT NULL,
            promise_until  TEXT,
            oldest_due     TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO isolation_watch(customer_id, owner_id, code, promise_until, oldest_due)
        SELECT c.id, c.owner_id, c.code, c.promise_until, o.oldest
        FROM (SELECT customer_id, min(due_date) AS oldest FROM invoices WHERE status != 'paid' GROUP BY customer_id) o
        JOIN customers c ON c.id = o.customer_id
        WHERE c.status = 'active' AND c.deleted_at IS NULL;
        CREATE INDEX idx_isolation_watch_due ON isolation_watch(oldest_due, code);
        CREATE INDEX idx_isolation_watch_owner_due ON isolation_watch(owner_id, oldest_due, code);
        CREATE INDEX idx_isolation_watch_promise ON isolation_watch(promise_until) WHERE promise_until IS NOT NULL;

        CREATE TABLE isolation_watch_stats (
            owner_id    TEXT NOT NULL,
            oldest_due  TEXT NOT NULL,
            customers   INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (owner_id, oldest_due)
        ) WITHOUT ROWID;
        INSERT INTO isolation_watch_stats(owner_id, oldest_due, customers)
        SELECT owner_id, oldest_due, count(*) FROM isolation_watch GROUP BY 1, 2;
        INSERT INTO isolation_watch_stats(owner_id, oldest_due, customers)
        SELECT '', oldest_due, count(*) FROM isolation_watch GROUP BY 2;

        -- the counts follow the watch rows
        CREATE TRIGGER isolation_watch_ai AFTER INSERT ON isolation_watch BEGIN
            INSERT INTO isolation_watch_stats(owner_id, oldest_due, customers) VALUES (new.owner_id, new.oldest_due, 1), ('', new.oldest_due, 1)
            ON CONFLICT(owner_id, oldest_due) DO UPDATE SET customers = customers + 1;
        END;
        CREATE TRIGGER isolation_watch_ad AFTER DELETE ON isolation_watch BEGIN
            UPDATE isolation_watch_stats SET customers = customers - 1 WHERE owner_id IN (old.owner_id, '') AND oldest_due = old.oldest_due;
        END;
        CREATE TRIGGER isolation_watch_au AFTER UPDATE OF owner_id, oldest_due ON isolation_watch BEGIN
            UPDATE isolation_watch_stats SET customers = customers - 1 WHERE owner_id IN (old.owner_id, '') AND oldest_due = old.oldest_due;
            INSERT INTO isolation_watch_stats(owner_id, oldest_due, customers) VALUES (new.owner_id, new.oldest_due, 1), ('', new.oldest_due, 1)
            ON CONFLICT(owner_id, oldest_due) DO UPDATE SET customers = customers + 1;
        END;

        -- an open invoice arrives: its customer's oldest open due date can only move earlier (no scan)
        CREATE TRIGGER isolation_invoice_ai AFTER INSERT ON invoices WHEN new.status != 'paid' BEGIN
            INSERT INTO isolation_watch(customer_id, owner_id, code, promise_until, oldest_due)
            SELECT id, owner_id, code, promise_until, new.due_date FROM customers
            WHERE id = new.customer_id AND status = 'active' AND deleted_at IS NULL
            ON CONFLICT(customer_id) DO UPDATE SET oldest_due = excluded.oldest_due WHERE excluded.oldest_due < isolation_watch.oldest_due;
        END;
        -- an open invoice leaves: only when it was the oldest, the next one is found (one seek)
        CREATE TRIGGER isolation_invoice_ad AFTER DELETE ON invoices WHEN old.status != 'paid' BEGIN
            DELETE FROM isolation_watch WHERE customer_id = old.customer_id AND oldest_due = old.due_date
                AND NOT EXISTS (SELECT 1 FROM invoices WHERE customer_id = old.customer_id AND status != 'paid');
            UPDATE isolation_watch SET oldest_due = (SELECT min(due_date) FROM invoices WHERE customer_id = old.customer_id AND status != 'paid')
            WHERE customer_id = old.customer_id AND oldest_due = old.due_date;
        END;
        -- paid, unpaid again (void, unpay), due date or customer moved: the old row leaves, the new one arrives
        CREATE TRIGGER isolation_invoice_au AFTER UPDATE OF status, due_date, customer_id ON invoices
        WHEN (old.status != 'paid') != (new.status != 'paid')
          OR (old.status != 'paid' AND (old.due_date IS NOT new.due_date OR old.customer_id IS NOT new.customer_id)) BEGIN
            DELETE FROM isolation_watch WHERE old.status != 'paid' AND customer_id = old.customer_id AND oldest_due = old.due_date
                AND NOT EXISTS (SELECT 1 FROM invoices WHERE customer_id = old.customer_id AND status != 'paid');
            UPDATE isolation_watch SET oldest_due = (SELECT min(due_date) FROM invoices WHERE customer_id = old.customer_id AND status != 'paid')
            WHERE old.status != 'paid' AND customer_id = old.customer_id AND oldest_due = old.due_date;
            INSERT INTO isolation_watch(customer_id, owner_id, code, promise_until, oldest_due)
            SELECT id, owner_id, code, promise_until, new.due_date FROM customers
            WHERE new.status != 'paid' AND id = new.customer_id AND status = 'active' AND deleted_at IS NULL
            ON CONFLICT(customer_id) DO UPDATE SET oldest_due = excluded.oldest_due WHERE excluded.oldest_due < isolation_watch.oldest_due;
        END;

        -- the customer side: only active, live customers are watched
        CREATE TRIGGER isolation_customer_ai AFTER INSERT ON customers WHEN new.status = 'active' AND new.deleted_at IS NULL BEGIN
            INSERT INTO isolation_watch(customer_id, owner_id, code, promise_until, oldest_due)
            SELECT new.id, new.owner_id, new.code, new.promise_until, m
            FROM (SELECT min(due_date) AS m FROM invoices WHERE customer_id = new.id AND status != 'paid') WHERE m IS NOT NULL
            ON CONFLICT(customer_id) DO UPDATE SET owner_id = excluded.owner_id, code = excluded.code,
                promise_until = excluded.promise_until, oldest_due = excluded.oldest_due;
        END;
        CREATE TRIGGER isolation_customer_ad AFTER DELETE ON customers BEGIN
            DELETE FROM isolation_watch WHERE customer_id = old.id;
        END;
        CREATE TRIGGER isolation_customer_au AFTER UPDATE OF id, status, deleted_at, owner_id, code, promise_until ON customers BEGIN
            DELETE FROM isolation_watch
            WHERE customer_id = old.id AND NOT (new.status = 'active' AND new.deleted_at IS NULL AND new.id = old.id);
            UPDATE isolation_watch SET owner_id = new.owner_id, code = new.code, promise_until = new.promise_until
            WHERE customer_id = new.id
              AND (owner_id IS NOT new.owner_id OR code IS NOT new.code OR promise_until IS NOT new.promise_until);
            INSERT INTO isolation_watch(customer_id, owner_id, code, promise_until, oldest_due)
            SELECT new.id, new.owner_id, new.code, new.promise_until, m
            FROM (SELECT min(due_date) AS m FROM invoices WHERE customer_id = new.id AND status != 'paid')
            WHERE m IS NOT NULL AND new.status = 'active' AND new.deleted_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM isolation_watch WHERE customer_id = new.id)
            ON CONFLICT(customer_id) DO NOTHING;
        END;
        """)
        if try db.tableExists("sqlite_stat1") {
            try db.execute(sql: "ANALYZE idx_invoices_open_customer; ANALYZE isolation_watch; ANALYZE isolation_watch_stats;")
        }
    }
}
