import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore
import FiberNodeReports

/// Pelanggan: keyset-paged list with search-as-you-type, filters, detail, add/edit, delete/restore,
/// CSV import with preview and export (superadmin).
final class CustomersPane: Pane {
    let id = PaneID.customers
    let session: Session
    var filter = CustomerFilter()
    /// Selection, keyset paging, the deferred total and the page size that follows the height.
    lazy var list = PagedList<CustomerRow, CustomerCursor>(
        cursor: { [unowned self] in CustomerCursor(row: $0, sort: self.filter.sort) },
        count: { [unowned self] in
            self.byNumber = try self.session.db.listsMatchesByNumber(actor: self.actor, filter: self.filter)
            return try self.session.db.customerCount(actor: self.actor, filter: self.filter)
        },
        onError: { [unowned self] in self.session.error($0) }
    ) { [unowned self] cursor, direction, limit in
        try self.session.db.customers(actor: self.actor, filter: self.filter, after: cursor, backwards: direction == .backward, limit: limit)
    }
    var rows: [CustomerRow] { list.rows }
    var selected: Int { get { list.selected } set { list.selected = newValue } }
    var pageStart: Int { list.pageStart }
    var total: Int { list.total ?? 0 }
    var searching = false
    /// A broad search over every owner: listed by code, counted up to a limit (issue 17).
    var byNumber = false
    var detail: CustomerDetail?
    var packages: [PackageRow] = []
    var owners: [OwnerOption] = []

    init(session: Session) { self.session = session }

    var s: Strings { session.strings }
    var actor: Actor { session.actor }

    var bindings: [Binding] {
        if detail != nil {
            return [Binding([.escape, .backspace, .char("b")], .back, key: "Esc", help: .keyBack),
                    Binding([.char("e"), .function(4)], .edit, key: "F4 e", help: .keyEdit, fkey: 4, short: .keyEdit),
                    Binding([.char("j")], .promise, key: "j", help: .keyPromise, requires: .markPayment),
                    Binding([.enter], .open, key: "Enter", help: .srchKeyInvoices)]   // issue 13
        }
        return Keymap.list + [
            Binding([.enter], .open, key: "Enter", help: .keyOpen),
            Binding([.char("/"), .function(3)], .search, key: "F3 /", help: .keySearch, fkey: 3, short: .keySearch),
            Binding([.char("a"), .function(7)], .add, key: "F7 a", help: .keyAdd, fkey: 7, short: .keyAdd, requires: .createCustomer),
            Binding([.char("e"), .function(4)], .edit, key: "F4 e", help: .keyEdit, fkey: 4, short: .keyEdit, requires: .editCustomerPhoneDiscount),
            Binding([.char("d"), .function(8)], .delete, key: "F8 d", help: .keyDelete, fkey: 8, short: .keyDelete, requires: .deleteCustomer),
            Binding([.char("r")], .restore, key: "r", help: .keyRestore, requires: .deleteCustomer),
            Binding([.char("s")], .sort, key: "s", help: .keySort),
            Binding([.char("f")], .filterStatus, key: "f", help: .keyFilterStatus),
            Binding([.char("p")], .filterPackage, key: "p", help: .keyFilterPackage),
            Binding([.char("o")], .filterOwner, key: "o", help: .keyFilterOwner, requires: .viewAllOwners),
            Binding([.char("x")], .toggleDeleted, key: "x", help: .keyToggleDeleted, requires: .deleteCustomer),
            Binding([.char("i")], .importCSV, key: "i", help: .keyImport, requires: .importCustomers),
            Binding([.char("E")], .export, key: "E", help: .keyExport, requires: .exportCustomers),
            Binding([.home], .home, key: "Home", help: .keyFirstPage),
            Binding([.end], .end, key: "End", help: .keyLastPage),
            Binding([.char("I")], .isolate, key: "I", help: .keyIsolate, requires: .isolateCustomer),
            Binding([.char("c")], .candidates, key: "c", help: .keyCandidates, requires: .isolateCustomer),
            Binding([.char("L")], .serviceLink, key: "L", help: .keyServiceLink, requires: .manageSettings),   // issue 15
            Binding([.char("n")], .toggleActive, key: "n", help: .keyInactive, requires: .isolateCustomer),   // inactive (issue 14)
        ]
    }

    // MARK: - Loading

    func reload() {
        WhatsAppDirect.deliver(session)
        do {
            packages = try session.db.packages()
            owners = try session.db.owners(actor: actor)
        } catch { session.error(error) }
        reloadRows()
    }

    /// The list and its count only (each search keystroke, filter and sort change): the
    /// package and owner look-ups are re-read on entry, F5 and the refresh tick.
    func reloadRows(deferCount: Bool = false) {
        list.reload(deferCount: deferCount)
        if let d = detail { detail = try? CustomerDetail.load(session: session, id: d.row.id) }
    }

    func firstPage(deferCount: Bool = false) {
        list.first(deferCount: deferCount)
        if let d = detail { detail = try? CustomerDetail.load(session: session, id: d.row.id) }
    }

    /// While the user types a search, the list follows every key and the total (a count
    /// over every match) waits for a pause.
    var countStale: Bool { list.countStale }
    func idle() -> Bool { list.idle() }

    func nextPage() { list.pageDown() }
    func previousPage() { list.pageUp() }

    var current: CustomerRow? { rows.indices.contains(selected) ? rows[selected] : nil }

    // MARK: - Keys

    func handleKey(_ key: Key) -> Bool {
        guard searching else { return false }
        switch key {
        case .escape:
            searching = false; filter.search = ""; firstPage()
        case .enter:
            searching = false
        case .up, .down, .pageUp, .pageDown:
            return false
        case .backspace:
            if !filter.search.isEmpty { filter.search.removeLast(); firstPage(deferCount: true) }
        case .ctrl("u"):
            filter.search = ""; firstPage()
        case .char(let c):
            guard filter.search.count < 60 else { return true }
            filter.search.append(c); firstPage(deferCount: true)
        default:
            return false
        }
        return true
    }

    func handle(_ action: Action) -> Bool {
        if detail != nil {
            switch action {
            case .back: detail = nil
            case .edit: if let d = detail { edit(d.row) }
            case .promise: if let d = detail { promise(d) }
            case .open:   // issue 13: the customer's invoices with their payments, and the work on them
                if let d = detail {
                    session.present(CustomerInvoicesModal(session: session, customer: d.row) { [weak self] in self?.reloadRows() })
                }
            default: return false
            }
            return true
        }
        switch action {
        case .up: list.up()
        case .down: list.down()
        case .pageDown: nextPage()
        case .pageUp: previousPage()
        case .home: firstPage()
        case .end: list.end()
        case .open:
            guard let c = current else { return true }
            do { detail = try CustomerDetail.load(session: session, id: c.id) } catch { session.error(error) }
        case .search: searching = true
        case .sort:
            let all = CustomerSort.allCases
            filter.sort = all[(all.firstIndex(of: filter.sort)! + 1) % all.count]; firstPage()
        case .filterStatus:
            let cycle: [CustomerStatus?] = [nil] + CustomerStatus.allCases
            filter.statusFilter = cycle[((cycle.firstIndex(of: filter.statusFilter) ?? 0) + 1) % cycle.count]; firstPage()
        case .filterPackage:
            let cycle: [String?] = [nil] + packages.map(\.id)
            filter.packageId = cycle[((cycle.firstIndex(of: filter.packageId) ?? 0) + 1) % cycle.count]; firstPage()
        case .filterOwner:
            let cycle: [String?] = [nil] + owners.map(\.id)
            filter.ownerId = cycle[((cycle.firstIndex(of: filter.ownerId) ?? 0) + 1) % cycle.count]; firstPage()
        case .toggleDeleted:
            filter.deleted.toggle(); firstPage()
        case .add: add()
        case .edit: if let c = current { edit(c) }
        case .delete: if let c = current, !filter.deleted { confirmDelete(c) }
        case .restore: if let c = current, filter.deleted { restore(c) }
        case .isolate: if let c = current, !filter.deleted { confirmIsolate(c) }
        case .candidates: showCandidates()
        case .toggleActive: if let c = current, !filter.deleted { confirmInactive(c) }
        case .serviceLink: if let c = current, !filter.deleted { RouterTUI.linkForm(customerId: c.id, code: c.code, session: session) { [weak self] in self?.reload() } }
        case .importCSV: startImport()
        case .export: startExport()
        default: return false
        }
        return true
    }

    // MARK: - Forms

    func packageOptions(including id: String?) -> [(value: String, label: String)] {
        packages.filter { $0.isActive || $0.id == id }.map { ($0.id, "\($0.name) · \(Rupiah($0.price).formatted)") }
    }

    func ownerOptions() -> [(value: String, label: String)] { owners.map { ($0.id, $0.businessName) } }

    func add() {
        let pk = packageOptions(including: nil)
        var fields = [
            FormFieldSpec(s[.fName]), FormFieldSpec(s[.fPhone], maxLength: 24, hint: "0812…, +62 812…, 62812…"),
            FormFieldSpec(s[.fPackage], value: pk.first?.value ?? "", options: pk),
            FormFieldSpec(s[.fBillingDay], value: "1", maxLength: 2, hint: "1–28"),
            FormFieldSpec(s[.fDiscount], value: "0", maxLength: 12),
            FormFieldSpec(s[.fNik], maxLength: 16, hint: "16 digit"), FormFieldSpec(s[.fAddress], maxLength: 500),
            FormFieldSpec(s[.fRegisterDate], value: LocalDate.from(session.context.clock.now(), in: session.settings.timeZone).description, maxLength: 10),
            FormFieldSpec(s[.fNotes], maxLength: 500),
        ]
        if actor.can(.viewAllOwners) {
            fields.insert(FormFieldSpec(s[.fOwner], value: actor.userId, options: ownerOptions()), at: 3)
        }
        let hasOwner = actor.can(.viewAllOwners)
        let linkRows = CustomerLinkFields.make(session: session, customerId: nil)   // issue 15
        fields += linkRows.fields
        session.present(FormModal(title: s[.custAddTitle], fields: fields, strings: s) { [weak self] v in
            guard let self else { return nil }
            let o = hasOwner ? 1 : 0
            let input = CustomerInput(name: v[0], phone: v[1], nik: v[5 + o], address: v[6 + o], packageId: v[2],
                                      ownerId: hasOwner ? v[3] : nil, billingDate: v[3 + o], discount: v[4 + o],
                                      registerDate: v[7 + o], notes: v[8 + o])
            let link: CustomerLinkInput?
            switch linkRows.input(v, strings: self.s) {
            case .success(let l): link = l
            case .failure(let e): return e.message
            }
            do {
                let c = try self.session.db.createCustomer(input, link: link, actor: self.actor, context: self.session.context)
                self.session.info(self.s.f(.custCreated, c.code) + self.phoneWarning(c))
                self.reload()
                return nil
            } catch { return self.s.message(for: error) }
        })
    }

    func edit(_ c: CustomerRow) {
        guard actor.can(.editCustomerPhoneDiscount) else { return }
        let full = actor.can(.editCustomerAllFields)
        let ro = !full
        let linkRows = CustomerLinkFields.make(session: session, customerId: c.id)   // issue 15
        let fields = [
            FormFieldSpec(s[.fName], value: c.name, readOnly: ro),
            FormFieldSpec(s[.fPhone], value: c.phone, maxLength: 24),
            FormFieldSpec(s[.fPackage], value: c.packageId, readOnly: ro, options: packageOptions(including: c.packageId)),
            FormFieldSpec(s[.fOwner], value: c.ownerId, readOnly: ro, options: full ? ownerOptions() : [(c.ownerId, c.area)]),
            FormFieldSpec(s[.fBillingDay], value: String(c.billingDate), readOnly: ro, maxLength: 2),
            FormFieldSpec(s[.fDiscount], value: String(c.discount), maxLength: 12, hint: "0 – \(Rupiah(c.packagePrice).formatted)"),
            FormFieldSpec(s[.fNik], value: c.nik ?? "", readOnly: ro, maxLength: 16),
            FormFieldSpec(s[.fAddress], value: c.address ?? "", readOnly: ro, maxLength: 500),
            FormFieldSpec(s[.fRegisterDate], value: c.registerDate, readOnly: ro, maxLength: 10),
            FormFieldSpec(s[.fNotes], value: c.notes ?? "", readOnly: ro, maxLength: 500),
        ] + linkRows.fields
        let form = FormModal(title: s.f(.custEditTitle, c.code), fields: fields, strings: s) { [weak self] v in
            guard let self else { return nil }
            let input = CustomerInput(name: v[0], phone: v[1], nik: v[6], address: v[7], packageId: v[2], ownerId: v[3],
                                      billingDate: v[4], discount: v[5], registerDate: v[8], notes: v[9])
            let link: CustomerLinkInput?
            switch linkRows.input(v, strings: self.s) {
            case .success(let l): link = l
            case .failure(let e): return e.message
            }
            do {
                let saved = try self.session.db.updateCustomer(id: c.id, input, expectedVersion: c.version, link: link,
                                                               actor: self.actor, context: self.session.context)
                var msg = self.s.f(.custUpdated, saved.code) + (saved.phone != c.phone ? self.phoneWarning(saved) : "")
                // A link given to an isolated customer queued its isolation: try the router now.
                if link != nil, saved.customerStatus == .isolated,
                   let extra = RouterTUI.afterIsolation(customerId: saved.id, session: self.session) { msg += " " + extra }
                self.session.info(msg)
                self.reload()
                return nil
            } catch StoreError.changedByOther {
                self.reload()
                return self.s[.errChangedByOther]
            } catch { return self.s.message(for: error) }
        }
        if ro { form.error = nil; session.info(s[.mitraOnlyPhoneDiscount]) }
        session.present(form)
    }

    func confirmDelete(_ c: CustomerRow) {
        session.present(ConfirmModal(title: s[.keyDelete], message: s.f(.custDeleteConfirm, c.code, c.name), yes: s[.yes], no: s[.no],
                                     ascii: false) { [weak self] in
            guard let self else { return }
            do {
                try self.session.db.deleteCustomer(id: c.id, actor: self.actor, context: self.session.context)
                self.session.info(self.s.f(.custDeleted, c.code))
            } catch { self.session.error(error) }
            self.reload()
        })
    }

    func confirmIsolate(_ c: CustomerRow) {
        let isolate = c.customerStatus != .isolated
        session.present(ConfirmModal(title: s[.keyIsolate], message: s.f(isolate ? .isolateConfirm : .unisolateConfirm, c.code, c.name),
                                     yes: s[.yes], no: s[.no], ascii: false) { [weak self] in
            guard let self else { return }
            do {
                let saved = try self.session.db.setIsolated(c.id, isolated: isolate, actor: self.actor, context: self.session.context)
                self.session.info(self.s.f(isolate ? .custIsolated : .custUnisolated, saved.code, saved.name))
                if isolate { WhatsAppDirect.afterIsolation(customerId: saved.id, session: self.session) }   // issue 6
                if let router = RouterTUI.afterIsolation(customerId: saved.id, session: self.session) {      // issue 15
                    self.session.status = (router + " · " + (self.session.status?.text ?? ""), self.session.status?.isError ?? false)
                }
            } catch { self.session.error(error) }
            self.reload()
        })
    }

    func showCandidates() {
        let today = LocalDate.from(session.context.clock.now(), in: session.settings.timeZone)
        do {
            let list = try session.db.isolationCandidates(actor: actor, today: today)
            let days = session.settings.int("invoices.isolation_overdue_days")
            session.present(CandidatesModal(title: s.f(.candidatesTitle, days), candidates: list, strings: s) { [weak self] cand in
                guard let self else { return }
                if let row = try? self.session.db.customer(id: cand.customerId, actor: self.actor) { self.confirmIsolate(row) }
            })
        } catch { session.error(error) }
    }

    /// " Perhatian: nomor … juga dipakai PLG-…" when the number serves another connection
    /// (issue 14 §5: a warning, not a refusal), else "".
    func phoneWarning(_ c: CustomerRow) -> String {
        guard let others = try? session.db.phoneSharers(c, actor: actor), !others.isEmpty else { return "" }
        return " " + s.f(.custPhoneShared, c.phone, others.prefix(3).joined(separator: ", ") + (others.count > 3 ? "…" : ""))
    }

    func restore(_ c: CustomerRow) {
        do {
            try session.db.restoreCustomer(id: c.id, actor: actor, context: session.context)
            session.info(s.f(.custRestored, c.code) + ((try? session.db.customer(id: c.id, actor: actor)).map(phoneWarning) ?? ""))
        } catch { session.error(error) }
        reload()
    }

    // MARK: - Import / export

    func startImport() {
        session.present(FormModal(title: s[.impPathTitle], fields: [FormFieldSpec(s[.impPathLabel], maxLength: 500)], strings: s) { [weak self] v in
            guard let self else { return nil }
            let path = (v[0].trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
            guard let data = FileManager.default.contents(atPath: path) else { return self.s.f(.errNotFound, path) }
            guard let text = String(data: data, encoding: .utf8) else { return self.s.f(.errInvalid, "csv", "UTF-8") }
            do {
                let preview = try self.session.db.importCustomers(csv: text, dryRun: true, actor: self.actor, context: self.session.context)
                self.session.present(ImportPreviewModal(report: preview, strings: self.s) { [weak self] in
                    guard let self else { return }
                    // issue 13 item 7: off the loop, with the rows read of the rows in the file
                    let db = self.session.db, actor = self.actor, context = self.session.context, s = self.s
                    guard let job = BackgroundJobs.start(kind: "customers.import", label: s[.impPathTitle], { job in
                        let r = try db.importCustomers(csv: text, dryRun: false, actor: actor, context: context, progress: job.report)
                        var msg = s.f(.impSummary, r.imported, r.rejected.count)
                        if !r.warnings.isEmpty { msg += " " + s.f(.impWarnings, r.warnings.count) }
                        return msg
                    }) else { self.session.error(text: s.f(.prgBusy, s[.impPathTitle])); return }
                    job.onFinish = { [weak self] r in
                        guard let self else { return }
                        switch r {
                        case .success(let m): self.session.info(m)
                        case .failure(let e): self.session.error(e)
                        }
                        self.firstPage()
                    }
                    self.session.present(ProgressModal(job: job, strings: s, closeWhenDone: true))
                })
                return nil
            } catch { return self.s.message(for: error) }
        })
    }

    func startExport() {
        let formats = ExportFormat.allCases.map { ($0.rawValue, $0.rawValue.uppercased()) }
        let today = LocalDate.from(session.context.clock.now(), in: session.settings.timeZone)
        let form = FormModal(title: s[.expPathTitle], fields: [
            FormFieldSpec(s[.expFormat], value: "csv", options: formats),
            SaveDialog.nameField(s, session: session, proposed: "pelanggan-\(today).csv"),
        ], strings: s) { [weak self] v in
            guard let self else { return nil }
            let format = ExportFormat(rawValue: v[0]) ?? .csv
            return SaveDialog.save(self.session, name: v[1], extensions: format.extensions) { path, force in
                let n = try CustomerExporter.export(db: self.session.db, actor: self.actor, format: format, to: path, force: force)
                return self.s.f(.expDone, n, path)
            }
        }
        SaveDialog.followFormat(form, formatIndex: 0, nameIndex: 1) { ExportFormat(rawValue: $0)?.extensions[0] ?? "csv" }
        session.present(form)
    }

    // MARK: - Drawing

    let presenter = CustomerPresenter()
    var columns: [ListColumn] { presenter.columns(s) }
    func statusLabel(_ r: CustomerRow) -> String { presenter.statusLabel(r, s) }

    func draw(on screen: Screen, in area: Rect) {
        if let d = detail { d.draw(on: screen, in: area, session: session); return }
        let t = session.theme
        // Filter line and search box
        let statusName = filter.statusFilter.map(s.name) ?? s[.stAll]
        let pkgName = filter.packageId.flatMap { id in packages.first { $0.id == id }?.name } ?? s[.stAll]
        let ownerName = filter.ownerId.flatMap { id in owners.first { $0.id == id }?.businessName } ?? s[.stAll]
        let sortName = filter.sort == .name ? s[.colName] : filter.sort == .code ? s[.colCode] : s[.colDay]
        screen.put(TextWidth.truncate(s.f(.custFilterLine, statusName, pkgName, ownerName, s.f(.custSortBy, sortName)), to: area.width),
                   row: area.row, col: area.col, style: filter.deleted ? t.warn : t.dim)
        if filter.deleted { screen.put(s[.custDeletedView], row: area.row, col: area.col + max(0, area.width - 28), style: t.warn) }
        let searchLine = s[.custSearchPrompt] + filter.search
        screen.put(searchLine, row: area.row + 1, col: area.col, style: searching ? t.accent : t.text)
        if searching { screen.showCursor(row: area.row + 1, col: area.col + TextWidth.width(of: searchLine)) }

        list.resize(to: area.height - 4)
        presenter.draw(rows, selected: selected, on: screen, row: area.row + 2, col: area.col, width: area.width, s, t)
        if rows.isEmpty {
            screen.put(s[.custEmpty], row: area.row + 4, col: area.col, style: t.dim)
        }
        let from = rows.isEmpty ? 0 : pageStart + 1
        // A broad search over every owner is listed by code and counted up to a limit (issue 17).
        let footer = countStale ? s.f(.custFooterCounting, from, pageStart + rows.count)
            : byNumber ? s.f(.custFooterMany, SearchText.orderedMatches)
            : s.f(.custFooter, total, from, pageStart + rows.count)
        screen.put(footer, row: area.row + area.height - 1, col: area.col, style: t.dim)
    }
}

/// The customer detail view: every field, invoice history and WhatsApp messages.
struct CustomerDetail {
    let row: CustomerRow
    let invoices: [InvoiceHistoryRow]
    let messages: [MessageHistoryRow]
    var state: CollectionState? = nil
    /// Issue 18: the customer's opt-out (BERHENTI) and WhatsApp replies.
    var contact: ContactState = .none
    var replies: [InboundMessage] = []

    static func load(session: Session, id: String) throws -> CustomerDetail {
        let r = try session.db.customer(id: id, actor: session.actor)
        var d = CustomerDetail(row: r, invoices: try session.db.invoiceHistory(customerId: r.id, actor: session.actor),
                               messages: try session.db.messageHistory(customerId: r.id, actor: session.actor))
        d.state = try? session.db.collectionState(customer: r.id, actor: session.actor)
        d.contact = try session.db.optOut(customerId: r.id, actor: session.actor)
        d.replies = try session.db.inboundMessages(actor: session.actor, customerId: r.id, limit: 3)
        return d
    }

    func draw(on screen: Screen, in area: Rect, session: Session) {
        let s = session.strings, t = session.theme
        let fields: [(S, String)] = [
            (.colCode, row.code), (.fName, row.name), (.fPhone, row.phone), (.fNik, row.nik ?? "—"), (.fAddress, row.address ?? "—"),
            (.fPackage, "\(row.packageName) (\(row.packageSpeed)) · \(Rupiah(row.packagePrice).formatted)"),
            (.fOwner, row.area), (.fBillingDay, String(row.billingDate)), (.fDiscount, Rupiah(row.discount).formatted),
            (.colTotal, Rupiah(row.totalBill).formatted), (.colStatus, statusText(s)),
            (.fRegisterDate, s.date(row.registerDate)), (.fNotes, row.notes ?? "—"),
            (.detailPromise, promiseText(s)),
        ]
        var r = area.row
        for (label, value) in fields where r < area.row + area.height {
            screen.put(TextWidth.pad(s[label], to: 18), row: r, col: area.col, style: t.dim)
            screen.put(TextWidth.truncate(value, to: area.width - 19), row: r, col: area.col + 19, style: t.text)
            r += 1
        }
        for line in RouterTUI.detailLines(customerId: row.id, session: session) where r < area.row + area.height - 4 {   // issue 15
            screen.put(TextWidth.truncate(line, to: area.width), row: r, col: area.col, style: line.hasPrefix(s[.rtPendingReason].prefix(8)) ? t.warn : t.text)
            r += 1
        }
        r += 1
        if r < area.row + area.height {   // issue 13: Enter lists them all with their payments
            screen.put(TextWidth.truncate(s[.detailInvoices] + " · Enter: " + s[.srchKeyInvoices], to: area.width), row: r, col: area.col,
                       style: t.accent)
            r += 1
        }
        if invoices.isEmpty, r < area.row + area.height { screen.put(s[.detailNone], row: r, col: area.col, style: t.dim); r += 1 }
        for inv in invoices.prefix(4) where r < area.row + area.height - 3 {
            var line = "\(s.period(inv.period))  \(inv.number)  \(Rupiah(inv.total).formatted)  \(s.name(inv.invoiceStatus))"
            if inv.invoiceStatus == .partial { line += " (\(s[.srchPaid]) \(Rupiah(inv.paidAmount).formatted))" }
            screen.put(TextWidth.truncate(line, to: area.width), row: r, col: area.col, style: t.text)
            r += 1
        }
        if r < area.row + area.height - 1 { screen.put(s[.detailMessages], row: r, col: area.col, style: t.accent); r += 1 }
        if messages.isEmpty, r < area.row + area.height - 1 { screen.put(s[.detailNone], row: r, col: area.col, style: t.dim); r += 1 }
        for m in messages.prefix(3) where r < area.row + area.height - 1 {
            screen.put(TextWidth.truncate("\(s.templateName(m.type)) · \((QueueStatus(rawValue: m.status).map { s.name($0) } ?? m.status)) · \(m.content)", to: area.width),
                       row: r, col: area.col, style: t.text)
            r += 1
        }
        drawWhatsAppReplies(on: screen, in: area, from: r, session: session)
        screen.put(s[.detailBack], row: area.row + area.height - 1, col: area.col, style: t.dim)
    }
}

/// The CSV import preview: valid and rejected rows with reasons; confirm imports.
final class ImportPreviewModal: Modal {
    let report: ImportReport
    let strings: Strings
    let onConfirm: () -> Void
    var top = 0
    let lines: [(String, Bool)]

    init(report: ImportReport, strings: Strings, onConfirm: @escaping () -> Void) {
        self.report = report; self.strings = strings; self.onConfirm = onConfirm
        var l: [(String, Bool)] = []
        if !report.rejected.isEmpty {
            l.append((strings[.impPreviewRejected], true))
            l += report.rejected.map { ("  " + strings.f(.impLine, $0.line, strings.describe($0.problem)), true) }
        }
        if !report.warnings.isEmpty {
            l.append((strings[.impPreviewWarned], false))
            l += report.warnings.map { ("  " + strings.f(.impLine, $0.line, strings.describe($0.problem)), false) }
        }
        l.append((strings[.impPreviewValid], false))
        l += report.valid.map { ("  \($0.line): \($0.name) · \($0.phone) · \($0.area) · \($0.packageName) · \(Rupiah($0.total).formatted)", false) }
        lines = l
    }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .escape, .char("n"): return false
        case .enter, .char("y"):
            if !report.valid.isEmpty { onConfirm() }
            return false
        default: _ = TextScroll.handle(key, top: &top, count: lines.count)
        }
        return true
    }

    func draw(on screen: Screen, theme: Theme) {
        let w = screen.width - 4, h = screen.height - 4
        let row = 2, col = 2
        screen.fill(row: row, col: col, width: w, height: h, style: theme.dialog)
        Box.draw(on: screen, row: row, col: col, width: w, height: h,
                 title: strings.f(.impPreviewTitle, report.valid.count, report.rejected.count), style: theme.dialog, ascii: false)
        for (i, (text, bad)) in lines.dropFirst(top).prefix(h - 3).enumerated() {
            screen.put(TextWidth.truncate(text, to: w - 4), row: row + 1 + i, col: col + 2,
                       style: bad ? Style(fg: .red, bg: theme.dialog.bg, bold: true) : theme.dialog)
        }
        let hint = report.valid.isEmpty ? strings[.impNothing] : strings.f(.impConfirmHint, report.valid.count)
        screen.put(hint, row: row + h - 2, col: col + 2, style: Style(fg: theme.dialog.fg, bg: theme.dialog.bg, bold: true))
    }
}

/// Customers overdue beyond the isolation limit; Enter asks to isolate the selected one.
final class CandidatesModal: Modal {
    let title: String
    let candidates: [IsolationCandidate]
    let strings: Strings
    let onPick: (IsolationCandidate) -> Void
    var selected = 0

    init(title: String, candidates: [IsolationCandidate], strings: Strings, onPick: @escaping (IsolationCandidate) -> Void) {
        self.title = title; self.candidates = candidates; self.strings = strings; self.onPick = onPick
    }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .escape, .char("q"): return false
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, candidates.count - 1), selected + 1)
        case .enter:
            guard candidates.indices.contains(selected) else { return false }
            onPick(candidates[selected])
            return false
        default: break
        }
        return true
    }

    func draw(on screen: Screen, theme: Theme) {
        let w = screen.width - 4, h = min(screen.height - 4, max(6, candidates.count + 4))
        let row = (screen.height - h) / 2, col = 2
        screen.fill(row: row, col: col, width: w, height: h, style: theme.dialog)
        Box.draw(on: screen, row: row, col: col, width: w, height: h, title: title, style: theme.dialog, ascii: false)
        if candidates.isEmpty { screen.put(strings[.candidatesEmpty], row: row + 1, col: col + 2, style: theme.dialog) }
        let visible = h - 3
        let first = max(0, selected - visible + 1)
        for (i, c) in candidates.enumerated().dropFirst(first).prefix(visible) {
            let line = strings.f(.candidateLine, c.code, c.name, c.area, strings.date(c.oldestDue), c.unpaidInvoices, Rupiah(c.unpaidTotal).formatted)
            screen.put(TextWidth.pad(line, to: w - 4), row: row + 1 + i - first, col: col + 2, style: i == selected ? theme.selected : theme.dialog)
        }
        screen.put(strings[.helpClose], row: row + h - 2, col: col + 2, style: theme.dialog)
    }
}
