import Foundation
import GRDB
import FiberNodeDomain
import FiberNodeStore
import FiberNodeSync

/// The field-laptop rows of `make bench` (issue 16), on databases of their own so the figure
/// is the same whatever data set was generated: the clone of one mitra (sizes m and l: 2,500
/// customers and 60,000 invoices; size s: a tenth), and the sync of a day of field work
/// (m and l: 500 payments and 20 new customers; s: 100 and 4) — push, replay through the
/// use cases, pull and rebase over an in-memory stream (the protocol's work, not ssh's).
func benchSync(size: BenchSize, reps: Int) throws -> [Row] {
    let small = size == .s
    let customers = small ? 250 : 2_500, periods = 24
    let payments = small ? 100 : 500, newCustomers = small ? 4 : 20
    let dir = NSTemporaryDirectory() + "fn-bench-sync-\(getpid())"
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-02T03:00:00Z")!)
    let sctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 11)), passwordCost: .testing)
    let server = try Seeder.initialize(path: dir + "/server.db", business: "FiberNode Pusat", adminUsername: "superadmin",
                                       adminPassword: "Admin123!", context: sctx)
    let admin = try server.login(username: "superadmin", password: "Admin123!", context: sctx).actor
    let pkg = try server.createPackage(PackageInput(name: "Paket 20 Mbps", speed: "20 Mbps", price: "150000"), actor: admin, context: sctx)
    let mitra = try server.createMitra(MitraInput(username: "lapangan", name: "Mitra Lapangan", businessName: "Net Lapangan",
                                                  bankName: "BRI", bankAccount: "0123", bankHolder: "Mitra", password: "Mitra123!"),
                                       actor: admin, context: sctx)
    // The mitra's customers and two years of invoices, in one transaction.
    try server.writer.write { d in
        let now = clock.now()
        for c in 1...customers {
            let cid = String(format: "c0000000-0000-4000-8000-%012d", c)
            try d.execute(sql: """
                INSERT INTO customers(id, no, code, owner_id, package_id, name, phone, billing_date, discount, total_bill, status,
                                      register_date, version, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 150000, 'active', '2024-01-15', 1, ?, ?)
                """, arguments: [cid, c, String(format: "PLG-%06d", c), mitra.id, pkg.id, "Pelanggan \(c)",
                                 "62813" + String(format: "%08d", c), c % 28 + 1, now, now])
            for k in 0..<periods {
                let y = 2024 + k / 12, m = k % 12 + 1
                try d.execute(sql: """
                    INSERT INTO invoices(id, number, customer_id, owner_id, period, amount, discount, total_amount, paid_amount, status,
                                         due_date, version, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, 150000, 0, 150000, 0, 'unpaid', ?, 1, ?, ?)
                    """, arguments: [String(format: "i%07d-0000-4000-8000-%012d", k, c), String(format: "INV-%04d%02d-%06d", y, m, c), cid,
                                     mitra.id, String(format: "%04d-%02d", y, m), String(format: "%04d-%02d-%02d", y, m, c % 28 + 1), now, now])
            }
        }
        try d.execute(sql: "INSERT INTO counters(name, value) VALUES ('customer', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                      arguments: [customers])
    }
    func session(_ body: (SyncChannel) throws -> Void) throws {
        let link = MemoryLink(), done = DispatchSemaphore(value: 0)
        let srv = SyncServer(db: server, context: sctx)
        Thread { srv.serve(link.server); done.signal() }.start()
        try body(link.client)
        done.wait()
    }
    if ProcessInfo.processInfo.environment["FN_SYNC_PHASES"] != nil {
        var snap: (tables: [SyncTable], cursor: Int)! = nil
        let t1 = try time { snap = try server.syncSnapshot(actor: Actor(userId: mitra.id, role: .mitra, username: "lapangan")) }
        var blobs: [Data] = []
        let t2 = try time { for t in snap.tables { blobs.append(Data(RowsJSON.encode(table: t.name, columns: t.columns, rows: t.rows[...]))) } }
        let t3 = try time { for b in blobs { _ = try JSONSerialization.jsonObject(with: b) } }
        let db = try AppDatabase.open(path: dir + "/phase.db", create: true)
        let t4 = try time { try db.laptopApplyClone(tables: snap.tables, deviceId: "d", token: "t", userId: mitra.id, remote: nil, cursor: 0, context: sctx) }
        print("phases ms: snapshot \(t1) encode \(t2) decode \(t3) apply \(t4) bytes \(blobs.reduce(0) { $0 + $1.count })")
    }
    // Clone, timed `reps` times (each into a new file).
    var clones: [Double] = []
    var laptop: AppDatabase! = nil
    let lctx = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 12)), passwordCost: .testing)
    for i in 0..<max(1, min(reps, 3)) {
        let path = dir + "/laptop-\(i).db"
        clones.append(try time {
            let db = try AppDatabase.open(path: path, create: true)
            try session { try SyncClient(db: db, context: lctx).clone($0, user: "lapangan", password: "Mitra123!", deviceName: "bench", remote: nil) }
            laptop = db
        })
    }
    let invoices = customers * periods
    var rows = [Row(op: "sync clone of one mitra (snapshot, frames, laptop written)", size: "\(customers) cust / \(invoices) inv",
                    median: percentile(clones, 0.5), p95: percentile(clones, 0.95), note: "target < 5000 ms at 2,500 / 60,000")]
    // A day of field work on the laptop (not timed), then the sync (timed).
    let me = try laptop.login(username: "lapangan", password: "Mitra123!", context: lctx).actor
    let unpaid = try laptop.read { try String.fetchAll($0, sql: "SELECT id FROM invoices ORDER BY period DESC, id LIMIT ?", arguments: [payments]) }
    for id in unpaid { try laptop.recordPayment(PaymentRequest(invoice: id, method: .cash), actor: me, context: lctx) }
    let pkgId = try laptop.read { try String.fetchOne($0, sql: "SELECT id FROM packages LIMIT 1")! }
    for n in 1...newCustomers {
        try laptop.createCustomer(CustomerInput(name: "Baru \(n)", phone: "62857" + String(format: "%08d", n), packageId: pkgId, billingDate: "5"),
                                  actor: me, context: lctx)
    }
    var report = SyncReport()
    let syncMs = try time { try session { report = try SyncClient(db: laptop, context: lctx).sync($0) } }
    precondition(report.applied == payments + newCustomers && report.rejected == 0, "bench sync: \(report)")
    rows.append(Row(op: "sync of a field day (push + replay + pull + rebase)", size: "\(payments) pay + \(newCustomers) cust",
                    median: syncMs, p95: syncMs, note: "target < 2000 ms at 500 + 20; \(report.pulled) rows pulled"))
    return rows
}

import ArgumentParser

/// `fibernode-bench sync --size l`: only the field-laptop rows (issue 16).
struct SyncBenchCmd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync", abstract: "Field laptop: clone of one mitra and a field day's sync.")
    @Option(name: .long) var size: String = "l"
    @Option(name: .long) var reps: Int = 3
    func run() throws {
        for r in try benchSync(size: BenchSize(rawValue: size) ?? .l, reps: reps) {
            print(String(format: "| %@ | %@ | %.1f | %.1f | %@ |", r.op, r.size, r.median, r.p95, r.note))
        }
    }
}
