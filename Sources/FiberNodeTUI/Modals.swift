import Foundation
import TerminalUI
import FiberNodeDomain

/// A yes/no question; `onYes` runs when confirmed.
final class ConfirmModal: Modal {
    var dialog: ConfirmDialog
    let ascii: Bool
    let onYes: () -> Void

    init(title: String, message: String, yes: String, no: String, ascii: Bool, defaultYes: Bool = false,
         onYes: @escaping () -> Void) {
        dialog = ConfirmDialog(title: title, message: message, yesLabel: yes, noLabel: no)
        dialog.yesSelected = defaultYes
        self.ascii = ascii
        self.onYes = onYes
    }

    func handle(_ key: Key) -> Bool {
        switch dialog.handle(key) {
        case .yes: onYes(); return false
        case .no: return false
        case .none: return true
        }
    }

    func draw(on screen: Screen, theme: Theme) {
        dialog.draw(on: screen, style: theme.dialog, selectedStyle: theme.selected, ascii: ascii)
    }
}

/// The keys of the current pane and the global ones, generated from the binding tables.
final class HelpModal: Modal {
    let lines: [(String, String, Bool)]
    let title: String
    let strings: Strings
    let ascii: Bool
    var top = 0

    init(strings: Strings, title: String, pane: [Binding], global: [Binding], actor: Actor, ascii: Bool) {
        self.strings = strings; self.title = title; self.ascii = ascii
        var out: [(String, String, Bool)] = []
        let visible = { (b: Binding) in b.requires.map(actor.can) ?? true }
        let paneRows = pane.filter(visible)
        if !paneRows.isEmpty {
            out.append((strings[.helpPane], "", true))
            out += paneRows.map { ($0.keyLabel, strings[$0.help], false) }
            out.append(("", "", false))
        }
        out.append((strings[.helpGlobal], "", true))
        out += global.filter(visible).map { ($0.keyLabel, strings[$0.help], false) }
        lines = out
    }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .up: top = max(0, top - 1); return true
        case .down: top = min(max(0, lines.count - 1), top + 1); return true
        case .escape, .enter, .function(1), .char("?"), .char("q"): return false
        default: return true
        }
    }

    func draw(on screen: Screen, theme: Theme) {
        let w = min(64, screen.width - 4)
        let h = min(lines.count + 4, screen.height - 2)
        let row = (screen.height - h) / 2, col = (screen.width - w) / 2
        screen.fill(row: row, col: col, width: w, height: h, style: theme.dialog)
        Box.draw(on: screen, row: row, col: col, width: w, height: h, title: title, style: theme.dialog, ascii: ascii)
        let visible = lines.dropFirst(top).prefix(h - 4)
        for (i, (key, text, heading)) in visible.enumerated() {
            if heading {
                screen.put(key, row: row + 1 + i, col: col + 2, style: Style(fg: theme.dialog.fg, bg: theme.dialog.bg, bold: true, underline: true))
            } else {
                screen.put(TextWidth.pad(key, to: 12), row: row + 1 + i, col: col + 3, style: Style(fg: theme.dialog.fg, bg: theme.dialog.bg, bold: true))
                screen.put(text, row: row + 1 + i, col: col + 16, style: theme.dialog)
            }
        }
        screen.put(strings[.helpClose], row: row + h - 2, col: col + 2, style: theme.dialog)
    }
}
