// MARK: - FunctionBar

/// The htop-style function-key bar: "F1Help  F2Setup  …", cut at the screen width.
public enum FunctionBar {
    /// The plain text the bar shows for `items` in `width` cells (what `draw` puts on screen).
    /// Every key stays on the bar: when the labels do not fit, the longest are shortened to a
    /// common length first (F9 and F10 never drop off at 80 columns); a key is never cut.
    public static func layout(items: [(key: String, label: String)], width: Int) -> [(col: Int, key: String, label: String)] {
        let keys = items.map { Sanitizer.clean($0.key) }, labels = items.map { Sanitizer.clean($0.label) }
        let keyRoom = keys.reduce(0) { $0 + TextWidth.width(of: $1) } + 2 * max(0, items.count - 1)
        let room = width - keyRoom
        var cap = labels.map { TextWidth.width(of: $0) }.max() ?? 0
        while cap > 0, labels.reduce(0, { $0 + TextWidth.width(of: shorten($1, to: cap)) }) > room { cap -= 1 }
        var out: [(col: Int, key: String, label: String)] = []
        var col = 0
        for (key, label) in zip(keys, labels) {
            let kw = TextWidth.width(of: key)
            guard col + kw <= width else { break }                   // never show half a key
            let shown = shorten(label, to: min(cap, width - col - kw))
            out.append((col, key, shown))
            col += kw + TextWidth.width(of: shown) + 2
        }
        return out
    }

    /// A label in at most `cap` cells by whole words ("Keluar akun" → "Keluar"), never cut
    /// after a word ("Muat ula", issue 13 item 2); only a first word longer than `cap` is cut
    /// (ten keys in 80 columns leave about four cells a label).
    static func shorten(_ label: String, to cap: Int) -> String {
        guard TextWidth.width(of: label) > cap else { return label }
        guard cap > 0 else { return "" }
        var out = ""
        for word in label.split(separator: " ") {
            let next = out.isEmpty ? String(word) : out + " " + word
            if TextWidth.width(of: next) > cap { break }
            out = next
        }
        return out.isEmpty ? TextWidth.truncate(label, to: cap, ellipsis: false) : out
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
