import TerminalUI

/// The one modal frame: centred, filled with the dialog colour, a box (ASCII on vt100 and the
/// mono theme) with the title in its top edge and an optional hint on its last inner line.
enum ModalFrame {
    /// True when frames are drawn in ASCII (the mono theme; vt100/dumb pass `ascii: true`).
    static func ascii(_ theme: Theme, _ ascii: Bool = false) -> Bool { ascii || theme.name == .mono }

    /// Draws a `width`×`height` frame (clamped to the screen, centred) and returns the inside:
    /// one column of margin each side, the hint line excluded.
    @discardableResult
    static func draw(on screen: Screen, title: String, width: Int, height: Int, theme: Theme, ascii: Bool = false,
                     hint: String? = nil) -> Rect {
        let w = max(8, min(width, screen.width - 2)), h = max(3, min(height, screen.height - 2))
        let row = max(0, (screen.height - h) / 2), col = max(0, (screen.width - w) / 2)
        Box.drawFilled(on: screen, row: row, col: col, width: w, height: h, title: Sanitizer.clean(title), style: theme.dialog,
                       ascii: self.ascii(theme, ascii))
        if let hint, h >= 4 {
            screen.put(ColumnPolicy.shorten(hint.components(separatedBy: " · "), width: w - 4), row: row + h - 2, col: col + 2,
                       style: theme.dialog)
        }
        return Rect(row: row + 1, col: col + 2, width: w - 4, height: h - 2 - (hint == nil ? 0 : 1))
    }
}
