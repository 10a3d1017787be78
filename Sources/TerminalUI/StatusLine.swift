// MARK: - StatusLine

/// A one-row status or message line across the whole screen width.
public enum StatusLine {
    /// Fills `row` with `style` and draws `text` (truncated with "…"), plus optional right-aligned text.
    public static func draw(on screen: Screen, row: Int, text: String, style: Style, right: String? = nil) {
        let w = screen.width
        guard w > 0 else { return }
        screen.fill(row: row, col: 0, width: w, height: 1, style: style)
        var room = w
        if let right, !right.isEmpty {
            let r = TextWidth.truncate(Sanitizer.clean(right), to: max(0, w / 2))
            let rw = TextWidth.width(of: r)
            screen.put(r, row: row, col: w - rw, style: style)
            room = w - rw - 1
        }
        screen.put(TextWidth.truncate(Sanitizer.clean(text), to: room), row: row, col: 0, style: style)
    }
}

// MARK: - FunctionBar

/// The htop-style function-key bar: "F1Help  F2Setup  …", cut at the screen width.
public enum FunctionBar {
    /// The plain text the bar shows for `items` in `width` cells (what `draw` puts on screen).
    public static func layout(items: [(key: String, label: String)], width: Int) -> [(col: Int, key: String, label: String)] {
        var out: [(col: Int, key: String, label: String)] = []
        var col = 0
        for item in items {
            let key = Sanitizer.clean(item.key), label = Sanitizer.clean(item.label)
            let kw = TextWidth.width(of: key)
            guard col + kw <= width else { break }                   // never show half a key
            let room = width - col - kw
            let shown = TextWidth.truncate(label, to: room)
            out.append((col, key, shown))
            col += kw + TextWidth.width(of: shown) + 2
            if TextWidth.width(of: shown) < TextWidth.width(of: label) { break }
        }
        return out
    }

    /// Fills `row` with the label style and draws each key in `keyStyle` followed by its label.
    public static func draw(on screen: Screen, row: Int, items: [(key: String, label: String)], keyStyle: Style, labelStyle: Style) {
        screen.fill(row: row, col: 0, width: screen.width, height: 1, style: labelStyle)
        for item in layout(items: items, width: screen.width) {
            screen.put(item.key, row: row, col: item.col, style: keyStyle)
            screen.put(item.label, row: row, col: item.col + TextWidth.width(of: item.key), style: labelStyle)
        }
    }
}
