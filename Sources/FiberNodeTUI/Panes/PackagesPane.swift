import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// Paket (superadmin): create, edit, activate/deactivate, delete (refused while in use).
final class PackagesPane: Pane, CommandPane {
    let id = PaneID.packages
    let session: Session
    var rows: [PackageRow] = []
    var selected = 0
    init(session: Session) { self.session = session }
    var s: Strings { session.strings }

    /// The pane's keys and what they do (issue 13: commands, labels from the keys).
    var commands: [Command] {
        [
            Command([.up, .char("k")], .keyUp) { [unowned self] in self.selected = max(0, self.selected - 1) },
            Command([.down, .char("j")], .keyDown) { [unowned self] in self.selected = min(max(0, self.rows.count - 1), self.selected + 1) },
            Command([.pageUp, .home], .keyFirstPage) { [unowned self] in self.selected = 0 },
            Command([.pageDown, .end], .keyLastPage) { [unowned self] in self.selected = max(0, self.rows.count - 1) },
            Command([.char("a"), .function(7)], .keyAdd, short: .keyAdd, requires: .managePackages) { [unowned self] in self.form(nil) },
            Command([.char("e"), .enter, .function(4)], .keyEdit, short: .keyEdit, requires: .managePackages) { [unowned self] in
                if let p = self.current { self.form(p) }
            },
            Command([.char("t")], .keyToggleActive, requires: .managePackages) { [unowned self] in self.toggleActive() },
            Command([.char("d"), .function(8)], .keyDelete, short: .keyDelete, requires: .managePackages) { [unowned self] in self.confirmDelete() },
        ]
    }

    var bindings: [Binding] { commandBindings }

    func reload() {
        do { rows = try session.db.packages() } catch { session.error(error) }
        selected = min(selected, max(0, rows.count - 1))
    }

    var current: PackageRow? { rows.indices.contains(selected) ? rows[selected] : nil }

    func handle(_ action: Action) -> Bool { run(action, as: session.actor) }

    func toggleActive() {
        guard let p = current else { return }
        do {
            try session.db.setPackageActive(id: p.id, active: !p.isActive, actor: session.actor, context: session.context)
            session.info(s.f(p.isActive ? .pkgDeactivated : .pkgActivated, p.name))
        } catch { session.error(error) }
        reload()
    }

    func confirmDelete() {
        guard let p = current else { return }
        session.present(ConfirmModal(title: s[.keyDelete], message: s.f(.pkgDeleteConfirm, p.name), yes: s[.yes], no: s[.no],
                                     ascii: session.ascii) { [weak self] in
            guard let self else { return }
            do {
                try self.session.db.deletePackage(id: p.id, actor: self.session.actor, context: self.session.context)
                self.session.info(self.s.f(.pkgDeleted, p.name))
            } catch { self.session.error(error) }
            self.reload()
        })
    }

    func form(_ p: PackageRow?) {
        let fields = [FormFieldSpec(s[.fName], value: p?.name ?? ""), FormFieldSpec(s[.fSpeed], value: p?.speed ?? "", maxLength: 50),
                      FormFieldSpec(s[.fPrice], value: p.map { String($0.price) } ?? "", maxLength: 12),
                      FormFieldSpec(s[.fDescription], value: p?.description ?? "", maxLength: 500)]
        session.present(FormModal(title: p.map { s.f(.pkgEditTitle, $0.name) } ?? s[.pkgAddTitle], fields: fields, strings: s) { [weak self] v in
            guard let self else { return nil }
            let input = PackageInput(name: v[0], speed: v[1], price: v[2], description: v[3])
            return FormSave.run(self.session, reload: self.reload, saved: self.s.f(.pkgSaved, v[0])) {
                if let p {
                    try self.session.db.updatePackage(id: p.id, input, expectedVersion: p.version, actor: self.session.actor, context: self.session.context)
                } else {
                    try self.session.db.createPackage(input, actor: self.session.actor, context: self.session.context)
                }
            }
        })
    }

    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme
        let cols = [ListColumn(s[.colName], 16, flexible: true, priority: 10), ListColumn(s[.colSpeed], 10, priority: 8),
                    ListColumn(s[.colPrice], 11, whole: true, priority: 9, align: .right),
                    ListColumn(s[.colCustomers], 9, whole: true, priority: 7, align: .right), ListColumn(s[.colActive], 6, whole: true, priority: 6)]
        let allCells = rows.map { p in [p.name, p.speed, Rupiah(p.price).formatted, String(p.customerCount), p.isActive ? s[.yes] : s[.no]] }
        let layout = ListLayout.fit(cols, cells: allCells, width: area.width)
        ListLayout.draw(cols.map(\.title), layout: layout, columns: cols, on: screen, row: area.row, col: area.col, width: area.width, style: t.tableHeader)
        for (i, p) in rows.prefix(area.height - 1).enumerated() {
            let cells = [p.name, p.speed, Rupiah(p.price).formatted, String(p.customerCount), p.isActive ? s[.yes] : s[.no]]
            ListLayout.draw(cells, layout: layout, columns: cols, on: screen, row: area.row + 1 + i, col: area.col, width: area.width,
                            style: i == selected ? t.selected : (p.isActive ? t.text : t.dim))
        }
    }
}
