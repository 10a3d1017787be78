import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// The collection loop in the customer detail (issue 14): the promise to pay (key j) and
/// whether an isolation was automatic (lifted on full payment) or by hand.
extension CustomerDetail {
    func statusText(_ s: Strings) -> String {
        if row.deletedAt != nil { return s[.stDeleted] }
        switch row.customerStatus {
        case .isolated: return (state?.isolatedAutomatically ?? false) ? s[.stIsolatedAuto] : s[.stIsolatedManual]
        case .inactive, .active: return s.name(row.customerStatus)
        }
    }

    func promiseText(_ s: Strings) -> String {
        guard let d = state?.promiseUntil else { return s[.detailPromiseNone] }
        let note = state?.promiseNote.map { " · " + $0 } ?? ""
        return d.display(language: s.language.rawValue) + note
    }
}

extension CustomersPane {
    func promise(_ d: CustomerDetail) {
        let today = LocalDate.from(session.context.clock.now(), in: session.settings.timeZone)
        session.present(FormModal(title: s.f(.promiseTitle, Sanitizer.clean(d.row.name)), fields: [
            FormFieldSpec(s[.fPromiseUntil], value: (d.state?.promiseUntil ?? today.adding(days: 7)).description, maxLength: 10,
                          hint: "YYYY-MM-DD"),
            FormFieldSpec(s[.fPromiseNote], value: d.state?.promiseNote ?? "", maxLength: 200),
        ], strings: s) { [weak self] v in
            guard let self else { return nil }
            let text = v[0].trimmingCharacters(in: .whitespaces)
            var until: LocalDate? = nil
            if !text.isEmpty {
                guard let u = LocalDate(text) else { return self.s.f(.errInvalid, self.s[.fPromiseUntil], "YYYY-MM-DD") }
                until = u
            }
            do {
                let st = try self.session.db.promise(d.row.id, until: until, note: v[1], today: today, actor: self.actor,
                                                     context: self.session.context)
                if let u = st.promiseUntil {
                    self.session.info(self.s.f(.promiseSaved, d.row.code, d.row.name, u.display(language: self.s.language.rawValue)))
                } else { self.session.info(self.s.f(.promiseCleared, d.row.code, d.row.name)) }
                self.detail = try? CustomerDetail.load(session: self.session, id: d.row.id)
                return nil
            } catch StoreError.invalid(let field, let reason) {
                // the form's own label, not the store's field name
                let label = field == "until" ? self.s[.fPromiseUntil] : self.s[.fPromiseNote]
                return self.s.message(for: StoreError.invalid(field: label, reason: reason))
            } catch { return self.s.message(for: error) }
        })
    }
}
