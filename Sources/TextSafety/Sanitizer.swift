// MARK: - Sanitizer

/// Makes text from the database safe to draw.
public enum Sanitizer {
    /// Removes ESC and every CSI/OSC/DCS/other escape sequence, C0 and C1 controls, DEL and bidi
    /// overrides/isolates; turns \n, \r and \t into a space. Nothing can move the cursor or change the terminal.
    public static func clean(_ s: String) -> String {
        if !s.unicodeScalars.contains(where: needsWork) { return s }   // fast path
        let scalars = Array(s.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        let n = scalars.count

        /// Skips a control sequence body: parameter/intermediate bytes 0x20–0x3F, then one final byte 0x40–0x7E.
        func skipCSI() {
            while i < n, (0x20...0x3F).contains(scalars[i].value) { i += 1 }
            if i < n, (0x40...0x7E).contains(scalars[i].value) { i += 1 }
        }
        /// Skips a string body (OSC, DCS, SOS, PM, APC) up to and including BEL or ST (ESC \ or U+009C).
        func skipString() {
            while i < n {
                let v = scalars[i].value
                i += 1
                if v == 0x07 || v == 0x9C { return }
                if v == 0x1B {
                    if i < n, scalars[i] == "\\" { i += 1 }
                    return
                }
            }
        }

        while i < n {
            let c = scalars[i]
            i += 1
            switch c.value {
            case 0x1B:
                guard i < n else { continue }
                let next = scalars[i]
                switch next.value {
                case 0x5B: i += 1; skipCSI()                                  // ESC [
                case 0x5D, 0x50, 0x58, 0x5E, 0x5F: i += 1; skipString()       // ESC ] P X ^ _
                case 0x20...0x2F:                                              // ESC intermediates final (ESC ( B)
                    while i < n, (0x20...0x2F).contains(scalars[i].value) { i += 1 }
                    if i < n, (0x30...0x7E).contains(scalars[i].value) { i += 1 }
                case 0x30...0x7E: i += 1                                       // ESC c, ESC 7, ESC M …
                default: break                                                 // lone ESC: just dropped
                }
            case 0x9B: skipCSI()                                               // C1 CSI
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F: skipString()                    // C1 DCS SOS OSC PM APC
            case 0x0A, 0x0D, 0x09: out.append(" ")
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: continue
            default: out.append(c)
            }
        }
        return String(out)
    }

    /// True for scalars `clean` removes or replaces.
    public static func needsWork(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }
}
