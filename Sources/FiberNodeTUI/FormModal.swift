import Foundation
import TerminalUI

/// One field of a `FormModal`: free text, a secret, or a choice among options (←/→ cycles).
struct FormFieldSpec {
    var label: String
    var field: TextField
    var readOnly: Bool = false
    /// For choice fields: (value, label) pairs; the TextField then holds the chosen value.
    var options: [(value: String, label: String)]? = nil
    var hint: String? = nil

    init(_ label: String, value: String = "", secure: Bool = false, readOnly: Bool = false, maxLength: Int = 255,
         options: [(value: String, label: String)]? = nil, hint: String? = nil) {
        self.label = label
        self.field = TextField(value: value, secure: secure, maxLength: maxLength)
        self.readOnly = readOnly
        self.options = options
        self.hint = hint
    }

    var value: String { field.value }

    var display: String {
        if let options, let o = options.first(where: { $0.value == field.value }) { return "◂ " + o.label + " ▸" }
        return field.value
    }
}

/// A modal form: Tab/↓/Enter move on, Enter on the last field (or F2) submits, Esc cancels.
/// `onSubmit` gets the values and returns an error message to stay open, or nil to close.
final class FormModal: Modal {
    let title: String
    var fields: [FormFieldSpec]
    var focus: Int
    var error: String?
    let strings: Strings
    let onSubmit: ([String]) -> String?
    let width: Int
    /// Called after a choice field changed (index of the field), e.g. to follow the chosen
    /// format in a proposed file name.
    var onChoice: ((Int, inout [FormFieldSpec]) -> Void)?

    init(title: String, fields: [FormFieldSpec], strings: Strings, width: Int = 72, onSubmit: @escaping ([String]) -> String?) {
        self.title = title; self.fields = fields; self.strings = strings; self.onSubmit = onSubmit; self.width = width
        focus = fields.firstIndex { !$0.readOnly } ?? 0
    }

    var values: [String] { fields.map(\.value) }

    func move(_ delta: Int) {
        guard fields.contains(where: { !$0.readOnly }) else { return }
        var i = focus
        repeat { i = (i + delta + fields.count) % fields.count } while fields[i].readOnly
        focus = i
    }

    var lastEditable: Int { fields.lastIndex { !$0.readOnly } ?? 0 }

    func submit() -> Bool {
        if let message = onSubmit(values) { error = message; return true }
        return false
    }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .escape: return false
        case .function(2): return submit()
        case .tab, .down: move(1)
        case .backTab, .up: move(-1)
        case .enter:
            if focus == lastEditable { return submit() }
            move(1)
        case .left where fields[focus].options != nil, .right where fields[focus].options != nil:
            let opts = fields[focus].options!
            guard !opts.isEmpty else { return true }
            let cur = opts.firstIndex { $0.value == fields[focus].field.value } ?? 0
            let next = (cur + (key == .left ? -1 : 1) + opts.count) % opts.count
            fields[focus].field = TextField(value: opts[next].value, maxLength: 255)
            onChoice?(focus, &fields)
        default:
            if fields[focus].options == nil, !fields[focus].readOnly { _ = fields[focus].field.handle(key) }
        }
        return true
    }

    func draw(on screen: Screen, theme: Theme) {
        let labelW = min(24, (fields.map { TextWidth.width(of: $0.label) }.max() ?? 10) + 2)
        let w = min(width, screen.width - 2)
        let h = min(screen.height - 2, fields.count + 6)
        let row = max(0, (screen.height - h) / 2), col = max(0, (screen.width - w) / 2)
        screen.fill(row: row, col: col, width: w, height: h, style: theme.dialog)
        Box.draw(on: screen, row: row, col: col, width: w, height: h, title: title, style: theme.dialog, ascii: false)
        let fieldW = w - labelW - 5
        // Scroll so the focused field is visible.
        let visible = h - 6
        let first = max(0, min(focus - visible + 1, fields.count - visible))
        var cursorDraw: (() -> Void)?
        for (i, spec) in fields.enumerated().dropFirst(first).prefix(visible) {
            let r = row + 1 + (i - first)
            screen.put(spec.label, row: r, col: col + 2, style: theme.dialog)
            if spec.readOnly {
                // Marked in words, not only dim: SSH clients that ignore dim still show it is fixed
                // (issue 13 item 8).
                let mark = " " + strings[.formReadOnlyMark]
                let room = max(0, fieldW - TextWidth.width(of: mark))
                screen.put(TextWidth.pad(TextWidth.truncate(spec.display, to: room), to: room) + mark, row: r, col: col + 2 + labelW,
                           style: theme.fieldReadOnly)
            } else if spec.options != nil {
                screen.put(TextWidth.pad(spec.display, to: fieldW), row: r, col: col + 2 + labelW,
                           style: i == focus ? theme.fieldFocused : theme.field)
            } else if i == focus {
                cursorDraw = { spec.field.draw(on: screen, row: r, col: col + 2 + labelW, width: fieldW, style: theme.fieldFocused, focused: true) }
            } else {
                spec.field.draw(on: screen, row: r, col: col + 2 + labelW, width: fieldW, style: theme.field, focused: false)
            }
        }
        if let hint = fields[focus].hint { screen.put(TextWidth.truncate(hint, to: w - 4), row: row + h - 4, col: col + 2, style: theme.dialog) }
        if let error { screen.put(TextWidth.truncate(error, to: w - 4), row: row + h - 3, col: col + 2, style: theme.statusError) }
        // The keys shorten by whole parts on a narrow screen, never mid-word (issue 13 item 2).
        screen.put(ColumnPolicy.shorten(strings[.formKeys].components(separatedBy: " · "), width: w - 4), row: row + h - 2, col: col + 2,
                   style: theme.dialog)
        cursorDraw?()
    }
}
