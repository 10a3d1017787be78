import FiberNodeStore
import TerminalUI

/// How every form saves (issue 13 §6: forms save the same way everywhere): the body writes
/// (one store call, one transaction); on success the status line says `saved` (when given)
/// and the list reloads, closing the form; someone else's change in between reloads the list
/// and keeps the form open with that message; any other refusal stays in the form, in words.
enum FormSave {
    static func run(_ session: Session, reload: () -> Void, saved: String? = nil, _ body: () throws -> Void) -> String? {
        do {
            try body()
            if let saved { session.info(saved) }
            reload()
            return nil
        } catch StoreError.changedByOther {
            reload()
            return session.strings[.errChangedByOther]
        } catch {
            return session.strings.message(for: error, timeZone: session.settings.timeZone)
        }
    }
}

/// Up/Down/PgUp/PgDn over a text of `count` lines for read-only dialogs; false when the key
/// is not a scroll key.
enum TextScroll {
    static func handle(_ key: Key, top: inout Int, count: Int) -> Bool {
        let last = max(0, count - 1)
        switch key {
        case .up: top = max(0, top - 1)
        case .down: top = min(last, top + 1)
        case .pageDown: top = min(last, top + 10)
        case .pageUp: top = max(0, top - 10)
        default: return false
        }
        return true
    }
}
