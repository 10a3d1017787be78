import GRDB

extension Migrations {
    // MARK: - scale: the dashboard flat in customers (issue 17)

    /// Aggregates kept by triggers in the same transaction as the write, so the dashboard,
    /// the per-mitra table, "payment methods of a period" and `finance collected` read a
    /// number of rows that does not grow with customers or invoices (measured linear before:
    /// dashboard 3.1 → 15.6 ms from 10,000 to 50,000 customers).
    ///
    /// - `customer_stats`: live (not deleted) customers per owner, status and register month —
    ///   active / isolated counts, the growth chart, per-mitra customer counts.
    /// - `due_stats`: invoices per due date, owner and status — due today / tomorrow and
    ///   this month's overdue.
    /// - `method_stats`: paid and partial invoices per period, owner and payment method.
    /// - `payment_month_stats`: live payments per calendar month, owner and method — the
    ///   received-per-month chart and whole months of `finance collected`.
    /// - `payment_day_totals`: live payments per owner and day, plus one row per day for
    ///   every owner together (`owner_id = ''`) — the by-day column of `collected`.
    ///
    /// Each is filled from the tables in the migration; tests compare them with direct sums.
    static func scaleStats(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE customer_stats (
            owner_id   TEXT NOT NULL,
            status     TEXT NOT NULL,
            month      TEXT NOT NULL,
            customers  INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (owner_id, status, month)
        ) WITHOUT ROWID;
        INSERT INTO customer_stats(owner_id, status, month, customers)
        SELECT owner_id, status, substr(register_date, 1, 7), count(*) FROM customers WHERE deleted_at IS NULL GROUP BY 1, 2, 3;

        CREATE TRIGGER customer_stats_ai AFTER INSERT ON customers WHEN new.deleted_at IS NULL BEGIN
            INSERT INTO customer_stats(owner_id, status, month, customers) VALUES (new.owner_id, new.status, substr(new.register_date, 1, 7), 1)
            ON CONFLICT(owner_id, status, month) DO UPDATE SET customers = customers + 1;
        END;
        CREATE TRIGGER customer_stats_ad AFTER DELETE ON customers WHEN old.deleted_at IS NULL BEGIN
            UPDATE customer_stats SET customers = customers - 1
            WHERE owner_id = old.owner_id AND status = old.status AND month = substr(old.register_date, 1, 7);
        END;
        CREATE TRIGGER customer_stats_au AFTER UPDATE OF owner_id, status, register_date, deleted_at ON customers BEGIN
            UPDATE customer_stats SET customers = customers - 1
            WHERE old.deleted_at IS NULL AND owner_id = old.owner_id AND status = old.status AND month = substr(old.register_date, 1, 7);
            INSERT INTO customer_stats(owner_id, status, month, customers)
            SELECT new.owner_id, new.status, substr(new.register_date, 1, 7), 1 WHERE new.deleted_at IS NULL
            ON CONFLICT(owner_id, status, month) DO UPDATE SET customers = customers + 1;
        END;

        CREATE TABLE due_stats (
            due_date   TEXT NOT NULL,
            owner_id   TEXT NOT NULL,
            status     TEXT NOT NULL,
            invoices   INTEGER NOT NULL DEFAULT 0,
            billed     INTEGER NOT NULL DEFAULT 0,
            collected  INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (due_date, owner_id, status)
        ) WITHOUT ROWID;
        INSERT INTO due_stats(due_date, owner_id, status, invoices, billed, collected)
        SELECT due_date, owner_id, status, count(*), sum(total_amount), sum(paid_amount) FROM invoices GROUP BY 1, 2, 3;

        CREATE TABLE method_stats (
            period     TEXT NOT NULL,
            owner_id   TEXT NOT NULL,
            method     TEXT NOT NULL,
            invoices   INTEGER NOT NULL DEFAULT 0,
            amount     INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (period, owner_id, method)
        ) WITHOUT ROWID;
        INSERT INTO method_stats(period, owner_id, method, invoices, amount)
        SELECT period, owner_id, coalesce(payment_method, 'other'), count(*), sum(paid_amount) FROM invoices
        WHERE status != 'unpaid' GROUP BY 1, 2, 3;

        CREATE TRIGGER scale_invoice_ai AFTER INSERT ON invoices BEGIN
            INSERT INTO due_stats(due_date, owner_id, status, invoices, billed, collected)
            VALUES (new.due_date, new.owner_id, new.status, 1, new.total_amount, new.paid_amount)
            ON CONFLICT(due_date, owner_id, status) DO UPDATE SET
                invoices = invoices + 1, billed = billed + excluded.billed, collected = collected + excluded.collected;
            INSERT INTO method_stats(period, owner_id, method, invoices, amount)
            SELECT new.period, new.owner_id, coalesce(new.payment_method, 'other'), 1, new.paid_amount WHERE new.status != 'unpaid'
            ON CONFLICT(period, owner_id, method) DO UPDATE SET invoices = invoices + 1, amount = amount + excluded.amount;
        END;
        CREATE TRIGGER scale_invoice_ad AFTER DELETE ON invoices BEGIN
            UPDATE due_stats SET invoices = invoices - 1, billed = billed - old.total_amount, collected = collected - old.paid_amount
            WHERE due_date = old.due_date AND owner_id = old.owner_id AND status = old.status;
            UPDATE method_stats SET invoices = invoices - 1, amount = amount - old.paid_amount
            WHERE old.status != 'unpaid' AND period = old.period AND owner_id = old.owner_id AND method = coalesce(old.payment_method, 'other');
        END;
        CREATE TRIGGER scale_invoice_au
        AFTER UPDATE OF owner_id, period, due_date, status, total_amount, paid_amount, payment_method ON invoices BEGIN
            UPDATE due_stats SET invoices = invoices - 1, billed = billed - old.total_amount, collected = collected - old.paid_amount
            WHERE due_date = old.due_date AND owner_id = old.owner_id AND status = old.status;
            INSERT INTO due_stats(due_date, owner_id, status, invoices, billed, collected)
            VALUES (new.due_date, new.owner_id, new.status, 1, new.total_amount, new.paid_amount)
            ON CONFLICT(due_date, owner_id, status) DO UPDATE SET
                invoices = invoices + 1, billed = billed + excluded.billed, collected = collected + excluded.collected;
            UPDATE method_stats SET invoices = invoices - 1, amount = amount - old.paid_amount
            WHERE old.status != 'unpaid' AND period = old.period AND owner_id = old.owner_id AND method = coalesce(old.payment_method, 'other');
            INSERT INTO method_stats(period, owner_id, method, invoices, amount)
            SELECT new.period, new.owner_id, coalesce(new.payment_method, 'other'), 1, new.paid_amount WHERE new.status != 'unpaid'
            ON CONFLICT(period, owner_id, method) DO UPDATE SET invoices = invoices + 1, amount = amount + excluded.amount;
        END;

        CREATE TABLE payment_month_stats (
            month      TEXT NOT NULL,
            owner_id   TEXT NOT NULL,
            method     TEXT NOT NULL,
            payments   INTEGER NOT NULL DEFAULT 0,
            amount     INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (month, owner_id, method)
        ) WITHOUT ROWID;
        INSERT INTO payment_month_stats(month, owner_id, method, payments, amount)
        SELECT substr(paid_on, 1, 7), owner_id, method, count(*), sum(amount) FROM payments WHERE voided_at IS NULL GROUP BY 1, 2, 3;

        CREATE TABLE payment_day_totals (
            owner_id   TEXT NOT NULL,
            day        TEXT NOT NULL,
            payments   INTEGER NOT NULL DEFAULT 0,
            amount     INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (owner_id, day)
        ) WITHOUT ROWID;
        INSERT INTO payment_day_totals(owner_id, day, payments, amount)
        SELECT owner_id, paid_on, count(*), sum(amount) FROM payments WHERE voided_at IS NULL GROUP BY 1, 2;
        INSERT INTO payment_day_totals(owner_id, day, payments, amount)
        SELECT '', paid_on, count(*), sum(amount) FROM payments WHERE voided_at IS NULL GROUP BY 2;

        CREATE TRIGGER scale_payment_ai AFTER INSERT ON payments WHEN new.voided_at IS NULL BEGIN
            INSERT INTO payment_month_stats(month, owner_id, method, payments, amount) VALUES (substr(new.paid_on, 1, 7), new.owner_id, new.method, 1, new.amount)
            ON CONFLICT(month, owner_id, method) DO UPDATE SET payments = payments + 1, amount = amount + excluded.amount;
            INSERT INTO payment_day_totals(owner_id, day, payments, amount) VALUES (new.owner_id, new.paid_on, 1, new.amount), ('', new.paid_on, 1, new.amount)
            ON CONFLICT(owner_id, day) DO UPDATE SET payments = payments + 1, amount = amount + excluded.amount;
        END;
        CREATE TRIGGER scale_payment_ad AFTER DELETE ON payments WHEN old.voided_at IS NULL BEGIN
            UPDATE payment_month_stats SET payments = payments - 1, amount = amount - old.amount
            WHERE month = substr(old.paid_on, 1, 7) AND owner_id = old.owner_id AND method = old.method;
            UPDATE payment_day_totals SET payments = payments - 1, amount = amount - old.amount
            WHERE owner_id IN (old.owner_id, '') AND day = old.paid_on;
        END;
        CREATE TRIGGER scale_payment_au AFTER UPDATE OF voided_at, amount, method, paid_on, owner_id ON payments BEGIN
            UPDATE payment_month_stats SET payments = payments - 1, amount = amount - old.amount
            WHERE old.voided_at IS NULL AND month = substr(old.paid_on, 1, 7) AND owner_id = old.owner_id AND method = old.method;
            UPDATE payment_day_totals SET payments = payments - 1, amount = amount - old.amount
            WHERE old.voided_at IS NULL AND owner_id IN (old.owner_id, '') AND day = old.paid_on;
            INSERT INTO payment_month_stats(month, owner_id, method, payments, amount)
            SELECT substr(new.paid_on, 1, 7), new.owner_id, new.method, 1, new.amount WHERE new.voided_at IS NULL
            ON CONFLICT(month, owner_id, method) DO UPDATE SET payments = payments + 1, amount = amount + excluded.amount;
            INSERT INTO payment_day_totals(owner_id, day, payments, amount)
            SELECT o, new.paid_on, 1, new.amount FROM (SELECT new.owner_id AS o UNION ALL SELECT '') WHERE new.voided_at IS NULL
            ON CONFLICT(owner_id, day) DO UPDATE SET payments = payments + 1, amount = amount + excluded.amount;
        END;

        -- The invoice list filtered by status (found by the growth table: 7 → 30 → 122 ms from
        -- s to l): the first page of one status walked the whole period (50,000 rows at l, none
        -- partial in the newest period). With the status in the index it is a seek.
        CREATE INDEX IF NOT EXISTS idx_invoices_period_status_due ON invoices(period, status, due_date, number);
        DROP INDEX IF EXISTS idx_invoices_status;
        CREATE INDEX IF NOT EXISTS idx_invoices_status_due ON invoices(status, due_date, number);
        """)
        // A database that has planner statistics (ANALYZE) must have them for the new indexes
        // too, or the planner keeps walking the period by the analysed (period, due_date) index.
        if try db.tableExists("sqlite_stat1") {
            try db.execute(sql: "ANALYZE idx_invoices_period_status_due; ANALYZE idx_invoices_status_due;")
        }
    }
}
