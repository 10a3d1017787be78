import Foundation
import FiberNodeStore
import TerminalUI
import FiberNodeDomain

extension CustomerDetail {
    /// The opt-out (in the warning colour, saying receipts still go) and the last replies, sanitised.
    func drawWhatsAppReplies(on screen: Screen, in area: Rect, from start: Int, session: Session) {
        let s = session.strings, t = session.theme
        let tz = session.settings.timeZone
        var r = start
        let bottom = area.row + area.height - 1
        if let at = contact.optedOutAt {
            let day = LocalDate.from(at, in: tz).display(language: s.language.rawValue)
            for l in wrap(s.f(.custOptedOut, day, contact.optOutWord ?? "BERHENTI"), width: area.width).prefix(3) where r < bottom {
                screen.put(l, row: r, col: area.col, style: t.warn); r += 1
            }
        }
        guard !replies.isEmpty, r < bottom else { return }
        screen.put(s[.custReplies], row: r, col: area.col, style: t.accent); r += 1
        for m in replies where r < bottom {
            let d = LocalDate.from(m.receivedAt, in: tz)
            let secs = Int(m.receivedAt.timeIntervalSince(d.startOfDay(in: tz)))
            let when = String(format: "%02d-%02d %02d:%02d", d.month, d.day, secs / 3600, secs % 3600 / 60)
            let text = Sanitizer.clean(m.body).replacingOccurrences(of: "\n", with: " ")
            screen.put(TextWidth.truncate(when + " · " + text, to: area.width), row: r, col: area.col, style: t.text); r += 1
        }
    }
}
