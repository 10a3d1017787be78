import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore
import FiberNodeReports

/// Tagihan: filtered, keyset-paged invoices with footer totals; mark paid / unpaid with
/// optimistic locking; receipts; generation (superadmin).
final class InvoicesPane: Pane, CommandPane {
    let id = PaneID.invoices
    let session: Session
    var filter = InvoiceFilter()
    /// Selection, keyset paging and the page size that follows the height.
    lazy var list = PagedList<InvoiceRow, InvoiceCursor>(
        cursor: { InvoiceCursor($0) },
        count: { [unowned self] in
            self.totals = try self.session.db.invoiceTotals(actor: self.actor, filter: self.filter)
            return self.totals.count
        },
        onError: { [unowned self] in self.session.error($0) }
    ) { [unowned self] cursor, direction, limit in
        try self.session.db.invoices(actor: self.actor, filter: self.filter, after: cursor, backwards: direction == .backward, limit: limit)
    }
    var rows: [InvoiceRow] { list.rows }
    var selected: Int { get { list.selected } set { list.selected = newValue } }
    var pageStart: Int { list.pageStart }
    var totals = InvoiceTotals(count: 0, total: 0, paid: 0, unpaid: 0)
    var owners: [OwnerOption] = []
    /// True while the user types a search (issue 13): keys go to the search text.
    var searching = false
    var today: LocalDate { LocalDate.from(session.context.clock.now(), in: session.settings.timeZone) }

    init(session: Session) {
        self.session = session
        filter.period = today.period.next.description   // prepaid: the coming month's invoices
    }

    var s: Strings { session.strings }
    var actor: Actor { session.actor }

    var bindings: [Binding] {
        Keymap.list + [
            Binding([.home], .home, key: "Home", help: .keyFirstPage),
            Binding([.end], .end, key: "End", help: .keyLastPage),
            Binding([.char("p"), .function(7)], .edit, key: "F7 p", help: .keyPay, fkey: 7, short: .fnPay, requires: .markPayment),
            Binding([.char("u"), .function(8)], .delete, key: "F8 u", help: .keyUnpay, fkey: 8, short: .fnUnpay, requires: .markPayment),
            Binding([.enter, .char("v")], .open, key: "Enter v", help: .keyReceipt),
            Binding([.char("S")], .export, key: "S", help: .keySaveReceipt),
            Binding([.char("b")], .payments, key: "b", help: .keyPayments),
            Binding([.char("["), .char("<")], .prevPeriod, key: "[", help: .keyPrevPeriod),
            Binding([.char("]"), .char(">")], .nextPeriod, key: "]", help: .keyNextPeriod),
            Binding([.char("*")], .search, help: .keyAllPeriods),
            Binding([.char("f")], .filterStatus, key: "f", help: .keyFilterStatus),
            Binding([.char("o")], .filterOwner, key: "o", help: .keyFilterOwner, requires: .viewAllOwners),
            Binding([.char("D")], .sort, help: .keyDueRange),
            Binding([.char("g"), .function(6)], .add, key: "F6 g", help: .keyGenerate, fkey: 6, short: .keyGenerate, requires: .generateInvoices),
        ] + commandBindings
    }

    /// Issue 13: search as you type, and the WhatsApp receipt or reminder from the row.
    var commands: [Command] {
        [Command([.char("/"), .function(3)], .keySearch, short: .keySearch) { [unowned self] in self.searching = true },
         Command([.char("m")], .srchKeyMessage, requires: .sendWhatsApp) { [unowned self] in
             if let i = self.current { InvoiceActions.message(i, session: self.session) { [weak self] in self?.reload() } }
         }]
    }

    // MARK: - Loading

    func reload() {
        WhatsAppDirect.deliver(session)
        do { owners = try session.db.owners(actor: actor) } catch { session.error(error) }
        list.reload()
    }

    func firstPage() { list.reset(); reload() }

    /// While the user types, the list follows every key and the totals wait for a pause.
    func idle() -> Bool { list.idle() }

    func handleKey(_ key: Key) -> Bool {
        guard searching else { return false }
        switch key {
        case .escape: searching = false; filter.search = ""; list.first()
        case .enter: searching = false
        case .up, .down, .pageUp, .pageDown: return false
        case .backspace: if !filter.search.isEmpty { filter.search.removeLast(); list.first(deferCount: true) }
        case .ctrl("u"): filter.search = ""; list.first()
        case .char(let c):
            guard filter.search.count < 60 else { return true }
            filter.search.append(c); list.first(deferCount: true)
        default: return false
        }
        return true
    }
    func nextPage() { list.pageDown() }
    func previousPage() { list.pageUp() }

    var current: InvoiceRow? { rows.indices.contains(selected) ? rows[selected] : nil }

    // MARK: - Actions

    func handle(_ action: Action) -> Bool {
        if run(action, as: actor) { return true }
        switch action {
        case .up: list.up()
        case .down: list.down()
        case .pageDown: nextPage()
        case .pageUp: previousPage()
        case .home: firstPage()
        case .end: list.end()
        case .prevPeriod, .nextPeriod:
            let base = filter.period.flatMap(Period.init) ?? today.period.next
            filter.period = (action == .prevPeriod ? base.previous : base.next).description
            firstPage()
        case .search: filter.period = nil; firstPage()
        case .filterStatus:
            let cycle: [InvoiceStatus?] = [nil] + InvoiceStatus.allCases
            filter.statusFilter = cycle[((cycle.firstIndex(of: filter.statusFilter) ?? 0) + 1) % cycle.count]; firstPage()
        case .filterOwner:
            let cycle: [String?] = [nil] + owners.map(\.id)
            filter.ownerId = cycle[((cycle.firstIndex(of: filter.ownerId) ?? 0) + 1) % cycle.count]; firstPage()
        case .sort: dueRange()
        case .edit: if let i = current { pay(i) }
        case .delete: if let i = current { unpay(i) }
        case .open: if let i = current { showReceipt(i) }
        case .export: if let i = current { saveReceipt(i) }
        case .payments: if let i = current { session.present(PaymentsModal(invoice: i, session: session) { [weak self] in self?.reload() }) }
        case .add: generate()
        default: return false
        }
        return true
    }

    func dueRange() {
        session.present(FormModal(title: s[.keyDueRange], fields: [
            FormFieldSpec(s[.fDueFrom], value: filter.dueFrom ?? "", maxLength: 10, hint: "YYYY-MM-DD"),
            FormFieldSpec(s[.fDueTo], value: filter.dueTo ?? "", maxLength: 10, hint: "YYYY-MM-DD"),
        ], strings: s) { [weak self] v in
            guard let self else { return nil }
            let from = v[0].trimmingCharacters(in: .whitespaces), to = v[1].trimmingCharacters(in: .whitespaces)
            for d in [from, to] where !d.isEmpty && LocalDate(d) == nil { return self.s.f(.errInvalid, d, "YYYY-MM-DD") }
            self.filter.dueFrom = from.isEmpty ? nil : from
            self.filter.dueTo = to.isEmpty ? nil : to
            if self.filter.dueFrom != nil || self.filter.dueTo != nil { self.filter.period = nil }
            self.firstPage()
            return nil
        })
    }

    // The work on the selected invoice lives in `InvoiceActions` (shared with a customer's
    // invoices in Pelanggan, issue 13).
    func pay(_ inv: InvoiceRow) { InvoiceActions.pay(inv, session: session) { [weak self] in self?.reload() } }
    func unpay(_ inv: InvoiceRow) { InvoiceActions.unpay(inv, session: session) { [weak self] in self?.reload() } }
    func showReceipt(_ inv: InvoiceRow) { InvoiceActions.showReceipt(inv, session: session) }
    func saveReceipt(_ inv: InvoiceRow) { InvoiceActions.saveReceipt(inv, session: session) }

    func generate() {
        if BackgroundJobs.running("invoice.generate") != nil { session.error(text: s.f(.prgBusy, s[.prgGenerating])); return }
        let ownerOpts = [("", s[.stAll])] + owners.map { ($0.id, $0.businessName) }
        let proposed = (try? session.db.proposedGenerationPeriod(today: today, actor: actor)) ?? today.period.next
        session.present(FormModal(title: s[.keyGenerate], fields: [
            FormFieldSpec(s[.fPeriod], value: proposed.description, maxLength: 7, hint: "YYYY-MM"),
            FormFieldSpec(s[.fOwner], value: "", options: ownerOpts),
        ], strings: s) { [weak self] v in
            guard let self else { return nil }
            guard let p = Period(v[0].trimmingCharacters(in: .whitespaces)) else { return self.s.f(.errInvalid, self.s[.fPeriod], "YYYY-MM") }
            let owner: String? = v[1].isEmpty ? nil : v[1]
            do {
                // issue 14: say what the period will create (count, total, already past due) first
                let preview = try self.session.db.previewGeneration(period: p, ownerId: owner, today: self.today, actor: self.actor)
                self.session.present(ConfirmModal(title: self.s[.keyGenerate],
                                                  message: self.s.f(.genPreview, p.displayName(language: self.s.language.rawValue), preview.count,
                                                                    Rupiah(preview.total).formatted, preview.pastDue),
                                                  yes: self.s[.yes], no: self.s[.no], ascii: false) { [weak self] in
                    guard let self else { return }
                    self.startGeneration(period: p, owner: owner)
                })
                return nil
            } catch { return self.s.message(for: error) }
        })
    }

    /// Issue 13 item 7: generation runs off the UI loop with a progress dialog (count of
    /// customers done), once at a time; closing the dialog early keeps the work and its result.
    func startGeneration(period p: Period, owner: String?) {
        let label = s[.prgGenerating]
        let db = session.db, actor = self.actor, context = session.context, s = self.s
        guard let job = BackgroundJobs.start(kind: "invoice.generate", label: label, { job in
            let r = try db.generateInvoices(period: p, ownerId: owner, actor: actor, context: context, progress: job.report)
            return s.f(.invGenerated, r.created, r.skipped, p.description)
        }) else {
            session.error(text: s.f(.prgBusy, label))
            return
        }
        job.onFinish = { [weak self] r in
            guard let self else { return }
            switch r {
            case .success(let m):
                self.session.info(m)
                self.filter.period = p.description
                self.firstPage()
            case .failure(let e): self.session.error(e)
            }
        }
        session.present(ProgressModal(job: job, strings: s))
    }

    // MARK: - Drawing

    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme
        let period = filter.period.flatMap(Period.init).map { $0.displayName(language: s.language.rawValue) } ?? s[.stAll]
        let status = filter.statusFilter.map(s.name) ?? s[.stAll]
        let owner = filter.ownerId.flatMap { id in owners.first { $0.id == id }?.businessName } ?? s[.stAll]
        var line = s.f(.invFilterLine, period, status, owner)
        if filter.dueFrom != nil || filter.dueTo != nil { line += " · \(filter.dueFrom.map(s.date) ?? "…")–\(filter.dueTo.map(s.date) ?? "…")" }
        if searching || !filter.search.isEmpty {
            line = s.f(.srchLine, Sanitizer.clean(filter.search) + (searching ? "_" : "")) + " · " + line
        }
        screen.put(TextWidth.truncate(line, to: area.width), row: area.row, col: area.col, style: t.dim)
        list.resize(to: area.height - 4)
        InvoicePresenter(today: today.description).draw(rows, selected: selected, on: screen, row: area.row + 1, col: area.col,
                                                        width: area.width, s, t)
        if rows.isEmpty { screen.put(filter.search.isEmpty ? s[.invEmpty] : s[.srchNone], row: area.row + 3, col: area.col, style: t.dim) }
        let footer = list.countStale ? "…"
            : s.f(.invFooter, totals.count, Rupiah(totals.total).formatted, Rupiah(totals.paid).formatted, Rupiah(totals.unpaid).formatted)
        screen.put(ColumnPolicy.shorten(footer.components(separatedBy: " · "), width: area.width), row: area.row + area.height - 1, col: area.col, style: t.accent)
    }
}

/// A scrollable read-only text (receipts).
final class TextViewModal: Modal {
    let title: String
    let lines: [String]
    let strings: Strings
    var top = 0
    init(title: String, text: String, strings: Strings) {
        self.title = title; self.strings = strings
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .escape, .enter, .char("q"): return false
        default: _ = TextScroll.handle(key, top: &top, count: lines.count)
        }
        return true
    }

    func draw(on screen: Screen, theme: Theme) {
        let w = min(screen.width - 2, (lines.map { TextWidth.width(of: $0) }.max() ?? 20) + 4)
        let h = min(screen.height - 2, lines.count + 3)
        let row = (screen.height - h) / 2, col = (screen.width - w) / 2
        screen.fill(row: row, col: col, width: w, height: h, style: theme.dialog)
        Box.draw(on: screen, row: row, col: col, width: w, height: h, title: title, style: theme.dialog, ascii: false)
        for (i, l) in lines.dropFirst(top).prefix(h - 3).enumerated() {
            screen.put(l, row: row + 1 + i, col: col + 2, style: theme.dialog)
        }
        screen.put(strings[.helpClose], row: row + h - 2, col: col + 2, style: theme.dialog)
    }
}
