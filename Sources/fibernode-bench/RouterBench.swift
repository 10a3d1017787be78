import Foundation
import ArgumentParser
import GRDB
import FiberNodeDomain
import FiberNodeStore
import FiberNodeRouterOS
import FiberNodeRouters
import FiberNodeFakes

/// Router figures (issue 15), against the fake RouterOS on loopback, both protocols:
/// a dry-run reconcile of 5,000 linked PPPoE secrets + 5,000 address-list entries (target < 2 s),
/// and one isolation round trip (change + read-back) of a PPPoE customer.
func benchRouters(reps: Int = 3) throws -> [Row] {
    var rows: [Row] = []
    for proto in [FakeRouterServer.Kind.rest, .api] {
        let name = proto == .rest ? "REST" : "API"
        let env = try RouterBenchEnv(protocol: proto, secrets: 5_000, entries: 5_000)
        defer { env.stop() }
        var diffs = 0
        let (rm, rp) = try measure(max(1, reps)) {
            diffs = try env.applier.reconcile(env.conn, apply: false).differences.count
        }
        rows.append(Row(op: "routers: reconcile dry run, \(name) (5,000 secrets + 5,000 list entries)", size: "10000 links",
                        median: rm, p95: rp, note: "\(diffs) differences found; target < 2000 ms"))
        var trips: [Double] = []
        for i in 0..<max(5, reps * 3) {
            let isolate = i % 2 == 0
            let c = try env.db.setIsolated(env.firstCode, isolated: isolate, actor: env.admin, context: env.context)
            trips.append(time { precondition(env.applier.apply(customerId: c.id) == .done, "round trip failed") })
        }
        rows.append(Row(op: "routers: isolation round trip, \(name) (change + read-back)", size: "1 cust",
                        median: percentile(trips, 0.5), p95: percentile(trips, 0.95), note: "isolate / restore alternately"))
    }
    return rows
}

final class RouterBenchEnv {
    let db: AppDatabase
    let context: StoreContext
    let admin: Actor
    let state = FakeRouterState()
    let server: FakeRouterServer
    let applier: RouterApplier
    let conn: RouterConnection
    var firstCode = ""

    init(protocol proto: FakeRouterServer.Kind, secrets: Int, entries: Int) throws {
        context = StoreContext(clock: SystemClock(), random: RandomSource(SplitMix64(seed: 5)), passwordCost: .testing)
        db = try AppDatabase.inMemory()
        try Seeder.demo(into: db, context: context)
        admin = try db.login(username: "superadmin", password: "Admin123!", context: context).actor
        server = FakeRouterServer(state: state, protocol: proto)
        try server.start()
        applier = RouterApplier(db: db, context: context, timeout: 10)
        let r = try db.addRouter(RouterInput(name: "bench", url: server.url, username: state.username, password: state.password),
                                 actor: admin, context: context)
        conn = try db.routerConnection(id: r.id)
        let now = Date()
        try db.write { d in
            let pkg = try String.fetchOne(d, sql: "SELECT id FROM packages ORDER BY price LIMIT 1")!
            for n in 0..<(secrets + entries) {
                let no = 100_000 + n, id = "bench-\(n)", code = String(format: "PLG-%06d", no)
                let isolated = n >= secrets || n % 10 == 0   // every static-IP customer isolated: 5,000 wanted entries
                try d.execute(sql: """
                    INSERT INTO customers(id, no, code, owner_id, package_id, name, phone, billing_date, discount, total_bill, status,
                                          register_date, version, created_at, updated_at)
                    SELECT ?, ?, ?, ?, id, ?, ?, 6, 0, price, ?, '2026-01-01', 1, ?, ? FROM packages WHERE id = ?
                    """, arguments: [id, no, code, admin.userId, "Bench \(n)", "62813\(String(format: "%08d", no))",
                                     (isolated ? CustomerStatus.isolated : .active).rawValue, now, now, pkg])
                let pppoe = n < secrets
                let target = pppoe ? "user\(n)" : "10.\(n / 65536 % 256).\(n / 256 % 256).\(n % 256)"
                try d.execute(sql: "INSERT INTO customer_services(customer_id, router_id, kind, target, restore_profile, created_at, updated_at) VALUES (?, ?, ?, ?, '10M', ?, ?)",
                              arguments: [id, r.id, pppoe ? "pppoe" : "ip", target, now, now])
            }
        }
        // The router agrees with FiberNode except for a few hand edits (drift to find).
        for n in 0..<secrets { state.addSecret(name: "user\(n)", profile: n % 10 == 0 ? "isolir" : (n == 7 ? "isolir" : "10M"), online: n % 3 == 0) }
        for n in secrets..<(secrets + entries) where n != secrets + 5 {   // one entry missing (drift)
            state.addEntry(list: "fibernode-isolir", address: "10.\(n / 65536 % 256).\(n / 256 % 256).\(n % 256)",
                           comment: "fibernode:" + String(format: "PLG-%06d", 100_000 + n))
        }
        state.addEntry(list: "fibernode-isolir", address: "10.250.0.1", comment: "fibernode:PLG-999999")   // one nobody wants
        firstCode = "PLG-100001"
    }

    func stop() { server.stop() }
}

/// `fibernode-bench fake-router`: the fake RouterOS as a process (tmux end-to-end tests).
struct FakeRouterCmd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fake-router", abstract: "Run the fake RouterOS on 127.0.0.1 (tests).",
                                                    shouldDisplay: false)
    @Option(name: .long, help: "rest or api") var proto = "rest"
    @Flag(name: .long, help: "TLS with the fake's self-signed certificate.") var tls = false
    @Option(name: .long) var port: Int = 0
    @Option(name: .long, help: "A PPPoE secret NAME:PROFILE that is online (repeatable).") var secret: [String] = []
    @Option(name: .long, help: "Write the port here once listening.") var portFile: String?
    @Option(name: .long, help: "Write the router's tables here after every change (one line each).") var stateFile: String?
    func run() throws {
        let state = FakeRouterState()
        for s in secret {
            let p = s.split(separator: ":", maxSplits: 1)
            state.addSecret(name: String(p[0]), profile: p.count > 1 ? String(p[1]) : "default", online: true)
        }
        let server = FakeRouterServer(state: state, protocol: proto == "api" ? .api : .rest, tls: tls)
        try server.start(port: port)
        if let portFile { try "\(server.port)\n".write(toFile: portFile, atomically: true, encoding: .utf8) }
        FileHandle.standardError.write(Data("fake RouterOS on \(server.url)\n".utf8))
        signal(SIGTERM, SIG_DFL)
        var last = -1
        while true {
            usleep(100_000)
            if let stateFile, state.requests != last {
                last = state.requests
                var out = ""
                for s in state.secrets { out += "secret \(s.name) \(s.profile)\n" }
                for a in state.active { out += "active \(a.name)\n" }
                for e in state.entries { out += "entry \(e.list) \(e.address) \(e.comment)\n" }
                try? out.write(toFile: stateFile, atomically: true, encoding: .utf8)
            }
        }
    }
}

/// `fibernode-bench routers`: the router rows alone.
struct RoutersBenchCmd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "routers", abstract: "Router figures: reconcile 5,000 + 5,000; isolation round trip.")
    @Option(name: .long) var reps: Int = 3
    func run() throws {
        for r in try benchRouters(reps: reps) {
            print(String(format: "%-72@ %-11@ median %9.1f ms  p95 %9.1f ms  %@", r.op as NSString, r.size as NSString, r.median, r.p95, r.note as NSString))
        }
    }
}
