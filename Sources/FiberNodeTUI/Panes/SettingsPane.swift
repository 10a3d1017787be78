import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// Pengaturan (superadmin): every setting, grouped, with its default; Enter edits one.
final class SettingsPane: Pane {
    let id = PaneID.settings
    let session: Session
    var selected = 0
    var top = 0
    let definitions = SettingsCatalog.all
    init(session: Session) { self.session = session }

    var bindings: [Binding] {
        Keymap.list + [Binding([.enter, .char("e")], .edit, key: "Enter e", help: .keyEdit, fkey: 4, short: .keyEdit,
                               requires: .manageSettings)]
    }

    func reload() { session.refreshUser() }

    func handle(_ action: Action) -> Bool {
        switch action {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(definitions.count - 1, selected + 1)
        case .pageUp: selected = max(0, selected - 10)
        case .pageDown: selected = min(definitions.count - 1, selected + 10)
        case .edit: edit()
        default: return false
        }
        return true
    }

    func edit() {
        let def = definitions[selected]
        // WhatsApp templates: the multi-line editor with a live preview (issue 6)
        if let kind = TemplateEditing.kind(forSetting: def.key) { TemplateEditing.present(kind, session: session); return }
        let current = def.secret ? "" : session.settings[def.key]
        let s = session.strings
        session.present(TextPromptModal(
            title: s.f(.settingsEditTitle, def.key), initial: current, secure: def.secret,
            hint: "\(s[.settingsDefault]): \(SettingsCatalog.display(def.key, def.defaultValue).replacingOccurrences(of: "\n", with: "⏎"))",
            session: session) { [weak self] value in
                guard let self else { return nil }
                do {
                    _ = try self.session.db.setSetting(def.key, value, actor: self.session.actor, context: self.session.context)
                    self.session.refreshUser()
                    self.session.info(s.f(.settingsSaved, def.key))
                    return nil
                } catch {
                    return s.message(for: error, timeZone: self.session.settings.timeZone)
                }
            })
    }

    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme, s = session.strings
        let keyW = 34
        screen.put(TextWidth.pad(s[.settingsKey], to: keyW) + " " + s[.settingsValue], row: area.row, col: area.col, style: t.tableHeader)
        screen.fill(row: area.row, col: area.col + keyW + 1 + TextWidth.width(of: s[.settingsValue]),
                    width: max(0, area.width - keyW - 1 - TextWidth.width(of: s[.settingsValue])), height: 1, style: t.tableHeader)
        let visible = area.height - 2
        if selected < top { top = selected }
        if selected >= top + visible { top = selected - visible + 1 }
        for i in 0..<visible {
            let idx = top + i
            guard idx < definitions.count else { break }
            let def = definitions[idx]
            let value = SettingsCatalog.display(def.key, session.settings[def.key]).replacingOccurrences(of: "\n", with: "⏎")
            let line = TextWidth.pad(def.key, to: keyW) + " " + value
            let style = idx == selected ? t.selected : (session.settings[def.key] == def.defaultValue ? t.text : t.accent)
            screen.put(TextWidth.pad(line, to: area.width), row: area.row + 1 + i, col: area.col, style: style)
        }
        screen.put(s[.settingsHint], row: area.row + area.height - 1, col: area.col, style: t.dim)
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
        case .enter:
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
        screen.put("Enter: \(s[.keySave]) · Esc: \(s[.keyCancel])", row: row + h - 2, col: col + 2, style: theme.dialog)
        field.draw(on: screen, row: row + 3, col: col + 2, width: w - 4, style: theme.fieldFocused, focused: true)
    }
}
