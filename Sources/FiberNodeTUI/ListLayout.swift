import TerminalUI

/// A column of a pane's list: fixed width (or flexible), priority (lower = dropped first when narrow).
struct ListColumn {
    let title: String
    let width: Int
    let flexible: Bool
    let priority: Int
    let align: Alignment
    init(_ title: String, _ width: Int, flexible: Bool = false, priority: Int = 5, align: Alignment = .left) {
        self.title = title; self.width = width; self.flexible = flexible; self.priority = priority; self.align = align
    }
}

/// Pure layout: which columns fit in `width` and how wide each is (flexible ones share the rest).
enum ListLayout {
    static func fit(_ columns: [ListColumn], width: Int) -> [(index: Int, width: Int)] {
        var keep = Array(columns.indices)
        func needed(_ idx: [Int]) -> Int { idx.reduce(0) { $0 + columns[$1].width } + max(0, idx.count - 1) }
        while needed(keep) > width, keep.count > 1 {
            let drop = keep.filter { !columns[$0].flexible }.min { columns[$0].priority < columns[$1].priority }
                ?? keep.min { columns[$0].priority < columns[$1].priority }!
            keep.removeAll { $0 == drop }
        }
        let spare = max(0, width - needed(keep))
        let flex = keep.filter { columns[$0].flexible }
        return keep.map { i in
            var w = columns[i].width
            if let f = flex.firstIndex(of: i) { w += spare / flex.count + (f < spare % flex.count ? 1 : 0) }
            return (i, w)
        }
    }

    /// Draws one row of cells at (row, col) with the fitted widths.
    static func draw(_ cells: [String], layout: [(index: Int, width: Int)], columns: [ListColumn], on screen: Screen,
                     row: Int, col: Int, width: Int, style: Style) {
        var line = ""
        for (n, c) in layout.enumerated() {
            if n > 0 { line += " " }
            line += TextWidth.pad(c.index < cells.count ? cells[c.index] : "", to: c.width, align: columns[c.index].align)
        }
        screen.put(TextWidth.pad(line, to: width), row: row, col: col, style: style)
    }
}
