import Foundation
import FiberNodeDomain
import FiberNodeStore

/// Benchmarks of later features measured in the same run: the WhatsApp queue (planning
/// 2,500 reminders; claim + send 1,000 to the fake gateway), on their own small databases.
func extraBenchmarks(db path: String, database: AppDatabase, admin: Actor, context: StoreContext, reps: Int) throws -> [Row] {
    try benchWhatsApp(reps: min(reps, 3)) + benchLedger(database: database, admin: admin, context: context, reps: reps)
        + benchRouters(reps: min(reps, 3))
        // The sync rows ("a day of field work", issue 17 item 4) are being built on another
        // branch: they join here as `+ benchSync(…)` in a file of their own, and their row in
        // BENCHMARKS.md's "Ledger, reconcile, sync" table is kept for them.
}

/// `fibernode-bench import --db FILE`: the CSV import row alone (runs each undone), and its
/// fair sqlite3 baseline (`importBaselineSQL`: the same writes in one transaction) run after
/// each import on the same file, so that both meet the same machine load.
func benchImportOnly(db path: String, reps: Int) throws -> (imports: [Double], baselines: [Double]) {
    let ctx = StoreContext(clock: SystemClock(), random: RandomSource(SystemRandomNumberGenerator()))
    let database = try AppDatabase.open(path: path, create: false)
    let admin = try database.login(username: "superadmin", password: "Admin123!", context: ctx).actor
    var csv = CustomerCSV.header.joined(separator: ",") + "\n"
    for n in 0..<10_000 {
        csv += "Impor Warga \(n),62899\(String(format: "%08d", n)),0,\(n % 28 + 1),FiberNode Pusat,Paket 10 Mbps,100000,100000,,2025-01-01\n"
    }
    let csvPath = NSTemporaryDirectory() + "fn-bench-import-\(getpid()).csv"
    let sqlFile = NSTemporaryDirectory() + "fn-bench-import-\(getpid()).sql"
    try csv.write(toFile: csvPath, atomically: true, encoding: .utf8)
    try importBaselineSQL(csv: csvPath).write(toFile: sqlFile, atomically: true, encoding: .utf8)
    defer { unlink(csvPath); unlink(sqlFile) }
    func undo() throws {
        try database.write { d in
            try d.execute(sql: "DELETE FROM activity_logs WHERE action = 'customer.import'; DELETE FROM customers WHERE phone LIKE '62899%'; INSERT INTO customers_fts(customers_fts) VALUES('optimize');")
        }
        try database.writer.writeWithoutTransaction { d in try d.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }
    var out: [Double] = [], base: [Double] = []
    for _ in 0..<reps {
        try undo()
        // A fresh connection per run, as a terminal or `fibernode import customers` has.
        let fresh = try AppDatabase.open(path: path, create: false)
        out.append(try time {
            let r = try fresh.importCustomers(csv: csv, dryRun: false, actor: admin, context: ctx)
            precondition(r.imported == 10_000, "import bench: \(r.rejected.prefix(2))")
        })
        try undo()
        base.append(time { shell("sqlite3 \(path) < \(sqlFile)") })
        let done = try database.read { d in
            try Int.fetchOne(d, sql: "SELECT count(*) FROM activity_logs WHERE action = 'customer.import' AND username = 'sqlite3-baseline'") ?? 0
        }
        precondition(done == 10_000, "sqlite3 import baseline wrote \(done) audit rows")
    }
    try undo()
    return (out, base)
}
