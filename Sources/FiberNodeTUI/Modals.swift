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
/// The global keys stay on screen at every size; the pane's keys scroll above them
/// (↑↓ PgUp PgDn Home End).
final class HelpModal: Modal {
    /// (key label, help) of the pane's and the global bindings the user may use.
    let paneLines: [(String, String)]
    let globalLines: [(String, String)]
    let title: String
    let strings: Strings
    let ascii: Bool
    var top = 0
    /// How many pane lines the last draw showed (the scroll step).
    var room = 10

    init(strings: Strings, title: String, pane: [Binding], global: [Binding], actor: Actor, ascii: Bool) {
        self.strings = strings; self.title = title; self.ascii = ascii
        let visible = { (b: Binding) in b.requires.map(actor.can) ?? true }
        paneLines = pane.filter(visible).map { ($0.keyLabel, strings[$0.help]) }
        globalLines = global.filter(visible).map { ($0.keyLabel, strings[$0.help]) }
    }

    /// Every line in order (pane heading and keys, then global heading and keys).
    var lines: [(String, String)] {
        (paneLines.isEmpty ? [] : [(strings[.helpPane], "")] + paneLines + [("", "")]) + [(strings[.helpGlobal], "")] + globalLines
    }

    var maxTop: Int { max(0, paneLines.count - room) }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .up, .char("k"): top = max(0, top - 1)
        case .down, .char("j"): top = min(maxTop, top + 1)
        case .pageUp: top = max(0, top - room)
        case .pageDown: top = min(maxTop, top + room)
        case .home: top = 0
        case .end: top = maxTop
        case .escape, .enter, .function(1), .char("?"), .char("q"): return false
        default: break
        }
        return true
    }

    func draw(on screen: Screen, theme: Theme) {
        // header line + pane keys + blank + header + global keys, inside the frame with a hint
        let wanted = (paneLines.isEmpty ? 0 : paneLines.count + 2) + globalLines.count + 1 + 3
        let keyWidth = min(14, (paneLines + globalLines).map { TextWidth.width(of: $0.0) }.max() ?? 8)
        let textWidth = (paneLines + globalLines).map { TextWidth.width(of: $0.1) }.max() ?? 20
        let inner = ModalFrame.draw(on: screen, title: title, width: keyWidth + textWidth + 8, height: wanted, theme: theme,
                                    ascii: ascii, hint: strings[paneLines.count > room ? .helpScrollHint : .helpClose])
        let bold = Style(fg: theme.dialog.fg, bg: theme.dialog.bg, bold: true)
        let heading = Style(fg: theme.dialog.fg, bg: theme.dialog.bg, bold: true, underline: true)
        func put(_ key: String, _ text: String, _ row: Int) {
            screen.put(TextWidth.pad(key, to: keyWidth), row: row, col: inner.col + 1, style: bold)
            screen.put(TextWidth.truncate(text, to: max(1, inner.width - keyWidth - 2)), row: row, col: inner.col + keyWidth + 2,
                       style: theme.dialog)
        }
        // the global keys at the bottom, always whole
        let globalsTop = inner.row + inner.height - globalLines.count - 1
        var r = inner.row
        if !paneLines.isEmpty {
            room = max(1, globalsTop - 1 - (inner.row + 1))
            top = min(top, maxTop)
            let shown = paneLines.dropFirst(top).prefix(room)
            var head = strings[.helpPane]
            if paneLines.count > room { head += "  \(top + 1)–\(top + shown.count)/\(paneLines.count)" }
            screen.put(head, row: r, col: inner.col, style: heading); r += 1
            for (key, text) in shown { put(key, text, r); r += 1 }
        }
        r = max(r + (paneLines.isEmpty ? 0 : 1), globalsTop)
        screen.put(strings[.helpGlobal], row: r, col: inner.col, style: heading); r += 1
        for (key, text) in globalLines { put(key, text, r); r += 1 }
    }
}
