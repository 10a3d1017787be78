import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// Pengaturan (superadmin): every setting, grouped (business and branding, receipts, WhatsApp,
/// security, daily jobs, backups), each with its default; Enter edits one (validated, audited,
/// secrets masked). `b` takes a backup now, `l` lists backups to verify or restore.
final class SettingsPane: Pane, CommandPane {
    let id = PaneID.settings
    let session: Session
    var selected = 1
    var top = 0
    /// The audit log view, while open (`A`).
    var audit: AuditView?

    enum Row { case group(SettingGroup), setting(SettingDefinition) }
    let rows: [Row] = SettingGroup.allCases.flatMap { g -> [Row] in
        let defs = SettingsCatalog.all.filter { $0.group == g }
        return defs.isEmpty ? [] : [.group(g)] + defs.map { Row.setting($0) }
    }
    init(session: Session) { self.session = session }
    var s: Strings { session.strings }

    /// The pane's keys and what they do, or the audit view's while it is open (issue 13:
    /// commands, labels from the keys; the help overlay scrolls, so PgUp/PgDn are listed too).
    var commands: [Command] {
        if let audit { return audit.commands }
        return [
            Command([.up, .char("k")], .keyUp) { [unowned self] in self.move(-1) },
            Command([.down, .char("j")], .keyDown) { [unowned self] in self.move(1) },
            Command([.pageUp], .keyPageUp) { [unowned self] in self.move(-10) },
            Command([.pageDown], .keyPageDown) { [unowned self] in self.move(10) },
            Command([.enter, .char("e"), .function(4)], .keyEdit, short: .keyEdit, requires: .manageSettings) { [unowned self] in self.edit() },
            // No F-key for "back up now" so the function bar fits 80 columns (it is also `b` in the list).
            Command([.char("b")], .keyBackupNow, requires: .manageBackups) { [unowned self] in BackupActions.backupNow(self.session) },
            Command([.char("l"), .function(7)], .keyBackupList, short: .bkListTitle, requires: .manageBackups) { [unowned self] in
                self.session.present(BackupListModal(session: self.session))
            },
            Command([.char("A"), .function(8)], .paneAudit, short: .paneAudit, requires: .viewAuditLog) { [unowned self] in self.openAudit() },
        ]
    }

    var bindings: [Binding] { commandBindings }

    func openAudit() {
        guard session.actor.can(.viewAuditLog) else { return }
        let view = AuditView(session: session)
        view.onBack = { [unowned self] in self.audit = nil }
        view.reload()
        audit = view
    }

    func reload() {
        session.refreshUser()
        audit?.reload()
    }

    var definition: SettingDefinition? {
        if rows.indices.contains(selected), case .setting(let d) = rows[selected] { return d }
        return nil
    }

    /// Moves the selection by `delta` settings, skipping group headings.
    func move(_ delta: Int) {
        var i = selected
        let step = delta > 0 ? 1 : -1
        var remaining = abs(delta)
        while remaining > 0 {
            var j = i + step
            while rows.indices.contains(j), case .group = rows[j] { j += step }
            guard rows.indices.contains(j) else { break }
            i = j; remaining -= 1
        }
        selected = i
    }

    static func groupTitle(_ g: SettingGroup) -> S {
        switch g {
        case .business: return .grpBusiness
        case .receipt: return .grpReceipt
        case .whatsapp: return .grpWhatsApp
        case .security: return .grpSecurity
        case .jobs: return .grpJobs
        case .backup: return .grpBackup
        }
    }

    func handle(_ action: Action) -> Bool { run(action, as: session.actor) }

    static func shown(_ value: String) -> String { value.replacingOccurrences(of: "\n", with: "⏎") }

    func edit() {
        guard let def = definition else { return }
        // WhatsApp templates: the multi-line editor with a live preview (issue 6)
        if let kind = TemplateEditing.kind(forSetting: def.key) { TemplateEditing.present(kind, session: session); return }
        let s = self.s
        let current = def.secret ? "" : s.settingValue(def.key, session.settings[def.key])
        let shownDefault = Self.shown(s.settingValue(def.key, SettingsCatalog.display(def.key, def.defaultValue)))
        var defaultText = "\(s[.settingsDefault]): \(shownDefault.isEmpty ? "—" : shownDefault)"
        if let choices = s.settingChoices(def.key) { defaultText = choices + " · " + defaultText }
        session.present(TextPromptModal(
            title: s.f(.settingsEditTitle, s.settingName(def.key)), initial: current, secure: def.secret,
            hint: def.secret ? s[.settingsSecretHint] : defaultText,
            session: session) { [weak self] value in
                guard let self else { return nil }
                do {
                    _ = try self.session.db.setSetting(def.key, s.settingRaw(def.key, value), actor: self.session.actor,
                                                       context: self.session.context)
                    self.session.refreshUser()
                    self.session.info(s.f(.settingsSaved, s.settingName(def.key)))
                    return nil
                } catch {
                    // The store names the key; the screen names the setting in words.
                    return s.message(for: error, timeZone: self.session.settings.timeZone)
                        .replacingOccurrences(of: def.key, with: s.settingName(def.key))
                }
            })
    }

    func draw(on screen: Screen, in area: Rect) {
        if let audit { return audit.draw(on: screen, in: area) }
        let t = session.theme
        let keyW = min(30, max(16, area.width / 2 - 2))
        let header = TextWidth.pad(s[.settingsNameColumn], to: keyW) + " " + s[.settingsValue]
        screen.put(TextWidth.pad(header, to: area.width), row: area.row, col: area.col, style: t.tableHeader)
        let visible = max(1, area.height - 3)
        if selected < top { top = selected }
        // keep the heading of the first visible group in view when scrolling up to it
        if top > 0, top == selected, case .group = rows[top - 1] { top -= 1 }
        if selected >= top + visible { top = selected - visible + 1 }
        for i in 0..<visible {
            let idx = top + i
            guard idx < rows.count else { break }
            let row = area.row + 1 + i
            switch rows[idx] {
            case .group(let g):
                let title = "── " + s[Self.groupTitle(g)] + " "
                let rule = title + String(repeating: "─", count: max(0, area.width - TextWidth.width(of: title)))
                screen.put(TextWidth.truncate(rule, to: area.width, ellipsis: false), row: row, col: area.col, style: t.title)
            case .setting(let def):
                let raw = session.settings[def.key]
                let value = Self.shown(s.settingValue(def.key, SettingsCatalog.display(def.key, raw)))
                let line = TextWidth.pad(" " + s.settingName(def.key), to: keyW) + " " + value
                let style = idx == selected ? t.selected : (raw == def.defaultValue ? t.text : t.accent)
                screen.put(TextWidth.pad(TextWidth.truncate(line, to: area.width), to: area.width), row: row, col: area.col, style: style)
            }
        }
        if let def = definition {
            // The key is what `fibernode settings set KEY` takes: shown here, beside the default.
            let d = Self.shown(s.settingValue(def.key, SettingsCatalog.display(def.key, def.defaultValue)))
            screen.put(TextWidth.truncate("\(s[.settingsDefault]): \(d.isEmpty ? "—" : d) · \(s[.settingsKey]): \(def.key)", to: area.width),
                       row: area.row + area.height - 2, col: area.col, style: t.dim)
        }
        screen.put(TextWidth.truncate(s[.settingsOpsHint], to: area.width), row: area.row + area.height - 1, col: area.col, style: t.dim)
    }
}

/// A one-field dialog; `onSubmit` returns an error message to keep it open, or nil to close.
final class TextPromptModal: Modal {
    let title: String
    let hint: String
    var field: TextField
    var error: String?
    let session: Session
    let onSubmit: (String) -> String?

    init(title: String, initial: String, secure: Bool, hint: String, session: Session, onSubmit: @escaping (String) -> String?) {
        self.title = title; self.hint = hint; self.session = session; self.onSubmit = onSubmit
        field = TextField(value: initial, secure: secure, maxLength: 600)
    }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .escape: return false
        case .enter, .function(2):   // forms save the same way everywhere (issue 13 §6)
            if let message = onSubmit(field.value) { error = message; return true }
            return false
        default:
            _ = field.handle(key)
            return true
        }
    }

    func draw(on screen: Screen, theme: Theme) {
        let w = min(70, screen.width - 4), h = 8
        let row = (screen.height - h) / 2, col = (screen.width - w) / 2
        screen.fill(row: row, col: col, width: w, height: h, style: theme.dialog)
        Box.draw(on: screen, row: row, col: col, width: w, height: h, title: title, style: theme.dialog, ascii: false)
        screen.put(hint, row: row + 1, col: col + 2, style: theme.dialog)
        if let error { screen.put(error, row: row + 4, col: col + 2, style: theme.statusError) }
        let s = session.strings
        screen.put(TextWidth.truncate(s[.keySaveForm], to: w - 4), row: row + h - 2, col: col + 2, style: theme.dialog)
        field.draw(on: screen, row: row + 3, col: col + 2, width: w - 4, style: theme.fieldFocused, focused: true)
    }
}
