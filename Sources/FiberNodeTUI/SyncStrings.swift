import Foundation
import FiberNodeDomain
import FiberNodeStore

/// Formatting for the field laptop (issue 16): the header line and "2 jam lalu".
enum SyncText {
    /// "baru saja", "12 menit lalu", "2 jam lalu", "3 hari lalu"; "belum pernah" for nil.
    static func ago(_ date: Date?, now: Date, _ s: Strings) -> String {
        guard let date else { return s[.syncNever] }
        let secs = max(0, Int(now.timeIntervalSince(date)))
        if secs < 60 { return s[.agoNow] }
        if secs < 3600 { return s.f(.agoMinutes, secs / 60) }
        if secs < 86_400 { return s.f(.agoHours, secs / 3600) }
        return s.f(.agoDays, secs / 86_400)
    }

    /// "LAPTOP · sinkron terakhir 2 jam lalu · 14 perubahan menunggu".
    static func header(_ st: SyncLaptopStatus, now: Date, _ s: Strings) -> String {
        s.f(.syncHeader, ago(st.lastSyncAt, now: now, s), st.pending)
    }

    /// One conflict as a list line.
    static func conflict(_ k: SyncConflictRow, _ s: Strings) -> String {
        let who = [k.customerCode, k.customerName].compactMap { $0 }.joined(separator: " ")
        if k.kind == "overpaid" {
            return s.f(.conflictOverpaid, k.invoiceNumber ?? "-", who, "", Rupiah(k.overpaid ?? 0).formatted)
                .replacingOccurrences(of: "  ", with: " ")
        }
        var fields = ""
        if let d = k.detail, let obj = (try? JSONSerialization.jsonObject(with: Data(d.utf8))) as? [String: Any],
           let f = obj["fields"] as? [String: Any] {
            fields = f.keys.sorted().compactMap { key in
                guard let v = f[key] as? [String: Any] else { return nil }
                return "\(key): \(v["server"] as? String ?? "") / \(v["laptop"] as? String ?? "")"
            }.joined(separator: "; ")
        }
        return s.f(.conflictEdit, k.customerCode ?? "-", k.customerName ?? "", fields)
    }
}
