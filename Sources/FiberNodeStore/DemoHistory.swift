import Foundation
import GRDB
import FiberNodeDomain

/// `fibernode demo --history MONTHS` (issue 13 item 10): the spec's seed plus a few dozen
/// customers per owner, registered months ago, lived through day by day with the real use
/// cases — the daily job generates the invoices and queues the reminders, owners record
/// payments (cash, transfer, QRIS; some partial, some never), receipts and reminders go to
/// the WhatsApp log — so every figure on every screen reconciles with the ledger.
extension Seeder {
    /// What the history made.
    public struct HistorySummary: Sendable, Equatable {
        public var customers = 0
        public var invoices = 0
        public var payments = 0
        public var messages = 0
    }

    static let firstNames = ["Agus", "Budi", "Citra", "Dian", "Eko", "Fitri", "Gilang", "Hana", "Indra", "Joko", "Kartika",
                             "Lukman", "Maya", "Nanda", "Oki", "Putri", "Rizki", "Sari", "Taufik", "Umi", "Wahyu", "Yanti"]
    static let lastNames = ["Saputra", "Wijaya", "Nugroho", "Lestari", "Hidayat", "Permata", "Kurniawan", "Rahmawati",
                            "Setiawan", "Utami", "Pratama", "Susanti", "Gunawan", "Handayani"]
    static let streets = ["Jl. Melati", "Jl. Kenanga", "Jl. Mawar", "Gg. Anggrek", "Jl. Flamboyan", "Jl. Cempaka"]

    /// Creates the demo database with `months` of history ending at `context.clock.now()`.
    /// The clock of `context` is the real "now"; the history runs on its own manual clock.
    @discardableResult
    public static func demoHistory(into db: AppDatabase, months: Int, perOwner: Int = 20,
                                   context: StoreContext) throws -> HistorySummary {
        guard (1...24).contains(months) else { throw StoreError.invalid(field: "history", reason: .outOfRange(min: 1, max: 24)) }
        let now = context.clock.now()
        let tz = try db.settings().timeZone
        let today = LocalDate.from(now, in: tz)
        let start = today.adding(days: -(months * 30 + 5))
        let clock = ManualClock(start.startOfDay(in: tz).addingTimeInterval(8 * 3600))
        // Never past the real now: on the last day, what would happen later has not happened yet.
        func at(_ t: Date) { clock.set(min(t, now)) }
        let ctx = StoreContext(clock: clock, random: context.random, origin: context.origin, agent: context.agent,
                               passwordCost: context.passwordCost)
        try demo(into: db, context: ctx)
        // The spec's three customers joined on the first day of the history.
        try db.write { d in
            try d.execute(sql: "UPDATE customers SET register_date = ?", arguments: [start.description])
        }
        let users = try db.read { d in try UserRecord.fetchAll(d, sql: "SELECT * FROM users ORDER BY created_at, username") }
        guard let admin = users.first(where: { $0.role == Role.superadmin.rawValue }) else { return HistorySummary() }
        let packages = try db.read { d in try String.fetchAll(d, sql: "SELECT id FROM packages ORDER BY price") }
        let random = context.random
        func pick<T>(_ a: [T]) -> T { a[random.int(in: 0...(a.count - 1))] }

        // Who joins when: most in the first weeks, a few every month after (growth chart).
        var joining: [Int: [(owner: UserRecord, input: CustomerInput)]] = [:]
        for owner in users {
            for n in 0..<perOwner {
                let day = n < perOwner / 2 ? random.int(in: 0...20) : random.int(in: 0...(months * 30 - 10))
                let name = pick(firstNames) + " " + pick(lastNames)
                let phone = "628" + String(random.int(in: 11...13)) + String(format: "%07d", random.int(in: 0...9_999_999))
                let input = CustomerInput(name: name, phone: phone, address: pick(streets) + " No. \(random.int(in: 1...120))",
                                          packageId: pick(packages), ownerId: owner.id, billingDate: String(random.int(in: 1...28)),
                                          discount: random.int(in: 0...9) == 0 ? "10000" : "0",
                                          registerDate: start.adding(days: day).description)
                joining[day, default: []].append((owner, input))
            }
        }

        var summary = HistorySummary()
        var fate: [String: (day: LocalDate, partial: Bool)] = [:]   // invoice id → when (and how) it gets paid
        var decided = Set<String>()
        let methods: [PaymentMethod] = [.cash, .cash, .cash, .transfer, .transfer, .qris, .qris, .ewallet]
        var day = start
        while day <= today {
            let offset = start.days(to: day)
            let morning = day.startOfDay(in: tz)
            // 06:00: the daily job (H-1 generation, reminders, automatic isolation if switched on).
            at(morning.addingTimeInterval(6 * 3600))
            for j in joining[offset] ?? [] {
                at(morning.addingTimeInterval(9 * 3600))
                if (try? db.createCustomer(j.input, actor: admin.actor, context: ctx)) != nil { summary.customers += 1 }
            }
            at(morning.addingTimeInterval(6 * 3600))
            summary.invoices += try DailyJob.run(db: db, businessDate: day, context: ctx).created
            // Decide once, for each new invoice, whether and when it is paid.
            let open = try db.read { d in
                try Row.fetchAll(d, sql: "SELECT id, due_date FROM invoices WHERE status = 'unpaid'")
            }
            for r in open {
                let id: String = r["id"]
                guard !decided.contains(id) else { continue }
                decided.insert(id)
                guard let due = LocalDate(r["due_date"] as String) else { continue }
                let roll = random.int(in: 0...99)
                if roll < 82 { fate[id] = (due.adding(days: random.int(in: -4...3)), false) }
                else if roll < 90 { fate[id] = (due.adding(days: random.int(in: -2...6)), true) }
                // else: never paid (overdue on the dashboard, in Keuangan › Tunggakan)
            }
            // 09:00–19:00: the owners record the day's payments.
            for (id, f) in fate where f.day <= day {
                fate[id] = nil
                guard let inv = try db.read({ d in
                    try Row.fetchOne(d, sql: "SELECT i.total_amount AS total, i.version, c.owner_id FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.id = ?",
                                     arguments: [id])
                }), let owner = users.first(where: { $0.id == inv["owner_id"] as String }) else { continue }
                at(morning.addingTimeInterval(TimeInterval(random.int(in: 9 * 3600...19 * 3600))))
                let method = pick(methods)
                let total: Int = inv["total"]
                let reference = method == .cash ? "" : (method == .qris ? "QR" : "TRF") + String(random.int(in: 100_000...999_999))
                let amount: Int? = f.partial ? max(10_000, total / 2 / 1000 * 1000) : nil
                if (try? db.markPaid(id, method: method, amount: amount, reference: reference, expectedVersion: nil,
                                     actor: owner.actor, context: ctx)) != nil { summary.payments += 1 }
            }
            // The real today may be minutes old (make run at 00:50 on the 1st): a few customers
            // with the newest bills pay first thing, so "this month" never opens on Rp 0.
            if day == today, try db.read({ d in
                try Int.fetchOne(d, sql: "SELECT count(*) FROM payments WHERE paid_on = ?", arguments: [today.description]) ?? 0
            }) == 0 {
                let newest = try db.read { d in
                    try Row.fetchAll(d, sql: """
                        SELECT i.id, c.owner_id FROM invoices i JOIN customers c ON c.id = i.customer_id
                        WHERE i.status = 'unpaid' ORDER BY i.due_date DESC, i.id LIMIT 3
                        """)
                }
                at(now)
                for r in newest {
                    guard let owner = users.first(where: { $0.id == r["owner_id"] as String }) else { continue }
                    fate[r["id"]] = nil
                    if (try? db.markPaid(r["id"], method: .cash, amount: nil, reference: "", expectedVersion: nil,
                                         actor: owner.actor, context: ctx)) != nil { summary.payments += 1 }
                }
            }
            // 19:30: what WhatsApp sent that day (receipts owed by the payments, reminders due).
            at(morning.addingTimeInterval(19.5 * 3600))
            summary.messages += try deliverDemoMessages(db: db, context: ctx)
            day = day.adding(days: 1)
        }
        try db.write { d in
            try Audit.record(d, actor: admin.actor, action: "system.demo_history", resource: nil, resourceId: nil,
                             metadata: ["months": months, "customers": summary.customers, "invoices": summary.invoices,
                                        "payments": summary.payments, "messages": summary.messages], context: ctx)
        }
        return summary
    }

    /// Marks the day's owed receipts and due reminders as sent, through the same store calls
    /// the worker uses (claim → log → finish), so the WhatsApp log and queue read true.
    static func deliverDemoMessages(db: AppDatabase, context: StoreContext) throws -> Int {
        var n = 0
        for item in try db.pendingOutbox(olderThan: 0, context: context) {
            guard let claimed = try db.claimOutbox(id: item.id, context: context) else { continue }
            let m = try db.composeOutbox(claimed, context: context)
            _ = try db.logDirect(m, status: "sent", error: nil, messageId: "demo-" + claimed.id.prefix(8), context: context)
            try db.finishOutbox(claimed.id, sent: true, error: nil, context: context)
            n += 1
        }
        let policy = try db.settings().sendPolicy
        let sessions = try db.read { d in try String.fetchAll(d, sql: "SELECT id FROM wa_sessions") }
        for s in sessions {
            while let item = try db.claimNext(sessionId: s, context: context) {
                try db.finish(item, outcome: .sent(messageId: "demo-" + item.id.prefix(8)), policy: policy, context: context)
                n += 1
            }
        }
        return n
    }
}
