import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// The panes of the main screen, in menu order.
public enum PaneID: String, CaseIterable, Sendable {
    case dashboard, customers, invoices, finance, whatsapp, mitra, packages, settings, profile
    case routers   // issue 15: the tenth pane, key 0; a mitra sees its own routers read-only
    case sync      // issue 16: field laptops (shown on a laptop, or where devices or conflicts exist)

    public var title: S {
        switch self {
        case .dashboard: return .paneDashboard
        case .customers: return .paneCustomers
        case .invoices: return .paneInvoices
        case .finance: return .paneFinance
        case .whatsapp: return .paneWhatsApp
        case .mitra: return .paneMitra
        case .packages: return .panePackages
        case .settings: return .paneSettings
        case .profile: return .paneProfile
        case .routers: return .paneRouters
        case .sync: return .paneSync
        }
    }

    /// The permission needed to see the pane at all (superadmin-only panes).
    public var requires: Permission? {
        switch self {
        case .mitra: return .manageMitra
        case .packages: return .managePackages
        case .settings: return .manageSettings
        default: return nil
        }
    }

    /// The panes a role sees, in order.
    public static func visible(for actor: Actor) -> [PaneID] {
        allCases.filter { p in p != .sync && (p.requires.map(actor.can) ?? true) }
    }
}

/// A rectangle on the screen.
public struct Rect: Equatable, Sendable {
    public var row, col, width, height: Int
    public init(row: Int, col: Int, width: Int, height: Int) {
        self.row = row; self.col = col; self.width = width; self.height = height
    }
}

/// What panes get to draw and act: the session, database, strings and theme.
public final class Session {
    public let db: AppDatabase
    public let context: StoreContext
    public private(set) var user: UserProfile
    public var strings: Strings
    public var theme: Theme
    public var settings: SettingsSnapshot
    /// Draw with ASCII only (TERM=vt100/dumb, or the mono theme): charts use '#'.
    public var ascii = false
    /// A one-line result or error for the status line.
    public var status: (text: String, isError: Bool)?
    /// Shows a modal on top of the screen (set by the app).
    public var present: (Modal) -> Void = { _ in }
    /// After a restore: the app switches to the reopened database and returns to the login (set by the app).
    public var onRestored: (AppDatabase, String) -> Void = { _, _ in }

    init(db: AppDatabase, context: StoreContext, user: UserProfile, strings: Strings, theme: Theme, settings: SettingsSnapshot) {
        self.db = db; self.context = context; self.user = user; self.strings = strings; self.theme = theme; self.settings = settings
    }

    public var actor: Actor { user.actor }
    public func info(_ text: String) { status = (text, false) }
    public func error(_ error: Error) { status = (strings.message(for: error, timeZone: settings.timeZone), true) }
    public func error(text: String) { status = (text, true) }

    func refreshUser() {
        if let p = try? db.profile(userId: user.id) { user = p }
        if let s = try? db.settings() { settings = s }
    }
}

/// A pane: its bindings, how it loads, handles actions and keys, and draws.
public protocol Pane: AnyObject {
    var id: PaneID { get }
    /// Pane-specific bindings (shown in help before the global ones).
    var bindings: [Binding] { get }
    /// Reload from the database (called on entry, F5 and the refresh tick).
    func reload()
    /// A raw key the pane wants before bindings (e.g. typing into a search box); true if used.
    func handleKey(_ key: Key) -> Bool
    /// A bound action; true if handled.
    func handle(_ action: Action) -> Bool
    func draw(on screen: Screen, in area: Rect)
    /// Called when no key came for a while (the loop's 250 ms timeout): work deferred out of
    /// the keystroke path, like a list's total while the user types. True to redraw.
    func idle() -> Bool
}

extension Pane {
    public func handleKey(_ key: Key) -> Bool { false }
    public func idle() -> Bool { false }
}

/// A modal on top of everything (dialogs, forms, help).
public protocol Modal: AnyObject {
    /// Handles a key; returns false when the modal should close.
    func handle(_ key: Key) -> Bool
    func draw(on screen: Screen, theme: Theme)
}
