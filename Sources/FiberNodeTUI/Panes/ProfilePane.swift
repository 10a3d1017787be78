import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// Profil: who is logged in.
final class ProfilePane: Pane, CommandPane {
    let id = PaneID.profile
    let session: Session
    init(session: Session) { self.session = session }
    var s: Strings { session.strings }
    /// The pane's keys and what they do (issue 13: commands, labels from the keys).
    var commands: [Command] {
        [Command([.char("e"), .function(4)], .keyEdit, short: .keyEdit, requires: .editOwnProfile) { [unowned self] in _ = self.handle(.edit) },
         Command([.char("w"), .function(6)], .keyPassword, short: .keyPassword, requires: .editOwnProfile) { [unowned self] in _ = self.handle(.password) }]
    }
    var bindings: [Binding] { commandBindings }
    func reload() { session.refreshUser() }

    func handle(_ action: Action) -> Bool {
        if case .command = action { return run(action, as: session.actor) }
        let u = session.user
        switch action {
        case .edit:
            let bank = session.actor.can(.editOwnBankAccount)
            var fields = [FormFieldSpec(s[.fName], value: u.name)]
            if bank {
                fields += [FormFieldSpec(s[.fBankName], value: u.bankName ?? "", maxLength: 100),
                           FormFieldSpec(s[.fBankAccount], value: u.bankAccount ?? "", maxLength: 50),
                           FormFieldSpec(s[.fBankHolder], value: u.bankHolder ?? "")]
            }
            session.present(FormModal(title: s[.profEditTitle], fields: fields, strings: s) { [weak self] v in
                guard let self else { return nil }
                do {
                    _ = try self.session.db.updateProfile(name: v[0], bankName: bank ? v[1] : (u.bankName ?? ""),
                                                          bankAccount: bank ? v[2] : (u.bankAccount ?? ""),
                                                          bankHolder: bank ? v[3] : (u.bankHolder ?? ""),
                                                          actor: self.session.actor, context: self.session.context)
                    self.session.refreshUser()
                    self.session.info(self.s[.profSaved])
                    return nil
                } catch { return self.s.message(for: error) }
            })
        case .password:
            let fields = [FormFieldSpec(s[.fCurrentPassword], secure: true, maxLength: 128),
                          FormFieldSpec(s[.fNewPassword], secure: true, maxLength: 128),
                          FormFieldSpec(s[.fRepeatPassword], secure: true, maxLength: 128)]
            session.present(FormModal(title: s[.profPasswordTitle], fields: fields, strings: s) { [weak self] v in
                guard let self else { return nil }
                do {
                    try self.session.db.changePassword(current: v[0], new: v[1], repeat: v[2], actor: self.session.actor,
                                                       context: self.session.context)
                    self.session.info(self.s[.profPasswordSaved])
                    return nil
                } catch { return self.s.message(for: error) }
            })
        default: return false
        }
        return true
    }

    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme, s = session.strings, u = session.user
        let bank = [u.bankName, u.bankAccount, u.bankHolder].compactMap { $0 }.joined(separator: " · ")
        let last = u.lastLoginAt.map { LocalDate.from($0, in: session.settings.timeZone).display(language: s.language.rawValue) } ?? "—"
        let rows: [(S, String)] = [
            (.profileName, u.name), (.profileUsername, u.username),
            (.profileRole, u.role == .superadmin ? s[.roleSuperadmin] : s[.roleMitra]),
            (.profileBusiness, u.businessName), (.profileBank, bank.isEmpty ? "—" : bank), (.profileLastLogin, last),
        ]
        for (i, (label, value)) in rows.enumerated() {
            screen.put(TextWidth.pad(s[label], to: 22), row: area.row + 1 + i, col: area.col, style: t.dim)
            screen.put(value, row: area.row + 1 + i, col: area.col + 24, style: t.text)
        }
    }
}
