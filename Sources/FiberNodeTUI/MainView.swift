import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// The main screen: header, left menu, the current pane, status line, function-key bar.
final class MainView {
    enum Result { case none, quit, logout, help }

    let session: Session
    let ascii: Bool
    let clock: any Clock
    let paneIDs: [PaneID]
    var panes: [PaneID: Pane] = [:]
    var index = 0
    static let menuWidth = 16

    init(session: Session, ascii: Bool, clock: any Clock) {
        self.session = session; self.ascii = ascii; self.clock = clock
        session.ascii = ascii || session.theme.name == .mono
        paneIDs = PaneID.visible(for: session.actor) + (SyncPane.shown(session) ? [.sync] : [])
        current.reload()
    }

    var current: Pane { pane(paneIDs[index]) }

    func pane(_ id: PaneID) -> Pane {
        if let p = panes[id] { return p }
        let p = PaneFactory.make(id, session: session)
        panes[id] = p
        return p
    }

    func select(_ i: Int) {
        guard i >= 0, i < paneIDs.count, i != index else { return }
        index = i
        session.status = nil
        current.reload()
    }

    func handle(_ key: Key) -> Result {
        let pane = current
        if pane.handleKey(key) { return .none }
        guard let action = Keymap.action(for: key, pane: pane.bindings, actor: session.actor) else { return .none }
        if pane.handle(action) { return .none }
        switch action {
        case .help: return .help
        case .quit: return .quit
        case .logout: return .logout
        case .reload:
            session.refreshUser()
            pane.reload()
            session.info(session.strings[.reloaded])
        case .nextPane: select((index + 1) % paneIDs.count)
        case .prevPane: select((index - 1 + paneIDs.count) % paneIDs.count)
        case .jump(let n): select(n - 1)
        default: break
        }
        return .none
    }

    // MARK: - Drawing

    func draw(on screen: Screen) {
        let t = session.theme, s = session.strings
        let w = screen.width, h = screen.height
        // Header
        screen.fill(row: 0, col: 0, width: w, height: 1, style: t.header)
        let role = session.user.role == .superadmin ? s[.roleSuperadmin] : s[.roleMitra]
        let today = LocalDate.from(clock.now(), in: session.settings.timeZone)
        let business = session.settings["business.name"]
        let bar = ascii ? "|" : "│"
        // A field laptop says so, with its last sync and what waits (issue 16).
        let laptop = (try? session.db.laptopStatus()).flatMap { $0 }.map { SyncText.header($0, now: clock.now(), s) }
        let header = MainView.header(app: laptop ?? session.settings["app.name"], business: laptop == nil ? business : "",
                                     user: session.user.username, role: role,
                                     owner: session.user.businessName, date: today.display(language: s.language.rawValue),
                                     bar: bar, dot: ascii ? " - " : " · ", width: w)
        screen.put(header.left, row: 0, col: 0, style: t.header)
        screen.put(header.right, row: 0, col: max(0, w - TextWidth.width(of: header.right)), style: t.header)

        // Menu
        let mw = MainView.menuWidth
        for (i, id) in paneIDs.enumerated() {
            // Panes past the tenth have no digit key (Tab reaches them): no number, so the
            // name fits whole ("Sinkronisasi" on a server with laptops).
            let label = TextWidth.pad((i < 10 ? " \(i + 1) " : "   ") + s[id.title], to: mw - 1)
            screen.put(label, row: 2 + i, col: 0, style: i == index ? t.menuSelected : t.menu)
        }
        for r in 1..<(h - 2) { screen.put(ascii ? "|" : "│", row: r, col: mw - 1, style: t.dim) }

        // Pane
        let area = Rect(row: 1, col: mw + 1, width: w - mw - 2, height: h - 4)
        screen.put(s[current.id.title], row: area.row, col: area.col, style: t.title)
        current.draw(on: screen, in: Rect(row: area.row + 1, col: area.col, width: area.width, height: area.height - 1))

        // Status line
        if let status = session.status {
            screen.fill(row: h - 2, col: 0, width: w, height: 1, style: status.isError ? t.statusError : t.statusOK)
            screen.put(" " + ColumnPolicy.shorten(status.text.components(separatedBy: " · "), width: max(1, w - 2)), row: h - 2, col: 0,
                       style: status.isError ? t.statusError : t.statusOK)
        }

        // Function-key bar, generated from the bindings
        FunctionBar.draw(on: screen, row: h - 1, items: functionItems(), keyStyle: t.fkey, labelStyle: t.fkeyLabel)
    }

    /// The header's two ends in `width` cells: user, role and date always; the user's business
    /// next, dropped when narrow; the app and business name on the left get what is left.
    static func header(app: String, business: String, user: String, role: String, owner: String, date: String,
                       bar: String, dot: String, width: Int) -> (left: String, right: String) {
        let full = "\(user) (\(role)) \(bar) \(owner) \(bar) \(date) "
        let short = "\(user) (\(role)) \(bar) \(date) "
        let leftFull = " " + app + (business.isEmpty ? "" : dot + business)
        let right = TextWidth.width(of: leftFull) + 2 + TextWidth.width(of: full) <= width || owner.isEmpty ? full : short
        let room = max(0, width - TextWidth.width(of: right) - 2)
        let left = TextWidth.width(of: leftFull) <= room ? leftFull : TextWidth.truncate(leftFull, to: room)
        return (left, right)
    }

    func functionItems() -> [(key: String, label: String)] {
        var slots: [Int: String] = [:]
        for b in Keymap.global + current.bindings {
            guard let f = b.functionKey, let short = b.short else { continue }
            if let p = b.requires, !session.actor.can(p) { continue }
            // the short label is the help text up to any parenthesis
            slots[f] = session.strings[short].components(separatedBy: " (").first ?? ""
        }
        return (1...10).compactMap { n in slots[n].map { (key: "F\(n)", label: $0) } }
    }
}
