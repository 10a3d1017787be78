import Foundation
import ArgumentParser
import FiberNodeDomain
import FiberNodeStore
import FiberNodeReports
import FiberNodeStrings
import FiberNodeMessages
import TextSafety

// The payment ledger and money by the day it came in (issue 14).

extension CLI {
    func paymentJSON(_ p: PaymentRow) -> [String: Any] {
        var j: [String: Any] = ["id": p.id, "invoice": p.invoiceNumber, "customer_code": p.customerCode, "amount": p.amount,
                                "method": p.method, "reference": p.reference ?? "", "note": p.note ?? "",
                                "paid_at": ISO8601DateFormatter().string(from: p.paidAt), "paid_on": p.paidOn,
                                "recorded_by": p.recordedByName ?? "", "voided": p.isVoided, "area": p.area]
        if let f = p.flag { j["flag"] = f }
        if let d = p.deviceId { j["device_id"] = d }
        if let v = p.voidedAt { j["voided_at"] = ISO8601DateFormatter().string(from: v); j["void_reason"] = p.voidReason ?? "" }
        return j
    }

    /// `--from` / `--to` as business dates (exit 2 when malformed or reversed).
    func dateRange(_ from: String?, _ to: String?, _ s: Strings) throws -> (LocalDate?, LocalDate?) {
        var f: LocalDate?, t: LocalDate?
        if let from { guard let d = LocalDate(from) else { throw CLIFailure(message: s.f(.errInvalid, "--from", "YYYY-MM-DD"), code: 2) }; f = d }
        if let to { guard let d = LocalDate(to) else { throw CLIFailure(message: s.f(.errInvalid, "--to", "YYYY-MM-DD"), code: 2) }; t = d }
        if let f, let t, f > t { throw CLIFailure(message: s.f(.errInvalid, "--to", "≥ --from"), code: 2) }
        return (f, t)
    }
}

struct PaymentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "payments", abstract: "The payment ledger: list, void one payment.",
                                                    subcommands: [List.self, VoidPayment.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Payments in the user's scope, newest first (voided ones marked).")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Only this invoice (id or number).") var invoice: String?
        @Option(name: .long, help: "First payment date, YYYY-MM-DD.") var from: String?
        @Option(name: .long, help: "Last payment date, YYYY-MM-DD (inclusive).") var to: String?
        @Option(name: .long, help: "Only this owner (business name; superadmin).") var owner: String?
        @Option(name: .long, help: "At most this many rows.") var limit: Int = 1000
        func run() throws {
            let cli = CLI(global)
            try cli.asUser(checking: { s in try cli.dateRange(from, to, s) }) { db, user, s, range in
                    let (f, t) = range
                    let rows = try db.payments(actor: user.actor, filter: PaymentFilter(invoice: invoice, from: f, to: t,
                                                                                         ownerId: try cli.ownerId(db, owner, actor: user.actor)),
                                               limit: max(1, limit))
                    if global.json {
                        cli.printJSON(rows.map(cli.paymentJSON))
                    } else {
                        for p in rows {
                            print([p.id, p.paidOn, p.invoiceNumber, p.customerName, Rupiah(p.amount).formatted, s.methodName(p.method),
                                   p.reference ?? "", p.recordedByName ?? "", p.isVoided ? s[.payVoidedMark] : ""]
                                .map(Sanitizer.clean).joined(separator: "\t"))
                        }
                    }
            }
        }
    }

    struct VoidPayment: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "void", abstract: "Void one payment (kept, marked with who/when/why); the invoice is recomputed.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Payment id (see `payments list`).") var payment: String
        @Option(name: .long, help: "Why (required).") var reason: String?
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 4) unless the invoice still has this version.") var expectVersion: Int?
        func run() throws {
            let cli = CLI(global)
            try cli.asUser(validate: { s in
                guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw CLIFailure(message: s.message(for: StoreError.invalid(field: "--reason", reason: .required)), code: 2)
                }
            }) { db, user, s in
                    let inv = try db.voidPayment(payment, reason: reason ?? "", expectedVersion: expectVersion, actor: user.actor, context: cli.context)
                    if global.json { cli.printJSON(["payment": payment, "invoice": cli.invoiceJSON(inv)]) }
                    else { print(Sanitizer.clean(s.f(.payVoided, payment, inv.number, s.name(inv.invoiceStatus)))) }
            }
        }
    }
}

struct FinanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "finance", abstract: "Finance reports.", subcommands: [Collected.self])

    struct Collected: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Money received by payment date (not by invoice period), voids excluded.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "First payment date, YYYY-MM-DD.") var from: String
        @Option(name: .long, help: "Last payment date, YYYY-MM-DD (inclusive).") var to: String
        @Option(name: .long, help: "Only this owner (business name; superadmin).") var owner: String?
        func run() throws {
            let cli = CLI(global)
            try cli.asUser(checking: { s in try cli.dateRange(from, to, s) }) { db, user, s, range in
                    let (f, t) = range
                    let c = try db.collected(actor: user.actor, from: f!, to: t!, ownerId: try cli.ownerId(db, owner, actor: user.actor))
                    if global.json {
                        cli.printJSON(["from": f!.description, "to": t!.description, "total": c.total, "count": c.count,
                                       "by_method": c.byMethod,
                                       "by_owner": c.byOwner.map { ["owner": $0.businessName, "owner_id": $0.ownerId, "total": $0.amount, "count": $0.count] as [String: Any] },
                                       "by_day": c.byDay.map { ["date": $0.day.description, "total": $0.amount, "count": $0.count] as [String: Any] }])
                    } else {
                        print(s.f(.cliCollected, f!.description, t!.description, Rupiah(c.total).formatted, c.count))
                        for m in PaymentMethod.allCases where c.byMethod[m.rawValue] != nil {
                            print("  " + s.methodName(m.rawValue) + "\t" + Rupiah(c.byMethod[m.rawValue]!).formatted)
                        }
                        for o in c.byOwner { print("  " + Sanitizer.clean(o.businessName) + "\t" + Rupiah(o.amount).formatted + "\t\(o.count)") }
                    }
            }
        }
    }
}

extension ExportCommand {
    struct Payments: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export the payments received in a date range (by payment date; a mitra: its own).")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "First payment date, YYYY-MM-DD.") var from: String
        @Option(name: .long, help: "Last payment date, YYYY-MM-DD (inclusive).") var to: String
        @Option(name: .long, help: "Only this owner's payments (business name; superadmin).") var owner: String?
        @Option(name: .long, help: "csv or xlsx.") var format: String = "csv"
        @Flag(name: .long, help: "Start the CSV with a UTF-8 byte-order mark (for Excel).") var bom = false
        @Option(name: .short, help: "Output file (a mitra: a name in its export folder). Never replaces a file without --force.") var o: String
        @Flag(name: .long, help: "Replace an existing file (never the database, a backup, a folder or a symlink).") var force = false

        func run() throws {
            let cli = CLI(global)
            try cli.asUser(checking: { s in (try ExportCommand.format(format, o, s), try cli.dateRange(from, to, s)) }) { db, user, s, input in
                let (fmt, (f, t)) = input
                let ownerId = try cli.ownerId(db, owner, actor: user.actor)
                guard user.actor.can(.exportFinance) else { throw StoreError.notPermitted }
                // the same output policy as `export invoices`
                let path = try cli.resolveOutput(o, db: db, actor: user.actor, extensions: fmt.extensions, force: force, s)
                let r = try PaymentExporter.export(db: db, actor: user.actor, from: f!, to: t!, ownerId: ownerId, format: fmt, to: path,
                                                   force: force, language: s.language.rawValue, bom: bom, timeZone: try db.settings().timeZone)
                if global.json { cli.printJSON(["exported": r.rows, "file": path, "total": r.total, "count": r.count]) }
                else { print(s.f(.expPaymentsDone, r.rows, path, Rupiah(r.total).formatted)) }
            }
        }
    }
}

extension CustomersCommand {
    struct Promise: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A promise to pay: automatic isolation waits until after that date (issue 14).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Customer id or code.") var customer: String
        @Option(name: .long, help: "YYYY-MM-DD (today … 90 days ahead); `none` removes the promise.") var until: String?
        @Option(name: .long, help: "A note (who promised, how).") var note: String = ""
        func run() throws {
            let cli = CLI(global)
            try cli.asUser(validate: { s in
                guard let until else { throw CLIFailure(message: s.message(for: StoreError.invalid(field: "--until", reason: .required)), code: 2) }
                if until != "none", LocalDate(until) == nil { throw CLIFailure(message: s.f(.errInvalid, "--until", "YYYY-MM-DD"), code: 2) }
            }) { db, user, s in
                    let date = until == "none" ? nil : LocalDate(until ?? "")
                    let st = try db.promise(customer, until: date, note: note, today: cli.today(db), actor: user.actor, context: cli.context)
                    let c = try db.customer(id: customer, actor: user.actor)
                    if global.json {
                        cli.printJSON(["id": c.id, "code": c.code, "promise_until": st.promiseUntil?.description ?? "", "note": st.promiseNote ?? ""])
                    } else if let d = st.promiseUntil {
                        print(Sanitizer.clean(s.f(.promiseSaved, c.code, c.name, d.display(language: s.language.rawValue))))
                    } else { print(Sanitizer.clean(s.f(.promiseCleared, c.code, c.name))) }
            }
        }
    }
}

struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "users", abstract: "User accounts.", subcommands: [Unlock.self])

    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a login lockout (superadmin); audited.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Username.") var name: String
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                let was = try db.unlockUser(name, actor: user.actor, context: cli.context)
                if global.json { cli.printJSON(["username": name, "was_locked": was]) }
                else { print(Sanitizer.clean(s.f(was ? .userUnlocked : .userNotLocked, name))) }
            }
        }
    }
}
