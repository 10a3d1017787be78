import Foundation
import ArgumentParser
import FiberNodeDomain
import FiberNodeStore
import FiberNodeStrings
import FiberNodeMessages
import FiberNodeRouterOS
import FiberNodeRouters
import TextSafety

// `routers …` and `customers set-service` (issue 15). The router password comes from
// $FIBERNODE_ROUTER_PASSWORD or a prompt without echo; it is never an argument nor printed.

extension CLI {
    func routerPassword(_ name: String, _ s: Strings) throws -> String {
        if let p = env["FIBERNODE_ROUTER_PASSWORD"] { return p }
        guard isatty(STDIN_FILENO) == 1, let p = getpass(s.f(.rtPasswordPrompt, name)) else {
            throw CLIFailure(message: s.f(.cliNoTTY, "FIBERNODE_ROUTER_PASSWORD"), code: 3)
        }
        return String(cString: p)
    }

    func applier(_ db: AppDatabase) -> RouterApplier {
        let t = Double(env["FIBERNODE_ROUTER_TIMEOUT"] ?? "") ?? 5
        return RouterApplier(db: db, context: context, timeout: max(0.2, min(t, 60)))
    }

    func stderr(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

    /// After an isolate / restore: apply the router change now and say how it went.
    /// Returns `none`, `done` or `pending` (for --json).
    func applyRouter(customerId: String, _ db: AppDatabase, _ s: Strings) -> String {
        let ap = applier(db)
        let routerName = (try? db.serviceLink(customerId: customerId))?.routerName ?? ""
        switch ap.apply(customerId: customerId) {
        case .none: return "none"
        case .done: stderr(s.f(.rtApplied, routerName)); return RouterActionStatus.done.rawValue
        case .pending(let e): stderr(s.f(.rtQueued, routerName, s.describe(e))); return RouterActionStatus.pending.rawValue
        }
    }
}

struct RoutersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "routers", abstract: "MikroTik routers (superadmin).",
        subcommands: [Add.self, List.self, Test.self, Remove.self, Link.self, Reconcile.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a router; password from $FIBERNODE_ROUTER_PASSWORD or a prompt.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The router's name in FiberNode.") var name: String
        @Option(name: .long, help: "https://HOST, http://HOST:PORT (LAN), api://HOST:8728 or api-ssl://HOST:8729") var url: String
        @Option(name: .long, help: "RouterOS user (a group with api/rest-api, read, write only).") var username: String
        @Option(name: .long, help: "Owner (business name) when the router serves a mitra's area.") var owner: String?
        @Option(name: .customLong("isolate-profile"), help: "PPP profile of isolated customers.") var isolateProfile = "isolir"
        @Option(name: .customLong("address-list"), help: "Address list of isolated static-IP customers.") var addressList = "fibernode-isolir"
        @Option(name: .long, help: "SHA-256 fingerprint of the router's self-signed certificate.") var fingerprint: String?
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                let password = try cli.routerPassword(name, s)
                let r = try db.addRouter(RouterInput(name: name, ownerId: owner, url: url, username: username, password: password,
                                                     isolateProfile: isolateProfile, addressList: addressList,
                                                     fingerprint: fingerprint ?? ""), actor: user.actor, context: cli.context)
                if let ep = try? RouterEndpoint(url: r.url, username: "", password: "", fingerprint: nil), ep.isPlainText {
                    cli.stderr(s.f(.rtPlainWarning, r.url))
                }
                if global.json { cli.printJSON(RoutersCommand.json(r)) } else { print(s.f(.rtAdded, r.name)) }
            }
        }
    }

    static func json(_ r: RouterRow) -> [String: Any] {
        ["id": r.id, "name": r.name, "owner": r.area, "url": r.url, "username": r.username, "password": "********",
         "isolate_profile": r.isolateProfile, "address_list": r.addressList, "fingerprint": r.fingerprint ?? NSNull(),
         "reachable": r.reachable.map { $0 as Any } ?? NSNull(), "last_error": r.lastError ?? NSNull(),
         "pending": r.pending, "linked": r.linked, "version": r.rosVersion ?? NSNull(), "identity": r.identity ?? NSNull()]
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Routers with reachability, last error and pending actions.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                let rows = try db.routers(actor: user.actor)
                if global.json { cli.printJSON(["routers": rows.map(RoutersCommand.json)]); return }
                if rows.isEmpty { print(s[.rtNone]); return }
                for r in rows {
                    print([r.name, r.area, r.url, r.username, "********", s.reachability(r), "\(r.pending)", "\(r.linked)",
                           s.routerReason(r.lastError)].joined(separator: "\t"))
                }
            }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Log in and print the RouterOS version, board and identity.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Router name.") var name: String
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                let conn = try db.routerConnection(name, actor: user.actor)
                if let ep = try? cli.applier(db).endpoint(conn), ep.isPlainText { cli.stderr(s.f(.rtPlainWarning, conn.url)) }
                do {
                    let info = try cli.applier(db).test(conn)
                    if global.json {
                        cli.printJSON(["name": conn.name, "identity": info.identity, "version": info.version, "board": info.board])
                    } else { print(s.f(.rtTestOK, conn.name, info.identity, info.version, info.board)) }
                } catch let e as RouterOSError {
                    throw CLIFailure(message: s.f(.rtTestFailed, conn.name, s.describe(e)), code: e.code == .login ? 3 : 1)
                }
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a router with its links and queued actions.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Router name.") var name: String
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                let r = try db.router(name, actor: user.actor)
                try db.removeRouter(r.id, actor: user.actor, context: cli.context)
                if global.json { cli.printJSON(["removed": r.name]) } else { print(s.f(.rtRemoved, r.name)) }
            }
        }
    }

    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Propose links of the router's PPPoE secrets to customers; --apply saves them.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Router name.") var name: String
        @Flag(name: .long, help: "Save the proposed links.") var apply = false
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                let conn = try db.routerConnection(name, actor: user.actor)
                let proposals: [LinkProposal]
                do { proposals = try cli.applier(db).proposeLinks(conn, actor: user.actor) } catch let e as RouterOSError {
                    throw CLIFailure(message: s.f(.rtTestFailed, conn.name, s.describe(e)), code: 1)
                }
                var saved = 0
                if apply, !proposals.isEmpty {
                    saved = try db.saveLinks(router: conn.id, links: proposals.map { ($0.customerId, .pppoe, $0.secret) },
                                             actor: user.actor, context: cli.context)
                }
                if global.json {
                    cli.printJSON(["proposals": proposals.map { ["secret": $0.secret, "customer": $0.customerCode, "name": $0.customerName,
                                                                  "match": $0.reason.rawValue] }, "applied": saved])
                    return
                }
                if proposals.isEmpty { print(s[.rtNoProposals]); return }
                for p in proposals { print(s.f(.rtProposal, p.secret, p.customerCode, Sanitizer.clean(p.customerName), s.matchReason(p.reason))) }
                print(apply ? s.f(.rtLinksSaved, saved) : s.f(.rtLinkHint, proposals.count))
            }
        }
    }

    struct Reconcile: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compare FiberNode's wanted state with the router; dry run unless --apply.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Router name.") var name: String
        @Flag(name: .long, help: "Fix the differences that can be fixed.") var apply = false
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                let conn = try db.routerConnection(name, actor: user.actor)
                let report: ReconcileReport
                do { report = try cli.applier(db).reconcile(conn, apply: apply) } catch let e as RouterOSError {
                    throw CLIFailure(message: s.f(.rtTestFailed, conn.name, s.describe(e)), code: 1)
                }
                if apply, report.applied > 0 {
                    try? db.auditReconcile(routerId: conn.id, applied: report.applied, actor: user.actor, context: cli.context)
                }
                if global.json {
                    cli.printJSON(["differences": report.differences.map { d -> [String: Any] in
                        var j = d.json; j["text"] = s.describe(d, addressList: conn.addressList); return j
                    }, "applied": report.applied])
                    return
                }
                if report.differences.isEmpty { print(s.f(.rtInSync, conn.name, report.secrets, report.entries)); return }
                for d in report.differences { print(Sanitizer.clean(s.describe(d, addressList: conn.addressList))) }
                print(apply ? s.f(.rtReconcileApplied, report.applied) : s.f(.rtReconcileHint, report.differences.count))
            }
        }
    }
}

// MARK: - customers set-service

struct SetServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set-service",
        abstract: "Link a customer to its router entry: a PPPoE secret or a static IP (superadmin).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Customer id or code.") var customer: String
    @Option(name: .long, help: "Router name.") var router: String
    @Option(name: .long, help: "PPPoE secret name.") var pppoe: String?
    @Option(name: .long, help: "Static IP address.") var ip: String?
    func run() throws {
        let cli = CLI(global)
        var target: (ServiceKind, String) = (.pppoe, "")
        try cli.asUser(validate: { s in
            switch (pppoe, ip) {
            case (let p?, nil): target = (.pppoe, p)
            case (nil, let i?): target = (.ip, i)
            default: throw CLIFailure(message: s[.rtNeedTarget], code: 2)
            }
        }) { db, user, s in
            let link = try db.setService(customer: customer, router: router, kind: target.0, target: target.1,
                                         actor: user.actor, context: cli.context)
            let c = try db.customer(id: link.customerId, actor: user.actor)
            // A customer already isolated: its isolation goes to the router now.
            let routerState = c.customerStatus == .isolated ? cli.applyRouter(customerId: c.id, db, s) : "none"
            if global.json {
                cli.printJSON(["customer": c.code, "router": link.routerName, "kind": link.kind, "target": link.target, "router_action": routerState])
            } else {
                print(s.f(.rtServiceSet, c.code, Sanitizer.clean(c.name), link.routerName, link.kind == "ip" ? "IP" : "PPPoE", link.target))
            }
        }
    }
}
