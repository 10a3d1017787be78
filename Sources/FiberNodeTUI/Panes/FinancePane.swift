import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore
import FiberNodeReports

/// Keuangan: the user's money by month, year, due date, owner (superadmin), what is still
/// uncollected, and by payment method; exports a date range to CSV/XLSX. Every figure comes
/// from the same store functions as the dashboard and the exports.
final class FinancePane: Pane {
    enum View: Int, CaseIterable { case month, year, date, owners, uncollected, methods, collected }

    let id = PaneID.finance
    let session: Session
    var view = View.month
    var period: Period
    var date: LocalDate
    var ownerId: String?
    var owners: [OwnerOption] = []
    var showChart = false

    // loaded data
    var figures = FinanceFigures()
    /// The month's invoices and the uncollected ones: keyset-paged, page size following the height.
    lazy var monthList = PagedList<InvoiceRow, InvoiceCursor>(
        cursor: { InvoiceCursor($0) }, onError: { [unowned self] in self.session.error($0) }
    ) { [unowned self] cursor, direction, limit in
        try self.session.db.invoices(actor: self.actor, filter: InvoiceFilter(period: self.period.description, ownerId: self.ownerId),
                                     after: cursor, backwards: direction == .backward, limit: limit)
    }
    lazy var openList = PagedList<InvoiceRow, InvoiceCursor>(
        backward: false, cursor: { InvoiceCursor($0) }, onError: { [unowned self] in self.session.error($0) }
    ) { [unowned self] cursor, _, limit in
        let r = try self.session.db.financeUncollected(actor: self.actor, ownerId: self.ownerId, after: cursor, limit: limit)
        (self.openCount, self.openTotal) = (r.count, r.outstanding)
        return r.rows
    }
    var monthRows: [InvoiceRow] { monthList.rows }
    var monthPageStart: Int { monthList.pageStart }
    /// The paged list of the current view, if it is one.
    var pagedList: PagedList<InvoiceRow, InvoiceCursor>? { view == .month ? monthList : view == .uncollected ? openList : nil }
    var yearRows: [PeriodFigures] = []
    var dueRows: [InvoiceRow] = []
    var dueFigures = FinanceFigures()
    var ownerRows: [OwnerFigures] = []
    var openRows: [InvoiceRow] { openList.rows }
    var openCount = 0, openTotal = 0
    var openPageStart: Int { openList.pageStart }
    var methodRows: [MethodFigures] = []
    // Uang masuk (issue 14): money by payment date over a range
    var collectedFrom: LocalDate
    var collectedTo: LocalDate
    var collected: CollectedFigures
    var plainSelected = 0
    var selected: Int {
        get { pagedList?.selected ?? plainSelected }
        set { if let l = pagedList { l.selected = newValue } else { plainSelected = newValue } }
    }
    var top = 0
    var pageSize = 12

    init(session: Session) {
        self.session = session
        let today = LocalDate.from(session.context.clock.now(), in: session.settings.timeZone)
        period = today.period
        date = today
        collectedFrom = LocalDate(year: today.year, month: today.month, day: 1)!
        collectedTo = today
        collected = CollectedFigures(from: today, to: today)
    }

    var s: Strings { session.strings }
    var actor: Actor { session.actor }
    var today: LocalDate { LocalDate.from(session.context.clock.now(), in: session.settings.timeZone) }

    static let viewKeys: [(Character, View, S)] = [
        ("m", .month, .finViewMonth), ("y", .year, .finViewYear), ("t", .date, .finViewDate),
        ("w", .owners, .finViewOwners), ("u", .uncollected, .finViewUncollected), ("b", .methods, .finViewMethods),
        ("U", .collected, .finViewCollected),
    ]

    var bindings: [Binding] {
        var b = Keymap.list + [
            Binding([.char("["), .char("<")], .prevPeriod, key: "[", help: .keyFinPrev),
            Binding([.char("]"), .char(">")], .nextPeriod, key: "]", help: .keyFinNext),
            Binding([.char("m")], .financeView(View.month.rawValue), key: "m", help: .keyFinMonth),
            Binding([.char("y")], .financeView(View.year.rawValue), key: "y", help: .keyFinYear),
            Binding([.char("t")], .financeView(View.date.rawValue), key: "t", help: .keyFinDate),
            Binding([.char("w")], .financeView(View.owners.rawValue), key: "w", help: .keyFinOwners, requires: .viewFinancePerMitra),
            Binding([.char("u")], .financeView(View.uncollected.rawValue), key: "u", help: .keyFinUncollected),
            Binding([.char("b")], .financeView(View.methods.rawValue), key: "b", help: .keyFinMethods),
            Binding([.char("U")], .financeView(View.collected.rawValue), help: .keyFinCollected),
            Binding([.char("c")], .chart, key: "c", help: .keyChart),
            Binding([.char("o")], .filterOwner, key: "o", help: .keyFilterOwner, requires: .viewAllOwners),
            Binding([.char("E"), .function(6)], .export, key: "F6 E", help: .keyExportFinance, fkey: 6, short: .keyExportFinance,
                    requires: .exportFinance),
        ]
        if view == .collected { b.append(Binding([.char("D")], .filter, help: .keyFinRange)) }
        if view == .month || view == .uncollected { b.append(Binding([.home], .home, key: "Home", help: .keyFirstPage)) }
        return b
    }

    // MARK: - Loading

    func reload() {
        do {
            owners = try session.db.owners(actor: actor)
            if !actor.can(.viewAllOwners) { ownerId = nil }
            switch view {
            case .month:
                figures = try session.db.financePeriod(actor: actor, period: period, ownerId: ownerId)
                monthList.reload()
            case .year:
                yearRows = try session.db.financeYear(actor: actor, year: period.year, ownerId: ownerId)
            case .date:
                (dueRows, dueFigures) = try session.db.financeDueOn(actor: actor, date: date, ownerId: ownerId)
            case .owners:
                ownerRows = actor.can(.viewFinancePerMitra) ? try session.db.financePerOwner(actor: actor, period: period) : []
            case .uncollected:
                openList.reload()
            case .methods:
                figures = try session.db.financePeriod(actor: actor, period: period, ownerId: ownerId)
                methodRows = try session.db.financeMethods(actor: actor, period: period, ownerId: ownerId)
            case .collected:
                collected = try session.db.collected(actor: actor, from: collectedFrom, to: collectedTo, ownerId: ownerId)
            }
            selected = min(selected, max(0, rowCount - 1))
        } catch { session.error(error) }
    }

    var rowCount: Int {
        switch view {
        case .month: return monthRows.count
        case .year: return yearRows.count
        case .date: return dueRows.count
        case .owners: return ownerRows.count
        case .uncollected: return openRows.count
        case .methods: return methodRows.count
        case .collected: return collectedRows.count
        }
    }

    // MARK: - Actions

    func handle(_ action: Action) -> Bool {
        switch action {
        case .financeView(let n):
            guard let v = View(rawValue: n) else { return false }
            if v == .date && view == .date { pickDate(); return true }
            view = v; restart()
        case .prevPeriod, .nextPeriod:
            let d = action == .prevPeriod ? -1 : 1
            switch view {
            case .year: period = period.adding(months: 12 * d)
            case .date: date = date.adding(days: d)
            case .collected: shiftCollected(months: d)
            default: period = period.adding(months: d)
            }
            restart()
        case .filterOwner:
            let cycle: [String?] = [nil] + owners.map(\.id)
            ownerId = cycle[((cycle.firstIndex(of: ownerId) ?? 0) + 1) % cycle.count]
            restart()
        case .chart: showChart.toggle()
        case .up: move(-1)
        case .down: move(1)
        case .pageDown: page(1)
        case .pageUp: page(-1)
        case .home: restart()
        case .export: if view == .collected { exportPaymentsDialog() } else { exportDialog() }
        case .filter where view == .collected: collectedRangeDialog()
        default: return false
        }
        return true
    }

    /// A new view, period or owner: the lists start again at their first row (F5 and the
    /// refresh tick keep the page).
    func restart() {
        monthList.reset(); openList.reset(); plainSelected = 0; top = 0
        reload()
    }

    func move(_ d: Int) {
        if let l = pagedList { if d < 0 { l.up() } else { l.down() }; return }
        let n = selected + d
        if n < 0 { page(-1); return }
        if n >= rowCount { page(1); return }
        selected = n
    }

    /// Keyset paging for the long lists (month invoices, uncollected); scrolling for the rest.
    func page(_ d: Int) {
        if let l = pagedList { if d < 0 { l.pageUp() } else { l.pageDown() }; return }
        selected = min(max(0, rowCount - 1), max(0, selected + d * pageSize))
    }

    func pickDate() {
        session.present(FormModal(title: s[.finDateTitle], fields: [
            FormFieldSpec(s[.finDatePrompt], value: date.description, maxLength: 10, hint: "YYYY-MM-DD"),
        ], strings: s) { [weak self] v in
            guard let self else { return nil }
            guard let d = LocalDate(v[0].trimmingCharacters(in: .whitespaces)) else {
                return self.s.f(.errInvalid, self.s[.finDatePrompt], "YYYY-MM-DD")
            }
            self.date = d; self.selected = 0; self.reload()
            return nil
        })
    }

    /// The date-range dialog: defaults to the due dates of the selected period (the month before it).
    func exportDialog() {
        let due = period.previous
        let from = LocalDate(year: due.year, month: due.month, day: 1)!
        let to = LocalDate(year: due.year, month: due.month, day: due.numberOfDays)!
        let formats: [(value: String, label: String)] = [("csv", "CSV"), ("xlsx", "XLSX (Excel)")]
        let form = FormModal(title: s[.finExportTitle], fields: [
            FormFieldSpec(s[.fDueFrom], value: from.description, maxLength: 10, hint: "YYYY-MM-DD"),
            FormFieldSpec(s[.fDueTo], value: to.description, maxLength: 10, hint: "YYYY-MM-DD"),
            FormFieldSpec(s[.expFormat], value: "csv", options: formats),
            SaveDialog.nameField(s, session: session, proposed: "rekap-\(period.description).csv"),
        ], strings: s) { [weak self] v in
            guard let self else { return nil }
            guard let f = LocalDate(v[0].trimmingCharacters(in: .whitespaces)) else { return self.s.f(.errInvalid, self.s[.fDueFrom], "YYYY-MM-DD") }
            guard let t = LocalDate(v[1].trimmingCharacters(in: .whitespaces)) else { return self.s.f(.errInvalid, self.s[.fDueTo], "YYYY-MM-DD") }
            guard f <= t else { return self.s.f(.errInvalid, self.s[.fDueTo], "≥ \(f)") }
            let format = ExportFormat(rawValue: v[2]) ?? .csv
            // issue 13 item 7: 130,000 rows take seconds: off the loop, with progress
            let db = self.session.db, actor = self.actor, owner = self.ownerId, s = self.s, tz = self.session.settings.timeZone
            return SaveDialog.saveInBackground(self.session, name: v[3], extensions: format.extensions, kind: "export.invoices",
                                               label: self.s[.finExportTitle]) { path, force, job in
                do {
                    let r = try InvoiceExporter.export(db: db, actor: actor, from: f, to: t, ownerId: owner,
                                                       format: format, to: path, force: force, language: s.language.rawValue,
                                                       timeZone: tz, progress: job.report)
                    return s.f(.finExportDone, r.rows, path, Rupiah(r.figures.billed).formatted,
                               Rupiah(r.figures.collected).formatted, Rupiah(r.figures.outstanding).formatted)
                } catch ExportError.tooManyRows(let n) {
                    throw StoreError.invalid(field: s[.expFormat], reason: .other(s.f(.expTooManyRows, n)))
                }
            }
        }
        SaveDialog.followFormat(form, formatIndex: 2, nameIndex: 3) { ExportFormat(rawValue: $0)?.extensions[0] ?? "csv" }
        session.present(form)
    }

    // MARK: - Drawing

    func money(_ v: Int) -> String { Rupiah(v).plain }
    func percent(_ f: FinanceFigures) -> String { s.percent(f.percentCollected) }
    var ownerName: String { ownerId.flatMap { id in owners.first { $0.id == id }?.businessName } ?? s[.stAll] }

    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme
        // view tabs
        var col = area.col
        for (key, v, label) in Self.viewKeys {
            if v == .owners && !actor.can(.viewFinancePerMitra) { continue }
            let text = "\(key):\(s[label])"
            guard col + TextWidth.width(of: text) <= area.col + area.width else { break }
            screen.put(text, row: area.row, col: col, style: v == view ? t.selected : t.dim)
            col += TextWidth.width(of: text) + 2
        }
        let lang = s.language.rawValue
        let scope: String
        switch view {
        case .year: scope = String(period.year)
        case .date: scope = date.display(language: lang)
        case .uncollected: scope = s[.finViewUncollected]
        case .collected: scope = "\(collectedFrom.display(language: lang)) – \(collectedTo.display(language: lang))"
        default: scope = period.displayName(language: lang)
        }
        let scopeLine = actor.can(.viewAllOwners) ? s.f(.finScope, scope, ownerName) : scope
        screen.put(TextWidth.truncate(scopeLine, to: area.width), row: area.row + 1, col: area.col, style: t.accent)
        let body = Rect(row: area.row + 2, col: area.col, width: area.width, height: area.height - 2)
        pageSize = max(1, body.height - 3)
        // the paged lists hold exactly what drawList shows (header, rows, blank, footer)
        if view == .month { monthList.resize(to: body.height - 2 - summaryLines(figures, width: body.width).count) }
        if view == .uncollected { openList.resize(to: body.height - 3) }
        switch view {
        case .month: drawMonth(screen, body)
        case .year: drawYear(screen, body)
        case .date: drawDate(screen, body)
        case .owners: drawOwners(screen, body)
        case .uncollected: drawUncollected(screen, body)
        case .methods: drawMethods(screen, body)
        case .collected: drawCollected(screen, body)
        }
    }

    /// The figures under a list: one line when it fits, else two.
    func summaryLines(_ f: FinanceFigures, width: Int) -> [String] {
        let one = s.f(.finSummary, f.invoices, Rupiah(f.billed).formatted, Rupiah(f.collected).formatted, percent(f), Rupiah(f.outstanding).formatted)
        if TextWidth.width(of: one) <= width { return [one] }
        return [s.f(.finSummary1, f.invoices, f.paidCount, Rupiah(f.outstanding).formatted),
                s.f(.finSummary2, Rupiah(f.billed).formatted, Rupiah(f.collected).formatted, percent(f))]
    }

    func drawList(_ screen: Screen, _ area: Rect, columns: [ListColumn], rows: [[String]], styles: [Style], footer: [String]) {
        let t = session.theme
        let layout = ListLayout.fit(columns, cells: rows, width: area.width)   // numbers measured whole (issue 13)
        ListLayout.draw(columns.map(\.title), layout: layout, columns: columns, on: screen, row: area.row, col: area.col,
                        width: area.width, style: t.tableHeader)
        let room = max(1, area.height - 1 - footer.count - (footer.isEmpty ? 0 : 1))
        if selected < top { top = selected }
        if selected >= top + room { top = selected - room + 1 }
        if rows.isEmpty { screen.put(s[.finNoData], row: area.row + 2, col: area.col, style: t.dim) }
        for (i, cells) in rows.enumerated().dropFirst(top).prefix(room) {
            ListLayout.draw(cells, layout: layout, columns: columns, on: screen, row: area.row + 1 + i - top, col: area.col,
                            width: area.width, style: i == selected ? t.selected : styles[i])
        }
        for (i, line) in footer.enumerated() {
            screen.put(ColumnPolicy.shorten(line.components(separatedBy: " · "), width: area.width), row: area.row + area.height - footer.count + i,
                       col: area.col, style: t.accent)
        }
    }

    func statusStyle(_ r: InvoiceRow) -> Style {
        let t = session.theme
        if r.isPaid { return t.ok }
        if r.dueDate < today.description { return t.error }
        return r.invoiceStatus == .partial ? t.warn : t.text
    }

    func paidAt(_ r: InvoiceRow) -> String {
        guard let d = r.paidAt else { return "" }
        return LocalDate.from(d, in: session.settings.timeZone).display(language: s.language.rawValue)
    }

    func drawMonth(_ screen: Screen, _ area: Rect) {
        let cols = [ListColumn(s[.colName], 14, flexible: true, priority: 10), ListColumn(s[.colPackage], 14, priority: 3),
                    ListColumn(s[.colTotal], 9, priority: 9, align: .right), ListColumn(s[.colStatus], 11, priority: 8),
                    ListColumn(s[.colPaidAt], 11, priority: 6), ListColumn(s[.colPaidBy], 12, priority: 2)]
        drawList(screen, area, columns: cols,
                 rows: monthRows.map { [$0.customerName, $0.packageName, money($0.totalAmount), s.name($0.invoiceStatus), paidAt($0), $0.paidByName ?? ""] },
                 styles: monthRows.map(statusStyle), footer: summaryLines(figures, width: area.width))
    }

    func drawYear(_ screen: Screen, _ area: Rect) {
        let total = yearRows.map(\.figures).reduce(FinanceFigures(), +)
        if showChart {
            screen.put(s[.finChartRevenue], row: area.row, col: area.col, style: session.theme.tableHeader)
            let chart = BarChart.render(values: yearRows.map { $0.figures.collected }, labels: yearRows.map { monthInitial($0.period) },
                                        width: area.width, height: max(3, area.height - 4), ascii: session.ascii)
            for (i, line) in chart.enumerated() { screen.put(line, row: area.row + 1 + i, col: area.col, style: session.theme.accent) }
            for (i, line) in summaryLines(total, width: area.width).reversed().enumerated() {
                screen.put(TextWidth.truncate(line, to: area.width), row: area.row + area.height - 1 - i, col: area.col, style: session.theme.accent)
            }
            return
        }
        let cols = [ListColumn(s[.colPeriod], 8, priority: 10), ListColumn(s[.colBilled], 13, priority: 9, align: .right),
                    ListColumn(s[.colCollected], 13, priority: 8, align: .right),
                    ListColumn(s[.colOutstanding], 13, priority: 7, align: .right), ListColumn("%", 5, priority: 6, align: .right)]
        var rows = yearRows.map { [$0.period.description, money($0.figures.billed), money($0.figures.collected),
                                   money($0.figures.outstanding), percent($0.figures)] }
        rows.append([s[.finTotalRow], money(total.billed), money(total.collected), money(total.outstanding), percent(total)])
        var styles = yearRows.map { _ in session.theme.text }
        styles.append(session.theme.accent)
        drawList(screen, area, columns: cols, rows: rows, styles: styles, footer: [s[.finChartHint]])
    }

    func drawDate(_ screen: Screen, _ area: Rect) {
        let cols = [ListColumn(s[.colName], 14, flexible: true, priority: 10), ListColumn(s[.colArea], 12, priority: 3),
                    ListColumn(s[.colPeriod], 8, priority: 4), ListColumn(s[.colTotal], 9, priority: 9, align: .right),
                    ListColumn(s[.colStatus], 11, priority: 8), ListColumn(s[.colPaidAt], 11, priority: 6)]
        drawList(screen, area, columns: cols,
                 rows: dueRows.map { [$0.customerName, $0.area, s.period($0.period), money($0.totalAmount), s.name($0.invoiceStatus), paidAt($0)] },
                 styles: dueRows.map(statusStyle), footer: summaryLines(dueFigures, width: area.width) + [s[.finDateHint]])
    }

    func drawOwners(_ screen: Screen, _ area: Rect) {
        // Narrow terminals drop "unpaid" first (billed − paid), then the customer count.
        let cols = [ListColumn(s[.colOwner], 14, flexible: true, priority: 10), ListColumn(s[.colCustomers], 6, priority: 6, align: .right),
                    ListColumn(s[.colBilled], 13, priority: 9, align: .right), ListColumn(s[.colCollected], 13, priority: 8, align: .right),
                    ListColumn(s[.colOutstanding], 13, priority: 5, align: .right), ListColumn("%", 5, priority: 7, align: .right)]
        let total = ownerRows.map(\.figures).reduce(FinanceFigures(), +)
        var rows = ownerRows.map { [$0.businessName, String($0.customers), money($0.figures.billed), money($0.figures.collected),
                                    money($0.figures.outstanding), percent($0.figures)] }
        rows.append([s[.finTotalRow], String(ownerRows.map(\.customers).reduce(0, +)), money(total.billed), money(total.collected),
                     money(total.outstanding), percent(total)])
        var styles = ownerRows.map { $0.role == .superadmin ? session.theme.accent : session.theme.text }
        styles.append(session.theme.accent)
        drawList(screen, area, columns: cols, rows: rows, styles: styles, footer: [])
    }

    func drawUncollected(_ screen: Screen, _ area: Rect) {
        let cols = [ListColumn(s[.colDue], 11, priority: 9), ListColumn(s[.colName], 14, flexible: true, priority: 10),
                    ListColumn(s[.colArea], 12, priority: 3), ListColumn(s[.colPeriod], 8, priority: 5),
                    ListColumn(s[.colOutstanding], 10, priority: 8, align: .right)]
        drawList(screen, area, columns: cols,
                 rows: openRows.map { [s.date($0.dueDate), $0.customerName, $0.area, s.period($0.period), money($0.remaining)] },
                 styles: openRows.map(statusStyle), footer: [s.f(.finUncollectedLine, openCount, Rupiah(openTotal).formatted)])
    }

    func drawMethods(_ screen: Screen, _ area: Rect) {
        let cols = [ListColumn(s[.colMethod], 14, flexible: true, priority: 10), ListColumn(s[.colInvoices], 8, priority: 7, align: .right),
                    ListColumn(s[.colCollected], 14, priority: 9, align: .right), ListColumn("%", 6, priority: 6, align: .right)]
        let sum = max(1, methodRows.map(\.amount).reduce(0, +))
        let rows = methodRows.map { m -> [String] in
            return [s.methodName(m.method), String(m.invoices), money(m.amount), s.percent(Double(m.amount) * 100 / Double(sum))]
        }
        drawList(screen, area, columns: cols, rows: rows, styles: methodRows.map { _ in session.theme.text }, footer: summaryLines(figures, width: area.width))
    }

    func monthInitial(_ p: Period) -> String { String(p.displayName(language: s.language.rawValue).prefix(3)) }
}
