import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// Paket (superadmin): create, edit, activate/deactivate, delete (refused while in use).
final class PackagesPane: Pane {
    let id = PaneID.packages
    let session: Session
    var rows: [PackageRow] = []
    var selected = 0
    init(session: Session) { self.session = session }
    var s: Strings { session.strings }

    var bindings: [Binding] {
        Keymap.list + [
            Binding([.char("a"), .function(7)], .add, key: "F7 a", help: .keyAdd, fkey: 7, short: .keyAdd, requires: .managePackages),
            Binding([.char("e"), .enter, .function(4)], .edit, key: "F4 e Enter", help: .keyEdit, fkey: 4, short: .keyEdit, requires: .managePackages),
            Binding([.char("t")], .toggleActive, key: "t", help: .keyToggleActive, requires: .managePackages),
            Binding([.char("d"), .function(8)], .delete, key: "F8 d", help: .keyDelete, fkey: 8, short: .keyDelete, requires: .managePackages),
        ]
    }

    func reload() {
        do { rows = try session.db.packages() } catch { session.error(error) }
        selected = min(selected, max(0, rows.count - 1))
    }

    var current: PackageRow? { rows.indices.contains(selected) ? rows[selected] : nil }

    func handle(_ action: Action) -> Bool {
        switch action {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, rows.count - 1), selected + 1)
        case .pageUp, .home: selected = 0
        case .pageDown, .end: selected = max(0, rows.count - 1)
        case .add: form(nil)
        case .edit: if let p = current { form(p) }
        case .toggleActive:
            guard let p = current else { return true }
            do {
                try session.db.setPackageActive(id: p.id, active: !p.isActive, actor: session.actor, context: session.context)
                session.info(s.f(p.isActive ? .pkgDeactivated : .pkgActivated, p.name))
            } catch { session.error(error) }
            reload()
        case .delete:
            guard let p = current else { return true }
            session.present(ConfirmModal(title: s[.keyDelete], message: s.f(.pkgDeleteConfirm, p.name), yes: s[.yes], no: s[.no], ascii: false) { [weak self] in
                guard let self else { return }
                do {
                    try self.session.db.deletePackage(id: p.id, actor: self.session.actor, context: self.session.context)
                    self.session.info(self.s.f(.pkgDeleted, p.name))
                } catch { self.session.error(error) }
                self.reload()
            })
        default: return false
        }
        return true
    }

    func form(_ p: PackageRow?) {
        let fields = [FormFieldSpec(s[.fName], value: p?.name ?? ""), FormFieldSpec(s[.fSpeed], value: p?.speed ?? "", maxLength: 50),
                      FormFieldSpec(s[.fPrice], value: p.map { String($0.price) } ?? "", maxLength: 12),
                      FormFieldSpec(s[.fDescription], value: p?.description ?? "", maxLength: 500)]
        session.present(FormModal(title: p.map { s.f(.pkgEditTitle, $0.name) } ?? s[.pkgAddTitle], fields: fields, strings: s) { [weak self] v in
            guard let self else { return nil }
            let input = PackageInput(name: v[0], speed: v[1], price: v[2], description: v[3])
            do {
                if let p {
                    try self.session.db.updatePackage(id: p.id, input, expectedVersion: p.version, actor: self.session.actor, context: self.session.context)
                } else {
                    try self.session.db.createPackage(input, actor: self.session.actor, context: self.session.context)
                }
                self.session.info(self.s.f(.pkgSaved, v[0]))
                self.reload()
                return nil
            } catch StoreError.changedByOther {
                self.reload(); return self.s[.errChangedByOther]
            } catch { return self.s.message(for: error) }
        })
    }

    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme
        let cols = [ListColumn(s[.colName], 16, flexible: true, priority: 10), ListColumn(s[.colSpeed], 10, priority: 8),
                    ListColumn(s[.colPrice], 11, priority: 9, align: .right), ListColumn(s[.colCustomers], 9, priority: 7, align: .right),
                    ListColumn(s[.colActive], 6, priority: 6)]
        let layout = ListLayout.fit(cols, width: area.width)
        ListLayout.draw(cols.map(\.title), layout: layout, columns: cols, on: screen, row: area.row, col: area.col, width: area.width, style: t.tableHeader)
        for (i, p) in rows.prefix(area.height - 1).enumerated() {
            let cells = [p.name, p.speed, Rupiah(p.price).formatted, String(p.customerCount), p.isActive ? s[.yes] : s[.no]]
            ListLayout.draw(cells, layout: layout, columns: cols, on: screen, row: area.row + 1 + i, col: area.col, width: area.width,
                            style: i == selected ? t.selected : (p.isActive ? t.text : t.dim))
        }
    }
}
