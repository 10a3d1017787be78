import TerminalUI

/// A column of a pane's list: its width, whether it is a whole value never cut (`whole`:
/// money, dates, statuses, codes; every right-aligned column counts as a number), flexible (names: the rest of the width), or plain text
/// of a set width; priority (lower = dropped first when narrow).
struct ListColumn {
    let title: String
    let width: Int
    let flexible: Bool
    let whole: Bool
    let priority: Int
    let align: Alignment
    init(_ title: String, _ width: Int, flexible: Bool = false, whole: Bool = false, priority: Int = 5, align: Alignment = .left) {
        self.title = title; self.width = width; self.flexible = flexible; self.whole = whole; self.priority = priority; self.align = align
    }

    /// Right-aligned columns hold numbers (money, counts, days, %): whole, like `whole` ones.
    var spec: ColumnSpec {
        ColumnSpec(title, flexible ? .flexible : (whole || align == .right) ? .fixed : .text, width: width, priority: priority, align: align)
    }
}

/// Pure layout through TerminalUI's `ColumnPolicy`: whole columns at their full measured
/// width first, flexible ones share the rest, whole columns dropped by priority when narrow.
enum ListLayout {
    static func fit(_ columns: [ListColumn], cells: [[String]] = [], width: Int) -> [(index: Int, width: Int)] {
        ColumnPolicy.fit(columns.map(\.spec), cells: cells, width: width)
    }

    /// Draws one row of cells at (row, col) with the fitted widths.
    static func draw(_ cells: [String], layout: [(index: Int, width: Int)], columns: [ListColumn], on screen: Screen,
                     row: Int, col: Int, width: Int, style: Style) {
        screen.put(ColumnPolicy.line(cells, layout: layout, columns: columns.map(\.spec), width: width), row: row, col: col, style: style)
    }
}
