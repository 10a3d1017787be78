import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// The bulk send preview with a tick per customer (issue 14 §3): Space ticks or unticks the
/// customer under the cursor, `a` ticks all or none, Enter queues the ticked ones only.
final class BulkPickModal: Modal {
    let title: String
    let messages: [ComposedMessage]
    let strings: Strings
    let onConfirm: ([ComposedMessage]) -> Void
    var ticked: [Bool]
    var cursor = 0
    var top = 0

    init(title: String, messages: [ComposedMessage], strings: Strings, onConfirm: @escaping ([ComposedMessage]) -> Void) {
        self.title = title; self.messages = messages; self.strings = strings; self.onConfirm = onConfirm
        ticked = Array(repeating: true, count: messages.count)
    }

    var chosen: [ComposedMessage] { zip(messages, ticked).filter(\.1).map(\.0) }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .up, .char("k"): cursor = max(0, cursor - 1)
        case .down, .char("j"): cursor = min(messages.count - 1, cursor + 1)
        case .pageUp: cursor = max(0, cursor - 10)
        case .pageDown: cursor = min(messages.count - 1, cursor + 10)
        case .home: cursor = 0
        case .end: cursor = messages.count - 1
        case .char(" "): if ticked.indices.contains(cursor) { ticked[cursor].toggle() }
        case .char("a"): let all = !ticked.allSatisfy { $0 }; ticked = Array(repeating: all, count: ticked.count)
        case .enter, .char("y"), .function(2):
            let c = chosen
            guard !c.isEmpty else { return true }
            onConfirm(c); return false
        case .escape, .char("n"), .char("q"): return false
        default: break
        }
        return true
    }

    func draw(on screen: Screen, theme: Theme) {
        let w = min(screen.width - 2, 76)
        let sample = messages.indices.contains(cursor) ? messages[cursor].text : ""
        let preview = Array(sample.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .flatMap { $0.isEmpty ? [""] : wrap(Sanitizer.clean($0), width: w - 4) }.prefix(6))
        let listRows = max(1, min(messages.count, screen.height - 2 - 6 - preview.count))
        let h = min(screen.height - 2, listRows + preview.count + 6)
        let row = (screen.height - h) / 2, col = (screen.width - w) / 2
        screen.fill(row: row, col: col, width: w, height: h, style: theme.dialog)
        Box.draw(on: screen, row: row, col: col, width: w, height: h, title: title, style: theme.dialog, ascii: theme.name == .mono)
        let bold = Style(fg: theme.dialog.fg, bg: theme.dialog.bg, bold: true)
        screen.put(strings.f(.waBulkTicked, chosen.count, messages.count), row: row + 1, col: col + 2, style: bold)
        if cursor < top { top = cursor }
        if cursor >= top + listRows { top = cursor - listRows + 1 }
        for i in 0..<listRows where top + i < messages.count {
            let m = messages[top + i]
            let mark = theme.name == .mono ? (ticked[top + i] ? "[x]" : "[ ]") : (ticked[top + i] ? "[✓]" : "[ ]")
            let line = "\(mark) \(Sanitizer.clean(m.customerName)) · +\(m.phone)"
            screen.put(String(line.prefix(w - 4)), row: row + 2 + i, col: col + 2, style: top + i == cursor ? theme.selected : theme.dialog)
        }
        for (i, l) in preview.enumerated() where row + 3 + listRows + i < row + h - 2 {
            screen.put(l, row: row + 3 + listRows + i, col: col + 2, style: theme.dialog)
        }
        screen.put(strings[.waBulkKeys], row: row + h - 2, col: col + 2, style: bold)
    }
}
