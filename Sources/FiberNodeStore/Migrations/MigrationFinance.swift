import GRDB

extension Migrations {
    // MARK: - v2: finance aggregates and indexes for operator scale

    /// Per-owner, per-period, per-status invoice sums kept by triggers in the same
    /// transaction as the invoice change, so the dashboard, the finance pane and the list
    /// footers read a few hundred rows instead of 1.2 million invoices, and can never
    /// disagree with them (tests compare both). Plus the indexes the measured queries need.
    static func v2Finance(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE invoice_stats (
            owner_id   TEXT NOT NULL,
            period     TEXT NOT NULL,
            status     TEXT NOT NULL,
            invoices   INTEGER NOT NULL DEFAULT 0,
            billed     INTEGER NOT NULL DEFAULT 0,
            collected  INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (owner_id, period, status)
        ) WITHOUT ROWID;
        CREATE INDEX idx_invoice_stats_period ON invoice_stats(period, status);

        INSERT INTO invoice_stats(owner_id, period, status, invoices, billed, collected)
        SELECT owner_id, period, status, count(*), sum(total_amount), sum(paid_amount)
        FROM invoices GROUP BY owner_id, period, status;

        CREATE TRIGGER invoice_stats_ai AFTER INSERT ON invoices BEGIN
            INSERT INTO invoice_stats(owner_id, period, status, invoices, billed, collected)
            VALUES (new.owner_id, new.period, new.status, 1, new.total_amount, new.paid_amount)
            ON CONFLICT(owner_id, period, status) DO UPDATE SET
                invoices = invoices + 1, billed = billed + new.total_amount, collected = collected + new.paid_amount;
        END;
        CREATE TRIGGER invoice_stats_ad AFTER DELETE ON invoices BEGIN
            UPDATE invoice_stats SET invoices = invoices - 1, billed = billed - old.total_amount, collected = collected - old.paid_amount
            WHERE owner_id = old.owner_id AND period = old.period AND status = old.status;
        END;
        CREATE TRIGGER invoice_stats_au AFTER UPDATE OF owner_id, period, status, total_amount, paid_amount ON invoices BEGIN
            UPDATE invoice_stats SET invoices = invoices - 1, billed = billed - old.total_amount, collected = collected - old.paid_amount
            WHERE owner_id = old.owner_id AND period = old.period AND status = old.status;
            INSERT INTO invoice_stats(owner_id, period, status, invoices, billed, collected)
            VALUES (new.owner_id, new.period, new.status, 1, new.total_amount, new.paid_amount)
            ON CONFLICT(owner_id, period, status) DO UPDATE SET
                invoices = invoices + 1, billed = billed + new.total_amount, collected = collected + new.paid_amount;
        END;

        -- Invoice lists are ordered by (due_date, number) and filtered by period and/or owner:
        -- these indexes give the first page without sorting a period (50,000 rows) or all.
        DROP INDEX idx_invoices_due_date;
        CREATE INDEX idx_invoices_due_number ON invoices(due_date, number);
        CREATE INDEX idx_invoices_period_due ON invoices(period, due_date, number);
        CREATE INDEX idx_invoices_owner_period_due ON invoices(owner_id, period, due_date, number);
        -- Uncollected, oldest first; overdue figures.
        CREATE INDEX idx_invoices_open_due ON invoices(due_date, number) WHERE status != 'paid';
        -- Money by payment method for a period, from the index alone.
        CREATE INDEX idx_invoices_period_method ON invoices(period, payment_method, paid_amount) WHERE status != 'unpaid';

        -- Customer counts by status / owner and growth by register date, from indexes alone.
        DROP INDEX idx_customers_status;
        CREATE INDEX idx_customers_status_owner ON customers(status, owner_id, deleted_at);
        DROP INDEX idx_customers_owner;
        CREATE INDEX idx_customers_owner_deleted ON customers(owner_id, deleted_at);
        CREATE INDEX idx_customers_register ON customers(register_date, owner_id, deleted_at);
        DROP INDEX idx_customers_package;
        CREATE INDEX idx_customers_package_deleted ON customers(package_id, deleted_at);

        -- Foreign keys need an index on the child side, else deleting one invoice or customer
        -- scans the whole message log (200,000 rows at operator scale) per deleted row.
        CREATE INDEX IF NOT EXISTS idx_wa_logs_invoice ON wa_message_logs(invoice_id);
        CREATE INDEX IF NOT EXISTS idx_wa_queue_invoice ON wa_message_queue(invoice_id);
        CREATE INDEX IF NOT EXISTS idx_wa_queue_customer ON wa_message_queue(customer_id);
        """)
    }
}
