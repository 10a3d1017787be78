import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// Picks a customer by searching as you type (issue 13): name, code (`PLG-001009`), phone.
/// Used wherever a dialog needs a customer (WhatsApp compose, a template's sample). The list
/// is Pelanggan's query, so a mitra only ever sees (and picks) its own customers.
final class CustomerPickerModal: Modal {
    let session: Session
    let title: String
    let onPick: (CustomerRow) -> Void
    var search = ""
    lazy var list = PagedList<CustomerRow, CustomerCursor>(
        cursor: { CustomerCursor(row: $0, sort: .name) },
        onError: { [unowned self] in self.session.error($0) }
    ) { [unowned self] cursor, direction, limit in
        try self.session.db.customers(actor: self.session.actor, filter: CustomerFilter(search: self.search, sort: .name),
                                      after: cursor, backwards: direction == .backward, limit: limit)
    }

    init(session: Session, title: String? = nil, onPick: @escaping (CustomerRow) -> Void) {
        self.session = session; self.title = title ?? session.strings[.srchPickTitle]; self.onPick = onPick
        list.first()
    }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .escape: return false
        case .enter, .function(2):
            guard let c = list.current else { return true }
            onPick(c)
            return false
        case .up: list.up()
        case .down: list.down()
        case .pageUp: list.pageUp()
        case .pageDown: list.pageDown()
        case .backspace: if !search.isEmpty { search.removeLast(); list.first() }
        case .ctrl("u"): search = ""; list.first()
        case .char(let c):
            guard search.count < 60 else { return true }
            search.append(c); list.first()
        default: break
        }
        return true
    }

    func draw(on screen: Screen, theme: Theme) {
        let s = session.strings
        let inner = ModalFrame.draw(on: screen, title: title, width: 100, height: screen.height - 2, theme: theme,
                                    hint: s[.srchPickHint])
        screen.put(TextWidth.truncate(s.f(.srchLine, Sanitizer.clean(search) + "_"), to: inner.width), row: inner.row, col: inner.col,
                   style: theme.fieldFocused)
        list.resize(to: max(1, inner.height - 2))
        CustomerPresenter().draw(list.rows, selected: list.selected, on: screen, row: inner.row + 1, col: inner.col, width: inner.width, s, theme)
        if list.rows.isEmpty { screen.put(s[.srchPickNone], row: inner.row + 2, col: inner.col, style: theme.dialog) }
    }
}

/// A customer's invoices with their payments (issue 13), opened from the customer detail:
/// pay, view and save the receipt, send the receipt or a reminder, as from Tagihan's row.
final class CustomerInvoicesModal: Modal {
    let session: Session
    let customer: CustomerRow
    let onChange: () -> Void
    var invoices: [InvoiceRow] = []
    var payments: [String: [PaymentRow]] = [:]
    var selected = 0

    init(session: Session, customer: CustomerRow, onChange: @escaping () -> Void) {
        self.session = session; self.customer = customer; self.onChange = onChange
        load()
        selected = max(0, invoices.count - 1)   // the newest
    }

    func load() {
        do {
            invoices = try session.db.invoices(actor: session.actor, filter: InvoiceFilter(customerId: customer.id), limit: 500)
            payments = [:]
            for i in invoices where i.paidAmount > 0 { payments[i.id] = try session.db.payments(invoice: i.id, actor: session.actor) }
        } catch { session.error(error) }
        selected = min(selected, max(0, invoices.count - 1))
    }

    /// After a change: re-read the invoices (keeping the selected one) and the detail.
    func changed() {
        let id = invoices.indices.contains(selected) ? invoices[selected].id : nil
        load()
        if let id, let i = invoices.firstIndex(where: { $0.id == id }) { selected = i }
        onChange()
    }

    var current: InvoiceRow? { invoices.indices.contains(selected) ? invoices[selected] : nil }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .escape, .char("q"), .backspace: return false
        case .up, .char("k"): selected = max(0, selected - 1)
        case .down, .char("j"): selected = min(max(0, invoices.count - 1), selected + 1)
        case .pageUp, .home: selected = 0
        case .pageDown, .end: selected = max(0, invoices.count - 1)
        case .char("p"), .function(7): if let i = current { InvoiceActions.pay(i, session: session) { [weak self] in self?.changed() } }
        case .enter, .char("v"): if let i = current { InvoiceActions.showReceipt(i, session: session) }
        case .char("S"): if let i = current { InvoiceActions.saveReceipt(i, session: session) }
        case .char("m"): if let i = current { InvoiceActions.message(i, session: session) { [weak self] in self?.changed() } }
        default: break
        }
        return true
    }

    /// The lines: one per invoice (its row in Tagihan's columns), its payments under it.
    func lines(width: Int) -> [(text: String, invoice: Int?, style: InvoiceRow?)] {
        let s = session.strings
        let today = InvoiceActions.today(session).description
        let text = InvoicePresenter(today: today).lines(invoices, width: width, s)
        var out: [(String, Int?, InvoiceRow?)] = [(text.header, nil, nil)]
        for (i, (inv, line)) in zip(invoices, text.rows).enumerated() {
            out.append((line, i, inv))
            for p in payments[inv.id] ?? [] {
                var parts = ["  " + s.date(p.paidOn), s.methodName(p.method), Rupiah(p.amount).formatted]
                if let r = p.reference, !r.isEmpty { parts.append(Sanitizer.clean(r)) }
                if let n = p.recordedByName { parts.append(Sanitizer.clean(n)) }
                out.append((ColumnPolicy.shorten(parts, width: width), nil, nil))
            }
        }
        return out
    }

    func draw(on screen: Screen, theme: Theme) {
        let s = session.strings
        let inner = ModalFrame.draw(on: screen, title: s.f(.srchInvTitle, Sanitizer.clean(customer.name), customer.code),
                                    width: 110, height: screen.height - 2, theme: theme, hint: s[.srchInvHint])
        let all = lines(width: inner.width)
        if invoices.isEmpty { screen.put(s[.srchInvEmpty], row: inner.row, col: inner.col, style: theme.dialog); return }
        screen.put(all[0].text, row: inner.row, col: inner.col, style: theme.tableHeader)
        let body = Array(all.dropFirst())
        let visible = max(1, inner.height - 1)
        let selLine = body.firstIndex { $0.invoice == selected } ?? 0
        // the selected invoice and its payments on screen
        let selEnd = body[(selLine + 1)...].firstIndex { $0.invoice != nil } ?? body.count
        let top = max(0, min(selLine, selEnd - visible))
        let presenter = InvoicePresenter(today: InvoiceActions.today(session).description)
        for (k, l) in body.dropFirst(top).prefix(visible).enumerated() {
            let style: Style
            if l.invoice == selected { style = theme.selected }
            else if let inv = l.style { style = presenter.style(inv, theme) ?? theme.dialog }
            else { style = theme.dialog }
            screen.put(TextWidth.pad(l.text, to: inner.width), row: inner.row + 1 + k, col: inner.col, style: style)
        }
    }
}
