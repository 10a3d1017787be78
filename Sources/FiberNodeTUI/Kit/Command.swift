import TerminalUI
import FiberNodeDomain

/// One thing a pane can do: its keys, help and short label, the permission it needs and its
/// handler. The key label and the function-bar slot come from the keys, so help, bar and
/// dispatch cannot drift (lazygit's bindings with handlers; tig's request table).
struct Command {
    let keys: [Key]
    let help: S
    /// The function-bar label (only for commands with a function key).
    let short: S?
    let requires: Permission?
    let run: () -> Void

    init(_ keys: [Key], _ help: S, short: S? = nil, requires: Permission? = nil, run: @escaping () -> Void) {
        self.keys = keys; self.help = help; self.short = short; self.requires = requires; self.run = run
    }

    /// "F4 e Enter": from the keys.
    var keyLabel: String { Key.label(keys) }

    /// The binding the keymap, help overlay and function bar read; `index` is the command's
    /// place in the pane's list, handed back in `Action.command`.
    func binding(_ index: Int) -> Binding {
        let f = Key.functionSlot(keys)
        let onBar = f != nil && short != nil
        return Binding(keys, .command(index), key: keyLabel, help: help, fkey: onBar ? f : nil, short: onBar ? short : nil,
                       requires: requires)
    }
}

/// A pane (or part of one) whose keys are `Command`s.
protocol CommandPane: AnyObject {
    /// The commands in the pane's current state (same list for bindings and dispatch).
    var commands: [Command] { get }
}

extension CommandPane {
    /// The bindings for `commands`, in order.
    var commandBindings: [Binding] { commands.enumerated().map { $0.element.binding($0.offset) } }

    /// Runs the command an `Action.command` names, if `actor` holds its permission (a forged
    /// action runs nothing; the store checks again); false for any other action.
    func run(_ action: Action, as actor: Actor) -> Bool {
        guard case .command(let i) = action else { return false }
        let list = commands
        guard list.indices.contains(i) else { return false }
        if let p = list[i].requires, !actor.can(p) { return false }
        list[i].run()
        return true
    }
}
