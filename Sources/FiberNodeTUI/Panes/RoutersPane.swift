import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore
import FiberNodeRouterOS
import FiberNodeRouters

/// Router (issue 15): routers with reachability, last error and pending changes; the
/// superadmin adds, edits, tests, reconciles (dry run, then apply) and links. A mitra sees
/// the state of its own routers, read only.
final class RoutersPane: Pane {
    let id = PaneID.routers
    let session: Session
    var rows: [RouterRow] = []
    var pending: [RouterAction] = []
    var selected = 0
    init(session: Session) { self.session = session }
    var s: Strings { session.strings }
    var actor: Actor { session.actor }
    var canManage: Bool { actor.can(.manageSettings) }

    var bindings: [Binding] {
        Keymap.list + [
            Binding([.char("a"), .function(7)], .add, key: "F7 a", help: .keyAdd, fkey: 7, short: .keyAdd, requires: .manageSettings),
            Binding([.char("e"), .enter, .function(4)], .edit, key: "F4 e Enter", help: .keyEdit, fkey: 4, short: .keyEdit, requires: .manageSettings),
            Binding([.char("t")], .routerTest, key: "t", help: .keyRouterTest, requires: .manageSettings),
            Binding([.char("R")], .reconcile, help: .keyReconcile, requires: .manageSettings),
            Binding([.char("l")], .linkRouter, key: "l", help: .keyLinkRouter, requires: .manageSettings),
            Binding([.char("d"), .function(8)], .delete, key: "F8 d", help: .keyDelete, fkey: 8, short: .keyDelete, requires: .manageSettings),
        ]
    }

    func reload() {
        do {
            rows = try session.db.routers(actor: actor)
            pending = try session.db.pendingRouterActions(actor: actor, limit: 50)
        } catch { session.error(error) }
        selected = min(selected, max(0, rows.count - 1))
    }

    var current: RouterRow? { rows.indices.contains(selected) ? rows[selected] : nil }

    var applier: RouterApplier { RouterApplier(db: session.db, context: session.context, timeout: 5) }

    func handle(_ action: Action) -> Bool {
        switch action {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, rows.count - 1), selected + 1)
        case .pageUp, .home: selected = 0
        case .pageDown, .end: selected = max(0, rows.count - 1)
        case .add: form(nil)
        case .edit: if let r = current { form(r) }
        case .routerTest: if let r = current { test(r) }
        case .reconcile: if let r = current { reconcile(r) }
        case .linkRouter: if let r = current { link(r) }
        case .delete:
            guard let r = current else { return true }
            session.present(ConfirmModal(title: s[.keyDelete], message: s.f(.rtDeleteConfirm, r.name, r.linked), yes: s[.yes], no: s[.no],
                                         ascii: session.ascii) { [weak self] in
                guard let self else { return }
                do {
                    try self.session.db.removeRouter(r.id, actor: self.actor, context: self.session.context)
                    self.session.info(self.s.f(.rtRemoved, r.name))
                } catch { self.session.error(error) }
                self.reload()
            })
        default: return false
        }
        return true
    }

    func form(_ r: RouterRow?) {
        var ownerOptions: [(value: String, label: String)] = []
        if let owners = try? session.db.owners(actor: actor) { ownerOptions = owners.map { (value: $0.id, label: $0.businessName) } }
        let fields = [FormFieldSpec(s[.rtFieldName], value: r?.name ?? "", maxLength: 64),
                      FormFieldSpec(s[.fOwner], value: r?.ownerId ?? actor.userId, options: ownerOptions.isEmpty ? nil : ownerOptions),
                      FormFieldSpec(s[.rtFieldURL], value: r?.url ?? "https://", maxLength: 255),
                      FormFieldSpec(s[.rtFieldUser], value: r?.username ?? "", maxLength: 100),
                      FormFieldSpec(s[.rtFieldPassword], secure: true, maxLength: 200, hint: r == nil ? nil : s[.rtFieldPasswordKeep]),
                      FormFieldSpec(s[.rtFieldProfile], value: r?.isolateProfile ?? "isolir", maxLength: 100),
                      FormFieldSpec(s[.rtFieldList], value: r?.addressList ?? "fibernode-isolir", maxLength: 100),
                      FormFieldSpec(s[.rtFieldFingerprint], value: r?.fingerprint ?? "", maxLength: 95)]
        session.present(FormModal(title: r.map { s.f(.rtEditTitle, $0.name) } ?? s[.rtAddTitle], fields: fields, strings: s) { [weak self] v in
            guard let self else { return nil }
            let input = RouterInput(name: v[0], ownerId: v[1], url: v[2], username: v[3], password: v[4], isolateProfile: v[5],
                                    addressList: v[6], fingerprint: v[7])
            do {
                if let r {
                    try self.session.db.updateRouter(r.id, input, actor: self.actor, context: self.session.context)
                    self.session.info(self.s.f(.rtUpdated, v[0]))
                } else {
                    try self.session.db.addRouter(input, actor: self.actor, context: self.session.context)
                    self.session.info(self.s.f(.rtAdded, v[0]))
                }
                self.reload()
                return nil
            } catch { return self.s.message(for: error) }
        })
    }

    func test(_ r: RouterRow) {
        do {
            let conn = try session.db.routerConnection(r.id, actor: actor)
            let info = try applier.test(conn)
            session.info(s.f(.rtTestOK, r.name, Sanitizer.clean(info.identity), Sanitizer.clean(info.version), Sanitizer.clean(info.board)))
        } catch let e as RouterOSError {
            session.error(text: s.f(.rtTestFailed, r.name, s.describe(e)))
        } catch { session.error(error) }
        // Whatever happened, the pending changes of a router that answers are worth a try now.
        _ = applier.applyDue()
        reload()
    }

    /// Lines of a modal message, at most `limit`, with "and N more".
    func clip(_ lines: [String], limit: Int = 12) -> String {
        var out = Array(lines.prefix(limit))
        if lines.count > limit { out.append(s.f(.rtMore, lines.count - limit)) }
        return out.joined(separator: " · ")
    }

    func reconcile(_ r: RouterRow) {
        do {
            let conn = try session.db.routerConnection(r.id, actor: actor)
            let report = try applier.reconcile(conn, apply: false)
            reload()
            if report.differences.isEmpty { session.info(s.f(.rtInSync, r.name, report.secrets, report.entries)); return }
            let text = clip(report.differences.map { Sanitizer.clean(s.describe($0, addressList: conn.addressList)) })
            let fixable = report.differences.filter(\.fixable).count
            session.present(ConfirmModal(title: s.f(.rtReconcileTitle, r.name), message: s.f(.rtReconcileApply, text, fixable),
                                         yes: s[.yes], no: s[.no], ascii: session.ascii) { [weak self] in
                guard let self else { return }
                do {
                    let done = try self.applier.reconcile(conn, apply: true)
                    try? self.session.db.auditReconcile(routerId: conn.id, applied: done.applied, actor: self.actor, context: self.session.context)
                    self.session.info(self.s.f(.rtReconcileApplied, done.applied))
                } catch let e as RouterOSError { self.session.error(text: self.s.f(.rtTestFailed, r.name, self.s.describe(e))) }
                catch { self.session.error(error) }
                self.reload()
            })
        } catch let e as RouterOSError {
            session.error(text: s.f(.rtTestFailed, r.name, s.describe(e))); reload()
        } catch { session.error(error) }
    }

    func link(_ r: RouterRow) {
        do {
            let conn = try session.db.routerConnection(r.id, actor: actor)
            let proposals = try applier.proposeLinks(conn, actor: actor)
            if proposals.isEmpty { session.info(s[.rtNoProposals]); return }
            let text = clip(proposals.map { Sanitizer.clean(s.f(.rtProposal, $0.secret, $0.customerCode, $0.customerName, s.matchReason($0.reason))) })
            session.present(ConfirmModal(title: s.f(.rtLinkTitle, r.name), message: s.f(.rtLinkApply, text, proposals.count),
                                         yes: s[.yes], no: s[.no], ascii: session.ascii) { [weak self] in
                guard let self else { return }
                do {
                    let n = try self.session.db.saveLinks(router: conn.id, links: proposals.map { ($0.customerId, .pppoe, $0.secret) },
                                                          actor: self.actor, context: self.session.context)
                    self.session.info(self.s.f(.rtLinksSaved, n))
                } catch { self.session.error(error) }
                self.reload()
            })
        } catch let e as RouterOSError {
            session.error(text: s.f(.rtTestFailed, r.name, s.describe(e))); reload()
        } catch { session.error(error) }
    }

    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme
        var row = area.row
        if !canManage { screen.put(TextWidth.truncate(s[.rtReadOnly], to: area.width), row: row, col: area.col, style: t.dim); row += 1 }
        if rows.isEmpty {
            screen.put(s[.rtNone], row: row, col: area.col, style: t.dim)
            return
        }
        let cols = [ListColumn(s[.colName], 10, flexible: true, priority: 10), ListColumn(s[.fOwner], 12, priority: 5),
                    ListColumn(s[.rtColURL], 18, flexible: true, priority: 4), ListColumn(s[.rtColReach], 14, priority: 9),
                    ListColumn(s[.rtColPending], 6, priority: 8, align: .right), ListColumn(s[.rtColLinked], 7, priority: 6, align: .right),
                    ListColumn(s[.rtColDrift], 7, priority: 6, align: .right),
                    ListColumn(s[.rtColError], 16, flexible: true, priority: 7)]
        let layout = ListLayout.fit(cols, width: area.width)
        ListLayout.draw(cols.map(\.title), layout: layout, columns: cols, on: screen, row: row, col: area.col, width: area.width, style: t.tableHeader)
        row += 1
        let listRows = max(1, min(rows.count, (area.height - (row - area.row)) / 2))
        for (i, r) in rows.prefix(listRows).enumerated() {
            let cells = [Sanitizer.clean(r.name), Sanitizer.clean(r.area), Sanitizer.clean(r.url), s.reachability(r), String(r.pending),
                         String(r.linked), r.drift.map(String.init) ?? "—", s.routerReason(r.lastError)]
            let style = i == selected ? t.selected : (r.reachable == false || r.pending > 0 || (r.drift ?? 0) > 0 ? t.warn : t.text)
            ListLayout.draw(cells, layout: layout, columns: cols, on: screen, row: row, col: area.col, width: area.width, style: style)
            row += 1
        }
        row += 1
        guard row < area.row + area.height else { return }
        screen.put(s[.rtPendingTitle], row: row, col: area.col, style: t.accent); row += 1
        if pending.isEmpty, row < area.row + area.height { screen.put(s[.rtPendingNone], row: row, col: area.col, style: t.dim); return }
        for a in pending where row < area.row + area.height {
            let what = a.isIsolate ? s[.rtActionIsolate] : s[.rtActionRestore]
            let line = s.f(.rtPendingRow, a.customerCode, Sanitizer.clean(a.customerName), what, a.attempts,
                           a.lastError.map { s.routerReason($0) } ?? "—")
            screen.put(TextWidth.truncate(line, to: area.width), row: row, col: area.col, style: t.text)
            row += 1
        }
    }
}

/// Router steps other panes take (issue 15).
enum RouterTUI {
    /// After an isolate / restore from any pane: apply the customer's router change now (read
    /// back) and add the outcome to the status line. Returns the extra sentence, if any.
    static func afterIsolation(customerId: String, session: Session) -> String? {
        let ap = RouterApplier(db: session.db, context: session.context, timeout: 5)
        let name = (try? session.db.serviceLink(customerId: customerId))?.routerName ?? ""
        switch ap.apply(customerId: customerId) {
        case .none: return nil
        case .done: return session.strings.f(.rtApplied, name)
        case .pending(let e): return session.strings.f(.rtQueued, name, session.strings.describe(e))
        }
    }

    /// The customer detail's router line: the link and the latest action's state.
    static func detailLines(customerId: String, session: Session) -> [String] {
        let s = session.strings
        guard let link = try? session.db.service(customer: customerId, actor: session.actor) else { return [s[.rtNoLink]] }
        var out = [s.f(.rtLinkLine, Sanitizer.clean(link.routerName), link.kind == "ip" ? "IP" : "PPPoE", Sanitizer.clean(link.target))]
        if let a = try? session.db.latestRouterAction(customer: customerId, actor: session.actor) {
            out.append(s.routerActionLine(a))
        }
        return out
    }

    /// The customer's router link form (superadmin): router, then a PPPoE secret or a static IP.
    static func linkForm(customerId: String, code: String, session: Session, done: @escaping () -> Void) {
        let s = session.strings
        guard let routers = try? session.db.routers(actor: session.actor), !routers.isEmpty else { session.info(s[.rtNone]); return }
        let link = try? session.db.service(customer: customerId, actor: session.actor)
        let fields = [FormFieldSpec(s[.rtFieldRouter], value: link?.routerId ?? routers[0].id,
                                    options: routers.map { (value: $0.id, label: $0.name) }),
                      FormFieldSpec(s[.rtFieldPPPoE], value: link?.kind == "pppoe" ? link!.target : "", maxLength: 100),
                      FormFieldSpec(s[.rtFieldIP], value: link?.kind == "ip" ? link!.target : "", maxLength: 15)]
        session.present(FormModal(title: s.f(.rtServiceTitle, code), fields: fields, strings: s) { v in
            let pppoe = v[1].trimmingCharacters(in: .whitespaces), ip = v[2].trimmingCharacters(in: .whitespaces)
            guard pppoe.isEmpty != ip.isEmpty else { return s[.rtNeedTarget] }
            do {
                let l = try session.db.setService(customer: customerId, router: v[0], kind: ip.isEmpty ? .pppoe : .ip,
                                                  target: ip.isEmpty ? pppoe : ip, actor: session.actor, context: session.context)
                var msg = s.f(.rtServiceSet, code, "", l.routerName, l.kind == "ip" ? "IP" : "PPPoE", l.target)
                if let extra = afterIsolation(customerId: customerId, session: session) { msg += " " + extra }
                session.info(msg)
                done()
                return nil
            } catch { return s.message(for: error) }
        })
    }
}
