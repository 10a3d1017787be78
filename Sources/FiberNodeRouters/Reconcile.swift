import Foundation
import FiberNodeDomain
import FiberNodeStore
import FiberNodeRouterOS

/// One way the router and FiberNode disagree, and what `--apply` would do about it.
public struct Difference: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case shouldBeIsolated   // isolated in FiberNode, browsing on the router → isolate on the router
        case shouldBeActive     // active in FiberNode, isolated on the router → restore on the router
        case orphanEntry        // an address-list entry with FiberNode's comment that no customer wants → remove it
        case orphanSecret       // a secret with FiberNode's comment in the isolation profile, no customer linked → reported
        case missingSecret      // a linked PPPoE secret not on the router → reported (link again)
    }
    public var kind: Kind
    public var customerCode: String?
    public var customerName: String?
    public var target: String           // secret name or IP
    public var fixable: Bool { kind == .shouldBeIsolated || kind == .shouldBeActive || kind == .orphanEntry }
    public var routerState: String      // what the router has now (profile / "in list" / "-")

    public var json: [String: Any] {
        ["kind": kind.rawValue, "customer": customerCode ?? NSNull(), "target": target, "router_state": routerState,
         "fix": fixable ? kind.rawValue : "none"]
    }
}

/// Differences and how many were fixed.
public struct ReconcileReport: Sendable, Equatable {
    public var differences: [Difference] = []
    public var applied = 0
    public var secrets = 0
    public var entries = 0
}

extension RouterApplier {
    /// Reads everything, diffs with the wanted state; with `apply`, fixes what can be fixed.
    public func reconcile(_ conn: RouterConnection, apply: Bool) throws -> ReconcileReport {
        let cl: RouterOSClient
        do { cl = try client(conn) } catch {
            if let e = error as? RouterOSError { try? db.recordRouterContact(id: conn.id, error: e.description, context: context) }
            throw error
        }
        defer { cl.close() }
        var report = ReconcileReport()
        let wanted = try db.wantedServices(routerId: conn.id)
        let secrets = try cl.secrets(name: nil)
        let entries = try cl.addressList(list: conn.addressList).filter { $0.list == conn.addressList }
        report.secrets = secrets.count; report.entries = entries.count
        try? db.recordRouterContact(id: conn.id, error: nil, context: context)
        var secretByName: [String: PPPSecret] = [:]
        for s in secrets { secretByName[s.name] = s }
        var entriesByAddress: [String: [AddressListEntry]] = [:]
        for e in entries { entriesByAddress[e.address, default: []].append(e) }
        var wantedComments = Set<String>()
        var linkedSecrets = Set<String>()
        var fixes: [(Difference, () throws -> Void)] = []

        for w in wanted {
            let comment = RouterStore.comment(code: w.code)
            if w.kind == "pppoe" {
                linkedSecrets.insert(w.target)
                guard let s = secretByName[w.target] else {
                    report.differences.append(Difference(kind: .missingSecret, customerCode: w.code, customerName: w.name,
                                                         target: w.target, routerState: "-"))
                    continue
                }
                let onRouterIsolated = s.profile == conn.isolateProfile
                if w.isolated && !onRouterIsolated {
                    let d = Difference(kind: .shouldBeIsolated, customerCode: w.code, customerName: w.name, target: w.target,
                                       routerState: s.profile)
                    report.differences.append(d)
                    fixes.append((d, {
                        try self.db.rememberRestoreProfile(customerId: w.customerId, profile: s.profile)
                        try cl.setSecretProfile(id: s.id, profile: conn.isolateProfile)
                        try self.dropSessions(w.target, cl)
                    }))
                } else if !w.isolated && onRouterIsolated {
                    let d = Difference(kind: .shouldBeActive, customerCode: w.code, customerName: w.name, target: w.target,
                                       routerState: s.profile)
                    report.differences.append(d)
                    fixes.append((d, {
                        try cl.setSecretProfile(id: s.id, profile: w.restoreProfile ?? "default")
                        try self.dropSessions(w.target, cl)
                    }))
                }
            } else {
                let here = entriesByAddress[w.target] ?? []
                if w.isolated {
                    wantedComments.insert(comment + "|" + w.target)
                    if here.isEmpty {
                        let d = Difference(kind: .shouldBeIsolated, customerCode: w.code, customerName: w.name, target: w.target,
                                           routerState: "-")
                        report.differences.append(d)
                        fixes.append((d, { try cl.addAddressListEntry(list: conn.addressList, address: w.target, comment: comment) }))
                    }
                } else {
                    let ours = here.filter { $0.comment == comment }
                    if !ours.isEmpty {
                        wantedComments.insert(comment + "|" + w.target)   // handled here, not as an orphan
                        let d = Difference(kind: .shouldBeActive, customerCode: w.code, customerName: w.name, target: w.target,
                                           routerState: conn.addressList)
                        report.differences.append(d)
                        fixes.append((d, { for e in ours { try cl.removeAddressListEntry(id: e.id) } }))
                    }
                }
            }
        }
        // FiberNode's own entries that no customer wants.
        for e in entries where e.comment.hasPrefix("fibernode:") && !wantedComments.contains(e.comment + "|" + e.address) {
            let d = Difference(kind: .orphanEntry, customerCode: String(e.comment.dropFirst("fibernode:".count)), customerName: nil,
                               target: e.address, routerState: conn.addressList)
            report.differences.append(d)
            fixes.append((d, { try cl.removeAddressListEntry(id: e.id) }))
        }
        for s in secrets where s.comment.hasPrefix("fibernode:") && !linkedSecrets.contains(s.name) && s.profile == conn.isolateProfile {
            report.differences.append(Difference(kind: .orphanSecret, customerCode: String(s.comment.dropFirst("fibernode:".count)),
                                                 customerName: nil, target: s.name, routerState: s.profile))
        }
        if apply {
            for (_, fix) in fixes {
                try fix()
                report.applied += 1
            }
        }
        try? db.recordDrift(routerId: conn.id, differences: report.differences.count - report.applied, context: context)
        return report
    }
}

extension RouterApplier {
    /// The worker's daily dry run: each router not reconciled in the last 24 hours is read and
    /// compared; the count of differences goes to the dashboard. Returns how many ran.
    @discardableResult
    public func reconcileDue() -> Int {
        guard let due = try? db.routersDueForReconcile(before: context.clock.now().addingTimeInterval(-86_400)) else { return 0 }
        var n = 0
        for id in due {
            guard let conn = try? db.routerConnection(id: id) else { continue }
            if (try? reconcile(conn, apply: false)) != nil { n += 1 }
            else { try? db.markReconcileTried(routerId: id, context: context) }   // not every tick against a router that is away
        }
        return n
    }
}

/// A proposed link of a router's PPPoE secret to a customer.
public struct LinkProposal: Sendable, Equatable {
    public enum Reason: String, Sendable { case comment, name, phone }
    public var secret: String
    public var customerId: String
    public var customerCode: String
    public var customerName: String
    public var reason: Reason
}

extension RouterApplier {
    /// Reads the router's secrets and proposes one customer for each secret that matches exactly
    /// one unlinked customer: by code or name in the comment, by name, or by phone.
    public func proposeLinks(_ conn: RouterConnection, actor: Actor) throws -> [LinkProposal] {
        let cl = try client(conn)
        defer { cl.close() }
        let secrets = try cl.secrets(name: nil)
        let linkedHere = Set(try db.wantedServices(routerId: conn.id).filter { $0.kind == "pppoe" }.map(\.target))
        let candidates = try db.linkCandidates(routerId: conn.id, actor: actor).filter { !$0.linked }
        func key(_ s: String) -> String { s.lowercased().filter { $0.isLetter || $0.isNumber } }
        var byCode: [String: [LinkCandidate]] = [:], byName: [String: [LinkCandidate]] = [:], byPhone: [String: [LinkCandidate]] = [:]
        for c in candidates {
            byCode[c.code.uppercased(), default: []].append(c)
            byName[key(c.name), default: []].append(c)
            byPhone[c.phone, default: []].append(c)
            if c.phone.hasPrefix("62") { byPhone["0" + c.phone.dropFirst(2), default: []].append(c) }
        }
        var used = Set<String>()
        var out: [LinkProposal] = []
        for s in secrets where !linkedHere.contains(s.name) {
            var match: (LinkCandidate, LinkProposal.Reason)?
            let comment = s.comment.trimmingCharacters(in: .whitespaces)
            let codeInComment = comment.uppercased().replacingOccurrences(of: "FIBERNODE:", with: "")
            if let c = byCode[codeInComment], c.count == 1 { match = (c[0], .comment) }
            else if !comment.isEmpty, let c = byName[key(comment)], c.count == 1 { match = (c[0], .comment) }
            else if let c = byName[key(s.name)], c.count == 1 { match = (c[0], .name) }
            else {
                let digits = (s.name + " " + comment).split(whereSeparator: { !$0.isNumber }).map(String.init)
                for d in digits where d.count >= 9 { if let c = byPhone[d], c.count == 1 { match = (c[0], .phone); break } }
            }
            if let (c, reason) = match, !used.contains(c.customerId) {
                used.insert(c.customerId)
                out.append(LinkProposal(secret: s.name, customerId: c.customerId, customerCode: c.code, customerName: c.name, reason: reason))
            }
        }
        return out
    }
}
