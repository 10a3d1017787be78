import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// Dasbor: the scope's headline figures for a period, due today / tomorrow, overdue, the
/// WhatsApp queue, and two charts (revenue of the last 12 periods, customer growth).
/// Reloaded on entry, F5 and the app's refresh tick, so other terminals' changes show.
final class DashboardPane: Pane {
    let id = PaneID.dashboard
    let session: Session
    var figures: DashboardFigures?
    var routers: RouterSummary?   // issue 15
    var period: Period
    var ownerId: String?
    var owners: [OwnerOption] = []
    /// Who `isolation.auto` would isolate tomorrow (dry run, issue 14): the count and the first
    /// three names, read flat in customers (issue 17); nil when it is off.
    var autoTomorrow: AutoIsolationSummary?

    var pauses: [SessionPause] = []

    init(session: Session) {
        self.session = session
        period = LocalDate.from(session.context.clock.now(), in: session.settings.timeZone).period
    }

    var s: Strings { session.strings }
    var bindings: [Binding] {
        [Binding([.char("["), .char("<")], .prevPeriod, key: "[", help: .keyPrevPeriod),
         Binding([.char("]"), .char(">")], .nextPeriod, key: "]", help: .keyNextPeriod),
         Binding([.char("o")], .filterOwner, key: "o", help: .keyFilterOwner, requires: .viewAllOwners)]
    }

    func reload() {
        do {
            owners = try session.db.owners(actor: session.actor)
            let today = LocalDate.from(session.context.clock.now(), in: session.settings.timeZone)
            figures = try session.db.dashboard(actor: session.actor, period: period, today: today, ownerId: ownerId)
            autoTomorrow = session.settings.bool("isolation.auto")
                ? try session.db.autoIsolationSummary(actor: session.actor, day: today.adding(days: 1), ownerId: ownerId) : nil
            routers = try session.db.routerSummary(actor: session.actor)
            pauses = try session.db.pausedSessions(actor: session.actor)   // the breaker says why (issue 18)
        } catch { session.error(error) }
    }

    func handle(_ action: Action) -> Bool {
        switch action {
        case .prevPeriod: period = period.previous
        case .nextPeriod: period = period.next
        case .filterOwner:
            let cycle: [String?] = [nil] + owners.map(\.id)
            ownerId = cycle[((cycle.firstIndex(of: ownerId) ?? 0) + 1) % cycle.count]
        default: return false
        }
        reload()
        return true
    }

    func percent(_ f: FinanceFigures) -> String { s.percent(f.percentCollected) }

    /// "WhatsApp: connected (62812…)" for one owner; counts by state for the whole business.
    func sessionLine(_ d: DashboardFigures) -> String {
        let total = d.sessions.values.reduce(0, +)
        if total <= 1 {
            let state = ConnectionState.allCases.first { d.sessionCount($0) > 0 } ?? .disconnected
            return s.f(.dashSessionOne, s.name(state), d.sessionPhone.map { " (\($0))" } ?? "")
        }
        return s.f(.dashSessionMany, d.sessionCount(.connected), d.sessionCount(.connecting), d.sessionCount(.disconnected))
    }

    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme
        guard let d = figures else { return }
        let lang = s.language.rawValue
        var head = s.f(.dashPeriod, d.period.displayName(language: lang))
        if session.actor.can(.viewAllOwners) {
            let owner = ownerId.flatMap { id in owners.first { $0.id == id }?.businessName } ?? s[.stAll]
            head += " · " + owner
        }
        screen.put(TextWidth.truncate(head, to: area.width), row: area.row, col: area.col, style: t.accent)
        var customers = s.f(.dashCustomersLine, d.activeCustomers, d.isolatedCustomers)
        if session.actor.can(.viewAllOwners) && ownerId == nil { customers += " · " + s.f(.dashMitraLine, d.activeMitra) }
        let f = d.periodFigures
        var lines: [(String, Style)] = [
            (customers, t.text),
            (s.f(.dashInvoicesLine, f.invoices, f.paidCount, f.unpaidCount), t.text),
            (s.f(.dashMoneyLine, Rupiah(f.billed).formatted, Rupiah(f.collected).formatted, percent(f)), t.ok),
            (s.f(.dashCollectedLine, Rupiah(d.collectedToday.total).formatted, d.collectedToday.count,
                 Rupiah(d.collectedMonth.total).formatted, d.collectedMonth.count), t.ok),
            (s.f(.dashDueLine, d.dueToday.unpaidCount, Rupiah(d.dueToday.outstanding).formatted,
                 d.dueTomorrow.unpaidCount, Rupiah(d.dueTomorrow.outstanding).formatted), t.warn),
            (s.f(.dashOverdueLine, d.overdueCount, Rupiah(d.overdueAmount).formatted), d.overdueCount > 0 ? t.error : t.text),
            (s.f(.dashQueueLine, d.queueCount(.pending), d.queueCount(.held), d.queueCount(.sending), d.queueCount(.failed)),
             d.queueCount(.failed) > 0 ? t.warn : t.dim),
            (sessionLine(d), d.sessionCount(.connected) > 0 ? t.ok : t.dim),
        ] + (autoTomorrow.map { c in
            let names = c.count == 0 ? "" : ": " + c.first.prefix(3).map(\.name).joined(separator: ", ") + (c.count > 3 ? ", …" : "")
            return [(s.f(.dashAutoTomorrow, c.count, names), c.count == 0 ? t.dim : t.warn)]
        } ?? [])
        // Routers (issue 15): shown once there is a router; pending changes and unreachable routers stand out.
        if let r = routers, r.routers > 0 {
            lines.append((s.f(.rtDashLine, r.routers, r.unreachable, r.pending, r.drift), r.pending + r.unreachable + r.drift > 0 ? t.warn : t.dim))
        }
        for p in pauses.prefix(2) { lines.append((s.pauseLine(p), t.error)) }
        for (i, (text, style)) in lines.enumerated() where i + 2 < area.height {
            screen.put(TextWidth.truncate(text, to: area.width), row: area.row + 2 + i, col: area.col, style: style)
        }
        // Charts side by side below the figures, as tall as the pane allows.
        let top = area.row + 2 + lines.count + 1
        let chartH = min(16, area.row + area.height - top - 2)   // taller on tall terminals (issue 13 item 8)
        guard chartH >= 2 else { return }
        let half = (area.width - 2) / 2
        let labels = d.revenue.map { String($0.period.displayName(language: lang).prefix(1)) }
        // Money received per calendar month (by payment date), not paid amounts by service period.
        // With a scale on the left: the top, middle and zero of the axis (issue 13 item 8).
        let revenue = BarChart.render(values: d.received.map(\.amount), labels: labels, width: half, height: chartH,
                                      ascii: session.ascii, scale: { self.compact($0) })
        let growth = BarChart.render(values: d.growth.map(\.customers), labels: labels, width: half, height: chartH, ascii: session.ascii,
                                     scale: { Rupiah($0).plain })   // a count with thousands separators
        let maxRevenue = d.received.map(\.amount).max() ?? 0
        screen.put(chartTitle(s.f(.dashChartCollected, Rupiah(maxRevenue).plain), width: half), row: top, col: area.col, style: t.tableHeader)
        screen.put(chartTitle(s.f(.dashChartGrowth, d.growth.last?.customers ?? 0), width: half), row: top, col: area.col + half + 2,
                   style: t.tableHeader)
        for (i, line) in revenue.enumerated() { screen.put(line, row: top + 1 + i, col: area.col, style: i == revenue.count - 1 ? t.dim : t.ok) }
        for (i, line) in growth.enumerated() { screen.put(line, row: top + 1 + i, col: area.col + half + 2, style: i == growth.count - 1 ? t.dim : t.accent) }
    }
}

extension DashboardPane {
    /// An axis figure in a few cells: 0, 950rb, 1,2jt, 3M (en: 950k, 1.2M, 3B).
    func compact(_ v: Int) -> String {
        let sep = s.language == .en ? "." : ","
        func f(_ x: Double, _ unit: S) -> String {
            let r = (x * 10).rounded() / 10
            let text = r == r.rounded() || r >= 100 ? String(Int(r.rounded())) : String(format: "%.1f", r).replacingOccurrences(of: ".", with: sep)
            return text + s[unit]
        }
        switch v {
        case ..<1_000: return String(v)
        case ..<1_000_000: return f(Double(v) / 1_000, .unitThousand)
        case ..<1_000_000_000: return f(Double(v) / 1_000_000, .unitMillion)
        default: return f(Double(v) / 1_000_000_000, .unitBillion)
        }
    }

    /// A chart title in `width` cells: the figure in brackets goes whole when it does not fit
    /// (never "maks 66…"), then whole words.
    func chartTitle(_ full: String, width: Int) -> String {
        if TextWidth.width(of: full) <= width { return full }
        let bare = full.components(separatedBy: " (").first ?? full
        return ColumnPolicy.words(bare, width: width)
    }
}
