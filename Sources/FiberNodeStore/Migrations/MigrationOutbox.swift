import GRDB

extension Migrations {
    // MARK: - outbox: the receipt and the isolation notice cannot vanish (issue 12 item 9)

    /// A row written in the same transaction as the payment (that makes an invoice paid) or
    /// the isolation: the direct send claims it right after the commit; `worker` sends what is
    /// still pending. A claim is one conditional UPDATE, so exactly one sender sends it.
    static func outbox(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE message_outbox (
            id           TEXT PRIMARY KEY NOT NULL,
            kind         TEXT NOT NULL CHECK (kind IN ('receipt','isolation')),
            owner_id     TEXT NOT NULL,
            customer_id  TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            invoice_id   TEXT REFERENCES invoices(id) ON DELETE CASCADE,
            payment_id   TEXT,
            status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','failed','cancelled')),
            attempts     INTEGER NOT NULL DEFAULT 0,
            claimed_at   TEXT,
            sent_at      TEXT,
            log_id       TEXT,
            error        TEXT,
            created_at   TEXT NOT NULL
        );
        CREATE INDEX idx_outbox_open ON message_outbox(status, created_at) WHERE status IN ('pending','sending');
        CREATE INDEX idx_outbox_invoice ON message_outbox(invoice_id);
        CREATE INDEX idx_outbox_customer ON message_outbox(customer_id, kind);
        """)
    }
}
