import Foundation
import GRDB
import FiberNodeDomain

/// A filled message, ready to send or queue.
public struct ComposedMessage: Sendable, Equatable {
    public var kind: MessageKind
    public var ownerId: String
    public var customerId: String
    public var customerName: String
    public var invoiceId: String?
    public var phone: String
    public var text: String
    /// The placeholder values the text was filled from: a Cloud API template's body parameters (issue 18).
    public var values: [String: String]
    public init(kind: MessageKind, ownerId: String, customerId: String, customerName: String, invoiceId: String?, phone: String, text: String,
                values: [String: String] = [:]) {
        self.kind = kind; self.ownerId = ownerId; self.customerId = customerId; self.customerName = customerName
        self.invoiceId = invoiceId; self.phone = phone; self.text = text; self.values = values
    }

    /// `values` as JSON for the queue's `params` column.
    public var paramsJSON: String? {
        guard !values.isEmpty, let d = try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys]) else { return nil }
        return String(decoding: d, as: UTF8.self)
    }
}

extension AppDatabase {
    static func paymentMethodName(_ m: String?) -> String? {
        switch m {
        case "cash": return "Tunai"
        case "transfer": return "Transfer bank"
        case "qris": return "QRIS"
        case "ewallet": return "E-wallet"
        case "other": return "Lainnya"
        default: return nil
        }
    }

    /// The template of a kind (setting `wa.template.KIND`, else the built-in one).
    static func template(_ kind: MessageKind, settings: SettingsSnapshot) -> String {
        let t = settings["wa.template.\(kind.rawValue)"]
        return t.isEmpty ? MessageTemplates.defaultTemplate(kind) : t
    }

    /// Placeholder values for a customer (and invoice). Receipt fields follow the
    /// `receipt.show_*` toggles: a field switched off is nil, so its line disappears.
    static func messageValues(_ db: Database, customer c: CustomerRow, invoice inv: InvoiceRow?, kind: MessageKind,
                              settings s: SettingsSnapshot, random: RandomSource, owner cached: UserRecord? = nil,
                              at: Date? = nil) throws -> [String: String?] {
        let owner = try cached ?? UserRecord.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [c.ownerId])
        let greetings = MessageTemplates.list(s["wa.greetings"], fallback: MessageTemplates.defaultGreetings)
        let closings = MessageTemplates.list(s["wa.closings"], fallback: MessageTemplates.defaultClosings)
        let receipt = kind == .receipt
        func toggle(_ key: String, _ v: String?) -> String? { receipt && !s.bool(key) ? nil : v }
        func nonEmpty(_ v: String?) -> String? { (v?.isEmpty ?? true) ? nil : v }
        // The greeting fits the hour the message is written for, in business time (issue 18).
        let part = at.map { DayPart.at($0, in: s.timeZone) }
        let picked = greetings[random.int(in: 0...(greetings.count - 1))]
        var v: [String: String?] = [
            "greeting": part?.fit(picked) ?? picked,
            "time_greeting": (part ?? .pagi).greeting, "day_part": (part ?? .pagi).rawValue,
            "closing": closings[random.int(in: 0...(closings.count - 1))],
            "name": c.name, "customer_code": c.code,
            "package": toggle("receipt.show_package", c.packageName), "speed": c.packageSpeed,
            "bank": nonEmpty(owner?.bankName), "account": nonEmpty(owner?.bankAccount), "holder": nonEmpty(owner?.bankHolder),
            "business": owner?.businessName ?? s["app.name"], "app_name": s["app.name"],
            "nik": toggle("receipt.show_nik", nonEmpty(c.nik)), "area": toggle("receipt.show_area", c.area),
            "amount": Rupiah(c.totalBill).formatted,
            "discount": toggle("receipt.show_discount", Rupiah(c.discount).formatted),
        ]
        func set(_ k: String, _ value: String?) { v[k] = .some(value) }   // nil keeps the key: the line goes
        if let inv {
            set("package", toggle("receipt.show_package", inv.packageName))
            set("speed", inv.packageSpeed)
            set("period", Period(inv.period)?.displayName(language: "id") ?? inv.period)
            set("amount", Rupiah(inv.totalAmount).formatted)
            set("discount", toggle("receipt.show_discount", Rupiah(inv.discount).formatted))
            set("due_date", LocalDate(inv.dueDate)?.display(language: "id") ?? inv.dueDate)
            set("when", "pada " + (LocalDate(inv.dueDate)?.display(language: "id") ?? inv.dueDate))
            set("invoice_number", inv.number)
            set("payment_method", toggle("receipt.show_payment_method", paymentMethodName(inv.paymentMethod)))
            set("paid_by", toggle("receipt.show_paid_by", inv.paidByName))
            set("paid_at", inv.paidAt.map { d -> String in
                let day = LocalDate.from(d, in: s.timeZone)
                let secs = Int(d.timeIntervalSince(day.startOfDay(in: s.timeZone)))
                return day.display(language: "id") + String(format: " %02d:%02d", secs / 3600, secs % 3600 / 60)
            })
            let base = s["receipt.base_url"]
            let link: String? = (base.isEmpty || inv.receiptToken == nil || inv.receiptVoidedAt != nil) ? nil : "\(base)/receipt/\(inv.receiptToken!)"
            set("receipt_link", link)
        } else {
            for k in ["period", "due_date", "invoice_number", "payment_method", "paid_by", "paid_at", "receipt_link", "when"] { set(k, nil) }
        }
        return v
    }

    static func compose(_ db: Database, kind: MessageKind, customer: CustomerRow, invoice: InvoiceRow?, template: String? = nil,
                        settings: SettingsSnapshot, random: RandomSource, owner: UserRecord? = nil,
                        extra: [String: String?] = [:], at: Date? = nil) throws -> ComposedMessage {
        var values = try messageValues(db, customer: customer, invoice: invoice, kind: kind, settings: settings, random: random, owner: owner,
                                       at: at)
        for (k, v) in extra { values[k] = .some(v) }
        let text = MessageTemplates.render(template ?? Self.template(kind, settings: settings), values: values)
        return ComposedMessage(kind: kind, ownerId: customer.ownerId, customerId: customer.id, customerName: customer.name,
                               invoiceId: invoice?.id, phone: customer.phone, text: text,
                               values: values.compactMapValues { $0 })
    }

    /// Fills a template for one customer: reminder → the invoice given or the oldest unpaid one;
    /// receipt → the invoice given or the newest paid one; isolation and custom need none.
    /// `customTemplate` replaces the stored template (the compose box). Actor's scope only.
    public func compose(kind: MessageKind, customerId: String, invoiceId: String? = nil, customTemplate: String? = nil,
                        actor: Actor, context: StoreContext) throws -> ComposedMessage {
        guard actor.can(.sendWhatsApp) else { throw StoreError.notPermitted }
        if let t = customTemplate {
            let unknown = MessageTemplates.unknownPlaceholders(in: t)
            if !unknown.isEmpty {
                throw StoreError.invalid(field: unknown.map { "{\($0)}" }.joined(separator: " "),
                                         reason: .notOneOf(MessageTemplates.placeholders.map { "{\($0)}" }))
            }
        }
        return try read { db in
            let c = try Self.customer(db, id: customerId, actor: actor)
            var inv: InvoiceRow? = nil
            if let invoiceId {
                inv = try Self.invoice(db, invoiceId, actor: actor)
                guard inv?.customerId == c.id else { throw StoreError.notFound(what: "invoice") }
            } else if kind == .reminder || kind == .overdue {
                inv = try InvoiceRow.fetchOne(db, sql: InvoiceRow.select + " WHERE i.customer_id = ? AND i.status != 'paid' ORDER BY i.due_date LIMIT 1",
                                              arguments: [c.id])
            } else if kind == .receipt {
                inv = try InvoiceRow.fetchOne(db, sql: InvoiceRow.select + " WHERE i.customer_id = ? AND i.status != 'unpaid' ORDER BY i.paid_at DESC LIMIT 1",
                                              arguments: [c.id])
                if inv == nil { throw StoreError.notFound(what: "invoice") }
            }
            let settings = try Self.settings(db)
            // A reminder about a date already past is an overdue notice: its own template and
            // wording ("sudah jatuh tempo … yang lalu"), never "akan jatuh tempo" (issue 13 item 8).
            var kind = kind
            var extra: [String: String?] = [:]
            if kind == .reminder || kind == .overdue, let inv, inv.status != "paid", let due = LocalDate(inv.dueDate) {
                let days = LocalDate.from(context.clock.now(), in: settings.timeZone).days(to: due)
                if customTemplate == nil { kind = days < 0 ? .overdue : .reminder }
                extra["when"] = MessageTemplates.when(days: days, dueDate: due.display(language: "id"))
            }
            return try Self.compose(db, kind: kind, customer: c, invoice: inv, template: customTemplate,
                                    settings: settings, random: context.random, extra: extra, at: context.clock.now())
        }
    }
}
