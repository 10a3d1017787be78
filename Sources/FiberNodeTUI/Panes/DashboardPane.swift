import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// Dasbor: headline figures for the user's scope.
final class DashboardPane: Pane {
    let id = PaneID.dashboard
    let session: Session
    var counts: OverviewCounts?
    init(session: Session) { self.session = session }
    var bindings: [Binding] { [] }

    func reload() {
        do { counts = try session.db.overview(actor: session.actor) } catch { session.error(error) }
    }

    func handle(_ action: Action) -> Bool { false }

    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme, s = session.strings
        guard let c = counts else { return }
        var rows: [(S, String)] = [
            (.dashActiveCustomers, "\(c.activeCustomers)"),
            (.dashIsolatedCustomers, "\(c.isolatedCustomers)"),
            (.dashUnpaid, "\(c.unpaidInvoices) · \(Rupiah(c.unpaidTotal).formatted)"),
            (.dashQueue, "\(c.queuedMessages)"),
            (.dashPackages, "\(c.activePackages)"),
        ]
        if session.actor.can(.viewAllOwners) { rows.insert((.dashMitraCount, "\(c.activeMitra)"), at: 2) }
        screen.put(s[.dashOverview], row: area.row + 1, col: area.col, style: t.accent)
        for (i, (label, value)) in rows.enumerated() {
            screen.put(TextWidth.pad(s[label], to: 28), row: area.row + 3 + i, col: area.col, style: t.text)
            screen.put(value, row: area.row + 3 + i, col: area.col + 30, style: t.accent)
        }
    }
}
