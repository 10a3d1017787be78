/// A one-line text input: insert, backspace, delete, ←/→, Home/End, Ctrl-U clears.
public struct TextField: Sendable {
    public var value: String
    public var cursor: Int
    public var secure: Bool
    public var maxLength: Int
    public var readOnly: Bool

    public init(value: String = "", secure: Bool = false, maxLength: Int = 255, readOnly: Bool = false) {
        self.value = value; self.secure = secure; self.maxLength = maxLength; self.readOnly = readOnly
        cursor = value.count
    }

    /// Applies a key; true when the field used it.
    public mutating func handle(_ key: Key) -> Bool {
        guard !readOnly else { return false }
        cursor = min(max(0, cursor), value.count)
        switch key {
        case .char(let c):
            guard value.count < maxLength, !c.isNewline else { return true }
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

    /// What is drawn: the value, or one • per character when secure.
    public var shown: String { secure ? String(repeating: "•", count: value.count) : value }

    /// Draws the visible window (scrolling horizontally) and places the cursor when focused.
    public func draw(on screen: Screen, row: Int, col: Int, width: Int, style: Style, focused: Bool) {
        guard width > 0 else { return }
        let chars = Array(shown)
        let c = min(max(0, cursor), chars.count)
        // Scroll so the cursor stays visible.
        var start = 0
        while TextWidth.width(of: String(chars[start..<c])) >= width, start < c { start += 1 }
        let visible = TextWidth.truncate(String(chars[start...]), to: width, ellipsis: false)
        screen.fill(row: row, col: col, width: width, height: 1, style: style)
        screen.put(visible, row: row, col: col, style: style)
        if focused { screen.showCursor(row: row, col: col + TextWidth.width(of: String(chars[start..<c]))) }
    }
}

/// Box drawing.
public enum Box {
    public static func draw(on screen: Screen, row: Int, col: Int, width: Int, height: Int, title: String?, style: Style, ascii: Bool) {
        guard width >= 2, height >= 2 else { return }
        let (h, v, tl, tr, bl, br) = ascii ? ("-", "|", "+", "+", "+", "+") : ("─", "│", "┌", "┐", "└", "┘")
        screen.put(tl + String(repeating: h, count: width - 2) + tr, row: row, col: col, style: style)
        for r in 1..<(height - 1) {
            screen.put(v, row: row + r, col: col, style: style)
            screen.put(v, row: row + r, col: col + width - 1, style: style)
        }
        screen.put(bl + String(repeating: h, count: width - 2) + br, row: row + height - 1, col: col, style: style)
        if let title, !title.isEmpty {
            var t = style; t.bold = true
            screen.put(" " + TextWidth.truncate(title, to: width - 6) + " ", row: row, col: col + 2, style: t)
        }
    }
}

/// A centred yes/no dialog: y/n, Enter (selected), Esc (no), ←/→ select.
public struct ConfirmDialog: Sendable {
    public enum Result: Sendable { case yes, no, none }
    public let title: String
    public let message: String
    public let yesLabel: String
    public let noLabel: String
    public var yesSelected = false

    public init(title: String, message: String, yesLabel: String, noLabel: String) {
        self.title = title; self.message = message; self.yesLabel = yesLabel; self.noLabel = noLabel
    }

    public mutating func handle(_ key: Key) -> Result {
        switch key {
        case .char("y"), .char("Y"): return .yes
        case .char("n"), .char("N"), .escape: return .no
        case .enter: return yesSelected ? .yes : .no
        case .left, .right, .tab, .backTab: yesSelected.toggle(); return .none
        default: return .none
        }
    }

    public func draw(on screen: Screen, style: Style, selectedStyle: Style, ascii: Bool) {
        let w = min(max(TextWidth.width(of: message) + 6, 30), screen.width - 4)
        let lines = wrap(message, width: w - 4)
        let h = lines.count + 5
        let row = (screen.height - h) / 2, col = (screen.width - w) / 2
        screen.fill(row: row, col: col, width: w, height: h, style: style)
        Box.draw(on: screen, row: row, col: col, width: w, height: h, title: title, style: style, ascii: ascii)
        for (i, l) in lines.enumerated() { screen.put(l, row: row + 2 + i, col: col + 2, style: style) }
        let yes = "[ \(yesLabel) (y) ]", no = "[ \(noLabel) (n) ]"
        let bw = TextWidth.width(of: yes) + 2 + TextWidth.width(of: no)
        let bc = col + (w - bw) / 2
        screen.put(yes, row: row + h - 2, col: bc, style: yesSelected ? selectedStyle : style)
        screen.put(no, row: row + h - 2, col: bc + TextWidth.width(of: yes) + 2, style: yesSelected ? style : selectedStyle)
    }
}

/// The htop-style function-key bar: "F1Help  F2…", cut at the screen width.
public enum FunctionBar {
    public static func draw(on screen: Screen, row: Int, items: [(key: String, label: String)], keyStyle: Style, labelStyle: Style) {
        screen.fill(row: row, col: 0, width: screen.width, height: 1, style: labelStyle)
        var col = 0
        for item in items {
            guard col < screen.width else { break }
            screen.put(item.key, row: row, col: col, style: keyStyle)
            col += TextWidth.width(of: item.key)
            let label = TextWidth.pad(item.label, to: TextWidth.width(of: item.label) + 1)
            screen.put(label, row: row, col: col, style: labelStyle)
            col += TextWidth.width(of: label)
        }
    }
}

/// Bar charts with Unicode eighth blocks (ASCII '#' fallback).
public enum BarChart {
    static let blocks: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// `height` lines of vertical bars, one column group per value.
    public static func render(values: [Int], labels: [String], width: Int, height: Int, ascii: Bool) -> [String] {
        guard !values.isEmpty, width > 0, height > 0 else { return [] }
        let maxV = max(1, values.max() ?? 1)
        let barW = max(1, width / values.count - 1)
        var lines: [String] = []
        for level in (0..<height).reversed() {
            var line = ""
            for v in values {
                let eighths = v * height * 8 / maxV
                let cellEighths = min(8, max(0, eighths - level * 8))
                let ch: Character = ascii ? (cellEighths >= 4 ? "#" : " ") : blocks[cellEighths]
                line += String(repeating: ch, count: barW) + " "
            }
            lines.append(String(line.prefix(width)))
        }
        var labelLine = ""
        for l in labels { labelLine += TextWidth.pad(l, to: barW) + " " }
        lines.append(TextWidth.truncate(labelLine, to: width, ellipsis: false))
        return lines
    }
}
