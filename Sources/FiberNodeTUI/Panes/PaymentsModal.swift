import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// The payments of one invoice (issue 14): date, method, amount, reference, who; voided ones
/// stay listed, marked. ↑↓ choose, x voids the chosen payment after asking a reason.
final class PaymentsModal: Modal {
    let session: Session
    var invoice: InvoiceRow
    var rows: [PaymentRow] = []
    var selected = 0
    var note: (String, Bool)?
    let onChange: () -> Void

    init(invoice: InvoiceRow, session: Session, onChange: @escaping () -> Void) {
        self.session = session; self.invoice = invoice; self.onChange = onChange
        reload()
    }

    func reload() {
        do {
            invoice = try session.db.invoice(invoice.id, actor: session.actor)
            rows = try session.db.payments(invoice: invoice.id, actor: session.actor)
        } catch { note = (session.strings.message(for: error), true) }
        selected = min(selected, max(0, rows.count - 1))
    }

    var current: PaymentRow? { rows.indices.contains(selected) ? rows[selected] : nil }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .escape, .char("q"): return false
        case .up, .char("k"): selected = max(0, selected - 1)
        case .down, .char("j"): selected = min(max(0, rows.count - 1), selected + 1)
        case .char("x"), .delete:
            guard let p = current, !p.isVoided, session.actor.can(.markPayment) else { return true }
            void(p)
        default: break
        }
        return true
    }

    func void(_ p: PaymentRow) {
        let s = session.strings
        let version = invoice.version
        session.present(FormModal(title: s.f(.payVoidTitle, Rupiah(p.amount).formatted, s.methodName(p.method)),
                                  fields: [FormFieldSpec(s[.fReason], maxLength: 500)], strings: s) { [weak self] v in
            guard let self else { return nil }
            do {
                let inv = try self.session.db.voidPayment(p.id, reason: v[0], expectedVersion: version, actor: self.session.actor,
                                                          context: self.session.context)
                self.note = (s.f(.payVoided, Rupiah(p.amount).formatted, inv.number, s.statusName(inv.status)), false)
                self.reload()
                self.onChange()
                return nil
            } catch StoreError.changedByOther {
                self.reload()
                return s[.errChangedByOther]
            } catch { return s.message(for: error) }
        })
    }

    func draw(on screen: Screen, theme: Theme) {
        let s = session.strings
        let w = min(screen.width - 4, 100)
        let listH = max(3, min(rows.count, screen.height - 10))
        let h = listH + 6
        let row = (screen.height - h) / 2, col = (screen.width - w) / 2
        screen.fill(row: row, col: col, width: w, height: h, style: theme.dialog)
        let title = s.f(.payListTitle, invoice.number, Sanitizer.clean(invoice.customerName))
        Box.draw(on: screen, row: row, col: col, width: w, height: h, title: title, style: theme.dialog, ascii: false)
        let cols = [ListColumn(s[.colPayDate], 11, priority: 9), ListColumn(s[.colMethod], 13, priority: 7),
                    ListColumn(s[.colAmount], 11, priority: 10, align: .right), ListColumn(s[.colReference], 16, flexible: true, priority: 8),
                    ListColumn(s[.colPaidBy], 12, priority: 4), ListColumn(s[.colStatus], 12, priority: 6)]
        let inner = w - 4
        let layout = ListLayout.fit(cols, width: inner)
        ListLayout.draw(cols.map(\.title), layout: layout, columns: cols, on: screen, row: row + 1, col: col + 2, width: inner,
                        style: theme.tableHeader)
        if rows.isEmpty { screen.put(s[.payListEmpty], row: row + 2, col: col + 2, style: theme.dialog) }
        let top = max(0, selected - listH + 1)
        for (i, p) in rows.dropFirst(top).prefix(listH).enumerated() {
            var state = p.isVoided ? s[.payVoidedMark] : ""
            if p.flag == "overpaid" { state += (state.isEmpty ? "" : " ") + s[.payOverpaid] }
            let cells = [s.date(p.paidOn), s.methodName(p.method), Rupiah(p.amount).plain, Sanitizer.clean(p.reference ?? ""),
                         Sanitizer.clean(p.recordedByName ?? ""), state]
            let style = top + i == selected ? theme.selected : (p.isVoided ? theme.dim : theme.dialog)
            ListLayout.draw(cells, layout: layout, columns: cols, on: screen, row: row + 2 + i, col: col + 2, width: inner, style: style)
        }
        let status = s.f(.invFooter, 1, Rupiah(invoice.totalAmount).formatted, Rupiah(invoice.paidAmount).formatted,
                         Rupiah(invoice.remaining).formatted)
        if let note {
            screen.put(TextWidth.truncate(note.0, to: inner), row: row + h - 3, col: col + 2, style: note.1 ? theme.statusError : theme.dialog)
        } else {
            screen.put(TextWidth.truncate(status, to: inner), row: row + h - 3, col: col + 2, style: theme.dialog)
        }
        screen.put(TextWidth.truncate(s[.payListHint], to: inner), row: row + h - 2, col: col + 2, style: theme.dialog)
    }
}
