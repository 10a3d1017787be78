import Foundation
import FiberNodeDomain

// Words for stored codes on screens (issue 13 item 5, collect3): never the raw status.
extension Strings {
    /// A WhatsApp queue status in words ("terkirim", not "sent" on an Indonesian screen).
    public func queueStatusName(_ status: String) -> String {
        switch status {
        case "pending": return self[.qPending]
        case "held": return self[.qHeld]
        case "sending": return self[.qSending]
        case "sent": return self[.qSent]
        case "failed": return self[.qFailed]
        case "cancelled": return self[.qCancelled]
        default: return status
        }
    }

    /// "2026-03-01" → "1 Mar 2026" in this language (the raw text when it is not a date).
    public func date(_ iso: String) -> String {
        LocalDate(iso)?.display(language: language == .en ? "en" : "id") ?? iso
    }

    /// "2026-04" → "April 2026" in this language.
    public func period(_ p: String) -> String {
        Period(p)?.displayName(language: language == .en ? "en" : "id") ?? p
    }
}
