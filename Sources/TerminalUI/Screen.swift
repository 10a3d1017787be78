/// A terminal colour; `none` is the terminal's default.
public enum TermColor: Int, Sendable { case none, black, red, green, yellow, blue, magenta, cyan, white }

/// Colours and attributes of a cell.
public struct Style: Hashable, Sendable {
    public var fg: TermColor
    public var bg: TermColor
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    public var dim: Bool
    public init(fg: TermColor = .none, bg: TermColor = .none, bold: Bool = false, reverse: Bool = false,
                underline: Bool = false, dim: Bool = false) {
        self.fg = fg; self.bg = bg; self.bold = bold; self.reverse = reverse; self.underline = underline; self.dim = dim
    }
    public static let plain = Style()
}

/// A key press, decoded.
public enum Key: Hashable, Sendable {
    case char(Character)
    case ctrl(Character)
    case enter, tab, backTab, escape, backspace, delete, insert
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
    case resize
}

/// Where frames are drawn: curses in production, `TextScreen` in tests.
public protocol Screen: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// Blanks the whole frame.
    func clear()
    /// Draws `text` at (row, col), sanitised and clipped to the screen, measured in display cells.
    func put(_ text: String, row: Int, col: Int, style: Style)
    /// Blanks a rectangle with a style.
    func fill(row: Int, col: Int, width: Int, height: Int, style: Style)
    func showCursor(row: Int, col: Int)
    func hideCursor()
    /// Makes the frame visible.
    func flush()
    /// Forgets what the terminal shows so the next flush repaints everything (Ctrl-L).
    func redrawAll()
}

/// Where keys come from.
public protocol KeySource: AnyObject {
    /// The next key, or nil after `timeoutMilliseconds`.
    func readKey(timeoutMilliseconds: Int) -> Key?
}

/// Text alignment in a cell range.
public enum Alignment: Sendable { case left, right, center }
