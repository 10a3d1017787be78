import Foundation
import ArgumentParser
import FiberNodeDomain
import FiberNodeStore
import FiberNodeStrings
import FiberNodeMessages
import FiberNodeWhatsApp
import TextSafety

// MARK: - wa resume, wa replies (issue 18)

extension WACommand {
    /// The owner an `--owner` names (business name or id, in the user's scope), else the user.
    static func owner(_ name: String?, db: AppDatabase, user: Actor, s: Strings) throws -> OwnerOption? {
        guard let name, !name.isEmpty else { return nil }
        let all = try db.owners(actor: user)
        guard let o = all.first(where: { $0.id == name || $0.businessName.caseInsensitiveCompare(name) == .orderedSame }) else {
            throw CLIFailure(message: s.f(.errInvalid, "--owner", all.map(\.businessName).joined(separator: " | ")), code: 2)
        }
        return o
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume a queue the breaker paused (last sends failed, number banned or logged out).")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Whose queue (business name; superadmin only). Default: your own.") var owner: String?
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                    let o = try WACommand.owner(owner, db: db, user: user.actor, s: s)
                    let ownerId = o?.id ?? user.id
                    let name = o?.businessName ?? user.businessName
                    let resumed = try db.resumeSession(ownerId: ownerId, actor: user.actor, context: cli.context)
                    if global.json { cli.printJSON(["owner": name, "resumed": resumed]) }
                    else { print(resumed ? s.f(.waResumed, name) : s[.waNotPaused]) }
            }
        }
    }

    struct Replies: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Customers' WhatsApp replies in the user's scope, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Only this customer's (id or code).") var customer: String?
        @Option(name: .long, help: "At most this many rows.") var limit: Int = 200
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, _ in
                    let rows = try db.inboundMessages(actor: user.actor, customerId: customer, limit: limit)
                    let f = ISO8601DateFormatter()
                    if global.json {
                        let items: [[String: Any]] = rows.map { ["id": $0.id, "customer": $0.customerName ?? "", "phone": $0.phone, "text": $0.body,
                                                                 "gateway": $0.gateway, "received_at": f.string(from: $0.receivedAt)] }
                        cli.printJSON(items)   // customers' words: C1 controls and DEL escaped too
                    } else {
                        for r in rows {
                            let text = Sanitizer.clean(r.body).replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
                            print([f.string(from: r.receivedAt), Sanitizer.clean(r.customerName ?? ""), r.phone, text].joined(separator: "\t"))
                        }
                    }
            }
        }
    }
}
