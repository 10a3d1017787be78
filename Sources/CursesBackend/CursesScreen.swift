import Foundation
import CNcurses
import TerminalUI

/// The real terminal through ncursesw: the only code that talks to curses.
public final class CursesScreen: Screen, KeySource {
    public private(set) var hasColors = false
    var pairs: [Int: Int16] = [:]
    var ended = false

    public init(colors: Bool) {
        setlocale(LC_ALL, "")
        initscr()
        cbreak()
        noecho()
        nonl()
        keypad(fn_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if colors, has_colors() {
            start_color()
            use_default_colors()
            hasColors = true
        }
    }

    public var width: Int { Int(cn_getmaxx()) }
    public var height: Int { Int(cn_getmaxy()) }

    public func clear() { werase(fn_stdscr()) }

    /// Forces a full repaint on the next flush (Ctrl-L).
    public func redrawAll() { clearok(fn_stdscr(), true) }

    func attributes(_ s: Style) -> attr_t {
        var a = cn_attr_normal()
        if s.bold { a |= cn_attr_bold() }
        if s.reverse { a |= cn_attr_reverse() }
        if s.underline { a |= cn_attr_underline() }
        if s.dim { a |= cn_attr_dim() }
        if hasColors, s.fg != .none || s.bg != .none { a |= cn_color_pair(pair(s.fg, s.bg)) }
        return a
    }

    func pair(_ fg: TermColor, _ bg: TermColor) -> Int16 {
        let key = fg.rawValue * 16 + bg.rawValue
        if let p = pairs[key] { return p }
        let n = Int16(pairs.count + 1)
        func c(_ t: TermColor) -> Int16 { t == .none ? -1 : Int16(t.rawValue - 1) }
        init_pair(n, c(fg), c(bg))
        pairs[key] = n
        return n
    }

    public func put(_ text: String, row: Int, col: Int, style: Style) {
        let w = width, h = height
        guard row >= 0, row < h, col < w else { return }
        var clean = Sanitizer.clean(text)
        var c = col
        if c < 0 {
            // drop leading cells that fall left of the screen
            var skipped = 0
            var idx = clean.startIndex
            while idx < clean.endIndex, skipped < -c { skipped += TextWidth.width(of: clean[idx]); idx = clean.index(after: idx) }
            clean = String(clean[idx...]); c = 0
        }
        let room = w - c
        // Never write into the very last cell (it would scroll the screen).
        let limit = (row == h - 1) ? room - 1 : room
        let visible = TextWidth.truncate(clean, to: limit, ellipsis: false)
        cn_attrset(attributes(style))
        cn_mvaddstr(Int32(row), Int32(c), visible)
        cn_attrset(cn_attr_normal())
    }

    public func fill(row: Int, col: Int, width fw: Int, height fh: Int, style: Style) {
        let blank = String(repeating: " ", count: max(0, min(fw, width - max(0, col))))
        for r in max(0, row)..<min(height, row + fh) { put(blank, row: r, col: max(0, col), style: style) }
    }

    var cursorAt: (Int, Int)?
    public func showCursor(row: Int, col: Int) { cursorAt = (row, col) }
    public func hideCursor() { cursorAt = nil }

    public func flush() {
        if let (r, c) = cursorAt {
            curs_set(1)
            move(Int32(r), Int32(c))
        } else {
            curs_set(0)
        }
        refresh()
    }

    public func readKey(timeoutMilliseconds: Int) -> Key? {
        wtimeout(fn_stdscr(), Int32(timeoutMilliseconds))
        var ch: wint_t = 0
        let rc = wget_wch(fn_stdscr(), &ch)
        if rc == cn_err() { return nil }
        if rc == cn_key_code_yes() { return mapKeyCode(Int32(ch)) }
        switch ch {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(ch) + 96)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(ch)) else { return nil }
            if scalar.value < 0x20 { return nil }
            return .char(Character(scalar))
        }
    }

    func mapKeyCode(_ code: Int32) -> Key? {
        switch code {
        case KEY_RESIZE: return .resize
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        default:
            for n in 1...12 where code == cn_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    /// Restores the terminal; safe to call twice.
    public func end() {
        guard !ended else { return }
        ended = true
        curs_set(1)
        endwin()
    }
}
