// MARK: - Display width

/// Display width of text in terminal cells, measured per grapheme cluster.
public enum TextWidth {
    /// Cells `s` occupies once drawn: CJK/emoji = 2, combining marks/ZWJ = 0. Measured on
    /// `Sanitizer.clean(s)` — what the screen will really show — so an escape sequence's
    /// printable tail ("[31m") or a tab in a name cannot make a column wider or narrower
    /// than what is drawn (issue 12, item 3).
    public static func width(of s: String) -> Int { Sanitizer.clean(s).reduce(0) { $0 + width(of: $1) } }

    /// Cells one grapheme cluster occupies (0, 1 or 2).
    public static func width(of c: Character) -> Int {
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x20 || (0x7F...0x9F).contains(first.value) { return 0 }
        // Emoji presentation selector or a ZWJ sequence / flags → wide
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if scalars.count > 1, scalars.contains(where: { $0.value == 0x200D }) { return 2 }
        if (0x1F1E6...0x1F1FF).contains(first.value) { return 2 }
        let w = scalarWidth(first)
        if w == 0, scalars.count > 1 { return scalars.dropFirst().map(scalarWidth).max() ?? 0 }
        return w
    }

    static func scalarWidth(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v == 0 { return 0 }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || (0x1160...0x11FF).contains(v) { return 0 }
        if isWide(v) || (v >= 0x2000 && s.properties.isEmojiPresentation) { return 2 }
        return 1
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3, 0x25FD...0x25FE,
             0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
             0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C,
             0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
             0x1F7E0...0x1F7EB, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    // MARK: - Truncating and padding

    /// Cuts `s` to at most `width` cells, never splitting a wide character; "…" marks the cut.
    /// The text is cleaned first (`Sanitizer.clean`): layout happens on what will be drawn.
    public static func truncate(_ s: String, to width: Int, ellipsis: Bool = true) -> String {
        guard width > 0 else { return "" }
        let s = Sanitizer.clean(s)
        if self.width(of: s) <= width { return s }
        let limit = ellipsis ? width - 1 : width
        var out = "", used = 0
        for c in s {
            let w = self.width(of: c)
            if used + w > limit { break }
            out.append(c); used += w
        }
        return ellipsis ? out + "…" : out
    }

    /// Truncates then pads with spaces to exactly `width` cells.
    public static func pad(_ s: String, to width: Int, align: Alignment = .left) -> String {
        guard width > 0 else { return "" }
        let t = truncate(s, to: width)
        let gap = width - self.width(of: t)
        switch align {
        case .left: return t + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + t
        case .center: return String(repeating: " ", count: gap / 2) + t + String(repeating: " ", count: gap - gap / 2)
        }
    }
}
