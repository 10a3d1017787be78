import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore
import FiberNodeReports

/// Tagihan: filtered, keyset-paged invoices with footer totals; mark paid / unpaid with
/// optimistic locking; receipts; generation (superadmin).
final class InvoicesPane: Pane {
    let id = PaneID.invoices
    let session: Session
    var filter = InvoiceFilter()
    /// Selection, keyset paging and the page size that follows the height.
    lazy var list = PagedList<InvoiceRow, InvoiceCursor>(
        cursor: { InvoiceCursor($0) },
        count: { [unowned self] in self.totals.count },
        onError: { [unowned self] in self.session.error($0) }
    ) { [unowned self] cursor, direction, limit in
        try self.session.db.invoices(actor: self.actor, filter: self.filter, after: cursor, backwards: direction == .backward, limit: limit)
    }
    var rows: [InvoiceRow] { list.rows }
    var selected: Int { get { list.selected } set { list.selected = newValue } }
    var pageStart: Int { list.pageStart }
    var totals = InvoiceTotals(count: 0, total: 0, paid: 0, unpaid: 0)
    var owners: [OwnerOption] = []
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
        ]
    }

    // MARK: - Loading

    func reload() {
        WhatsAppDirect.deliver(session)
        do {
            owners = try session.db.owners(actor: actor)
            totals = try session.db.invoiceTotals(actor: actor, filter: filter)
        } catch { session.error(error) }
        list.reload()
    }

    func firstPage() { list.reset(); reload() }
    func nextPage() { list.pageDown() }
    func previousPage() { list.pageUp() }

    var current: InvoiceRow? { rows.indices.contains(selected) ? rows[selected] : nil }

    // MARK: - Actions

    func handle(_ action: Action) -> Bool {
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

    func pay(_ inv: InvoiceRow) {
        guard !inv.isPaid else { session.error(text: s.f(.exPaidInFull, inv.number)); return }
        let methods = PaymentMethod.allCases.map { ($0.rawValue, s.methodName($0.rawValue)) }
        session.present(FormModal(title: s.f(.payTitle, inv.number, inv.customerName), fields: [
            FormFieldSpec(s[.fMethod], value: PaymentMethod.cash.rawValue, options: methods),
            FormFieldSpec(s[.fAmount], value: String(inv.remaining), maxLength: 12, hint: s.f(.payHint, Rupiah(inv.remaining).formatted)),
            FormFieldSpec(s[.fReference], maxLength: 100, hint: s[.refHint]),
            FormFieldSpec(s[.fNotes], maxLength: 500),
        ], strings: s) { [weak self] v in
            guard let self else { return nil }
            guard let amount = Rupiah.parse(v[1]) else { return self.s.f(.errInvalid, self.s[.fAmount], self.s[.errNotANumber]) }
            do {
                let saved = try self.session.db.markPaid(inv.id, method: PaymentMethod(rawValue: v[0]) ?? .cash, amount: amount.value,
                                                         note: v[3], reference: v[2], expectedVersion: inv.version, actor: self.actor,
                                                         context: self.session.context)
                self.session.info(self.s.f(.invPaid, saved.number, self.s.name(saved.invoiceStatus)))
                if saved.isPaid {   // an automatic isolation ends on full payment (issue 14)
                    _ = try? DailyJob.restoreAfterPayment(db: self.session.db, customerId: saved.customerId, today: self.today,
                                                          context: self.session.context)
                }
                WhatsAppDirect.afterPayment(saved, session: self.session)   // issue 6: the receipt, directly
                self.reload()
                return nil
            } catch StoreError.changedByOther {
                // Someone else changed it: nothing was written; show the fresh list.
                self.reload()
                self.session.error(StoreError.changedByOther)
                return self.s[.errChangedByOther]
            } catch { return self.s.message(for: error) }
        })
    }

    func unpay(_ inv: InvoiceRow) {
        guard inv.invoiceStatus != .unpaid else { return }
        session.present(FormModal(title: s.f(.unpayTitle, inv.number), fields: [FormFieldSpec(s[.fReason], maxLength: 500)], strings: s) { [weak self] v in
            guard let self else { return nil }
            do {
                let saved = try self.session.db.markUnpaid(inv.id, reason: v[0], expectedVersion: inv.version, actor: self.actor,
                                                           context: self.session.context)
                self.session.info(self.s.f(.invUnpaid, saved.number))
                self.reload()
                return nil
            } catch StoreError.changedByOther {
                self.reload()
                return self.s[.errChangedByOther]
            } catch { return self.s.message(for: error) }
        })
    }

    func showReceipt(_ inv: InvoiceRow) {
        let text = Receipt.text(inv, options: ReceiptOptions(settings: session.settings), width: 48,
                                payments: (try? session.db.payments(invoice: inv.id, actor: actor)) ?? [])
        // The status stamp stands in the title too: a receipt with several payments is taller
        // than the dialog, and whether it is paid must not need scrolling.
        session.present(TextViewModal(title: inv.number + " · " + Receipt.stamp(inv), text: text, strings: s))
    }

    func saveReceipt(_ inv: InvoiceRow) {
        let formats = [("html", "HTML"), ("text", "Teks 48"), ("text32", "Teks 32")]
        func ext(_ format: String) -> String { format == "html" ? "html" : "txt" }
        let form = FormModal(title: s[.keySaveReceipt], fields: [
            FormFieldSpec(s[.expFormat], value: "html", options: formats),
            SaveDialog.nameField(s, session: session, proposed: "nota-\(inv.number).html"),
        ], strings: s) { [weak self] v in
            guard let self else { return nil }
            let opts = ReceiptOptions(settings: self.session.settings)
            let payments = (try? self.session.db.payments(invoice: inv.id, actor: self.actor)) ?? []
            let body: String
            switch v[0] {
            case "text": body = Receipt.text(inv, options: opts, width: 48, payments: payments)
            case "text32": body = Receipt.text(inv, options: opts, width: 32, payments: payments)
            default: body = Receipt.html(inv, options: opts, payments: payments)
            }
            let policy = self.session.db.outputPolicy(for: self.actor)
            return SaveDialog.save(self.session, name: v[1], extensions: v[0] == "html" ? ["html", "htm"] : ["txt"]) { path, force in
                try policy.write(Data(body.utf8), to: path, force: force)
                return self.s.f(.receiptSaved, path)
            }
        }
        SaveDialog.followFormat(form, formatIndex: 0, nameIndex: 1, extensionFor: ext)
        session.present(form)
    }

    func generate() {
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
                    do {
                        let r = try self.session.db.generateInvoices(period: p, ownerId: owner, actor: self.actor, context: self.session.context)
                        self.session.info(self.s.f(.invGenerated, r.created, r.skipped, p.description))
                        self.filter.period = p.description
                        self.firstPage()
                    } catch { self.session.error(error) }
                })
                return nil
            } catch { return self.s.message(for: error) }
        })
    }

    // MARK: - Drawing

    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme
        let period = filter.period.flatMap(Period.init).map { $0.displayName(language: s.language.rawValue) } ?? s[.stAll]
        let status = filter.statusFilter.map(s.name) ?? s[.stAll]
        let owner = filter.ownerId.flatMap { id in owners.first { $0.id == id }?.businessName } ?? s[.stAll]
        var line = s.f(.invFilterLine, period, status, owner)
        if filter.dueFrom != nil || filter.dueTo != nil { line += " · \(filter.dueFrom.map(s.date) ?? "…")–\(filter.dueTo.map(s.date) ?? "…")" }
        screen.put(TextWidth.truncate(line, to: area.width), row: area.row, col: area.col, style: t.dim)
        list.resize(to: area.height - 4)
        InvoicePresenter(today: today.description).draw(rows, selected: selected, on: screen, row: area.row + 1, col: area.col,
                                                        width: area.width, s, t)
        if rows.isEmpty { screen.put(s[.invEmpty], row: area.row + 3, col: area.col, style: t.dim) }
        let footer = s.f(.invFooter, totals.count, Rupiah(totals.total).formatted, Rupiah(totals.paid).formatted, Rupiah(totals.unpaid).formatted)
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
        case .up: top = max(0, top - 1)
        case .down: top = min(max(0, lines.count - 1), top + 1)
        case .pageDown: top = min(max(0, lines.count - 1), top + 10)
        case .pageUp: top = max(0, top - 10)
        default: break
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
