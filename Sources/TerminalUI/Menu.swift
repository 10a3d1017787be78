// MARK: - Menu

/// A vertical list of items with one highlighted; scrolls to keep the selection visible.
public struct Menu: Sendable {
    public var items: [String]
    /// Index of the highlighted item.
    public var selected: Int

    public init(items: [String], selected: Int = 0) {
        self.items = items
        self.selected = items.isEmpty ? 0 : min(max(0, selected), items.count - 1)
    }

    /// ↑/↓ (wrapping), Home/End; true when the key moved the selection.
    public mutating func handle(_ key: Key) -> Bool {
        guard !items.isEmpty else { return false }
        switch key {
        case .up: selected = (selected - 1 + items.count) % items.count
        case .down: selected = (selected + 1) % items.count
        case .home, .pageUp: selected = 0
        case .end, .pageDown: selected = items.count - 1
        default: return false
        }
        return true
    }

    /// Draws the items one per row, each padded to `width` (with a leading space), the selected one in `selectedStyle`.
    public func draw(on screen: Screen, row: Int, col: Int, width: Int, height: Int, style: Style, selectedStyle: Style) {
        Menu.draw(on: screen, row: row, col: col, width: width, height: height, items: items, selected: selected,
                  style: style, selectedStyle: selectedStyle)
    }

    /// Stateless form of `draw`.
    public static func draw(on screen: Screen, row: Int, col: Int, width: Int, height: Int, items: [String], selected: Int,
                            style: Style, selectedStyle: Style) {
        guard width > 0, height > 0 else { return }
        let top = selected >= height ? selected - height + 1 : 0
        for i in 0..<height {
            let index = top + i
            let text = index < items.count ? " " + items[index] : ""
            screen.put(TextWidth.pad(text, to: width), row: row + i, col: col, style: index == selected ? selectedStyle : style)
        }
    }
}
