import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// Mitra (superadmin): accounts with customer counts and unpaid totals; create, edit (with a
/// password reset), activate/deactivate, delete and restore.
final class MitraPane: Pane {
    let id = PaneID.mitra
    let session: Session
    var rows: [MitraRow] = []
    var selected = 0
    var showDeleted = false
    init(session: Session) { self.session = session }
    var s: Strings { session.strings }

    var bindings: [Binding] {
        Keymap.list + [
            Binding([.char("a"), .function(7)], .add, key: "F7 a", help: .keyAdd, fkey: 7, short: .keyAdd, requires: .manageMitra),
            Binding([.char("e"), .enter, .function(4)], .edit, key: "F4 e Enter", help: .keyEdit, fkey: 4, short: .keyEdit, requires: .manageMitra),
            Binding([.char("t")], .toggleActive, key: "t", help: .keyToggleActive, requires: .manageMitra),
            Binding([.char("d"), .function(8)], .delete, key: "F8 d", help: .keyDelete, fkey: 8, short: .keyDelete, requires: .manageMitra),
            Binding([.char("r")], .restore, key: "r", help: .keyRestore, requires: .manageMitra),
            Binding([.char("x")], .toggleDeleted, key: "x", help: .keyToggleDeleted, requires: .manageMitra),
            Binding([.char("L")], .unlock, key: "L", help: .keyUnlock, requires: .manageMitra),   // issue 14
        ]
    }

    func reload() {
        do { rows = try session.db.mitras(actor: session.actor, deleted: showDeleted) } catch { session.error(error) }
        selected = min(selected, max(0, rows.count - 1))
    }

    var current: MitraRow? { rows.indices.contains(selected) ? rows[selected] : nil }

    func handle(_ action: Action) -> Bool {
        let db = session.db, actor = session.actor, ctx = session.context
        switch action {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, rows.count - 1), selected + 1)
        case .pageUp, .home: selected = 0
        case .pageDown, .end: selected = max(0, rows.count - 1)
        case .toggleDeleted: showDeleted.toggle(); selected = 0; reload()
        case .unlock:   // issue 14: end a login lockout (audited)
            if let m = current {
                do {
                    let was = try session.db.unlockUser(m.username, actor: session.actor, context: session.context)
                    session.info(session.strings.f(was ? .userUnlocked : .userNotLocked, m.username))
                } catch { session.error(error) }
            }
        case .add: if !showDeleted { form(nil) }
        case .edit: if let m = current, !showDeleted { form(m) }
        case .toggleActive:
            guard let m = current, !showDeleted else { return true }
            do {
                try db.setMitraActive(id: m.id, active: !m.isActive, actor: actor, context: ctx)
                session.info(s.f(m.isActive ? .mitraDeactivated : .mitraActivated, m.businessName))
            } catch { session.error(error) }
            reload()
        case .delete:
            guard let m = current, !showDeleted else { return true }
            session.present(ConfirmModal(title: s[.keyDelete], message: s.f(.mitraDeleteConfirm, m.businessName), yes: s[.yes], no: s[.no], ascii: false) { [weak self] in
                guard let self else { return }
                do {
                    try db.setMitraDeleted(id: m.id, deleted: true, actor: actor, context: ctx)
                    self.session.info(self.s.f(.mitraDeleted, m.businessName))
                } catch { self.session.error(error) }
                self.reload()
            })
        case .restore:
            guard let m = current, showDeleted else { return true }
            do {
                try db.setMitraDeleted(id: m.id, deleted: false, actor: actor, context: ctx)
                session.info(s.f(.mitraRestored, m.businessName))
            } catch { session.error(error) }
            reload()
        default: return false
        }
        return true
    }

    func form(_ m: MitraRow?) {
        let fields = [
            FormFieldSpec(s[.fUsername], value: m?.username ?? "", maxLength: 100),
            FormFieldSpec(s[.fName], value: m?.name ?? ""),
            FormFieldSpec(s[.fPhone], value: m?.phone ?? "", maxLength: 24),
            FormFieldSpec(s[.fBusiness], value: m?.businessName ?? ""),
            FormFieldSpec(s[.fBankName], value: m?.bankName ?? "", maxLength: 100),
            FormFieldSpec(s[.fBankAccount], value: m?.bankAccount ?? "", maxLength: 50),
            FormFieldSpec(s[.fBankHolder], value: m?.bankHolder ?? ""),
            FormFieldSpec(s[.fPassword], secure: true, maxLength: 128, hint: m == nil ? nil : s[.mitraPasswordHint]),
        ]
        session.present(FormModal(title: m.map { s.f(.mitraEditTitle, $0.businessName) } ?? s[.mitraAddTitle], fields: fields, strings: s) { [weak self] v in
            guard let self else { return nil }
            let input = MitraInput(username: v[0], name: v[1], phone: v[2], businessName: v[3], bankName: v[4], bankAccount: v[5],
                                   bankHolder: v[6], password: v[7])
            return FormSave.run(self.session, reload: self.reload, saved: self.s.f(.mitraSaved, v[3])) {
                if let m {
                    try self.session.db.updateMitra(id: m.id, input, expectedVersion: m.version, actor: self.session.actor, context: self.session.context)
                } else {
                    try self.session.db.createMitra(input, actor: self.session.actor, context: self.session.context)
                }
            }
        })
    }

    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme
        let cols = [ListColumn(s[.colBusiness], 16, flexible: true, priority: 10), ListColumn(s[.colUsername], 10, priority: 9),
                    ListColumn(s[.colName], 14, priority: 4), ListColumn(s[.colCustomers], 9, priority: 8, align: .right),
                    ListColumn(s[.colUnpaid], 13, priority: 7, align: .right), ListColumn(s[.colActive], 6, priority: 6)]
        let layout = ListLayout.fit(cols, width: area.width)
        if showDeleted { screen.put(s[.stDeleted].uppercased(), row: area.row - 1, col: area.col + area.width - 12, style: t.warn) }
        ListLayout.draw(cols.map(\.title), layout: layout, columns: cols, on: screen, row: area.row, col: area.col, width: area.width, style: t.tableHeader)
        for (i, m) in rows.prefix(area.height - 1).enumerated() {
            let cells = [m.businessName, m.username, m.name, String(m.customerCount), Rupiah(m.unpaidTotal).formatted, m.isActive ? s[.yes] : s[.no]]
            ListLayout.draw(cells, layout: layout, columns: cols, on: screen, row: area.row + 1 + i, col: area.col, width: area.width,
                            style: i == selected ? t.selected : (m.isActive ? t.text : t.dim))
        }
    }
}
