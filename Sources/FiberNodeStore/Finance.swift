import Foundation
import GRDB
import FiberNodeDomain

/// Billed / collected figures of a set of invoices. One definition everywhere (dashboard,
/// finance pane, exports): `billed` = Σ total, `collected` = Σ paid amount (partial
/// payments count for what was paid), `outstanding` = billed − collected; an invoice is
/// "paid" only when its status is paid, partial ones count as unpaid.
public struct FinanceFigures: Sendable, Equatable {
    public var invoices: Int
    public var paidCount: Int
    public var billed: Int
    public var collected: Int
    public init(invoices: Int = 0, paidCount: Int = 0, billed: Int = 0, collected: Int = 0) {
        self.invoices = invoices; self.paidCount = paidCount; self.billed = billed; self.collected = collected
    }
    public var unpaidCount: Int { invoices - paidCount }
    public var outstanding: Int { billed - collected }
    /// Percentage of the billed amount collected, 0–100 with one decimal (0 when nothing billed).
    public var percentCollected: Double { billed == 0 ? 0 : (Double(collected) * 1000 / Double(billed)).rounded() / 10 }

    public static func + (a: FinanceFigures, b: FinanceFigures) -> FinanceFigures {
        FinanceFigures(invoices: a.invoices + b.invoices, paidCount: a.paidCount + b.paidCount,
                       billed: a.billed + b.billed, collected: a.collected + b.collected)
    }
}

/// One period's figures.
public struct PeriodFigures: Sendable, Equatable {
    public var period: Period
    public var figures: FinanceFigures
}

/// One owner's row of the per-mitra table.
public struct OwnerFigures: Sendable, Equatable {
    public var ownerId: String
    public var businessName: String
    public var role: Role
    public var customers: Int
    public var figures: FinanceFigures
}

/// Paid money by payment method for a period.
public struct MethodFigures: Sendable, Equatable {
    public var method: String        // cash, transfer, qris, ewallet, other
    public var invoices: Int
    public var amount: Int
}

/// Everything the dashboard shows, for one scope and period.
public struct DashboardFigures: Sendable, Equatable {
    public var period: Period
    public var activeCustomers: Int
    public var isolatedCustomers: Int
    public var activeMitra: Int
    public var periodFigures: FinanceFigures
    public var dueToday: FinanceFigures
    public var dueTomorrow: FinanceFigures
    public var overdueCount: Int
    public var overdueAmount: Int
    /// Collected per period, oldest first (12 periods ending at `period`).
    public var revenue: [PeriodFigures]
    /// Customers registered (and not deleted) by the end of each month, oldest first.
    public var growth: [(period: Period, customers: Int)]
    /// WhatsApp queue rows by status.
    public var queue: [String: Int]
    /// WhatsApp sessions of the owners in scope by status (connected / connecting / disconnected),
    /// owners without a session row counted as disconnected; and the connected number when
    /// the scope is one owner.
    public var sessions: [String: Int] = [:]
    public var sessionPhone: String?
    /// Money received (live payments by payment date, issue 14): today, this calendar month,
    /// and per calendar month for the 12 months ending with `period`, oldest first.
    public var collectedToday = CollectedFigures(from: LocalDate(year: 2000, month: 1, day: 1)!, to: LocalDate(year: 2000, month: 1, day: 1)!)
    public var collectedMonth = CollectedFigures(from: LocalDate(year: 2000, month: 1, day: 1)!, to: LocalDate(year: 2000, month: 1, day: 1)!)
    public var received: [(period: Period, amount: Int)] = []

    public static func == (a: DashboardFigures, b: DashboardFigures) -> Bool {
        a.period == b.period && a.activeCustomers == b.activeCustomers && a.periodFigures == b.periodFigures
            && a.dueToday == b.dueToday && a.dueTomorrow == b.dueTomorrow && a.overdueCount == b.overdueCount
            && a.overdueAmount == b.overdueAmount && a.revenue == b.revenue && a.queue == b.queue
            && a.growth.map(\.customers) == b.growth.map(\.customers) && a.sessions == b.sessions
    }
}

extension AppDatabase {
    /// The owner filter for finance queries: a mitra is always itself; the superadmin sees
    /// everything, or one owner when `ownerId` is given.
    static func financeOwner(actor: Actor, ownerId: String?) throws -> String? {
        guard actor.can(.viewOwnFinance) || actor.can(.viewAllOwners) else { throw StoreError.notPermitted }
        if actor.can(.viewAllOwners) { return ownerId }
        if let ownerId, ownerId != actor.userId { throw StoreError.notPermitted }
        return actor.userId
    }

    static func stats(_ db: Database, owner: String?, periods: [Period]) throws -> [String: FinanceFigures] {
        guard !periods.isEmpty else { return [:] }
        var sql = """
            SELECT period, sum(invoices), sum(CASE WHEN status = 'paid' THEN invoices ELSE 0 END), sum(billed), sum(collected) FROM invoice_stats
            WHERE period IN (\(periods.map { _ in "?" }.joined(separator: ",")))
            """
        var args: [DatabaseValueConvertible?] = periods.map(\.description)
        if let owner { sql += " AND owner_id = ?"; args.append(owner) }
        sql += " GROUP BY period"
        var out: [String: FinanceFigures] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)!) {
            out[row[0]] = FinanceFigures(invoices: row[1], paidCount: row[2], billed: row[3], collected: row[4])
        }
        return out
    }

    /// Figures of one period (by invoice period).
    public func financePeriod(actor: Actor, period: Period, ownerId: String? = nil) throws -> FinanceFigures {
        let owner = try Self.financeOwner(actor: actor, ownerId: ownerId)
        return try read { db in try Self.stats(db, owner: owner, periods: [period])[period.description] ?? FinanceFigures() }
    }

    /// Twelve rows, January to December of `year`.
    public func financeYear(actor: Actor, year: Int, ownerId: String? = nil) throws -> [PeriodFigures] {
        let owner = try Self.financeOwner(actor: actor, ownerId: ownerId)
        let periods = (1...12).compactMap { Period(year: year, month: $0) }
        let stats = try read { db in try Self.stats(db, owner: owner, periods: periods) }
        return periods.map { PeriodFigures(period: $0, figures: stats[$0.description] ?? FinanceFigures()) }
    }

    /// One row per owner (the superadmin's own customers are a row too) for a period, or for a
    /// whole year when `period` is nil. Superadmin only. The rows sum to the whole.
    public func financePerOwner(actor: Actor, period: Period?, year: Int? = nil) throws -> [OwnerFigures] {
        guard actor.can(.viewFinancePerMitra) else { throw StoreError.notPermitted }
        return try read { db in
            var filter = "1", args: [DatabaseValueConvertible?] = []
            if let period { filter = "s.period = ?"; args = [period.description] }
            else if let year { filter = "s.period BETWEEN ? AND ?"; args = [String(format: "%04d-01", year), String(format: "%04d-12", year)] }
            let rows = try Row.fetchAll(db, sql: """
                SELECT u.id, u.business_name, u.role,
                       (SELECT coalesce(sum(c.customers), 0) FROM customer_stats c WHERE c.owner_id = u.id) AS customers,
                       coalesce(sum(s.invoices), 0), coalesce(sum(CASE WHEN s.status = 'paid' THEN s.invoices ELSE 0 END), 0),
                       coalesce(sum(s.billed), 0), coalesce(sum(s.collected), 0)
                FROM users u LEFT JOIN invoice_stats s ON s.owner_id = u.id AND \(filter)
                WHERE u.deleted_at IS NULL OR EXISTS (SELECT 1 FROM invoice_stats x WHERE x.owner_id = u.id)
                GROUP BY u.id
                ORDER BY u.role DESC, u.business_name COLLATE NOCASE
                """, arguments: StatementArguments(args)!)
            return rows.map { r in
                OwnerFigures(ownerId: r[0], businessName: r[1], role: Role(rawValue: r[2]) ?? .mitra, customers: r[3],
                             figures: FinanceFigures(invoices: r[4], paidCount: r[5], billed: r[6], collected: r[7]))
            }
        }
    }

    /// Invoices due on one date (who must pay that day), with their figures.
    public func financeDueOn(actor: Actor, date: LocalDate, ownerId: String? = nil, limit: Int = 500) throws -> (rows: [InvoiceRow], figures: FinanceFigures) {
        let owner = try Self.financeOwner(actor: actor, ownerId: ownerId)
        let filter = InvoiceFilter(dueFrom: date.description, dueTo: date.description, ownerId: owner)
        return try read { db in
            let (w, args) = Self.invoiceWhere(filter, actor: actor)
            let rows = try InvoiceRow.fetchAll(db, sql: InvoiceRow.select + " WHERE \(w) ORDER BY i.status = 'paid', i.number LIMIT \(limit)",
                                               arguments: StatementArguments(args)!)
            return (rows, try Self.figures(db, where: w, args: args))
        }
    }

    static func figures(_ db: Database, where w: String, args: [DatabaseValueConvertible?]) throws -> FinanceFigures {
        let r = try Row.fetchOne(db, sql: """
            SELECT count(*), coalesce(sum(i.status = 'paid'), 0), coalesce(sum(i.total_amount), 0), coalesce(sum(i.paid_amount), 0)
            FROM invoices i WHERE \(w)
            """, arguments: StatementArguments(args)!)!
        return FinanceFigures(invoices: r[0], paidCount: r[1], billed: r[2], collected: r[3])
    }

    /// Unpaid and partly paid invoices, oldest due date first, a page after `cursor`; and the
    /// total not yet collected over all of them.
    public func financeUncollected(actor: Actor, ownerId: String? = nil, after cursor: InvoiceCursor? = nil,
                                   limit: Int = 50) throws -> (rows: [InvoiceRow], count: Int, outstanding: Int) {
        let owner = try Self.financeOwner(actor: actor, ownerId: ownerId)
        return try read { db in
            var w = "i.status != 'paid'", args: [DatabaseValueConvertible?] = []
            if let owner { w += " AND i.owner_id = ?"; args.append(owner) }
            var pageW = w, pageArgs = args
            if let cursor { pageW += " AND (i.due_date, i.number) > (?, ?)"; pageArgs += [cursor.dueDate, cursor.number] }
            let rows = try InvoiceRow.fetchAll(db, sql: InvoiceRow.select + " WHERE \(pageW) ORDER BY i.due_date, i.number LIMIT \(max(1, limit))",
                                               arguments: StatementArguments(pageArgs)!)
            // From the aggregates: every period's unpaid invoices are uncollected.
            var sql = "SELECT coalesce(sum(invoices), 0), coalesce(sum(billed - collected), 0) FROM invoice_stats WHERE status != 'paid'"
            if let owner { sql += " AND owner_id = ?" }
            let t = try Row.fetchOne(db, sql: sql, arguments: StatementArguments(owner.map { [$0] } ?? [])!)!
            return (rows, t[0], t[1])
        }
    }

    /// Money paid in a period by payment method (paid and partial invoices).
    public func financeMethods(actor: Actor, period: Period, ownerId: String? = nil) throws -> [MethodFigures] {
        let owner = try Self.financeOwner(actor: actor, ownerId: ownerId)
        return try read { db in
            var sql = """
                SELECT method, sum(invoices), coalesce(sum(amount), 0) FROM method_stats
                WHERE period = ? AND invoices > 0
                """
            var args: [DatabaseValueConvertible?] = [period.description]
            if let owner { sql += " AND owner_id = ?"; args.append(owner) }
            sql += " GROUP BY 1 HAVING sum(invoices) > 0 ORDER BY 3 DESC, 1"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)!).map {
                MethodFigures(method: $0[0], invoices: $0[1], amount: $0[2])
            }
        }
    }

    /// The dashboard for a scope: `period` for the period figures and the end of the charts,
    /// `today` (business date) for due today / tomorrow / overdue.
    public func dashboard(actor: Actor, period: Period, today: LocalDate, ownerId: String? = nil) throws -> DashboardFigures {
        let owner = try Self.financeOwner(actor: actor, ownerId: ownerId)
        return try read { db in
            var ownerW = "1", ownerArgs: [DatabaseValueConvertible?] = []
            if let owner { ownerW = "owner_id = ?"; ownerArgs = [owner] }
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql, arguments: StatementArguments(ownerArgs)!) ?? 0 }
            // Customer counts, due dates and overdue from the trigger-kept aggregates (MigrationScale):
            // rows per owner × status × month or day, never per customer or invoice.
            let active = try count("SELECT coalesce(sum(customers), 0) FROM customer_stats WHERE status = 'active' AND \(ownerW)")
            let isolated = try count("SELECT coalesce(sum(customers), 0) FROM customer_stats WHERE status = 'isolated' AND \(ownerW)")
            let mitra = actor.can(.viewAllOwners) && owner == nil
                ? try count("SELECT count(*) FROM users WHERE role = 'mitra' AND is_active = 1 AND deleted_at IS NULL") : 0

            let chart = (0..<12).map { period.adding(months: $0 - 11) }
            let stats = try Self.stats(db, owner: owner, periods: chart)
            let revenue = chart.map { PeriodFigures(period: $0, figures: stats[$0.description] ?? FinanceFigures()) }

            func due(_ d: LocalDate) throws -> FinanceFigures {
                let r = try Row.fetchOne(db, sql: """
                    SELECT coalesce(sum(invoices), 0), coalesce(sum(CASE WHEN status = 'paid' THEN invoices ELSE 0 END), 0),
                           coalesce(sum(billed), 0), coalesce(sum(collected), 0)
                    FROM due_stats WHERE due_date = ?\(owner == nil ? "" : " AND owner_id = ?")
                    """, arguments: StatementArguments([d.description] + ownerArgs)!)!
                return FinanceFigures(invoices: r[0], paidCount: r[1], billed: r[2], collected: r[3])
            }
            // Overdue = not fully paid with a due date before today. Invoices of period P fall
            // due in the month before P — or later, on the registration date, but never after P
            // ends (issue 14 §5) — so every period before this month is wholly past due (from the
            // aggregates); this month's and next month's periods need the rows.
            let thisMonth = today.period
            var oSQL = "SELECT coalesce(sum(invoices), 0), coalesce(sum(billed - collected), 0) FROM invoice_stats WHERE status != 'paid' AND period < ?"
            var oArgs: [DatabaseValueConvertible?] = [thisMonth.description]
            if let owner { oSQL += " AND owner_id = ?"; oArgs.append(owner) }
            let past = try Row.fetchOne(db, sql: oSQL, arguments: StatementArguments(oArgs)!)!
            // (this month's and next month's periods fall due from the 1st of last month: the
            // per-day aggregates of those due dates answer it, less last month's period rows that
            // fell due late, on a registration date in last month — few, read through the
            // (period, status, due_date) index)
            let lastMonth = thisMonth.previous
            let window = try Row.fetchOne(db, sql: """
                SELECT coalesce(sum(invoices), 0), coalesce(sum(billed - collected), 0) FROM due_stats
                WHERE due_date >= ? AND due_date < ? AND status != 'paid'\(owner == nil ? "" : " AND owner_id = ?")
                """, arguments: StatementArguments([lastMonth.description + "-01", today.description] + ownerArgs)!)!
            let late = try Row.fetchOne(db, sql: """
                SELECT count(*), coalesce(sum(total_amount - paid_amount), 0) FROM invoices
                WHERE period = ? AND status IN ('unpaid', 'partial') AND due_date >= ? AND due_date < ?\(owner == nil ? "" : " AND owner_id = ?")
                """, arguments: StatementArguments([lastMonth.description, lastMonth.description + "-01", today.description] + ownerArgs)!)!
            let current = (count: (window[0] as Int) - (late[0] as Int), amount: (window[1] as Int) - (late[1] as Int))

            // Growth: customers registered by the end of each chart month (deleted ones excluded).
            var growth: [(period: Period, customers: Int)] = []
            let before = try Int.fetchOne(db, sql: "SELECT coalesce(sum(customers), 0) FROM customer_stats WHERE month < ? AND \(ownerW)",
                                          arguments: StatementArguments([chart[0].description] + ownerArgs)!) ?? 0
            var monthly: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT month, sum(customers) FROM customer_stats WHERE month >= ? AND \(ownerW) GROUP BY 1
                """, arguments: StatementArguments([chart[0].description] + ownerArgs)!) { monthly[r[0]] = r[1] }
            var running = before
            for p in chart { running += monthly[p.description] ?? 0; growth.append((p, running)) }

            var queue: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT status, count(*) FROM wa_message_queue WHERE \(ownerW) GROUP BY status",
                                      arguments: StatementArguments(ownerArgs)!) { queue[r[0]] = r[1] }

            var sessions: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT coalesce(s.status, 'disconnected'), count(*) FROM users u LEFT JOIN wa_sessions s ON s.user_id = u.id
                WHERE u.deleted_at IS NULL AND u.is_active = 1\(owner == nil ? "" : " AND u.id = ?") GROUP BY 1
                """, arguments: StatementArguments(ownerArgs)!) { sessions[r[0]] = r[1] }
            let phone = try owner.flatMap {
                try String.fetchOne(db, sql: "SELECT phone_number FROM wa_sessions WHERE user_id = ? AND status = 'connected'", arguments: [$0])
            }

            var figures = DashboardFigures(period: period, activeCustomers: active, isolatedCustomers: isolated, activeMitra: mitra,
                                    periodFigures: stats[period.description] ?? FinanceFigures(),
                                    dueToday: try due(today), dueTomorrow: try due(today.adding(days: 1)),
                                    overdueCount: (past[0] as Int) + current.count,
                                    overdueAmount: (past[1] as Int) + current.amount,
                                    revenue: revenue, growth: growth, queue: queue)
            figures.sessions = sessions
            figures.sessionPhone = phone
            figures.collectedToday = try Self.collected(db, owner: owner, from: today, to: today)
            figures.collectedMonth = try Self.collected(db, owner: owner, from: LocalDate(year: today.year, month: today.month, day: 1)!, to: today)
            figures.received = try Self.collectedPerMonth(db, owner: owner, last: period).map { (period: $0.0, amount: $0.1) }
            return figures
        }
    }
}
