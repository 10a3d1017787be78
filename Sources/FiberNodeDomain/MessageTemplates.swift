import Foundation

/// The kinds of WhatsApp message FiberNode writes.
public enum MessageKind: String, CaseIterable, Sendable {
    case reminder, receipt, isolation, custom
    /// A reminder after the due date (a negative `wa.reminder_days` stage, issue 14).
    case overdue
}

/// Message templates with `{placeholder}`s (spec "Jenis Pesan Otomatis"). Pure: the caller
/// passes the values and the greeting/closing picks.
public enum MessageTemplates {
    /// Every placeholder a template may use.
    public static let placeholders: [String] = [
        "greeting", "closing", "name", "customer_code", "package", "speed", "period", "amount", "due_date",
        "invoice_number", "bank", "account", "holder", "business", "app_name", "receipt_link", "payment_method",
        "paid_by", "paid_at", "nik", "area", "discount",
        "when",   // issue 14: "besok, 10 Nov 2026" / "dalam 3 hari, …" / "kemarin, …" for a reminder stage
        // issue 18: "Selamat pagi/siang/sore/malam" and "pagi/siang/sore/malam" in business time
        "time_greeting", "day_part",
    ]

    public static let defaultGreetings = ["Halo", "Hai", "Assalamualaikum", "Selamat pagi", "Selamat siang"]
    public static let defaultClosings = ["Terima kasih 🙏", "Terima kasih banyak", "Salam hangat",
                                         "Terima kasih atas kerjasamanya", "Hormat kami"]

    public static let defaultReminder = """
    🔔 *Pengingat Tagihan WiFi*

    {greeting} *{name}*,

    Tagihan WiFi Anda untuk *{period}* (pra-bayar) akan jatuh tempo {when}:

    📋 *Detail Tagihan:*
    • Paket: {package} ({speed})
    • Periode: {period} (pra-bayar)
    • Nominal: {amount}
    • Jatuh Tempo: {due_date}

    💳 *Pembayaran via Transfer:*
    Bank: {bank}
    No. Rek: {account}
    A/N: {holder}
    Nominal: {amount}

    {closing}
    _{business}_
    """

    public static let defaultOverdue = """
    ⏰ *Tagihan WiFi Terlambat*

    {greeting} *{name}*,

    Tagihan WiFi Anda untuk *{period}* (pra-bayar) sudah jatuh tempo {when} dan belum kami terima.

    📋 *Detail Tagihan:*
    • Paket: {package} ({speed})
    • Nominal: {amount}
    • Jatuh Tempo: {due_date}

    💳 *Pembayaran via Transfer:*
    Bank: {bank}
    No. Rek: {account}
    A/N: {holder}

    Mohon segera dibayar agar layanan tidak terisolir. Abaikan pesan ini bila sudah membayar.
    {closing}
    _{business}_
    """

    /// When the due date is, said from the day the reminder is for (`days` = due − today):
    /// "hari ini", "besok", "dalam 3 hari", "kemarin", "3 hari yang lalu"; then the date.
    public static func when(days: Int, dueDate: String) -> String {
        switch days {
        case 0: return "hari ini, \(dueDate)"
        case 1: return "besok, \(dueDate)"
        case 2...: return "dalam \(days) hari, pada \(dueDate)"
        case -1: return "kemarin, \(dueDate)"
        default: return "\(-days) hari yang lalu, pada \(dueDate)"
        }
    }

    public static let defaultIsolation = """
    ⚠️ *Pemberitahuan Isolir*

    {greeting} *{name}*,

    Layanan WiFi Anda telah di-*isolir* karena tunggakan pembayaran.

    Silakan segera lakukan pembayaran untuk mengaktifkan kembali layanan Anda.

    💳 *Pembayaran via Transfer:*
    Bank: {bank}
    No. Rek: {account}
    A/N: {holder}

    Hubungi kami jika ada pertanyaan.
    {closing}
    _{business}_
    """

    public static let defaultReceipt = """
    ✅ *Nota Pembayaran WiFi*

    {greeting} *{name}*,

    Pembayaran Anda telah dikonfirmasi oleh *{paid_by}*.

    📋 *Detail Pembayaran:*
    • Nama: {name}
    • NIK: {nik}
    • Area: {area}
    • Paket: {package}
    • Periode: {period} (pra-bayar)
    • Diskon: {discount}
    • Total Bayar: *{amount}*
    • Metode: {payment_method}
    • Tanggal Bayar: {paid_at}

    🧾 Lihat nota lengkap: {receipt_link}

    {closing}
    _{business}_
    """

    public static let defaultCustom = """
    {greeting} *{name}*,

    {closing}
    _{business}_
    """

    public static func defaultTemplate(_ kind: MessageKind) -> String {
        switch kind {
        case .reminder: return defaultReminder
        case .receipt: return defaultReceipt
        case .isolation: return defaultIsolation
        case .custom: return defaultCustom
        case .overdue: return defaultOverdue
        }
    }

    /// The `{names}` used in a template, in order of appearance.
    public static func used(in template: String) -> [String] {
        var out: [String] = []
        var i = template.startIndex
        while let open = template[i...].firstIndex(of: "{") {
            guard let close = template[open...].firstIndex(of: "}") else { break }
            let name = String(template[template.index(after: open)..<close])
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "_" || $0.isNumber }) { out.append(name) }
            i = template.index(after: open)
        }
        return out
    }

    /// Placeholders a template uses that FiberNode does not know (refused at save time).
    public static func unknownPlaceholders(in template: String) -> [String] {
        var seen: [String] = []
        for n in used(in: template) where !placeholders.contains(n) && !seen.contains(n) { seen.append(n) }
        return seen
    }

    /// Fills a template. A placeholder whose value is nil (a receipt field switched off, or data
    /// the customer does not have) removes the whole line it stands on.
    ///
    /// The bank block — the paragraph that uses `{account}` or `{bank}` — goes whole, heading
    /// and all, when the owner has no bank account (either nil): never a heading over nothing
    /// (issue 13 item 8). Blank lines left behind by removed lines collapse into one.
    public static func render(_ template: String, values: [String: String?]) -> String {
        let noBank = [values["account"], values["bank"]].contains { $0 != nil && $0! == nil }
        var paragraphs: [[Substring]] = [[]]
        for line in template.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { paragraphs.append([]) } else { paragraphs[paragraphs.count - 1].append(line) }
        }
        var blocks: [String] = []
        for para in paragraphs where !para.isEmpty {
            if noBank, para.contains(where: { l in used(in: String(l)).contains { $0 == "account" || $0 == "bank" } }) { continue }
            var lines: [String] = []
            for line in para {
                var text = String(line)
                var drop = false
                for name in used(in: text) {
                    guard let entry = values[name] else { continue }
                    guard let value = entry else { drop = true; break }
                    text = text.replacingOccurrences(of: "{\(name)}", with: value)
                }
                if !drop { lines.append(text) }
            }
            if !lines.isEmpty { blocks.append(lines.joined(separator: "\n")) }
        }
        return blocks.joined(separator: "\n\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Splits a `|`-separated list setting ("Halo|Hai").
    public static func list(_ raw: String, fallback: [String]) -> [String] {
        let items = raw.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return items.isEmpty ? fallback : items
    }
}

/// A WhatsApp chat id and click-to-chat link for a normalised number.
extension PhoneNumber {
    /// `62…@c.us` (WAHA).
    public var chatId: String { digits + "@c.us" }

    /// `https://wa.me/62…?text=…` — the manual fallback.
    public func waMeLink(text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let q = text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return "https://wa.me/\(digits)?text=\(q)"
    }
}
