import FiberNodeDomain
import FiberNodeStore
import TerminalUI

// Inactive customers (issue 14): `n` in the Pelanggan pane, with a confirmation.
extension CustomersPane {
    func confirmInactive(_ c: CustomerRow) {
        let deactivate = c.customerStatus != .inactive
        session.present(ConfirmModal(title: s[.keyInactive], message: s.f(deactivate ? .inactiveConfirm : .activeConfirm, c.code, c.name),
                                     yes: s[.yes], no: s[.no], ascii: false) { [weak self] in
            guard let self else { return }
            do {
                let saved = try self.session.db.setInactive(c.id, inactive: deactivate, actor: self.actor, context: self.session.context)
                self.session.info(self.s.f(deactivate ? .custDeactivated : .custActivated, saved.code, saved.name))
            } catch { self.session.error(error) }
            self.reload()
        })
    }
}
