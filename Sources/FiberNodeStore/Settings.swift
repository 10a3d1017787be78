import Foundation
import GRDB
import FiberNodeDomain

// MARK: - Catalog

/// How a setting's value is validated.
public enum SettingKind: Sendable, Equatable {
    case text(maxLength: Int)
    case multiline(maxLength: Int)
    case integer(min: Int, max: Int)
    case boolean
    case choice([String])
    case timeOfDay            // HH:MM
    case timeZone
    case url
    case dayList(min: Int, max: Int)   // "3,1"
    case messageTemplate(maxLength: Int)   // WhatsApp template: only known {placeholders}
}

/// Settings pane groups.
public enum SettingGroup: String, CaseIterable, Sendable {
    case business, receipt, whatsapp, security, jobs, backup
}

/// One known setting: key, default, validation, and whether it is a secret.
public struct SettingDefinition: Sendable {
    public let key: String
    public let defaultValue: String
    public let kind: SettingKind
    public let group: SettingGroup
    public let secret: Bool
    public init(_ key: String, _ defaultValue: String, _ kind: SettingKind, _ group: SettingGroup, secret: Bool = false) {
        self.key = key; self.defaultValue = defaultValue; self.kind = kind; self.group = group; self.secret = secret
    }
}

/// Every setting the product knows (CLI.md keys plus the spec's receipt toggles).
public enum SettingsCatalog {
    public static let defaultLogo = """
     ___ _ _            _  _         _
    | __(_) |__ ___ _ _| \\| |___  __| |___
    | _|| | '_ \\/ -_) '_| .` / _ \\/ _` / -_)
    |_| |_|_.__/\\___|_| |_|\\_\\___/\\__,_\\___|
    """

    public static let all: [SettingDefinition] = [
        .init("app.name", "FiberNode Internet", .text(maxLength: 60), .business),
        .init("app.logo", defaultLogo, .multiline(maxLength: 600), .business),
        .init("business.name", "", .text(maxLength: 100), .business),
        .init("business.timezone", "Asia/Jakarta", .timeZone, .business),
        .init("ui.language", "id", .choice(["id", "en"]), .business),
        .init("ui.theme", "dark", .choice(["dark", "light", "mono"]), .business),

        .init("receipt.base_url", "", .url, .receipt),
        .init("receipt.logo_enabled", "true", .boolean, .receipt),
        .init("receipt.show_company_name", "true", .boolean, .receipt),
        .init("receipt.show_customer_phone", "true", .boolean, .receipt),
        .init("receipt.show_nik", "false", .boolean, .receipt),
        .init("receipt.show_area", "true", .boolean, .receipt),
        .init("receipt.show_package", "true", .boolean, .receipt),
        .init("receipt.show_discount", "true", .boolean, .receipt),
        .init("receipt.show_payment_method", "true", .boolean, .receipt),
        .init("receipt.show_paid_by", "true", .boolean, .receipt),
        .init("receipt.footer_text", "Terima kasih atas pembayaran Anda.", .text(maxLength: 200), .receipt),

        .init("wa.gateway", "none", .choice(["none", "waha", "cloud"]), .whatsapp),
        .init("wa.waha.url", "", .url, .whatsapp),
        .init("wa.waha.api_key", "", .text(maxLength: 200), .whatsapp, secret: true),
        .init("wa.waha.session", "default", .text(maxLength: 60), .whatsapp),
        .init("wa.cloud.token", "", .text(maxLength: 500), .whatsapp, secret: true),
        .init("wa.cloud.phone_number_id", "", .text(maxLength: 40), .whatsapp),
        .init("wa.min_delay_s", "8", .integer(min: 0, max: 3600), .whatsapp),
        .init("wa.max_delay_s", "15", .integer(min: 0, max: 3600), .whatsapp),
        .init("wa.jitter_s", "5", .integer(min: 0, max: 3600), .whatsapp),
        .init("wa.batch_size", "20", .integer(min: 1, max: 10000), .whatsapp),
        .init("wa.batch_cooldown_s", "300", .integer(min: 0, max: 86400), .whatsapp),
        .init("wa.max_per_hour", "50", .integer(min: 1, max: 100000), .whatsapp),
        .init("wa.max_per_day", "300", .integer(min: 1, max: 1000000), .whatsapp),
        .init("wa.retry_max", "3", .integer(min: 0, max: 20), .whatsapp),
        .init("wa.retry_delay_s", "600", .integer(min: 0, max: 86400), .whatsapp),
        .init("wa.quiet_start", "21:00", .timeOfDay, .whatsapp),
        .init("wa.quiet_end", "08:00", .timeOfDay, .whatsapp),
        .init("wa.hold_weekend", "false", .boolean, .whatsapp),
        .init("wa.reminder_days", "1", .dayList(min: -28, max: 28), .whatsapp),   // negative: after the due date (issue 14)
        // WhatsApp templates (issue 6): `{placeholder}`s of MessageTemplates; greetings/closings `|`-separated
        .init("wa.template.reminder", MessageTemplates.defaultReminder, .messageTemplate(maxLength: 2000), .whatsapp),
        .init("wa.template.receipt", MessageTemplates.defaultReceipt, .messageTemplate(maxLength: 2000), .whatsapp),
        .init("wa.template.isolation", MessageTemplates.defaultIsolation, .messageTemplate(maxLength: 2000), .whatsapp),
        .init("wa.template.custom", MessageTemplates.defaultCustom, .messageTemplate(maxLength: 2000), .whatsapp),
        .init("wa.template.overdue", MessageTemplates.defaultOverdue, .messageTemplate(maxLength: 2000), .whatsapp),
        .init("wa.greetings", MessageTemplates.defaultGreetings.joined(separator: "|"), .text(maxLength: 500), .whatsapp),
        .init("wa.closings", MessageTemplates.defaultClosings.joined(separator: "|"), .text(maxLength: 500), .whatsapp),
        .init("wa.webhook_token", "", .text(maxLength: 200), .whatsapp, secret: true),
        .init("wa.webhook_hmac_key", "", .text(maxLength: 200), .whatsapp, secret: true),

        .init("security.idle_timeout_min", "15", .integer(min: 1, max: 1440), .security),
        .init("security.lockout_attempts", "5", .integer(min: 1, max: 100), .security),
        .init("security.lockout_minutes", "15", .integer(min: 1, max: 1440), .security),

        .init("jobs.daily_time", "06:00", .timeOfDay, .jobs),
        .init("invoices.isolation_overdue_days", "7", .integer(min: 1, max: 365), .jobs),
        .init("isolation.auto", "false", .boolean, .jobs),   // issue 14: the daily job isolates and restores

        .init("backup.dir", "", .text(maxLength: 500), .backup),
        .init("backup.time", "02:00", .timeOfDay, .backup),
        .init("backup.keep_daily", "7", .integer(min: 0, max: 365), .backup),
        .init("backup.keep_weekly", "4", .integer(min: 0, max: 520), .backup),
        .init("backup.keep_monthly", "12", .integer(min: 0, max: 1200), .backup),
        .init("backup.enabled", "true", .boolean, .backup),
        .init("backup.passphrase", "", .text(maxLength: 200), .backup, secret: true),
    ]

    static let byKey: [String: SettingDefinition] = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })

    public static func definition(_ key: String) -> SettingDefinition? { byKey[key] }

    /// Validates and canonicalises a value ("TRUE" → "true", " 40 " → "40").
    public static func validate(_ key: String, _ raw: String) throws -> String {
        guard let def = byKey[key] else { throw StoreError.invalid(field: key, reason: .unknownKey) }
        let v = raw.trimmingCharacters(in: .whitespaces)
        switch def.kind {
        case .text(let max):
            if v.contains(where: { $0.isNewline }) { throw StoreError.invalid(field: key, reason: .badFormat(expected: "one line")) }
            if v.count > max { throw StoreError.invalid(field: key, reason: .tooLong(max: max)) }
            return v
        case .multiline(let max):
            if raw.count > max { throw StoreError.invalid(field: key, reason: .tooLong(max: max)) }
            return raw
        case .messageTemplate(let max):
            if raw.count > max { throw StoreError.invalid(field: key, reason: .tooLong(max: max)) }
            if v.isEmpty { throw StoreError.invalid(field: key, reason: .required) }
            let unknown = MessageTemplates.unknownPlaceholders(in: raw)
            if !unknown.isEmpty {
                throw StoreError.invalid(field: key + " " + unknown.map { "{\($0)}" }.joined(separator: " "),
                                         reason: .notOneOf(MessageTemplates.placeholders.map { "{\($0)}" }))
            }
            return raw.replacingOccurrences(of: "\\n", with: "\n")
        case .integer(let lo, let hi):
            guard let n = Int(v) else { throw StoreError.invalid(field: key, reason: .notANumber) }
            guard (lo...hi).contains(n) else { throw StoreError.invalid(field: key, reason: .outOfRange(min: lo, max: hi)) }
            return String(n)
        case .boolean:
            switch v.lowercased() {
            case "true", "1", "yes", "ya", "on": return "true"
            case "false", "0", "no", "tidak", "off": return "false"
            default: throw StoreError.invalid(field: key, reason: .notOneOf(["true", "false"]))
            }
        case .choice(let options):
            guard options.contains(v.lowercased()) else { throw StoreError.invalid(field: key, reason: .notOneOf(options)) }
            return v.lowercased()
        case .timeOfDay:
            let parts = v.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
                  let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m)
            else { throw StoreError.invalid(field: key, reason: .badFormat(expected: "HH:MM")) }
            return v
        case .timeZone:
            guard TimeZone(identifier: v) != nil, v.contains("/") || v == "UTC" else {
                throw StoreError.invalid(field: key, reason: .badFormat(expected: "Asia/Jakarta"))
            }
            return v
        case .url:
            if v.isEmpty { return v }
            guard let u = URL(string: v), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  u.host != nil, !v.contains(" ")
            else { throw StoreError.invalid(field: key, reason: .badFormat(expected: "https://host")) }
            return v.hasSuffix("/") ? String(v.dropLast()) : v
        case .dayList(let lo, let hi):
            let items = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !items.isEmpty else { throw StoreError.invalid(field: key, reason: .required) }
            var days: [Int] = []
            for item in items {
                guard let n = Int(item) else { throw StoreError.invalid(field: key, reason: .notANumber) }
                guard (lo...hi).contains(n) else { throw StoreError.invalid(field: key, reason: .outOfRange(min: lo, max: hi)) }
                if !days.contains(n) { days.append(n) }
            }
            return days.sorted(by: >).map(String.init).joined(separator: ",")
        }
    }

    /// The value shown to people: secrets masked.
    public static func display(_ key: String, _ value: String) -> String {
        guard let def = byKey[key], def.secret else { return value }
        return value.isEmpty ? "" : "••••••••"
    }
}

// MARK: - Reading and writing

/// A snapshot of every setting (stored value or default).
public struct SettingsSnapshot: Sendable {
    public let values: [String: String]
    public init(values: [String: String]) { self.values = values }
    public subscript(_ key: String) -> String { values[key] ?? SettingsCatalog.definition(key)?.defaultValue ?? "" }
    public func int(_ key: String) -> Int { Int(self[key]) ?? Int(SettingsCatalog.definition(key)?.defaultValue ?? "") ?? 0 }
    public func bool(_ key: String) -> Bool { self[key] == "true" }
    public var timeZone: TimeZone { TimeZone(identifier: self["business.timezone"]) ?? TimeZone(identifier: "Asia/Jakarta")! }
}

extension AppDatabase {
    /// Every setting, stored or default.
    public func settings() throws -> SettingsSnapshot {
        try read { db in try Self.settings(db) }
    }

    static func settings(_ db: Database) throws -> SettingsSnapshot {
        var values: [String: String] = [:]
        for def in SettingsCatalog.all { values[def.key] = def.defaultValue }
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM settings") {
            let k: String = row["key"]
            if let v: String = row["value"] { values[k] = v }
        }
        return SettingsSnapshot(values: values)
    }

    /// Sets one setting (superadmin only), validated, audited with secrets redacted.
    @discardableResult
    public func setSetting(_ key: String, _ raw: String, actor: Actor, context: StoreContext) throws -> String {
        guard actor.can(.manageSettings) else { throw StoreError.notPermitted }
        let value = try SettingsCatalog.validate(key, raw)
        return try write { db in
            let current = try Self.settings(db)
            // Cross-field rules
            if key == "wa.min_delay_s", let n = Int(value), n > current.int("wa.max_delay_s") {
                throw StoreError.invalid(field: key, reason: .outOfRange(min: 0, max: current.int("wa.max_delay_s")))
            }
            if key == "wa.max_delay_s", let n = Int(value), n < current.int("wa.min_delay_s") {
                throw StoreError.invalid(field: key, reason: .outOfRange(min: current.int("wa.min_delay_s"), max: 3600))
            }
            let old = current[key]
            try db.execute(sql: """
                INSERT INTO settings(key, value, updated_by, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at
                """, arguments: [key, value, actor.userId, context.clock.now()])
            let secret = SettingsCatalog.definition(key)?.secret ?? false
            try Audit.record(db, actor: actor, action: "settings.update", resource: "settings", resourceId: nil,
                             metadata: ["key": key,
                                        "before": secret ? "[redacted]" : old,
                                        "after": secret ? "[redacted]" : value],
                             context: context)
            return value
        }
    }
}
