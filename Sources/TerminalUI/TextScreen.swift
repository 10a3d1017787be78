/// An in-memory screen: tests render into it and read it back as text.
public final class TextScreen: Screen {
    struct Cell: Equatable {
        var text: String      // "" = continuation of a wide character
        var style: Style
    }
    public private(set) var width: Int
    public private(set) var height: Int
    var cells: [[Cell]]
    public private(set) var flushCount = 0
    public private(set) var cursor: (row: Int, col: Int)?

    public init(width: Int, height: Int) {
        self.width = width; self.height = height
        cells = Array(repeating: Array(repeating: Cell(text: " ", style: .plain), count: width), count: height)
    }

    public func resize(width: Int, height: Int) {
        self.width = width; self.height = height
        cells = Array(repeating: Array(repeating: Cell(text: " ", style: .plain), count: width), count: height)
    }

    public func clear() {
        for r in 0..<height { for c in 0..<width { cells[r][c] = Cell(text: " ", style: .plain) } }
    }

    public func put(_ text: String, row: Int, col: Int, style: Style) {
        guard row >= 0, row < height, col < width else { return }
        var c = col
        for ch in Sanitizer.clean(text) {
            let w = TextWidth.width(of: ch)
            if w == 0 { continue }
            if c >= width { break }
            if c < 0 { c += w; continue }
            if c + w > width { set(row, c, Cell(text: " ", style: style)); break }
            set(row, c, Cell(text: String(ch), style: style))
            if w == 2 { set(row, c + 1, Cell(text: "", style: style)) }
            c += w
        }
    }

    /// Writes a cell, blanking the other half of any wide character it overlaps.
    func set(_ r: Int, _ c: Int, _ cell: Cell) {
        if cells[r][c].text.isEmpty, c > 0 { cells[r][c - 1] = Cell(text: " ", style: cells[r][c - 1].style) }
        if c + 1 < width, cells[r][c + 1].text.isEmpty, cell.text.isEmpty == false {
            // old wide char starting here loses its continuation
            cells[r][c + 1] = Cell(text: " ", style: cells[r][c + 1].style)
        }
        cells[r][c] = cell
    }

    public func fill(row: Int, col: Int, width w: Int, height h: Int, style: Style) {
        for r in max(0, row)..<min(height, row + h) {
            for c in max(0, col)..<min(width, col + w) { set(r, c, Cell(text: " ", style: style)) }
        }
    }

    public func showCursor(row: Int, col: Int) { cursor = (row, col) }
    public func hideCursor() { cursor = nil }
    public func flush() { flushCount += 1 }
    public private(set) var redrawCount = 0
    public func redrawAll() { redrawCount += 1 }

    /// The row's text with trailing spaces trimmed.
    public func line(_ row: Int) -> String {
        var s = cells[row].map(\.text).joined()
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }

    public var lines: [String] { (0..<height).map(line) }
    public var text: String { lines.joined(separator: "\n") }
    public func style(row: Int, col: Int) -> Style { cells[row][col].style }
    public func contains(_ s: String) -> Bool { lines.contains { $0.contains(s) } }
}
