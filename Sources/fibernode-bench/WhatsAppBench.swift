import Foundation
import ArgumentParser
import Logging
import FiberNodeDomain
import FiberNodeStore
import FiberNodeWhatsApp
import FiberNodeFakes

/// WhatsApp figures (issue 6): planning 2,500 reminders (5 mitra × 500) and claiming +
/// sending 1,000 queued messages to the fake WAHA with delays at 0. `benchWhatsApp` returns
/// table rows; `fibernode-bench wa` prints them.
func benchWhatsApp(reps: Int = 3) throws -> [Row] {
    var rows: [Row] = []
    var rng = SplitMix64(seed: 11)
    let tz = TimeZone(identifier: "Asia/Jakarta")!
    let start = ISO8601DateFormatter().date(from: "2026-03-04T23:00:00Z")!      // 06:00 WIB

    // 1. The planner alone (pure): 5 sessions × 500.
    let (pm, pp) = measure(reps) {
        for _ in 0..<5 {
            var planner = SendPlanner(policy: SendPolicy(maxPerDay: 500, timeZone: tz))
            for _ in 0..<500 { _ = planner.next(notBefore: start) { Int.random(in: $0, using: &rng) } }
        }
    }
    rows.append(Row(op: "plan 2,500 reminders (planner only, 5 sessions)", size: "2500 msg", median: pm, p95: pp))

    // 2. enqueueReminders: fill templates, plan per session, insert with the dedupe key (file db).
    var enqueue: [Double] = []
    for _ in 0..<max(1, reps) {
        let env = try WABenchEnv(owners: 5, perOwner: 500, start: start)
        enqueue.append(try time { _ = try env.db.enqueueReminders(businessDate: LocalDate("2026-03-05")!, context: env.context) })
        env.remove()
    }
    rows.append(Row(op: "enqueueReminders 2,500 (templates + plan + insert)", size: "2500 msg",
                    median: percentile(enqueue, 0.5), p95: percentile(enqueue, 0.95)))

    // 3. Claim + send + log 1,000 queued messages against the fake WAHA, delays 0 (2 sessions in parallel).
    var sends: [Double] = []
    var sentCounts: [Int] = []
    for _ in 0..<max(1, reps) {
        let fake = try FakeWAHA()
        let url = try fake.start()
        let env = try WABenchEnv(owners: 2, perOwner: 500, start: start)
        try env.fast(url: url)
        for u in env.usernames { fake.setState(u, SessionState.working.rawValue) }
        _ = try env.db.enqueueReminders(businessDate: LocalDate("2026-03-05")!, context: env.context)
        // The worker's per-message log lines would flood the benchmark's table.
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let worker = QueueWorker(db: env.db, context: env.context, service: WhatsAppService(db: env.db, context: env.context, timeout: 5),
                                 logger: quiet)
        var summary = QueueWorker.Summary()
        sends.append(time { summary = worker.runOnce() })
        if summary.sent != 1000 {
            let errors = try env.db.read { try String.fetchAll($0, sql: "SELECT DISTINCT error_message FROM wa_message_queue WHERE error_message IS NOT NULL") }
            FileHandle.standardError.write(Data("wa bench: sent \(summary.sent), failed tries \(summary.failedTries): \(errors)\n".utf8))
        }
        sentCounts.append(summary.sent)
        fake.stop()
        env.remove()
    }
    rows.append(Row(op: "claim + send + log 1,000 queued (fake WAHA, delays 0)", size: "1000 msg",
                    median: percentile(sends, 0.5), p95: percentile(sends, 0.95),
                    note: String(format: "%.2f ms/msg; sent %@ of 1000 on the first pass", percentile(sends, 0.5) / 1000,
                                 sentCounts.map(String.init).joined(separator: ",") as NSString)))
    // 4. For comparison: the HTTP round trip alone (200 sendText calls to the fake WAHA).
    let fake = try FakeWAHA()
    let url = try fake.start()
    fake.setState("default", SessionState.working.rawValue)
    let gateway = WAHAGateway(baseURL: url, apiKey: "k", session: "default", timeout: 5)
    let http = try time { for _ in 0..<200 { _ = try gateway.sendText(chatId: "6281234567890@c.us", text: "Halo") } }
    fake.stop()
    rows.append(Row(op: "sendText HTTP round trip only (fake WAHA)", size: "200 msg", median: http, p95: http,
                    note: String(format: "%.2f ms/msg", http / 200)))
    return rows
}

/// A temporary database: the demo plus `owners` mitra with `perOwner` customers each, billed on the 6th.
struct WABenchEnv {
    let db: AppDatabase
    let context: StoreContext
    let path: String
    var usernames: [String] = []
    let admin: Actor

    init(owners: Int, perOwner: Int, start: Date) throws {
        path = NSTemporaryDirectory() + "fn-wa-bench-\(UUID().uuidString).db"
        context = StoreContext(clock: ManualClock(start), random: RandomSource(SplitMix64(seed: 3)), passwordCost: .testing)
        db = try AppDatabase.open(path: path, create: true)
        try Seeder.demo(into: db, context: context)
        admin = try db.login(username: "superadmin", password: "Admin123!", context: context).actor
        let pkg = try db.read { try String.fetchOne($0, sql: "SELECT id FROM packages ORDER BY price LIMIT 1")! }
        var ids: [String] = []
        for i in 0..<owners {
            let m = try db.createMitra(MitraInput(username: "benchm\(i)", name: "Bench Mitra \(i)", businessName: "Bench Net \(i)",
                                                  bankName: "BCA", bankAccount: "12345\(i)", bankHolder: "Bench \(i)", password: "Mitra123!x"),
                                       actor: admin, context: context)
            ids.append(m.id); usernames.append("benchm\(i)")
        }
        let now = start
        try db.write { d in
            var no = 10_000
            for owner in ids {
                for j in 0..<perOwner {
                    no += 1
                    try d.execute(sql: """
                        INSERT INTO customers(id, no, code, owner_id, package_id, name, phone, billing_date, discount, total_bill, status,
                                              register_date, version, created_at, updated_at)
                        SELECT ?, ?, ?, ?, id, ?, ?, 6, 0, price, 'active', '2026-01-01', 1, ?, ? FROM packages WHERE id = ?
                        """, arguments: [UUID().uuidString.lowercased(), no, String(format: "PLG-%06d", no), owner, "Pelanggan \(no) \(j)",
                                         "62812\(String(format: "%08d", no))", now, now, pkg])
                }
            }
        }
        try db.generateInvoices(period: Period("2026-04")!, billingDay: 6, actor: admin, context: context)
    }

    func fast(url: URL) throws {
        for (k, v) in [("wa.gateway", "waha"), ("wa.waha.url", url.absoluteString), ("wa.min_delay_s", "0"), ("wa.max_delay_s", "0"),
                       ("wa.jitter_s", "0"), ("wa.batch_cooldown_s", "0"), ("wa.quiet_start", "00:00"), ("wa.quiet_end", "00:00"),
                       ("wa.max_per_hour", "100000"), ("wa.max_per_day", "1000000")] {
            try db.setSetting(k, v, actor: admin, context: context)
        }
    }

    func remove() {
        for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
    }
}

struct WhatsAppBenchCmd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wa", abstract: "WhatsApp figures: planning 2,500 reminders; sending 1,000 to a fake WAHA.")
    @Option(name: .long) var reps: Int = 3
    func run() throws {
        for r in try benchWhatsApp(reps: reps) {
            print(String(format: "%-58@ %-9@ median %9.1f ms  p95 %9.1f ms  %@", r.op as NSString, r.size as NSString, r.median, r.p95, r.note as NSString))
        }
    }
}

/// `fibernode-bench fake-waha --port N`: the fake WAHA as a process (tmux end-to-end tests).
struct FakeWAHACmd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fake-waha", abstract: "Run the fake WAHA on 127.0.0.1 (tests).",
                                                    shouldDisplay: false)
    @Option(name: .long) var port: UInt16 = 0
    @Option(name: .long, help: "Required X-Api-Key.") var key: String?
    @Option(name: .long, help: "A session that starts WORKING (repeatable).") var working: [String] = []
    @Option(name: .long, help: "Write the port here once listening.") var portFile: String?
    func run() throws {
        let fake = try FakeWAHA(port: port)
        fake.apiKey = key
        for s in working { fake.setState(s, SessionState.working.rawValue) }
        let url = try fake.start()
        if let portFile { try "\(fake.port)\n".write(toFile: portFile, atomically: true, encoding: .utf8) }
        FileHandle.standardError.write(Data("fake WAHA on \(url)\n".utf8))
        signal(SIGTERM, SIG_DFL)
        while true { sleep(3600) }
    }
}
