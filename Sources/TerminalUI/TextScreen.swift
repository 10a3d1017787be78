// MARK: - TextScreen

/// An in-memory screen: tests render into it and read it back as text.
public final class TextScreen: Screen {
    /// One cell; `text` is "" for the continuation half of a wide character.
    struct Cell: Equatable {
        var text: String
        var style: Style
        static let blank = Cell(text: " ", style: .plain)
        var isContinuation: Bool { text.isEmpty }
    }

    public private(set) var width: Int
    public private(set) var height: Int
    var cells: [[Cell]]
    public private(set) var flushCount = 0
    public private(set) var redrawCount = 0
    public private(set) var cursor: (row: Int, col: Int)?

    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: Array(repeating: .blank, count: self.width), count: self.height)
    }

    /// Changes the size, keeping what fits (a wide character cut by the new edge becomes a blank).
    public func resize(width: Int, height: Int) {
        let old = cells
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: Array(repeating: .blank, count: self.width), count: self.height)
        for r in 0..<min(old.count, self.height) {
            for c in 0..<min(old[r].count, self.width) { cells[r][c] = old[r][c] }
            if self.width > 0, self.width < old[r].count, old[r][self.width].isContinuation {
                cells[r][self.width - 1] = Cell(text: " ", style: old[r][self.width - 1].style)
            }
        }
        if let c = cursor, c.row >= self.height || c.col >= self.width { cursor = nil }
    }

    // MARK: - Drawing

    public func clear() {
        for r in 0..<height { for c in 0..<width { cells[r][c] = .blank } }
    }

    public func put(_ text: String, row: Int, col: Int, style: Style) {
        guard row >= 0, row < height, col < width else { return }
        var c = col
        var last: Int? = nil        // column of the last character written, for stray combining marks
        for ch in Sanitizer.clean(text) {
            if c >= width { break }
            let w = TextWidth.width(of: ch)
            if w == 0 {
                if let l = last { cells[row][l].text.append(contentsOf: String(ch)) }
                continue
            }
            if c < 0 {
                if c + w > 0 { write(row, 0, Cell(text: " ", style: style)) }   // right half of a wide char at the edge
                c += w; continue
            }
            if c + w > width { write(row, c, Cell(text: " ", style: style)); break }
            write(row, c, Cell(text: String(ch), style: style))
            if w == 2 { write(row, c + 1, Cell(text: "", style: style)) }
            last = c
            c += w
        }
    }

    /// Writes a cell, blanking the other half of any wide character it overlaps.
    func write(_ r: Int, _ c: Int, _ cell: Cell) {
        let old = cells[r][c]
        if old.isContinuation, c > 0, !cells[r][c - 1].isContinuation {
            cells[r][c - 1] = Cell(text: " ", style: cells[r][c - 1].style)
        }
        if !old.isContinuation, c + 1 < width, cells[r][c + 1].isContinuation {
            cells[r][c + 1] = Cell(text: " ", style: cells[r][c + 1].style)
        }
        cells[r][c] = cell
    }

    public func fill(row: Int, col: Int, width w: Int, height h: Int, style: Style) {
        let r0 = max(0, row), r1 = min(height, row + h)
        let c0 = max(0, col), c1 = min(width, col + w)
        guard r0 < r1, c0 < c1 else { return }
        for r in r0..<r1 { for c in c0..<c1 { write(r, c, Cell(text: " ", style: style)) } }
    }

    public func showCursor(row: Int, col: Int) { cursor = (row, col) }
    public func hideCursor() { cursor = nil }
    public func flush() { flushCount += 1 }
    public func redrawAll() { redrawCount += 1 }

    // MARK: - Reading back

    /// The row's text with trailing spaces trimmed; a wide character appears once. "" outside the screen.
    public func line(_ row: Int) -> String {
        guard row >= 0, row < height else { return "" }
        var s = cells[row].map(\.text).joined()
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }

    /// Every row, trimmed.
    public var lines: [String] { (0..<height).map(line) }
    /// The rows joined by "\n".
    public var text: String { lines.joined(separator: "\n") }
    /// The style of one cell (plain outside the screen).
    public func style(row: Int, col: Int) -> Style {
        guard row >= 0, row < height, col >= 0, col < width else { return .plain }
        return cells[row][col].style
    }
    /// True when some row contains `s`.
    public func contains(_ s: String) -> Bool { lines.contains { $0.contains(s) } }
}
