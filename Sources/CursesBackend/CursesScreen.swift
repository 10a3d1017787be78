#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses
import TerminalUI

// MARK: - CursesScreen

/// The real terminal through ncursesw: the only code that talks to curses.
public final class CursesScreen: Screen, KeySource {
    /// True when colours were asked for and the terminal has them.
    public private(set) var hasColors = false
    var defaultColors = false
    var pairs: [Int: Int32] = [:]
    var ended = false
    var cursorAt: (row: Int, col: Int)?

    /// Starts curses: locale from the environment, cbreak (Ctrl-C stays SIGINT), no echo, keypad keys,
    /// no newline translation, hidden cursor, 25 ms Esc delay; colours when `colors` and supported.
    public init(colors: Bool) {
        setlocale(LC_ALL, "")
        set_escdelay(25)          // before initscr so ESCDELAY from the environment cannot make Esc slow
        initscr()
        cbreak()
        noecho()
        nonl()
        intrflush(fn_stdscr(), false)
        keypad(fn_stdscr(), true)
        curs_set(0)
        if colors, has_colors() {
            start_color()
            defaultColors = use_default_colors() == cn_ok()
            hasColors = true
        }
    }

    deinit { end() }

    // MARK: - Size

    public var width: Int { ended ? 80 : Int(cn_getmaxx()) }
    public var height: Int { ended ? 24 : Int(cn_getmaxy()) }

    // MARK: - Styles

    /// Curses attributes for a style; colour pairs are allocated on first use.
    func attributes(_ s: Style) -> attr_t {
        var a = cn_attr_normal()
        if s.bold { a |= cn_attr_bold() }
        if s.reverse { a |= cn_attr_reverse() }
        if s.underline { a |= cn_attr_underline() }
        if s.dim { a |= cn_attr_dim() }
        if hasColors, s.fg != .none || s.bg != .none, let p = pair(s.fg, s.bg) { a |= cn_color_pair(p) }
        return a
    }

    func pair(_ fg: TermColor, _ bg: TermColor) -> Int32? {
        let key = fg.rawValue * 16 + bg.rawValue
        if let p = pairs[key] { return p }
        let n = Int32(pairs.count + 1)
        guard n < min(Int32(cn_color_pairs()), 256) else { return nil }
        func c(_ t: TermColor, _ fallback: Int16) -> Int16 {
            t == .none ? (defaultColors ? -1 : fallback) : Int16(t.rawValue - 1)   // black = 0 … white = 7
        }
        guard init_pair(Int16(n), c(fg, 7), c(bg, 0)) == cn_ok() else { return nil }
        pairs[key] = n
        return n
    }

    // MARK: - Drawing

    public func clear() {
        guard !ended else { return }
        werase(fn_stdscr())
    }

    /// Forces a full repaint on the next flush (Ctrl-L).
    public func redrawAll() {
        guard !ended else { return }
        clearok(fn_stdscr(), true)
    }

    public func put(_ text: String, row: Int, col: Int, style: Style) {
        guard !ended else { return }
        let w = width, h = height
        guard row >= 0, row < h, col < w else { return }
        // Never write the bottom-right cell: some terminals scroll when it is written.
        let right = row == h - 1 ? w - 1 : w
        var out: [wchar_t] = []
        var c = col
        for ch in Sanitizer.clean(text) {
            let cw = TextWidth.width(of: ch)
            if cw == 0 {
                if !out.isEmpty { out += CursesScreen.wide(ch, cells: 0) }   // combining mark joins the previous cell
                continue
            }
            if c < 0 {
                if c + cw > 0 { out.append(32) }                 // right half of a wide char at the left edge
                c += cw; continue
            }
            if c + cw > right {
                if c < right { out.append(32) }                   // a wide char that does not fit
                break
            }
            out += CursesScreen.wide(ch, cells: cw)
            c += cw
        }
        guard !out.isEmpty else { return }
        cn_attrset(attributes(style))
        _ = out.withUnsafeBufferPointer { cn_mvaddnwstr(Int32(row), Int32(max(0, col)), $0.baseAddress, Int32($0.count)) }
        cn_attrset(cn_attr_normal())
    }

    /// The wide characters that draw `ch` in exactly `cells` columns as curses counts them (wcwidth per
    /// code point): sequences curses would measure differently (ZWJ emoji, emoji with VS16) are shown
    /// as their first code point and padded with spaces, so curses and the layout never disagree.
    static func wide(_ ch: Character, cells: Int) -> [wchar_t] {
        let scalars = ch.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        let curses = scalars.reduce(0) { $0 + max(0, Int(cn_wcwidth($1))) }
        if curses == cells { return scalars }
        if cells == 0 { return [] }
        var base: [wchar_t] = []
        var baseW = 0
        if let first = scalars.first {
            let fw = max(0, Int(cn_wcwidth(first)))
            if fw <= cells, fw > 0 { base = [first]; baseW = fw }
        }
        if base.isEmpty, curses < cells { base = scalars; baseW = curses }
        return base + Array(repeating: 32, count: cells - baseW)
    }

    public func fill(row: Int, col: Int, width fw: Int, height fh: Int, style: Style) {
        guard !ended else { return }
        let c0 = max(0, col), c1 = min(width, col + fw)
        let r0 = max(0, row), r1 = min(height, row + fh)
        guard c0 < c1, r0 < r1 else { return }
        let blank = String(repeating: " ", count: c1 - c0)
        for r in r0..<r1 { put(blank, row: r, col: c0, style: style) }
    }

    public func showCursor(row: Int, col: Int) { cursorAt = (row, col) }
    public func hideCursor() { cursorAt = nil }

    /// Places (or hides) the cursor and sends the frame to the terminal.
    public func flush() {
        guard !ended else { return }
        if let (r, c) = cursorAt, r >= 0, r < height, c >= 0, c < width {
            curs_set(1)
            cn_move(Int32(r), Int32(c))
        } else {
            curs_set(0)
        }
        wnoutrefresh(fn_stdscr())
        doupdate()
    }

    // MARK: - Keys

    /// The next key, or nil after `timeoutMilliseconds` (negative waits forever).
    public func readKey(timeoutMilliseconds: Int) -> Key? {
        guard !ended else { return nil }
        wtimeout(fn_stdscr(), Int32(clamping: timeoutMilliseconds))
        var ch: wint_t = 0
        let rc = wget_wch(fn_stdscr(), &ch)
        if rc == cn_err() { return nil }
        if rc == cn_key_code_yes() { return CursesScreen.mapKeyCode(Int32(bitPattern: UInt32(ch))) }
        return CursesScreen.mapCharacter(UInt32(ch))
    }

    /// A character from `wget_wch` as a key.
    public static func mapCharacter(_ ch: UInt32) -> Key? {
        switch ch {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(ch) + 96)))
        default:
            guard let scalar = Unicode.Scalar(ch), !Sanitizer.needsWork(scalar) else { return nil }
            return .char(Character(scalar))
        }
    }

    /// A curses key code (KEY_*) as a key.
    public static func mapKeyCode(_ code: Int32) -> Key? {
        switch code {
        case cn_key_resize(): return .resize
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME, KEY_A1: return .home
        case KEY_END, KEY_C1: return .end
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
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

    // MARK: - Ending

    /// Restores the terminal (endwin); safe to call more than once.
    public func end() {
        guard !ended else { return }
        ended = true
        curs_set(1)
        endwin()
    }

    /// Restores the terminal from a crash or signal path: only `endwin()`, no allocation.
    public static func emergencyRestore() {
        if !isendwin() { endwin() }
    }
}
