// MARK: - Form model

/// One labelled input of a `Form`.
public struct FormField: Sendable {
    public var label: String
    public var field: TextField
    /// Shown dimmed after the field, or below it when there is no room.
    public var hint: String?
    /// Shown in red in place of the hint.
    public var error: String?
    /// Can be focused and read but not edited.
    public var readOnly: Bool {
        get { field.readOnly }
        set { field.readOnly = newValue }
    }

    public init(label: String, field: TextField = TextField(), hint: String? = nil, readOnly: Bool = false) {
        self.label = label; self.field = field; self.hint = hint
        self.field.readOnly = readOnly
    }

    /// The field's text.
    public var value: String { field.value }
}

/// What a key did to a form.
public enum FormEvent: Sendable, Equatable { case none, submit, cancel }

/// Styles a form is drawn with.
public struct FormStyles: Sendable {
    public var label: Style
    public var field: Style
    public var focusedField: Style
    public var readOnly: Style
    public var error: Style
    public var hint: Style

    public init(label: Style = .plain, field: Style = Style(underline: true), focusedField: Style = Style(reverse: true),
                readOnly: Style = Style(dim: true), error: Style = Style(fg: .red, bold: true), hint: Style = Style(dim: true)) {
        self.label = label; self.field = field; self.focusedField = focusedField
        self.readOnly = readOnly; self.error = error; self.hint = hint
    }
}

// MARK: - Form

/// An ordered set of labelled text fields: Tab/Down/Enter → next, BackTab/Up → previous,
/// Enter on the last field submits, Esc cancels; other keys go to the focused field.
public struct Form: Sendable {
    public var fields: [FormField]
    /// Index of the focused field.
    public var focus: Int

    public init(fields: [FormField], focus: Int = 0) {
        self.fields = fields
        self.focus = fields.isEmpty ? 0 : min(max(0, focus), fields.count - 1)
    }

    /// The value of the field labelled `label`.
    public func value(_ label: String) -> String? { fields.first { $0.label == label }?.field.value }
    /// All values in order.
    public var values: [String] { fields.map(\.field.value) }

    // MARK: - Keys

    /// Applies a key and reports whether the form was submitted or cancelled.
    public mutating func handle(_ key: Key) -> FormEvent {
        guard !fields.isEmpty else { return key == .escape ? .cancel : (key == .enter ? .submit : .none) }
        focus = min(max(0, focus), fields.count - 1)
        switch key {
        case .escape: return .cancel
        case .enter:
            if focus == fields.count - 1 { return .submit }
            focus += 1
        case .tab, .down: focus = (focus + 1) % fields.count
        case .backTab, .up: focus = (focus - 1 + fields.count) % fields.count
        default: _ = fields[focus].field.handle(key)
        }
        return .none
    }

    // MARK: - Drawing

    /// Draws one field per row: label padded to `labelWidth`, then the input; hints/errors follow the
    /// input when `hintWidth` cells fit after it. Returns the number of rows used.
    @discardableResult
    public func draw(on screen: Screen, row: Int, col: Int, width: Int, labelWidth: Int, styles: FormStyles = FormStyles(),
                     fieldWidth: Int? = nil) -> Int {
        let lw = max(0, min(labelWidth, width - 2))
        let inputCol = col + lw + 1
        let room = width - lw - 1
        let fw = max(1, min(fieldWidth ?? room, room))
        for (i, f) in fields.enumerated() {
            let r = row + i
            let focused = i == focus
            var labelStyle = styles.label
            if focused { labelStyle.bold = true }
            screen.put(TextWidth.pad(f.label, to: lw), row: r, col: col, style: labelStyle)
            let style = f.readOnly ? styles.readOnly : (focused ? styles.focusedField : styles.field)
            f.field.draw(on: screen, row: r, col: inputCol, width: fw, style: style, focused: focused && !f.readOnly)
            let after = room - fw - 1
            if after > 0 {
                if let e = f.error, !e.isEmpty {
                    screen.put(TextWidth.truncate(e, to: after), row: r, col: inputCol + fw + 1, style: styles.error)
                } else if let h = f.hint, !h.isEmpty {
                    screen.put(TextWidth.truncate(h, to: after), row: r, col: inputCol + fw + 1, style: styles.hint)
                }
            }
        }
        if fields.indices.contains(focus), fields[focus].readOnly { screen.hideCursor() }
        return fields.count
    }
}
