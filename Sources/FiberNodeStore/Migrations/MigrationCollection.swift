import GRDB

extension Migrations {
    // MARK: - collection: promises to pay and automatic isolation (issue 14)

    /// `promise_until` / `promise_note`: automatic isolation waits until after that date.
    /// `isolated_auto` = 1 when the daily job isolated the customer: only those are restored
    /// automatically once everything due is paid; one isolated by hand stays isolated.
    static func collection(_ db: Database) throws {
        try db.execute(sql: """
        ALTER TABLE customers ADD COLUMN promise_until TEXT CHECK (promise_until IS NULL OR promise_until GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]');
        ALTER TABLE customers ADD COLUMN promise_note TEXT CHECK (promise_note IS NULL OR length(promise_note) <= 200);
        ALTER TABLE customers ADD COLUMN isolated_auto INTEGER NOT NULL DEFAULT 0 CHECK (isolated_auto IN (0,1));
        CREATE INDEX idx_customers_isolated_auto ON customers(isolated_auto) WHERE isolated_auto = 1;
        """)
    }
}
