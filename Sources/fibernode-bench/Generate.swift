import Foundation
import GRDB
import FiberNodeDomain
import FiberNodeStore

/// Sizes of generated data sets.
enum BenchSize: String, CaseIterable {
    case s, m, l, xl
    var mitra: Int { [.s: 2, .m: 5, .l: 20, .xl: 200][self]! }
    var customers: Int { [.s: 1_000, .m: 10_000, .l: 50_000, .xl: 500_000][self]! }
    var periods: Int { [.s: 3, .m: 12, .l: 24, .xl: 24][self]! }
    var messages: Int { [.s: 2_000, .m: 20_000, .l: 200_000, .xl: 2_000_000][self]! }
    var queued: Int { [.s: 200, .m: 1_000, .l: 3_000, .xl: 10_000][self]! }
    /// Customers linked to a router (PPPoE secrets), over one router per owner (issue 17: 5,000 at xl).
    var routerLinks: Int { [.s: 100, .m: 1_000, .l: 2_000, .xl: 5_000][self]! }
}

/// Writes a deterministic operator-scale database through the project's own store.
enum Generator {
    static let packages = [("Paket 10 Mbps", "10 Mbps", 100_000), ("Paket 20 Mbps", "20 Mbps", 150_000),
                           ("Paket 30 Mbps", "30 Mbps", 200_000), ("Paket 50 Mbps", "50 Mbps", 250_000),
                           ("Paket 100 Mbps", "100 Mbps", 350_000)]
    static let first = ["Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gilang", "Hana", "Indra", "Joko", "Kartika", "Lina",
                        "Made", "Nur", "Oki", "Putri", "Rudi", "Sari", "Taufik", "Umi", "Wati", "Yudi", "Zaenal"]
    static let last = ["Santoso", "Lestari", "Hartono", "Wijaya", "Saputra", "Rahayu", "Pratama", "Kusuma", "Nugroho", "Susanti"]
    static let streets = ["Jl. Melati", "Jl. Mawar", "Jl. Kenanga", "Gg. Masjid", "Jl. Raya", "Perum Griya"]

    static func run(out: String, seed: UInt64, size: BenchSize, now: Date, bulk: Bool = false) throws {
        try? FileManager.default.removeItem(atPath: out)
        for s in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: out + s) }
        var rng = SplitMix64(seed: seed)
        let ctx = StoreContext(clock: ManualClock(now), random: RandomSource(SplitMix64(seed: seed &+ 1)))
        let db = try Seeder.initialize(path: out, business: "FiberNode Pusat", adminUsername: "superadmin",
                                       adminPassword: "Admin123!", context: ctx)
        let admin = try db.login(username: "superadmin", password: "Admin123!", context: ctx).actor
        // The generator's own connection may hold the working set (12 M invoices at xl): with the
        // app's 16 MiB the random-key indexes (ids, receipt tokens) would be read back per row.
        try db.writer.writeWithoutTransaction { d in try d.execute(sql: "PRAGMA cache_size = -1500000") }
        for (name, speed, price) in packages {
            try db.createPackage(PackageInput(name: name, speed: speed, price: String(price)), actor: admin, context: ctx)
        }
        var areas = ["FiberNode Pusat"]
        for m in 1...size.mitra {
            let business = "Mitra Net \(m)"
            try db.createMitra(MitraInput(username: "mitra\(m)", name: "Mitra \(m)", businessName: business, bankName: "BRI",
                                          bankAccount: String(format: "0%09d", m), bankHolder: "Mitra \(m)", password: "Mitra123!"),
                               actor: admin, context: ctx)
            areas.append(business)
        }
        // Customers through the CSV import use case, 10,000 rows per transaction; at xl in
        // one SQL statement of the same shape (50 imports would take most of the 15 minutes
        // generation may take on this machine; the import has its own row in the table).
        var n = bulk ? size.customers : 0
        if bulk { try bulkCustomers(db, count: size.customers, now: now) }
        while n < size.customers {
            var csv = CustomerCSV.header.joined(separator: ",") + "\n"
            for _ in 0..<min(10_000, size.customers - n) {
                n += 1
                let p = packages[Int(rng.next() % 5)]
                let discount = rng.next() % 10 == 0 ? 10_000 : 0
                let name = "\(first[Int(rng.next() % UInt64(first.count))]) \(last[Int(rng.next() % UInt64(last.count))]) \(n)"
                csv += "\(name),62812\(String(format: "%08d", n)),\(discount),\(Int(rng.next() % 28) + 1),\(areas[Int(rng.next() % UInt64(areas.count))]),"
                csv += "\(p.0),\(p.2),\(p.2 - discount),\(rng.next() % 3 == 0 ? String(format: "32%014d", n) : ""),2024-01-15\n"
            }
            let r = try db.importCustomers(csv: csv, dryRun: false, actor: admin, context: ctx)
            precondition(r.rejected.isEmpty, "generator rows rejected: \(r.rejected.prefix(3))")
        }
        // Addresses (for search) in one statement.
        // (one UPDATE, one FTS rewrite per customer; the result is the same street per `no % 6`)
        if !bulk { try db.write { d in
            let cases = streets.enumerated().map { "WHEN \($0.offset) THEN '\($0.element)'" }.joined(separator: " ")
            try d.execute(sql: "UPDATE customers SET address = (CASE no % \(streets.count) \(cases) END) || ' No. ' || (no % 200)")
        } }
        // Router links (issue 15): one router per owner through the use case, PPPoE secrets for
        // the first `routerLinks` customers on their owner's router.
        for (i, o) in try db.owners(actor: admin).enumerated() {
            let r = try db.addRouter(RouterInput(name: "rb-\(i + 1)", ownerId: o.id, url: "http://10.\(i / 250).\(i % 250).1",
                                                 username: "fibernode", password: "bench-\(i)"), actor: admin, context: ctx)
            _ = r
        }
        try db.write { d in
            try d.execute(sql: """
                INSERT INTO customer_services(customer_id, router_id, kind, target, created_at, updated_at)
                SELECT c.id, r.id, 'pppoe', 'pppoe-' || c.code, c.created_at, c.created_at
                FROM customers c JOIN routers r ON r.owner_id = c.owner_id WHERE c.no <= ?
                """, arguments: [size.routerLinks])
        }
        // Invoices: the last `periods` months up to next month, through the generation use case
        // (at xl in one statement of the same shape, with the indexes built once at the end).
        let today = LocalDate.from(now, in: TimeZone(identifier: "Asia/Jakarta")!)
        let lastPeriod = today.period.next
        if bulk {
            try (db.writer as? DatabasePool)?.close()
            try bulkInvoicesAndRest(path: out, size: size, seed: seed, now: now, today: today, lastPeriod: lastPeriod)
            return
        }
        for k in stride(from: size.periods - 1, through: 0, by: -1) {
            try db.generateInvoices(period: lastPeriod.adding(months: -k), actor: admin, context: ctx)
        }
        // ~85% of past invoices paid with realistic methods and dates, some partial.
        try db.write { d in
            let rule = PaidRule(seed: seed, today: today)
            try d.execute(sql: """
                UPDATE invoices SET status = 'paid', paid_amount = total_amount, paid_at = \(rule.paidAt(r: "rowid", due: "due_date")),
                       paid_by = owner_id, payment_method = \(rule.method(r: "rowid")), version = 2
                WHERE \(rule.paid(r: "rowid", due: "due_date"))
                """)
            try d.execute(sql: """
                UPDATE invoices SET status = 'partial', paid_amount = total_amount / 2, paid_at = datetime(due_date), paid_by = owner_id,
                       payment_method = 'cash', version = 2
                WHERE status = 'unpaid' AND \(rule.partial(r: "rowid", due: "due_date"))
                """)
            try ledgerAndMessages(d, size: size, now: now, today: today)
        }
        try db.writer.writeWithoutTransaction { d in try d.execute(sql: "ANALYZE") }
    }

    /// The ledger, WhatsApp sessions, message log and queue, from the invoices (every size).
    static func ledgerAndMessages(_ d: Database, size: BenchSize, now: Date, today: LocalDate) throws {
        // The ledger (issue 14): one payment per paid / partial invoice, on its Jakarta date.
        try d.execute(sql: """
            INSERT INTO payments(id, invoice_id, owner_id, amount, method, paid_at, paid_on, recorded_by, created_at)
            SELECT lower(hex(randomblob(16))), id, owner_id, paid_amount, payment_method, paid_at, date(paid_at, '+7 hours'), paid_by, paid_at
            FROM invoices WHERE status != 'unpaid' AND paid_amount > 0
            """)
        // WhatsApp sessions, message log and queue
        try d.execute(sql: """
            INSERT INTO wa_sessions(id, user_id, status, created_at, updated_at)
            SELECT lower(hex(randomblob(16))), id, 'disconnected', ?, ? FROM users
            """, arguments: [now, now])
        try d.execute(sql: """
            WITH RECURSIVE k(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM k WHERE x < ?)
            INSERT INTO wa_message_logs(id, session_id, owner_id, customer_id, invoice_id, message_type, phone, content, status, sent_at)
            SELECT lower(hex(randomblob(16))), s.id, c.owner_id, c.id, NULL,
                   CASE x % 3 WHEN 0 THEN 'reminder' WHEN 1 THEN 'receipt' ELSE 'isolation' END,
                   c.phone, 'Pesan ' || x, CASE WHEN x % 50 = 0 THEN 'failed' ELSE 'sent' END,
                   datetime(?, '-' || (x % 700) || ' days')
            FROM k JOIN customers c ON c.no = 1 + (x * 7919) % ? JOIN wa_sessions s ON s.user_id = c.owner_id
            """, arguments: [size.messages, today.description, size.customers])
        try d.execute(sql: """
            WITH RECURSIVE k(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM k WHERE x < ?)
            INSERT INTO wa_message_queue(id, session_id, owner_id, customer_id, message_type, stage, dedupe_key, phone, content,
                                         status, scheduled_at, created_at, updated_at)
            SELECT lower(hex(randomblob(16))), s.id, c.owner_id, c.id, 'reminder', 1, 'bench:' || x, c.phone, 'Pengingat ' || x,
                   CASE x % 10 WHEN 0 THEN 'failed' WHEN 1 THEN 'held' ELSE 'pending' END, ?, ?, ?
            FROM k JOIN customers c ON c.no = 1 + (x * 104729) % ? JOIN wa_sessions s ON s.user_id = c.owner_id
            """, arguments: [size.queued, now, now, now, size.customers])
    }

    /// `count` customers as the import would write them (numbers, codes, FTS rows and
    /// aggregates by trigger), deterministic, in one statement; the counter follows.
    static func bulkCustomers(_ db: AppDatabase, count: Int, now: Date) throws {
        try db.write { d in
            try d.execute(sql: "CREATE TEMP TABLE g_owner(i INTEGER PRIMARY KEY, id TEXT); CREATE TEMP TABLE g_pkg(i INTEGER PRIMARY KEY, id TEXT, price INTEGER)")
            try d.execute(sql: "INSERT INTO g_owner(i, id) SELECT row_number() OVER (ORDER BY role DESC, business_name) - 1, id FROM users")
            try d.execute(sql: "INSERT INTO g_pkg(i, id, price) SELECT row_number() OVER (ORDER BY price) - 1, id, price FROM packages")
            let owners = try Int.fetchOne(d, sql: "SELECT count(*) FROM g_owner")!
            try d.execute(sql: "CREATE TEMP TABLE g_first(i INTEGER PRIMARY KEY, v TEXT); CREATE TEMP TABLE g_last(i INTEGER PRIMARY KEY, v TEXT)")
            for (i, v) in first.enumerated() { try d.execute(sql: "INSERT INTO g_first VALUES (?, ?)", arguments: [i, v]) }
            for (i, v) in last.enumerated() { try d.execute(sql: "INSERT INTO g_last VALUES (?, ?)", arguments: [i, v]) }
            // The street the other sizes get by UPDATE (`no % 6`), written with the row.
            try d.execute(sql: "CREATE TEMP TABLE g_street(i INTEGER PRIMARY KEY, v TEXT)")
            for (i, v) in streets.enumerated() { try d.execute(sql: "INSERT INTO g_street VALUES (?, ?)", arguments: [i, v]) }
            try d.execute(sql: """
                WITH RECURSIVE k(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM k WHERE x < ?)
                INSERT INTO customers(id, no, code, owner_id, package_id, name, phone, nik, address, billing_date, discount,
                                      total_bill, status, register_date, notes, deleted_at, version, created_at, updated_at)
                SELECT lower(hex(randomblob(16))), x, 'PLG-' || printf('%06d', x), o.id, p.id, f.v || ' ' || l.v || ' ' || x,
                       '62812' || printf('%08d', x), CASE WHEN x % 3 = 0 THEN '32' || printf('%014d', x) END,
                       s.v || ' No. ' || (x % 200),
                       1 + (x * 11) % 28, CASE WHEN x % 10 = 0 THEN 10000 ELSE 0 END,
                       p.price - CASE WHEN x % 10 = 0 THEN 10000 ELSE 0 END, 'active', '2024-01-15', NULL, NULL, 1, ?, ?
                FROM k JOIN g_owner o ON o.i = (x * 2654435761) % ? JOIN g_pkg p ON p.i = (x * 40503) % 5
                JOIN g_first f ON f.i = (x * 97) % ? JOIN g_last l ON l.i = (x * 13) % ? JOIN g_street s ON s.i = x % ?
                """, arguments: [count, now, now, owners, first.count, last.count, streets.count])
            try d.execute(sql: "INSERT INTO counters(name, value) VALUES ('customer', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                          arguments: [count])
            try d.execute(sql: "DROP TABLE g_owner; DROP TABLE g_pkg; DROP TABLE g_first; DROP TABLE g_last; DROP TABLE g_street")
        }
    }

    /// xl (issue 17): 24 periods of 500,000 invoices, their payments and 2 M log rows would take
    /// the use case's row-by-row index upkeep well over the 15 minutes generation may take here
    /// (random ids and tokens in 15 indexes of 12 M rows). The same rows (the generation use
    /// case's columns and rules, then paid / partial as the other sizes get them) go in with
    /// the secondary indexes of the big tables dropped and built once at the end (a sort), on
    /// one connection without a journal: a generator that fails is simply run again. The
    /// triggers stay, so every aggregate is kept exactly as the application keeps it.
    static func bulkInvoicesAndRest(path: String, size: BenchSize, seed: UInt64, now: Date, today: LocalDate, lastPeriod: Period) throws {
        var config = Configuration()
        config.foreignKeysEnabled = false
        let q = try DatabaseQueue(path: path, configuration: config)
        try q.writeWithoutTransaction { d in
            try d.execute(sql: "PRAGMA journal_mode = DELETE")
            try d.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -6000000; PRAGMA temp_store = MEMORY; PRAGMA threads = 2")
        }
        var indexes: [String] = []
        try q.write { d in
            for r in try GRDB.Row.fetchAll(d, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                AND tbl_name IN ('invoices', 'payments', 'wa_message_logs')
                """) {
                indexes.append(r["sql"])
                try d.execute(sql: "DROP INDEX \"\(r["name"] as String)\"")
            }
            try d.execute(sql: "CREATE TEMP TABLE g_period(k INTEGER PRIMARY KEY, period TEXT, previous TEXT)")
            for k in 0..<size.periods {
                let p = lastPeriod.adding(months: k - (size.periods - 1))
                try d.execute(sql: "INSERT INTO g_period VALUES (?, ?, ?)", arguments: [k, p.description, p.previous.description])
            }
        }
        let started = Date()
        func step(_ what: String) {   // on stderr: unbuffered, so a long run shows where it is
            FileHandle.standardError.write(Data(String(format: "  %@ at %.0f s\n", what, Date().timeIntervalSince(started)).utf8))
        }
        let rule = PaidRule(seed: seed, today: today)
        try q.write { d in
            // The use case's INSERT (ids, numbers, due dates), then the paid / partial rule the
            // other sizes apply by UPDATE, on the row's own number (rowid) as they do.
            try d.execute(sql: """
                INSERT INTO invoices(rowid, id, number, customer_id, owner_id, period, amount, discount, total_amount, paid_amount,
                                     status, paid_at, paid_by, payment_method, due_date, receipt_token, version, created_at, updated_at)
                SELECT r, lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
                             substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
                       'INV-' || replace(period, '-', '') || '-' || substr(code, 5), cid, oid, period, price, discount, total,
                       CASE st WHEN 'paid' THEN total WHEN 'partial' THEN total / 2 ELSE 0 END, st,
                       CASE st WHEN 'paid' THEN \(rule.paidAt(r: "r", due: "due")) WHEN 'partial' THEN datetime(due) END,
                       CASE WHEN st != 'unpaid' THEN oid END,
                       CASE st WHEN 'paid' THEN \(rule.method(r: "r")) WHEN 'partial' THEN 'cash' END,
                       due, lower(hex(randomblob(20))), CASE st WHEN 'unpaid' THEN 1 ELSE 2 END, ?1, ?1
                FROM (SELECT r, cid, oid, code, period, price, discount, total, due,
                             CASE WHEN \(rule.paid(r: "r", due: "due")) THEN 'paid'
                                  WHEN \(rule.partial(r: "r", due: "due")) THEN 'partial' ELSE 'unpaid' END AS st
                      FROM (SELECT g.k * ?2 + c.no AS r, c.id AS cid, c.owner_id AS oid, c.code, g.period, p.price, c.discount,
                                   max(0, p.price - c.discount) AS total,
                                   max(g.previous || '-' || printf('%02d', c.billing_date), c.register_date) AS due
                            FROM g_period g CROSS JOIN customers c JOIN packages p ON p.id = c.package_id
                            WHERE c.deleted_at IS NULL AND c.status = 'active' AND c.register_date < date(g.period || '-01', '+1 month')))
                """, arguments: [now, size.customers])
            step("invoices")
            try ledgerAndMessages(d, size: size, now: now, today: today)
            step("payments and messages")
            for sql in indexes { try d.execute(sql: sql) }
            step("indexes")
            try d.execute(sql: "DROP TABLE g_period")
        }
        try q.writeWithoutTransaction { d in
            // Full statistics, as the other sizes have (a sample, `analysis_limit`, misled the
            // planner at xl: 1001 rows per package made it sort every customer for a page).
            try d.execute(sql: "ANALYZE")
            try d.execute(sql: "PRAGMA journal_mode = WAL")
        }
        step("analyze")
        try q.close()
    }
}

/// Which past invoices the generated data has paid or partly paid, when and how — one rule
/// for the sizes that pay by UPDATE (on `rowid`) and for xl's single INSERT (on the number it
/// gives the row): ~85 % paid a few days before the due date at a working hour, by cash,
/// transfer, QRIS or e-wallet; every ninth of the rest half paid in cash.
struct PaidRule {
    let seed: UInt64
    let today: LocalDate
    func paid(r: String, due: String) -> String { "\(due) < '\(today)' AND (\(r) * 2654435761 + \(seed % 10007)) % 100 < 85" }
    func partial(r: String, due: String) -> String { "\(due) < '\(today)' AND \(r) % 9 = 0" }
    func paidAt(r: String, due: String) -> String {
        "datetime(\(due), '-' || ((\(r) * 7 + \(seed % 1000)) % 5) || ' days', '+' || (8 + \(r) % 10) || ' hours')"
    }
    func method(r: String) -> String {
        "CASE (\(r) * 13 + \(seed % 997)) % 10 WHEN 0 THEN 'qris' WHEN 1 THEN 'ewallet' WHEN 2 THEN 'transfer' WHEN 3 THEN 'transfer' WHEN 4 THEN 'transfer' ELSE 'cash' END"
    }
}
