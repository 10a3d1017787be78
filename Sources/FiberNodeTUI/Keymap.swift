import TerminalUI
import FiberNodeDomain

/// A named thing the user can ask for; keys map to actions through `Binding`s.
public enum Action: Hashable, Sendable {
    case help, quit, logout, reload, redraw
    case nextPane, prevPane, jump(Int)
    case up, down, pageUp, pageDown, home, end
    case open, edit, add, delete, restore, back
    case search, sort, filterStatus, filterPackage, filterOwner, toggleDeleted
    case importCSV, export, toggleActive, password
    case prevPeriod, nextPeriod, isolate, candidates
    case financeView(Int), chart
    case backupNow, backupList, filter, clearFilter, auditLog
    case payments, promise, unlock   // collection loop (issue 14)
    case routerTest, reconcile, linkRouter, serviceLink   // issue 15
    /// A pane's `Command`, by its index in the pane's `commands` (issue 13: the pane kit).
    case command(Int)
}

/// One key binding: the data behind dispatch, the help overlay and the function bar.
public struct Binding: Sendable {
    public let keys: [Key]
    public let action: Action
    /// What the key is called in help ("F1 ?", "1–9").
    public let keyLabel: String
    /// Shown in the help overlay.
    public let help: S
    /// Function-bar slot ("F1") and its short label, when it has one.
    public let functionKey: Int?
    public let short: S?
    /// A permission the user must hold for the binding to exist.
    public let requires: Permission?

    /// `key` is kept for the callers' sake but no longer used: the label is derived from
    /// `keys` (issue 13: labels typed next to the keys had drifted).
    public init(_ keys: [Key], _ action: Action, key _: String = "", help: S, fkey: Int? = nil, short: S? = nil,
                requires: Permission? = nil) {
        self.keys = keys; self.action = action; self.keyLabel = Binding.label(keys); self.help = help
        self.functionKey = fkey; self.short = short; self.requires = requires
    }

    public func matches(_ key: Key) -> Bool { keys.contains(key) }

    /// "F4 e Enter" from the keys; the digits 1…9 read "1–9", and with 0 (the tenth pane) "1–9 0".
    static func label(_ keys: [Key]) -> String {
        let digits = (1...9).map { Key.char(Character(String($0))) }
        if keys == digits { return "1–9" }
        if keys == [Key.char("0")] + digits || keys == digits + [Key.char("0")] { return "1–9 0" }
        if keys.count >= 3, keys == Array(digits.prefix(keys.count)) { return "1–\(keys.count)" }
        return Key.label(keys)
    }
}

/// The keys every pane shares.
public enum Keymap {
    public static let global: [Binding] = [
        Binding([.function(1), .char("?")], .help, key: "F1 ?", help: .keyHelp, fkey: 1, short: .keyHelp),
        Binding([.function(5), .ctrl("r")], .reload, key: "F5 ^R", help: .keyReload, fkey: 5, short: .keyReload),
        Binding([.function(9)], .logout, key: "F9", help: .keyLogout, fkey: 9, short: .keyLogout),
        Binding([.function(10), .char("q")], .quit, key: "F10 q", help: .keyQuit, fkey: 10, short: .keyQuit),
        Binding([.tab, .right], .nextPane, key: "Tab →", help: .keyNextPane),
        Binding([.backTab, .left], .prevPane, key: "S-Tab ←", help: .keyPrevPane),
        Binding((0...9).map { Key.char(Character(String($0))) }, .jump(0), key: "1–9 0", help: .keyJump),
        Binding([.ctrl("l")], .redraw, key: "^L", help: .keyRedraw),
    ]

    /// The global keys as help shows them to a user with `panes` panes: the digits read
    /// "1–7" for a mitra's seven, not "1–9 0" (collect3, found in the mitra's golden help).
    public static func global(panes: Int) -> [Binding] {
        guard panes < 10 else { return global }
        return global.map { b in
            guard case .jump = b.action else { return b }
            return Binding((1...max(1, panes)).map { Key.char(Character(String($0))) }, .jump(0), key: "1–\(panes)", help: .keyJump)
        }
    }

    /// Movement keys for list panes.
    public static let list: [Binding] = [
        Binding([.up, .char("k")], .up, key: "↑ k", help: .keyUp),
        Binding([.down, .char("j")], .down, key: "↓ j", help: .keyDown),
        Binding([.pageUp], .pageUp, key: "PgUp", help: .keyPageUp),
        Binding([.pageDown], .pageDown, key: "PgDn", help: .keyPageDown),
    ]

    /// The action for a key, from the pane's bindings first, then the global ones.
    public static func action(for key: Key, pane: [Binding], actor: Actor?) -> Action? {
        for b in pane + global where b.matches(key) {
            if let p = b.requires, let actor, !actor.can(p) { continue }
            if case .jump = b.action, case .char(let c) = key, let n = c.wholeNumberValue { return .jump(n == 0 ? 10 : n) }
            return b.action
        }
        return nil
    }
}
