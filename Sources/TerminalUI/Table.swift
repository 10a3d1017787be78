// MARK: - Table model

/// One column of a `Table`: a fixed width in cells, or nil to share the remaining width.
public struct TableColumn: Sendable {
    public var title: String
    public var width: Int?
    public var align: Alignment

    public init(_ title: String, width: Int? = nil, align: Alignment = .left) {
        self.title = title; self.width = width; self.align = align
    }
    public init(title: String, width: Int? = nil, align: Alignment = .left) {
        self.init(title, width: width, align: align)
    }
}

/// Styles a table is drawn with.
public struct TableStyles: Sendable {
    public var header: Style
    public var row: Style
    public var selected: Style
    public init(header: Style = Style(bold: true, underline: true), row: Style = .plain, selected: Style = Style(reverse: true)) {
        self.header = header; self.row = row; self.selected = selected
    }
}

// MARK: - Table

/// A scrolling table with a header row and one selected row.
public struct Table {
    public var columns: [TableColumn]
    public var rows: [[String]] { didSet { clampSelection() } }
    /// Index of the selected row (0 when empty).
    public var selected: Int
    /// Index of the first row shown.
    public var top: Int
    /// Optional style for a row (index, isSelected) → style; nil keeps the default.
    public var rowStyle: ((Int, Bool) -> Style?)?
    /// Cells between columns.
    public var gap: Int

    public init(columns: [TableColumn], rows: [[String]] = [], selected: Int = 0, gap: Int = 1,
                rowStyle: ((Int, Bool) -> Style?)? = nil) {
        self.columns = columns; self.rows = rows; self.selected = selected; self.top = 0
        self.gap = gap; self.rowStyle = rowStyle
        clampSelection()
    }

    mutating func clampSelection() {
        selected = rows.isEmpty ? 0 : min(max(0, selected), rows.count - 1)
        top = min(max(0, top), max(0, rows.count - 1))
    }

    // MARK: - Keys

    /// Moves the selection (↑ ↓ PgUp PgDn Home End); true when the key was a movement key.
    public mutating func handle(_ key: Key, pageSize: Int) -> Bool {
        let page = max(1, pageSize)
        let last = max(0, rows.count - 1)
        switch key {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(last, selected + 1)
        case .pageUp: selected = max(0, selected - page)
        case .pageDown: selected = min(last, selected + page)
        case .home: selected = 0
        case .end: selected = last
        default: return false
        }
        scrollToSelection(visibleRows: page)
        return true
    }

    /// Adjusts `top` so the selected row is among `visibleRows` rows.
    public mutating func scrollToSelection(visibleRows: Int) {
        let v = max(1, visibleRows)
        if selected < top { top = selected }
        if selected >= top + v { top = selected - v + 1 }
        top = max(0, min(top, max(0, rows.count - v)))
    }

    // MARK: - Layout

    /// Widths of the columns for a total `width`: fixed columns keep theirs, flexible ones share
    /// what is left (the first ones get the remainder); everything shrinks from the right if too narrow.
    public func columnWidths(for width: Int) -> [Int] {
        guard !columns.isEmpty else { return [] }
        let gaps = gap * (columns.count - 1)
        let fixed = columns.compactMap(\.width).reduce(0, +)
        let flexCount = columns.filter { $0.width == nil }.count
        let spare = max(0, width - gaps - fixed)
        var widths = columns.map { $0.width ?? 0 }
        if flexCount > 0 {
            var k = 0
            for i in columns.indices where columns[i].width == nil {
                widths[i] = spare / flexCount + (k < spare % flexCount ? 1 : 0); k += 1
            }
        }
        // Too narrow: cut columns from the right.
        var excess = widths.reduce(0, +) + gaps - width
        var i = widths.count - 1
        while excess > 0, i >= 0 {
            let cut = min(excess, widths[i]); widths[i] -= cut; excess -= cut; i -= 1
        }
        return widths
    }

    /// One row of cells laid out to `widths`, separated by `gap` spaces.
    func format(_ cells: [String], widths: [Int]) -> String {
        var out = ""
        for (i, w) in widths.enumerated() {
            if i > 0 { out += String(repeating: " ", count: gap) }
            out += TextWidth.pad(i < cells.count ? Sanitizer.clean(cells[i]) : "", to: w, align: columns[i].align)
        }
        return out
    }

    // MARK: - Drawing

    /// Draws the header then as many rows as fit in `height - 1`, keeping the selection visible.
    public func draw(on screen: Screen, row: Int, col: Int, width: Int, height: Int, styles: TableStyles = TableStyles()) {
        guard width > 0, height > 0 else { return }
        let widths = columnWidths(for: width)
        screen.fill(row: row, col: col, width: width, height: height, style: styles.row)
        screen.put(TextWidth.pad(format(columns.map(\.title), widths: widths), to: width), row: row, col: col, style: styles.header)
        let visible = height - 1
        guard visible > 0 else { return }
        var view = self
        view.scrollToSelection(visibleRows: visible)   // `top` as drawn; call scrollToSelection to keep it
        for i in 0..<visible {
            let index = view.top + i
            guard index < rows.count else { break }
            let isSelected = index == selected
            let style = rowStyle?(index, isSelected) ?? (isSelected ? styles.selected : styles.row)
            screen.put(TextWidth.pad(format(rows[index], widths: widths), to: width), row: row + 1 + i, col: col, style: style)
        }
    }
}
