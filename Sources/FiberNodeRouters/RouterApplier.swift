import Foundation
import FiberNodeDomain
import FiberNodeStore
import FiberNodeRouterOS

/// The outcome of applying one customer's pending router action.
public enum ApplyOutcome: Sendable, Equatable {
    case none                                  // not linked: nothing for the router
    case done                                  // applied and read back
    case pending(RouterOSError)                // kept in the outbox with the router's reason
}

/// What a worker pass did.
public struct ApplyReport: Sendable, Equatable {
    public var done = 0
    public var failed = 0
    public init() {}
}

/// Applies `router_actions` (Store + RouterOS): change, read back, only then done. Changes
/// only secrets' profiles, active sessions and address-list entries FiberNode owns (comment
/// `fibernode:<code>`); never `/ip/service`, users or firewall rules.
public final class RouterApplier {
    public let db: AppDatabase
    public let context: StoreContext
    /// Seconds for connecting and for each reply.
    public var timeout: Double
    /// How a client is made (tests may count or replace it).
    public var connect: (RouterEndpoint) throws -> RouterOSClient = { try RouterOS.connect($0) }

    public init(db: AppDatabase, context: StoreContext, timeout: Double = 5) {
        self.db = db; self.context = context; self.timeout = timeout
    }

    public func endpoint(_ c: RouterConnection) throws -> RouterEndpoint {
        try RouterEndpoint(url: c.url, username: c.username, password: c.password, fingerprint: c.fingerprint, timeout: timeout)
    }

    func client(_ c: RouterConnection) throws -> RouterOSClient {
        try connect(try endpoint(c))
    }

    /// Logs in and reads identity, version and board; records the contact.
    public func test(_ c: RouterConnection) throws -> RouterInfo {
        do {
            let cl = try client(c)
            defer { cl.close() }
            let info = try cl.info()
            try? db.recordRouterContact(id: c.id, error: nil, identity: info.identity, version: info.version, board: info.board,
                                        context: context)
            return info
        } catch let e as RouterOSError {
            try? db.recordRouterContact(id: c.id, error: e.description, context: context)
            throw e
        }
    }

    /// After an isolate / restore: apply this customer's pending action now, if any.
    public func apply(customerId: String) -> ApplyOutcome {
        guard let actions = try? db.pendingRouterActions(due: nil, customerId: customerId), let a = actions.last else { return .none }
        return run([a]).first?.1 ?? .none
    }

    /// The worker's pass: every due action, one connection per router.
    @discardableResult
    public func applyDue() -> ApplyReport {
        var report = ApplyReport()
        guard let due = try? db.pendingRouterActions(due: context.clock.now()) else { return report }
        for (_, outcome) in run(due) {
            if case .done = outcome { report.done += 1 } else if case .pending = outcome { report.failed += 1 }
        }
        return report
    }

    func run(_ actions: [RouterAction]) -> [(RouterAction, ApplyOutcome)] {
        var out: [(RouterAction, ApplyOutcome)] = []
        var byRouter: [String: [RouterAction]] = [:]
        var order: [String] = []
        for a in actions {
            if byRouter[a.routerId] == nil { order.append(a.routerId) }
            byRouter[a.routerId, default: []].append(a)
        }
        for rid in order {
            let list = byRouter[rid]!
            let conn: RouterConnection
            do { conn = try db.routerConnection(id: rid) } catch { continue }
            var cl: RouterOSClient?
            do { cl = try client(conn) } catch {
                let e = (error as? RouterOSError) ?? RouterOSError(.unreachable, "\(error)")
                try? db.recordRouterContact(id: rid, error: e.description, context: context)
                for a in list { try? db.failRouterAction(id: a.id, reason: e.description, context: context); out.append((a, .pending(e))) }
                continue
            }
            var reachable = true
            var lastError: RouterOSError?
            for a in list {
                guard let c = cl else { break }
                do {
                    try perform(a, conn: conn, client: c)
                    try db.completeRouterAction(id: a.id, context: context)
                    out.append((a, .done))
                } catch {
                    let e = (error as? RouterOSError) ?? RouterOSError(.protocolError, "\(error)")
                    try? db.failRouterAction(id: a.id, reason: e.description, context: context)
                    out.append((a, .pending(e)))
                    lastError = e
                    // A broken connection: the rest wait for the next pass.
                    if [.timeout, .dropped, .fatal, .unreachable, .tls].contains(e.code) { reachable = false; c.close(); cl = nil }
                }
            }
            if cl == nil {
                for a in list where !out.contains(where: { $0.0.id == a.id }) {
                    let e = lastError ?? RouterOSError(.dropped)
                    try? db.failRouterAction(id: a.id, reason: e.description, context: context); out.append((a, .pending(e)))
                }
            }
            cl?.close()
            try? db.recordRouterContact(id: rid, error: reachable ? nil : lastError?.description, context: context)
        }
        return out
    }

    /// One action: change, then read back.
    func perform(_ a: RouterAction, conn: RouterConnection, client: RouterOSClient) throws {
        let comment = RouterStore.comment(code: a.customerCode)
        switch (a.serviceKind, a.isIsolate) {
        case (.pppoe, true):
            guard let s = try client.secrets(name: a.target).first(where: { $0.name == a.target }) else {
                throw RouterOSError(.notFound, "PPPoE \(a.target)")
            }
            if s.profile != conn.isolateProfile {
                try db.rememberRestoreProfile(customerId: a.customerId, profile: s.profile)
                try client.setSecretProfile(id: s.id, profile: conn.isolateProfile)
            }
            try dropSessions(a.target, client)
            let back = try client.secrets(name: a.target).first(where: { $0.name == a.target })
            guard back?.profile == conn.isolateProfile else {
                throw RouterOSError(.readBack, "PPPoE \(a.target): \(back?.profile ?? "-")")
            }
        case (.pppoe, false):
            guard let s = try client.secrets(name: a.target).first(where: { $0.name == a.target }) else {
                throw RouterOSError(.notFound, "PPPoE \(a.target)")
            }
            if s.profile == conn.isolateProfile {
                let restore = (try db.serviceLink(customerId: a.customerId))?.restoreProfile ?? "default"
                try client.setSecretProfile(id: s.id, profile: restore)
                try dropSessions(a.target, client)
            }
            let back = try client.secrets(name: a.target).first(where: { $0.name == a.target })
            guard let p = back?.profile, p != conn.isolateProfile else {
                throw RouterOSError(.readBack, "PPPoE \(a.target): \(back?.profile ?? "-")")
            }
        case (.ip, true):
            let entries = try client.addressList(list: conn.addressList).filter { $0.list == conn.addressList && $0.address == a.target }
            if entries.isEmpty { try client.addAddressListEntry(list: conn.addressList, address: a.target, comment: comment) }
            let back = try client.addressList(list: conn.addressList)
            guard back.contains(where: { $0.list == conn.addressList && $0.address == a.target }) else {
                throw RouterOSError(.readBack, "\(conn.addressList) \(a.target)")
            }
        case (.ip, false):
            // Only the entries FiberNode owns (by comment) are removed.
            for e in try client.addressList(list: conn.addressList)
            where e.list == conn.addressList && e.address == a.target && e.comment == comment {
                try client.removeAddressListEntry(id: e.id)
            }
            let back = try client.addressList(list: conn.addressList)
            guard !back.contains(where: { $0.list == conn.addressList && $0.address == a.target && $0.comment == comment }) else {
                throw RouterOSError(.readBack, "\(conn.addressList) \(a.target)")
            }
        }
    }

    func dropSessions(_ name: String, _ client: RouterOSClient) throws {
        for s in try client.activeSessions(name: name) where s.name == name {
            do { try client.removeActive(id: s.id) } catch let e as RouterOSError where e.code == .refused {
                // Already gone (the session ended between the read and the remove).
            }
        }
    }
}
