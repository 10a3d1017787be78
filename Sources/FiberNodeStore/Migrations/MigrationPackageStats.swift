import GRDB

extension Migrations {
    // MARK: - package stats: the package list flat in customers (issue 17)

    /// Live (not deleted) customers per package, kept by triggers in the same transaction as
    /// the write: the package list (Paket, and the customers pane's package filter) counted
    /// every live customer of each package (25 ms at 500,000 customers, growing with them).
    /// Filled from the rows here; a test compares it with counting the rows.
    static func packageStats(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE package_stats (
            package_id TEXT PRIMARY KEY NOT NULL,
            customers  INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        INSERT INTO package_stats(package_id, customers)
        SELECT package_id, count(*) FROM customers WHERE deleted_at IS NULL GROUP BY 1;

        CREATE TRIGGER package_stats_ai AFTER INSERT ON customers WHEN new.deleted_at IS NULL BEGIN
            INSERT INTO package_stats(package_id, customers) VALUES (new.package_id, 1)
            ON CONFLICT(package_id) DO UPDATE SET customers = customers + 1;
        END;
        CREATE TRIGGER package_stats_ad AFTER DELETE ON customers WHEN old.deleted_at IS NULL BEGIN
            UPDATE package_stats SET customers = customers - 1 WHERE package_id = old.package_id;
        END;
        CREATE TRIGGER package_stats_au AFTER UPDATE OF package_id, deleted_at ON customers BEGIN
            UPDATE package_stats SET customers = customers - 1 WHERE old.deleted_at IS NULL AND package_id = old.package_id;
            INSERT INTO package_stats(package_id, customers) SELECT new.package_id, 1 WHERE new.deleted_at IS NULL
            ON CONFLICT(package_id) DO UPDATE SET customers = customers + 1;
        END;
        """)
    }
}
