import Foundation
import FiberNodeDomain
import FiberNodeStore

/// What a receipt shows: the spec's `receipt_show_*` toggles, footer, branding.
public struct ReceiptOptions: Sendable {
    public var appName: String
    /// The installation's business name (setting `business.name`); empty = not shown.
    public var businessName: String = ""
    public var logo: String
    public var logoEnabled: Bool
    public var showCompanyName: Bool
    public var showCustomerPhone: Bool
    public var showNik: Bool
    public var showArea: Bool
    public var showPackage: Bool
    public var showDiscount: Bool
    public var showPaymentMethod: Bool
    public var showPaidBy: Bool
    public var footer: String
    public var timeZone: TimeZone
    public var baseURL: String

    public init(settings s: SettingsSnapshot) {
        appName = s["app.name"]; logo = s["app.logo"]; logoEnabled = s.bool("receipt.logo_enabled")
        showCompanyName = s.bool("receipt.show_company_name"); showCustomerPhone = s.bool("receipt.show_customer_phone")
        showNik = s.bool("receipt.show_nik"); showArea = s.bool("receipt.show_area"); showPackage = s.bool("receipt.show_package")
        showDiscount = s.bool("receipt.show_discount"); showPaymentMethod = s.bool("receipt.show_payment_method")
        showPaidBy = s.bool("receipt.show_paid_by"); footer = s["receipt.footer_text"]; timeZone = s.timeZone
        baseURL = s["receipt.base_url"]
        businessName = s["business.name"]
    }

    /// The business line, unless empty or the same as the owner's name shown anyway.
    func businessLine(area: String) -> String? {
        let b = businessName.trimmingCharacters(in: .whitespaces)
        if b.isEmpty || (showCompanyName && b.lowercased() == area.lowercased()) { return nil }
        return b
    }

    /// The public link of a receipt, when `receipt.base_url` is set.
    public func link(token: String) -> String? { baseURL.isEmpty ? nil : "\(baseURL)/receipt/\(token)" }
}

/// Payment receipts (nota) as fixed-width text for 58/80 mm printers and screens, and as a
/// self-contained HTML page.
public enum Receipt {
    static func methodName(_ m: String?) -> String {
        switch m {
        case "cash": return "Tunai"
        case "transfer": return "Transfer bank"
        case "qris": return "QRIS"
        case "ewallet": return "E-wallet"
        case "other": return "Lainnya"
        default: return "-"
        }
    }

    public static func stamp(_ inv: InvoiceRow) -> String {
        if inv.receiptVoidedAt != nil { return "DIBATALKAN" }
        switch inv.invoiceStatus {
        case .paid: return "LUNAS"
        case .partial: return "DIBAYAR SEBAGIAN"
        case .unpaid: return "BELUM DIBAYAR"
        }
    }

    /// Nothing paid (and not a voided receipt): the page is the invoice, not a receipt — it
    /// neither calls itself "nota pembayaran" nor thanks the customer for paying (issue 13 item 9).
    static func unpaid(_ inv: InvoiceRow) -> Bool { inv.receiptVoidedAt == nil && inv.invoiceStatus == .unpaid }

    /// "NOTA PEMBAYARAN", or "TAGIHAN" for an invoice with nothing paid.
    public static func title(_ inv: InvoiceRow) -> String { unpaid(inv) ? "TAGIHAN" : "NOTA PEMBAYARAN" }

    /// The footer: the receipt.footer_text thanks for a payment, so an unpaid invoice or a
    /// voided receipt says what it is instead.
    static func footer(_ inv: InvoiceRow, _ o: ReceiptOptions) -> String {
        if inv.receiptVoidedAt != nil { return "" }
        if unpaid(inv) { return "Tagihan ini belum dibayar. Mohon dibayar sebelum jatuh tempo." }
        return o.footer
    }

    static func dateTime(_ d: Date?, _ tz: TimeZone) -> String {
        guard let d else { return "-" }
        let day = LocalDate.from(d, in: tz)
        let f = DateFormatter(); f.timeZone = tz; f.locale = Locale(identifier: "en_US_POSIX"); f.dateFormat = "HH:mm"
        return "\(day.display(language: "id")) \(f.string(from: d))"
    }

    /// The label/value lines, in order, that the toggles allow.
    static func fields(_ inv: InvoiceRow, _ o: ReceiptOptions) -> [(String, String)] {
        var f: [(String, String)] = [("No. nota", inv.number), ("Periode", Period(inv.period)?.displayName(language: "id") ?? inv.period),
                                     ("Pelanggan", inv.customerName), ("Kode", inv.customerCode)]
        if o.showCustomerPhone { f.append(("Telepon", inv.customerPhone)) }
        if o.showNik, let nik = inv.customerNik { f.append(("NIK", nik)) }
        if o.showArea { f.append(("Area", inv.area)) }
        if o.showPackage { f.append(("Paket", "\(inv.packageName) (\(inv.packageSpeed))")) }
        f.append(("Jatuh tempo", LocalDate(inv.dueDate)?.display(language: "id") ?? inv.dueDate))
        f.append(("Tagihan", Rupiah(inv.amount).formatted))
        if o.showDiscount, inv.discount > 0 { f.append(("Diskon", "-" + Rupiah(inv.discount).formatted)) }
        f.append(("Total", Rupiah(inv.totalAmount).formatted))
        f.append(("Dibayar", Rupiah(inv.paidAmount).formatted))
        if inv.invoiceStatus == .partial { f.append(("Sisa", Rupiah(inv.remaining).formatted)) }
        if !unpaid(inv) {
            f.append(("Tanggal bayar", dateTime(inv.paidAt, o.timeZone)))
            if o.showPaymentMethod { f.append(("Metode", methodName(inv.paymentMethod))) }
        }
        if o.showPaidBy, let by = inv.paidByName { f.append(("Diterima oleh", by)) }
        return f
    }

    // MARK: - Text

    /// Text from the database without control characters (issue 12): ESC/GS would reach a
    /// thermal printer as ESC/POS commands and a terminal as escape sequences; tabs and line
    /// breaks become spaces. Done before layout so the columns are measured on what prints.
    static func plain(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: Validate.isControl) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u == "\t" || u == "\n" || u == "\r" { out.append(" ") } else if !Validate.isControl(u) { out.append(u) }
        }
        return String(out)
    }

    /// A text receipt exactly `width` columns wide (32 = 58 mm, 48 = 80 mm, 80 = screen).
    public static func text(_ inv: InvoiceRow, options o: ReceiptOptions, width: Int, payments: [PaymentRow] = []) -> String {
        let w = max(24, width)
        var out: [String] = []
        func center(_ s: String) -> String {
            let t = String(s.prefix(w))
            let pad = (w - t.count) / 2
            return String(repeating: " ", count: pad) + t
        }
        func wrapLine(_ s: String) -> [String] {
            var lines: [String] = [], line = ""
            for word in plain(s).split(separator: " ") {
                if line.isEmpty { line = String(word.prefix(w)) }
                else if line.count + 1 + word.count <= w { line += " " + word }
                else { lines.append(line); line = String(word.prefix(w)) }
            }
            if !line.isEmpty { lines.append(line) }
            return lines
        }
        if o.logoEnabled, w >= 48 {
            let logo = o.logo.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if logo.allSatisfy({ $0.count <= w }) {
                let lw = logo.map(\.count).max() ?? 0
                out += logo.map { String(repeating: " ", count: max(0, (w - lw) / 2)) + $0 }
            }
        }
        if let business = o.businessLine(area: inv.area) { out += wrapLine(business).map(center) }
        if o.showCompanyName { out += wrapLine(inv.area).map(center) }
        out.append(center(o.appName))
        out.append(center(title(inv)))
        out.append(String(repeating: "=", count: w))
        let labelW = w >= 48 ? 16 : 12
        for (label, raw) in fields(inv, o) {
            let value = plain(raw)
            // "Label      value" on one line when it fits, else the label and the value wrapped under it
            let l = label.padding(toLength: max(min(labelW, w / 2), label.count + 1), withPad: " ", startingAt: 0)
            let room = w - l.count
            if value.count <= room {
                out.append(l + String(repeating: " ", count: room - value.count) + value)
                continue
            }
            out.append(label + ":")
            out += wrapLine(value).map { String(repeating: " ", count: max(0, w - $0.count)) + $0 }
        }
        let live = payments.filter { !$0.isVoided }
        if !live.isEmpty {
            // The ledger: one line per payment (date, method, amount), its reference under it.
            out.append(String(repeating: "-", count: w))
            out.append("Pembayaran")
            for p in live {
                let amount = Rupiah(p.amount).formatted
                let left = (LocalDate(p.paidOn)?.display(language: "id") ?? p.paidOn) + " " + methodName(p.method)
                let room = w - amount.count - 1
                out.append(String(left.prefix(room)).padding(toLength: room, withPad: " ", startingAt: 0) + " " + amount)
                if let r = p.reference, !r.isEmpty { out += wrapLine("  Ref: " + r).map { "  " + $0 } }
            }
        }
        out.append(String(repeating: "=", count: w))
        out.append(center("*** \(stamp(inv)) ***"))
        if inv.receiptVoidedAt != nil {
            out += wrapLine("Pembayaran ini telah dibatalkan pada \(dateTime(inv.receiptVoidedAt, o.timeZone)).").map(center)
        }
        let footer = footer(inv, o)
        if !footer.isEmpty { out.append(""); out += wrapLine(footer).map(center) }
        return out.map { $0.count > w ? String($0.prefix(w)) : $0 }.joined(separator: "\n") + "\n"
    }

    // MARK: - HTML

    static func esc(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if c.value < 0x20, c != "\n" { continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A self-contained HTML page: no scripts, no external assets.
    public static func html(_ inv: InvoiceRow, options o: ReceiptOptions, payments: [PaymentRow] = []) -> String {
        var rows = fields(inv, o).map { "<tr><th>\(esc($0.0))</th><td>\(esc($0.1))</td></tr>" }.joined(separator: "\n")
        let live = payments.filter { !$0.isVoided }
        if !live.isEmpty {
            rows += "\n<tr><th colspan=\"2\"><b>Pembayaran</b></th></tr>\n" + live.map { p in
                let ref = (p.reference?.isEmpty == false) ? " · Ref: \(esc(p.reference!))" : ""
                return "<tr><th>\(esc(LocalDate(p.paidOn)?.display(language: "id") ?? p.paidOn)) · \(esc(methodName(p.method)))\(ref)</th><td>\(esc(Rupiah(p.amount).formatted))</td></tr>"
            }.joined(separator: "\n")
        }
        let stampText = stamp(inv)
        let stampClass = inv.receiptVoidedAt != nil ? "void" : (inv.isPaid ? "paid" : "open")
        let logo = o.logoEnabled ? "<pre class=\"logo\">\(esc(o.logo))</pre>" : ""
        let company = (o.businessLine(area: inv.area).map { "<h1>\(esc($0))</h1>\n" } ?? "")
            + (o.showCompanyName ? "<h1>\(esc(inv.area))</h1>" : "")
        let voided = inv.receiptVoidedAt.map { "<p class=\"void\">Pembayaran ini telah dibatalkan pada \(esc(dateTime($0, o.timeZone))).</p>" } ?? ""
        return """
        <!DOCTYPE html>
        <html lang="id">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>\(unpaid(inv) ? "Tagihan" : "Nota") \(esc(inv.number))</title>
        <style>
        body{font-family:system-ui,sans-serif;background:#f3f4f6;margin:0;padding:16px;color:#111}
        main{max-width:420px;margin:auto;background:#fff;border-radius:8px;padding:20px;box-shadow:0 1px 4px #0002}
        h1{font-size:1.2em;margin:.2em 0;text-align:center}h2{font-size:1em;text-align:center;color:#555;margin:.2em 0 1em}
        pre.logo{font-size:9px;line-height:1.1;text-align:center;overflow:hidden}
        table{width:100%;border-collapse:collapse}th{text-align:left;font-weight:normal;color:#555;padding:4px 0}
        td{text-align:right;padding:4px 0}.stamp{text-align:center;font-weight:bold;font-size:1.3em;margin:1em 0;letter-spacing:.1em}
        .paid{color:#15803d}.open{color:#b45309}.void{color:#b91c1c}footer{text-align:center;color:#555;margin-top:1em}
        </style>
        </head>
        <body>
        <main>
        \(logo)
        \(company)
        <h2>\(esc(o.appName)) · \(unpaid(inv) ? "Tagihan" : "Nota Pembayaran")</h2>
        <table>
        \(rows)
        </table>
        <p class="stamp \(stampClass)">\(esc(stampText))</p>
        \(voided)
        <footer>\(esc(footer(inv, o)))</footer>
        </main>
        </body>
        </html>

        """
    }
}
