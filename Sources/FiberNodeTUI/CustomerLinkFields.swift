import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// The router link rows of the customer add / edit form (issue 15): router (empty = no link),
/// kind (PPPoE / IP) and the PPPoE name or IP. The superadmin edits them; a mitra sees its
/// customer's link read-only and the form sends no link at all. Saved with the customer in one
/// transaction (`createCustomer` / `updateCustomer` with `link:`).
struct CustomerLinkFields {
    let fields: [FormFieldSpec]
    let editable: Bool

    /// Rows for the form, or none when there is nothing to show (a mitra adding a customer, or
    /// no router exists and the customer has no link).
    static func make(session: Session, customerId: String?) -> CustomerLinkFields {
        let s = session.strings
        let actor = session.actor
        let link = customerId.flatMap { try? session.db.service(customer: $0, actor: actor) }
        let kinds: [(value: String, label: String)] = [(ServiceKind.pppoe.rawValue, "PPPoE"), (ServiceKind.ip.rawValue, "IP")]
        guard actor.can(.manageSettings) else {
            guard customerId != nil else { return CustomerLinkFields(fields: [], editable: false) }
            return CustomerLinkFields(fields: [
                FormFieldSpec(s[.cfRouter], value: link?.routerId ?? "", readOnly: true,
                              options: [(link?.routerId ?? "", link.map { Sanitizer.clean($0.routerName) } ?? s[.cfRouterNone])]),
                FormFieldSpec(s[.cfLinkKind], value: link?.kind ?? ServiceKind.pppoe.rawValue, readOnly: true, options: kinds),
                FormFieldSpec(s[.cfLinkTarget], value: link.map { Sanitizer.clean($0.target) } ?? "", readOnly: true),
            ], editable: false)
        }
        let routers = (try? session.db.routers(actor: actor)) ?? []
        guard !routers.isEmpty || link != nil else { return CustomerLinkFields(fields: [], editable: false) }
        // A linked customer keeps a router: the form changes a link, it does not drop one.
        var options = routers.map { (value: $0.id, label: Sanitizer.clean($0.name)) }
        if link == nil { options.insert(("", s[.cfRouterNone]), at: 0) }
        return CustomerLinkFields(fields: [
            FormFieldSpec(s[.cfRouter], value: link?.routerId ?? "", options: options),
            FormFieldSpec(s[.cfLinkKind], value: link?.kind ?? ServiceKind.pppoe.rawValue, options: kinds),
            FormFieldSpec(s[.cfLinkTarget], value: link?.target ?? "", maxLength: 100, hint: "pppoe-nama, 192.168.88.10"),
        ], editable: true)
    }

    /// The link to save from the form's last three values: `.success(nil)` = leave as it is /
    /// no link; `.failure` = a message for the form.
    func input(_ values: [String], strings s: Strings) -> Result<CustomerLinkInput?, LinkFormError> {
        guard editable, fields.count == 3, values.count >= 3 else { return .success(nil) }
        let v = Array(values.suffix(3))
        let router = v[0], target = v[2].trimmingCharacters(in: .whitespaces)
        if router.isEmpty {
            return target.isEmpty ? .success(nil) : .failure(LinkFormError(message: s[.cfLinkNeedRouter]))
        }
        guard !target.isEmpty else { return .failure(LinkFormError(message: s[.cfLinkNeedTarget])) }
        return .success(CustomerLinkInput(router: router, kind: ServiceKind(rawValue: v[1]) ?? .pppoe, target: target))
    }
}

struct LinkFormError: Error { let message: String }
