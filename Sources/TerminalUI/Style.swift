// MARK: - Colours and styles

/// A terminal colour; `none` is the terminal's default.
public enum TermColor: Int, Sendable, CaseIterable { case none, black, red, green, yellow, blue, magenta, cyan, white }

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

    /// Default colours, no attributes.
    public static let plain = Style()
}

// MARK: - Keys

/// A key press, decoded.
public enum Key: Hashable, Sendable {
    /// A printable character.
    case char(Character)
    /// Ctrl-A … Ctrl-Z as the lowercase letter ('l' for Ctrl-L); never tab, enter or backspace.
    case ctrl(Character)
    case enter, tab, backTab, escape, backspace, delete, insert
    case up, down, left, right, home, end, pageUp, pageDown
    /// F1…F12.
    case function(Int)
    /// The terminal changed size.
    case resize
}

// MARK: - Alignment

/// Text alignment in a cell range.
public enum Alignment: Sendable { case left, right, center }
