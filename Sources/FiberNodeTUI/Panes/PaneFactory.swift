import TerminalUI

/// Builds the pane for an id.
enum PaneFactory {
    static func make(_ id: PaneID, session: Session) -> Pane {
        switch id {
        case .dashboard: return DashboardPane(session: session)
        case .settings: return SettingsPane(session: session)
        case .profile: return ProfilePane(session: session)
        case .customers: return CustomersPane(session: session)
        case .invoices: return InvoicesPane(session: session)
        case .finance: return FinancePane(session: session)
        case .whatsapp: return WhatsAppPane(session: session)
        case .mitra: return MitraPane(session: session)
        case .packages: return PackagesPane(session: session)
        case .routers: return RoutersPane(session: session)
        case .sync: return SyncPane(session: session)
        }
    }
}

/// A pane whose content arrives in a later release: says what it will hold.
final class PlaceholderPane: Pane {
    let id: PaneID
    let session: Session
    let text: S
    init(id: PaneID, session: Session, text: S) { self.id = id; self.session = session; self.text = text }
    var bindings: [Binding] { [] }
    func reload() {}
    func handle(_ action: Action) -> Bool { false }
    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme
        screen.put(session.strings[.comingSoon], row: area.row + 1, col: area.col, style: t.accent)
        for (i, line) in wrap(session.strings[text], width: area.width).enumerated() {
            screen.put(line, row: area.row + 3 + i, col: area.col, style: t.text)
        }
    }
}
