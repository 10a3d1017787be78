// MARK: - Box

/// Box drawing with Unicode line characters (┌─┐│└┘) or an ASCII fallback (+-|).
public enum Box {
    /// Draws the frame of a `width`×`height` box with an optional title in the top edge; the inside is untouched.
    public static func draw(on screen: Screen, row: Int, col: Int, width: Int, height: Int, title: String? = nil,
                            style: Style, ascii: Bool = false) {
        guard width >= 2, height >= 2 else { return }
        let (h, v, tl, tr, bl, br) = ascii ? ("-", "|", "+", "+", "+", "+") : ("─", "│", "┌", "┐", "└", "┘")
        screen.put(tl + String(repeating: h, count: width - 2) + tr, row: row, col: col, style: style)
        for r in 1..<(height - 1) {
            screen.put(v, row: row + r, col: col, style: style)
            screen.put(v, row: row + r, col: col + width - 1, style: style)
        }
        screen.put(bl + String(repeating: h, count: width - 2) + br, row: row + height - 1, col: col, style: style)
        if let title, !title.isEmpty, width >= 7 {
            var t = style; t.bold = true
            screen.put(" " + TextWidth.truncate(title, to: width - 6) + " ", row: row, col: col + 2, style: t)
        }
    }

    /// Fills the box area with `style` and then draws the frame (a modal's background).
    public static func drawFilled(on screen: Screen, row: Int, col: Int, width: Int, height: Int, title: String? = nil,
                                  style: Style, ascii: Bool = false) {
        screen.fill(row: row, col: col, width: width, height: height, style: style)
        draw(on: screen, row: row, col: col, width: width, height: height, title: title, style: style, ascii: ascii)
    }
}

// MARK: - ConfirmDialog

/// A centred yes/no dialog: y/n, Enter (the selected button), Esc (no), ←/→/Tab select.
public struct ConfirmDialog: Sendable {
    /// What a key did.
    public enum Result: Sendable, Equatable { case yes, no, none }
    public let title: String
    public let message: String
    public let yesLabel: String
    public let noLabel: String
    /// Which button Enter activates; "no" by default so a stray Enter is harmless.
    public var yesSelected = false

    public init(title: String, message: String, yesLabel: String = "Yes", noLabel: String = "No") {
        self.title = title; self.message = message; self.yesLabel = yesLabel; self.noLabel = noLabel
    }

    /// Applies a key.
    public mutating func handle(_ key: Key) -> Result {
        switch key {
        case .char("y"), .char("Y"): return .yes
        case .char("n"), .char("N"), .escape: return .no
        case .enter: return yesSelected ? .yes : .no
        case .left: yesSelected = true; return .none
        case .right: yesSelected = false; return .none
        case .tab, .backTab: yesSelected.toggle(); return .none
        default: return .none
        }
    }

    /// The button texts as drawn.
    public var buttons: (yes: String, no: String) { ("[ \(yesLabel) (y) ]", "[ \(noLabel) (n) ]") }

    /// Draws the dialog centred on the screen: title in the frame, wrapped message, then the two buttons.
    public func draw(on screen: Screen, style: Style, selectedStyle: Style, ascii: Bool = false) {
        let (yes, no) = buttons
        let buttonsW = TextWidth.width(of: yes) + 2 + TextWidth.width(of: no)
        let want = max(TextWidth.width(of: Sanitizer.clean(message)) + 4, buttonsW + 4, 30)
        let w = max(4, min(want, screen.width - 2, 60))
        let lines = Array(wrap(Sanitizer.clean(message), width: w - 4).prefix(max(1, screen.height - 6)))
        let h = lines.count + 5
        let row = max(0, (screen.height - h) / 2), col = max(0, (screen.width - w) / 2)
        Box.drawFilled(on: screen, row: row, col: col, width: w, height: h, title: title, style: style, ascii: ascii)
        for (i, l) in lines.enumerated() { screen.put(l, row: row + 2 + i, col: col + 2, style: style) }
        let bc = col + max(1, (w - buttonsW) / 2)
        screen.put(yes, row: row + h - 2, col: bc, style: yesSelected ? selectedStyle : style)
        screen.put(no, row: row + h - 2, col: bc + TextWidth.width(of: yes) + 2, style: yesSelected ? style : selectedStyle)
        screen.hideCursor()
    }
}
