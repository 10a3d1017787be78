/// One column of a list, as the column policy sees it.
public struct ColumnSpec: Sendable, Equatable {
    /// Fixed columns (money, dates, statuses, codes) are never cut: they get the width of
    /// their widest cell and title. Text columns have their `width` and may end in "…";
    /// flexible ones (names) take what is left, at least `width`.
    public enum Kind: Sendable, Equatable { case fixed, text, flexible }
    public let title: String
    public let kind: Kind
    /// Fixed: the least width; text: the width; flexible: the least width worth showing.
    public let width: Int
    /// Lower is dropped first when the row does not fit.
    public let priority: Int
    public let align: Alignment

    public init(_ title: String, _ kind: Kind, width: Int, priority: Int = 5, align: Alignment = .left) {
        self.title = title; self.kind = kind; self.width = width; self.priority = priority; self.align = align
    }
}

/// The column policy (pure): fixed columns are laid out first at their full width, measured
/// with `TextWidth` (wide CJK, combining marks, emoji); flexible columns share what is left;
/// when that is not enough, whole columns go, lowest priority first. So a number, a date or a
/// status is never cut; only a name may end in "…".
public enum ColumnPolicy {
    /// Which columns are shown and how wide each is, for `cells` (the visible rows) in `width`
    /// cells with one space between columns.
    /// Flexible columns are dropped only when no other column is left to drop. Indices are into `columns`, in their order.
    public static func fit(_ columns: [ColumnSpec], cells: [[String]] = [], width: Int) -> [(index: Int, width: Int)] {
        let need: [Int] = columns.indices.map { i in
            let c = columns[i]
            guard c.kind == .fixed else { return max(1, c.width) }
            let widest = cells.reduce(0) { m, row in i < row.count ? max(m, TextWidth.width(of: row[i])) : m }
            return max(c.width, TextWidth.width(of: c.title), widest)
        }
        var keep = Array(columns.indices)
        func total(_ idx: [Int]) -> Int { idx.reduce(0) { $0 + need[$1] } + max(0, idx.count - 1) }
        while total(keep) > width, keep.count > 1 {
            // the lowest priority goes (flexible columns last); on a tie, the first of them
            func lower(_ a: Int, _ b: Int) -> Bool { columns[a].priority < columns[b].priority }
            let drop = keep.filter { columns[$0].kind != .flexible }.min(by: lower) ?? keep.min(by: lower)!
            keep.removeAll { $0 == drop }
        }
        let spare = max(0, width - total(keep))
        let flex = keep.filter { columns[$0].kind == .flexible }
        return keep.map { i in
            var w = need[i]
            if let f = flex.firstIndex(of: i) { w += spare / flex.count + (f < spare % flex.count ? 1 : 0) }
            return (i, min(w, max(1, width)))
        }
    }

    /// One row's text in the fitted layout (cells padded, flexible ones cut with "…"), `width` wide.
    public static func line(_ cells: [String], layout: [(index: Int, width: Int)], columns: [ColumnSpec], width: Int) -> String {
        var line = ""
        for (n, c) in layout.enumerated() {
            if n > 0 { line += " " }
            line += TextWidth.pad(c.index < cells.count ? cells[c.index] : "", to: c.width, align: columns[c.index].align)
        }
        return TextWidth.pad(line, to: width)
    }

    /// Joins `parts` with `separator` and drops whole parts from the end (lowest importance
    /// last in the array) until the text fits `width`: never a number or word cut in half.
    /// When the first part alone is too wide, it ends at a word boundary with "…".
    public static func shorten(_ parts: [String], separator: String = " · ", width: Int) -> String {
        var keep = parts.filter { !$0.isEmpty }
        while keep.count > 1, TextWidth.width(of: keep.joined(separator: separator)) > width { keep.removeLast() }
        return words(keep.joined(separator: separator), width: width)
    }

    /// `text` in `width` cells, cut after the last whole word that fits (then "…"); a single
    /// word wider than `width` is cut with "…" as a last resort.
    public static func words(_ text: String, width: Int) -> String {
        guard TextWidth.width(of: text) > width else { return text }
        guard width > 1 else { return TextWidth.truncate(text, to: width) }
        var out = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let next = out.isEmpty ? String(word) : out + " " + word
            if TextWidth.width(of: next) + 1 > width { break }
            out = next
        }
        while out.hasSuffix(" ") || out.hasSuffix("·") { out.removeLast() }
        return out.isEmpty ? TextWidth.truncate(text, to: width) : out + "…"
    }
}
