import Foundation
import CQrencode

/// A QR code as a square of dark (true) and light modules, from libqrencode.
public struct QRMatrix: Sendable, Equatable {
    public let size: Int
    public let modules: [[Bool]]

    /// Encodes text (byte mode, error correction M); nil when it is too long for any version.
    public init?(_ text: String) {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let n = Int(code.pointee.width)
        var rows: [[Bool]] = []
        rows.reserveCapacity(n)
        for y in 0..<n {
            var row = [Bool](repeating: false, count: n)
            for x in 0..<n { row[x] = (code.pointee.data[y * n + x] & 1) == 1 }
            rows.append(row)
        }
        size = n; modules = rows
    }

    /// Terminal lines: two module rows per line with half blocks (▀ ▄ █), or `##` per module
    /// for ASCII terminals; `quiet` light modules around it (4 is the standard's quiet zone).
    /// Dark modules are drawn as ink, so it reads on a light terminal background; on dark
    /// backgrounds `invert` draws light modules as ink instead.
    public func lines(ascii: Bool, quiet: Int = 2, invert: Bool = true) -> [String] {
        let n = size + 2 * quiet
        func ink(_ x: Int, _ y: Int) -> Bool {
            let mx = x - quiet, my = y - quiet
            let dark = mx >= 0 && my >= 0 && mx < size && my < size && modules[my][mx]
            return invert ? !dark : dark
        }
        var out: [String] = []
        if ascii {
            for y in 0..<n { out.append(String((0..<n).map { ink($0, y) ? "##" : "  " }.joined())) }
            return out
        }
        var y = 0
        while y < n {
            var line = ""
            for x in 0..<n {
                let top = ink(x, y), bottom = y + 1 < n ? ink(x, y + 1) : false
                line += top && bottom ? "█" : top ? "▀" : bottom ? "▄" : " "
            }
            out.append(line)
            y += 2
        }
        return out
    }
}
