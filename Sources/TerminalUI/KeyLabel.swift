// MARK: - Key labels

extension Key {
    /// How the key is written in help and on the function bar ("F4", "↑", "PgDn", "^R", "Esc").
    public var label: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "^" + String(c).uppercased()
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .escape: return "Esc"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .function(let n): return "F\(n)"
        case .resize: return ""
        }
    }

    /// The label of a set of keys: function keys first, then the rest in their order ("F4 e").
    public static func label(_ keys: [Key]) -> String {
        let f = keys.filter { if case .function = $0 { return true } else { return false } }
        let rest = keys.filter { if case .function = $0 { return false } else { return true } }
        return (f + rest).map(\.label).filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The first function key among `keys` (its slot on the function bar).
    public static func functionSlot(_ keys: [Key]) -> Int? {
        for k in keys { if case .function(let n) = k { return n } }
        return nil
    }
}
