// MARK: - TextField

/// A one-line text input: insert, backspace, delete, ←/→, Home/End (Ctrl-A/Ctrl-E), Ctrl-U clears.
public struct TextField: Sendable {
    /// The text being edited.
    public var value: String
    /// Insertion point, in characters (0…value.count).
    public var cursor: Int
    /// Draws one '•' per character instead of the value.
    public var secure: Bool
    /// Most characters accepted.
    public var maxLength: Int
    /// Rejects every edit (keys are not consumed).
    public var readOnly: Bool

    public init(value: String = "", secure: Bool = false, maxLength: Int = 255, readOnly: Bool = false) {
        self.value = value; self.secure = secure; self.maxLength = maxLength; self.readOnly = readOnly
        cursor = value.count
    }

    // MARK: - Keys

    /// Applies a key; true when the field used it.
    public mutating func handle(_ key: Key) -> Bool {
        guard !readOnly else { return false }
        cursor = min(max(0, cursor), value.count)
        switch key {
        case .char(let c):
            // Only printable text: a pasted control character or escape never enters the value.
            guard Sanitizer.clean(String(c)) == String(c), TextWidth.width(of: c) > 0 else { return true }
            guard value.count < maxLength else { return true }
            value.insert(c, at: value.index(value.startIndex, offsetBy: cursor)); cursor += 1
        case .backspace:
            guard cursor > 0 else { return true }
            value.remove(at: value.index(value.startIndex, offsetBy: cursor - 1)); cursor -= 1
        case .delete:
            guard cursor < value.count else { return true }
            value.remove(at: value.index(value.startIndex, offsetBy: cursor))
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(value.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = value.count
        case .ctrl("u"): value = ""; cursor = 0
        default: return false
        }
        return true
    }

    /// Replaces the value and puts the cursor at its end.
    public mutating func set(_ newValue: String) {
        value = String(newValue.prefix(maxLength)); cursor = value.count
    }

    // MARK: - Drawing

    /// What is drawn: the value, or one '•' per character when secure.
    public var shown: String { secure ? String(repeating: "•", count: value.count) : value }

    /// Draws the visible window (scrolling horizontally so the cursor stays visible) and places the
    /// cursor when focused.
    public func draw(on screen: Screen, row: Int, col: Int, width: Int, style: Style, focused: Bool) {
        guard width > 0 else { return }
        let chars = Array(Sanitizer.clean(shown))
        let c = min(max(0, cursor), chars.count)
        // Leftmost character shown: back off from the cursor while it still fits (one cell kept for it).
        var start = c, used = 0
        while start > 0 {
            let w = TextWidth.width(of: chars[start - 1])
            if used + w > width - 1 { break }
            used += w; start -= 1
        }
        let visible = TextWidth.truncate(String(chars[start...]), to: width, ellipsis: false)
        screen.fill(row: row, col: col, width: width, height: 1, style: style)
        screen.put(visible, row: row, col: col, style: style)
        if focused { screen.showCursor(row: row, col: col + used) }
    }
}
