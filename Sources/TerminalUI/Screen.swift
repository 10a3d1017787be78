// MARK: - Screen

/// Where frames are drawn: curses in production, `TextScreen` in tests.
public protocol Screen: AnyObject {
    /// Columns.
    var width: Int { get }
    /// Rows.
    var height: Int { get }
    /// Blanks the whole screen with the plain style.
    func clear()
    /// Draws `text` at (row, col) clipped to the screen width; `text` is sanitised first
    /// (`Sanitizer.clean`) and measured in display cells.
    func put(_ text: String, row: Int, col: Int, style: Style)
    /// Blanks a rectangle with a style.
    func fill(row: Int, col: Int, width: Int, height: Int, style: Style)
    /// Places a visible cursor (for text fields).
    func showCursor(row: Int, col: Int)
    /// Hides the cursor.
    func hideCursor()
    /// Makes the frame visible.
    func flush()
    /// Forgets what the terminal shows so the next flush repaints everything (Ctrl-L).
    func redrawAll()
}

extension Screen {
    /// Default: nothing to forget.
    public func redrawAll() {}
}

// MARK: - Keys

/// Where keys come from.
public protocol KeySource: AnyObject {
    /// The next key, or nil after `timeoutMilliseconds`.
    func readKey(timeoutMilliseconds: Int) -> Key?
}
