/// Makes text from the database safe to draw.
public enum Sanitizer {
    /// Removes ESC and every CSI/OSC/other escape sequence, C0 and C1 controls, DEL and bidi
    /// overrides; turns \n, \r and \t into a space. Nothing can move the cursor or change the terminal.
    public static func clean(_ s: String) -> String {
        // Fast path: nothing to do for plain text.
        if !s.unicodeScalars.contains(where: needsWork) { return s }
        var out = String.UnicodeScalarView()
        var it = Array(s.unicodeScalars)[...]
        while let c = it.popFirst() {
            switch c.value {
            case 0x1B: // ESC
                guard let n = it.first else { continue }
                if n == "[" {                      // CSI: params/intermediates then a final byte 0x40–0x7E
                    it.removeFirst()
                    while let x = it.popFirst(), !(0x40...0x7E).contains(x.value) {}
                } else if n == "]" || n == "P" || n == "X" || n == "^" || n == "_" {   // OSC/DCS/SOS/PM/APC: to BEL or ST
                    it.removeFirst()
                    while let x = it.popFirst() {
                        if x.value == 0x07 || x.value == 0x9C { break }
                        if x.value == 0x1B, it.first == "\\" { it.removeFirst(); break }
                    }
                } else {
                    it.removeFirst()                // two-character sequence (ESC c, ESC 7, …)
                }
            case 0x9B: // C1 CSI
                while let x = it.popFirst(), !(0x40...0x7E).contains(x.value) {}
            case 0x9D, 0x90, 0x98, 0x9E, 0x9F: // C1 OSC/DCS/SOS/PM/APC
                while let x = it.popFirst() { if x.value == 0x07 || x.value == 0x9C { break } }
            case 0x0A, 0x0D, 0x09:
                out.append(" ")
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069:
                continue
            default:
                out.append(c)
            }
        }
        return String(out)
    }

    static func needsWork(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x20 || (0x7F...0x9F).contains(c.value) || (0x202A...0x202E).contains(c.value) || (0x2066...0x2069).contains(c.value)
    }
}
