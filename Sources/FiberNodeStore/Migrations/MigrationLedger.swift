import Foundation
import GRDB
import FiberNodeDomain

extension Migrations {
    // MARK: - ledger: payments are rows, not a flag on the invoice (issue 14)

    /// One row per payment (partial payments are several rows; a void keeps the row and says
    /// who, when and why). The invoice's `paid_amount`/`status` are recomputed from its live
    /// payments by the use case in the same transaction (`AppDatabase.recomputeInvoice`).
    /// `paid_on` is the business date the money came in (business time zone at the time of
    /// recording): "collected" reports group by it. `payment_stats` keeps per owner, day and
    /// method sums of live payments by triggers, so `finance collected` over 1.2 M payments
    /// reads a few thousand rows. Existing paid/partial invoices become one payment each.
    static func ledger(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE payments (
            id           TEXT PRIMARY KEY NOT NULL,
            invoice_id   TEXT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
            owner_id     TEXT NOT NULL,
            amount       INTEGER NOT NULL CHECK (amount > 0),
            method       TEXT NOT NULL CHECK (method IN ('cash','transfer','qris','ewallet','other')),
            reference    TEXT CHECK (reference IS NULL OR length(reference) <= 100),
            note         TEXT CHECK (note IS NULL OR length(note) <= 500),
            paid_at      TEXT NOT NULL,
            paid_on      TEXT NOT NULL CHECK (paid_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            recorded_by  TEXT REFERENCES users(id) ON DELETE SET NULL,
            device_id    TEXT,
            flag         TEXT CHECK (flag IS NULL OR flag IN ('overpaid')),
            voided_at    TEXT,
            voided_by    TEXT REFERENCES users(id) ON DELETE SET NULL,
            void_reason  TEXT CHECK (void_reason IS NULL OR length(void_reason) <= 500),
            created_at   TEXT NOT NULL,
            CHECK ((voided_at IS NULL) = (void_reason IS NULL))
        );
        CREATE INDEX idx_payments_invoice ON payments(invoice_id, paid_at);
        CREATE INDEX idx_payments_day ON payments(paid_on, owner_id);
        CREATE INDEX idx_payments_owner_day ON payments(owner_id, paid_on);

        CREATE TABLE payment_stats (
            owner_id  TEXT NOT NULL,
            day       TEXT NOT NULL,
            method    TEXT NOT NULL,
            payments  INTEGER NOT NULL DEFAULT 0,
            amount    INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (day, owner_id, method)
        ) WITHOUT ROWID;

        CREATE TRIGGER payment_stats_ai AFTER INSERT ON payments WHEN new.voided_at IS NULL BEGIN
            INSERT INTO payment_stats(owner_id, day, method, payments, amount) VALUES (new.owner_id, new.paid_on, new.method, 1, new.amount)
            ON CONFLICT(day, owner_id, method) DO UPDATE SET payments = payments + 1, amount = amount + new.amount;
        END;
        CREATE TRIGGER payment_stats_ad AFTER DELETE ON payments WHEN old.voided_at IS NULL BEGIN
            UPDATE payment_stats SET payments = payments - 1, amount = amount - old.amount
            WHERE day = old.paid_on AND owner_id = old.owner_id AND method = old.method;
        END;
        CREATE TRIGGER payment_stats_au AFTER UPDATE OF voided_at, amount, method, paid_on, owner_id ON payments BEGIN
            UPDATE payment_stats SET payments = payments - 1, amount = amount - old.amount
            WHERE old.voided_at IS NULL AND day = old.paid_on AND owner_id = old.owner_id AND method = old.method;
            INSERT INTO payment_stats(owner_id, day, method, payments, amount)
            SELECT new.owner_id, new.paid_on, new.method, 1, new.amount WHERE new.voided_at IS NULL
            ON CONFLICT(day, owner_id, method) DO UPDATE SET payments = payments + 1, amount = amount + excluded.amount;
        END;
        """)

        // Existing paid / partial invoices: one payment each, on the business date of paid_at.
        let tzName = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'business.timezone'") ?? "Asia/Jakarta"
        let tz = TimeZone(identifier: tzName) ?? TimeZone(identifier: "Asia/Jakarta")!
        let localDay = DatabaseFunction("fn_ledger_local_day", argumentCount: 1, pure: true) { values in
            guard let d = Date.fromDatabaseValue(values[0]) else { return nil }
            return LocalDate.from(d, in: tz).description
        }
        db.add(function: localDay)
        defer { db.remove(function: localDay) }
        try db.execute(sql: """
            INSERT INTO payments(id, invoice_id, owner_id, amount, method, reference, note, paid_at, paid_on, recorded_by,
                                 device_id, flag, created_at)
            SELECT lower(hex(randomblob(16))), i.id, i.owner_id, i.paid_amount, coalesce(i.payment_method, 'other'), NULL,
                   i.payment_note, coalesce(i.paid_at, i.updated_at), fn_ledger_local_day(coalesce(i.paid_at, i.updated_at)),
                   i.paid_by, NULL, CASE WHEN i.paid_amount > i.total_amount THEN 'overpaid' END, coalesce(i.paid_at, i.updated_at)
            FROM invoices i WHERE i.status != 'unpaid' AND i.paid_amount > 0
            """)
    }
}
