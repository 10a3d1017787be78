import Foundation
import FiberNodeStrings
import FiberNodeStore

// Settings in words (issue 13 item 5): the Pengaturan pane names each setting and its value in
// the user's language; the key (the CLI's `settings set KEY`) stays on the hint line.
extension Strings {
    /// Each setting's name, Indonesian and English. A key missing here shows as itself; a
    /// test checks that every key of `SettingsCatalog.all` has words in both languages.
    public static let settingNames: [String: (id: String, en: String)] = [
        "app.name": ("Nama aplikasi", "Application name"),
        "app.logo": ("Logo (teks)", "Logo (text)"),
        "business.name": ("Nama usaha", "Business name"),
        "business.timezone": ("Zona waktu", "Time zone"),
        "ui.language": ("Bahasa", "Language"),
        "ui.theme": ("Tema warna", "Colour theme"),
        "receipt.base_url": ("Alamat nota (URL)", "Receipt address (URL)"),
        "receipt.logo_enabled": ("Nota: tampilkan logo", "Receipt: show logo"),
        "receipt.show_company_name": ("Nota: nama usaha", "Receipt: business name"),
        "receipt.show_customer_phone": ("Nota: telepon pelanggan", "Receipt: customer phone"),
        "receipt.show_nik": ("Nota: NIK", "Receipt: ID number"),
        "receipt.show_area": ("Nota: area", "Receipt: area"),
        "receipt.show_package": ("Nota: paket", "Receipt: package"),
        "receipt.show_discount": ("Nota: diskon", "Receipt: discount"),
        "receipt.show_payment_method": ("Nota: metode bayar", "Receipt: payment method"),
        "receipt.show_paid_by": ("Nota: dicatat oleh", "Receipt: recorded by"),
        "receipt.footer_text": ("Nota: kalimat penutup", "Receipt: closing line"),
        "wa.gateway": ("Gateway WhatsApp", "WhatsApp gateway"),
        "wa.waha.url": ("WAHA: alamat", "WAHA: address"),
        "wa.waha.api_key": ("WAHA: kunci API", "WAHA: API key"),
        "wa.waha.session": ("WAHA: nama sesi", "WAHA: session name"),
        "wa.cloud.token": ("Cloud API: token", "Cloud API: token"),
        "wa.cloud.phone_number_id": ("Cloud API: ID nomor", "Cloud API: phone number ID"),
        "wa.min_delay_s": ("Jeda minimum (detik)", "Minimum delay (seconds)"),
        "wa.max_delay_s": ("Jeda maksimum (detik)", "Maximum delay (seconds)"),
        "wa.jitter_s": ("Acak jeda (detik)", "Delay jitter (seconds)"),
        "wa.batch_size": ("Pesan per kelompok", "Messages per batch"),
        "wa.batch_cooldown_s": ("Istirahat antar kelompok (detik)", "Pause between batches (seconds)"),
        "wa.max_per_hour": ("Batas pesan per jam", "Messages per hour, at most"),
        "wa.max_per_day": ("Batas pesan per hari", "Messages per day, at most"),
        "wa.retry_max": ("Ulang kirim, paling banyak", "Retries, at most"),
        "wa.retry_delay_s": ("Jeda ulang kirim (detik)", "Retry delay (seconds)"),
        "wa.quiet_start": ("Jam tenang mulai", "Quiet hours start"),
        "wa.quiet_end": ("Jam tenang selesai", "Quiet hours end"),
        "wa.hold_weekend": ("Tahan pesan di akhir pekan", "Hold messages at weekends"),
        "wa.reminder_days": ("Hari pengingat (H-3,H-1,H+1 = 3,1,-1)", "Reminder days (3,1,-1 = D-3, D-1, D+1)"),
        "wa.cloud.url": ("Cloud API: alamat", "Cloud API: address"),
        "wa.template.reminder": ("Templat pengingat", "Reminder template"),
        "wa.template.overdue": ("Templat tunggakan", "Overdue template"),
        "wa.template.receipt": ("Templat nota", "Receipt template"),
        "wa.template.isolation": ("Templat isolir", "Isolation template"),
        "wa.template.custom": ("Templat bebas", "Custom template"),
        "wa.greetings": ("Salam pembuka", "Greetings"),
        "wa.closings": ("Salam penutup", "Closings"),
        "wa.webhook_token": ("Token webhook", "Webhook token"),
        "wa.webhook_hmac_key": ("Kunci HMAC webhook", "Webhook HMAC key"),
        "wa.cloud.template.reminder": ("Cloud API: templat pengingat", "Cloud API: reminder template"),
        "wa.cloud.template.overdue": ("Cloud API: templat tunggakan", "Cloud API: overdue template"),
        "wa.cloud.template.receipt": ("Cloud API: templat nota", "Cloud API: receipt template"),
        "wa.cloud.template.isolation": ("Cloud API: templat isolir", "Cloud API: isolation template"),
        "wa.cloud.template.custom": ("Cloud API: templat bebas", "Cloud API: custom template"),
        "wa.cloud.verify_token": ("Cloud API: token verifikasi", "Cloud API: verify token"),
        "wa.cloud.app_secret": ("Cloud API: rahasia aplikasi", "Cloud API: app secret"),
        "wa.breaker_failures": ("Gagal beruntun sebelum jeda", "Failures in a row before pausing"),
        "security.idle_timeout_min": ("Keluar otomatis saat diam (menit)", "Log out when idle (minutes)"),
        "security.lockout_attempts": ("Salah sandi sebelum dikunci", "Wrong passwords before locking"),
        "security.lockout_minutes": ("Lama terkunci (menit)", "Lockout (minutes)"),
        "jobs.daily_time": ("Jam tugas harian", "Daily job time"),
        "invoices.isolation_overdue_days": ("Isolir setelah lewat (hari)", "Isolate after overdue (days)"),
        "isolation.auto": ("Isolir otomatis", "Automatic isolation"),
        "backup.dir": ("Folder cadangan", "Backup folder"),
        "backup.time": ("Jam cadangan harian", "Daily backup time"),
        "backup.keep_daily": ("Simpan cadangan harian", "Daily backups kept"),
        "backup.keep_weekly": ("Simpan cadangan mingguan", "Weekly backups kept"),
        "backup.keep_monthly": ("Simpan cadangan bulanan", "Monthly backups kept"),
        "backup.enabled": ("Cadangan otomatis", "Automatic backups"),
        "backup.passphrase": ("Kata sandi cadangan", "Backup passphrase"),
    ]

    /// The setting's name in this language (the key itself when it has none).
    public func settingName(_ key: String) -> String {
        guard let n = Strings.settingNames[key] else { return key }
        return language == .en ? n.en : n.id
    }

    static func valueWords(_ key: String) -> [String: (id: String, en: String)] {
        switch SettingsCatalog.definition(key)?.kind {
        case .boolean?:
            return ["true": ("ya", "yes"), "false": ("tidak", "no")]
        case .choice?:
            return ["none": ("tidak ada", "none"), "waha": ("WAHA", "WAHA"), "cloud": ("WhatsApp Cloud API", "WhatsApp Cloud API"),
                    "id": ("Bahasa Indonesia", "Bahasa Indonesia"), "en": ("English", "English"),
                    "dark": ("gelap", "dark"), "light": ("terang", "light"), "mono": ("hitam-putih", "monochrome")]
        default:
            return [:]
        }
    }

    /// A stored value in words: yes/no for switches, names for choices; text as it is.
    public func settingValue(_ key: String, _ value: String) -> String {
        guard let w = Self.valueWords(key)[value] else { return value }
        return language == .en ? w.en : w.id
    }

    /// What the operator typed back to the stored value: "ya" → "true", "terang" → "light"
    /// (either language, any case); anything else unchanged, for the store to validate.
    public func settingRaw(_ key: String, _ typed: String) -> String {
        let t = typed.trimmingCharacters(in: .whitespaces).lowercased()
        for (raw, w) in Self.valueWords(key) where [raw, w.id.lowercased(), w.en.lowercased()].contains(t) { return raw }
        return typed
    }

    /// The values a switch or a choice takes, in words ("ya / tidak"); nil for free text.
    public func settingChoices(_ key: String) -> String? {
        let order: [String]
        switch SettingsCatalog.definition(key)?.kind {
        case .boolean?: order = ["true", "false"]
        case .choice(let values)?: order = values
        default: return nil
        }
        return order.map { settingValue(key, $0) }.joined(separator: " / ")
    }
}
