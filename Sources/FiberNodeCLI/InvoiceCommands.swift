import Foundation
import ArgumentParser
import FiberNodeDomain
import FiberNodeStore
import FiberNodeReports
import FiberNodeHTTP
import FiberNodeStrings
import FiberNodeMessages

extension CLI {
    /// The business "today" in the configured time zone.
    func today(_ db: AppDatabase) -> LocalDate {
        let tz = (try? db.settings().timeZone) ?? TimeZone(identifier: "Asia/Jakarta")!
        return LocalDate.from(context.clock.now(), in: tz)
    }

    /// `--owner BUSINESS` → owner id (exit 2 when unknown).
    func ownerId(_ db: AppDatabase, _ business: String?, actor: Actor) throws -> String? {
        guard let business else { return nil }
        let owners = try db.owners(actor: actor)
        guard let o = owners.first(where: { $0.businessName.lowercased() == business.lowercased() }) else {
            throw CLIFailure(message: strings(db).f(.errNotFound, business), code: actor.can(.viewAllOwners) ? 2 : 3)
        }
        return o.id
    }

    func invoiceJSON(_ i: InvoiceRow) -> [String: Any] {
        ["id": i.id, "number": i.number, "customer": i.customerName, "customer_code": i.customerCode, "area": i.area,
         "period": i.period, "due_date": i.dueDate, "amount": i.amount, "discount": i.discount, "total": i.totalAmount,
         "paid_amount": i.paidAmount, "status": i.status, "version": i.version, "receipt_token": i.receiptToken ?? "",
         "payment_method": i.paymentMethod ?? ""]
    }
}

// MARK: - invoices

struct InvoicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "invoices", abstract: "Generate, list and mark invoices.",
                                                    subcommands: [Generate.self, List.self, Pay.self, Unpay.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prepaid invoices for a period (default: next month); idempotent.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "YYYY-MM") var period: String?
        @Option(name: .long, help: "Only this owner's customers (business name).") var owner: String?
        @Flag(name: .customLong("dry-run"), help: "Only say what would be created (count, total, how many already past due).") var dryRun = false
        func run() throws {
            let cli = CLI(global)
            try cli.asUser(checking: { s -> Period? in
                guard let period else { return nil }
                guard let v = Period(period) else { throw CLIFailure(message: s.f(.errInvalid, "--period", "YYYY-MM"), code: 2) }
                return v
            }) { db, user, s, given in
                    let p = given ?? cli.today(db).period.next
                    if dryRun {   // issue 14: what the period would create, before creating it
                        let v = try db.previewGeneration(period: p, ownerId: try cli.ownerId(db, owner, actor: user.actor), today: cli.today(db),
                                                         actor: user.actor)
                        if global.json {
                            cli.printJSON(["period": p.description, "would_create": v.count, "total": v.total, "past_due": v.pastDue])
                        } else { print(s.f(.genPreviewCLI, p.description, v.count, Rupiah(v.total).formatted, v.pastDue)) }
                        return
                    }
                    let r = try db.generateInvoices(period: p, ownerId: try cli.ownerId(db, owner, actor: user.actor), actor: user.actor,
                                                    context: cli.context)
                    if global.json { cli.printJSON(["created": r.created, "skipped": r.skipped, "period": p.description]) }
                    else { print(s.f(.invGenerated, r.created, r.skipped, p.description)) }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Invoices in the user's scope.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "YYYY-MM") var period: String?
        @Option(name: .long, help: "unpaid, paid or partial") var status: String?
        @Option(name: .long, help: "Only this owner (business name).") var owner: String?
        @Option(name: .long, help: "At most this many rows.") var limit: Int = 1000
        func run() throws {
            let cli = CLI(global)
            try cli.asUser(validate: { s in
                if let period, Period(period) == nil { throw CLIFailure(message: s.f(.errInvalid, "--period", "YYYY-MM"), code: 2) }
                if let status, InvoiceStatus(rawValue: status) == nil {
                    throw CLIFailure(message: s.f(.errInvalid, "--status", InvoiceStatus.allCases.map(\.rawValue).joined(separator: " | ")), code: 2)
                }
            }) { db, user, s in
                    let filter = InvoiceFilter(period: period, status: status, ownerId: try cli.ownerId(db, owner, actor: user.actor))
                    var rows: [InvoiceRow] = []
                    var cursor: InvoiceCursor? = nil
                    while rows.count < limit {
                        let want = min(500, limit - rows.count)
                        let page = try db.invoices(actor: user.actor, filter: filter, after: cursor, limit: want)
                        rows += page
                        guard page.count == want, let last = page.last else { break }
                        cursor = InvoiceCursor(last)
                    }
                    if global.json {
                        let data = try JSONSerialization.data(withJSONObject: rows.map(cli.invoiceJSON), options: [.sortedKeys])
                        print(TerminalText.escapeJSON(String(decoding: data, as: UTF8.self)))
                    } else {
                        for r in rows {
                            print(TerminalText.row([r.number, r.customerCode, r.customerName, r.area, r.period, r.dueDate,
                                                    Rupiah(r.totalAmount).formatted, s.name(r.invoiceStatus), "v\(r.version)"]))
                        }
                    }
            }
        }
    }

    struct Pay: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an invoice paid (partial with --amount).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Invoice id or number.") var invoice: String
        @Option(name: .long, help: "cash, transfer, qris, ewallet or other (or tunai, transfer, qris, e-wallet, lainnya)") var method: String = "cash"
        @Option(name: .long, help: "Transfer number, QRIS id … (kept with the payment).") var reference: String = ""
        @Option(name: .long, help: "Amount in rupiah (default: what remains).") var amount: String?
        @Option(name: .long, help: "A note.") var note: String = ""
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 4) unless the invoice still has this version.") var expectVersion: Int?
        func run() throws {
            let cli = CLI(global)
            try cli.asUser(checking: { s -> (PaymentMethod, Int?) in
                guard let m = PaymentMethod.parse(method) else {
                    throw CLIFailure(message: s.f(.errInvalid, "--method", "tunai | transfer | qris | e-wallet | lainnya"), code: 2)
                }
                var amt: Int? = nil
                if let amount {
                    guard let r = Rupiah.parse(amount) else { throw CLIFailure(message: s.f(.errInvalid, "--amount", s[.errNotANumber]), code: 2) }
                    amt = r.value
                }
                return (m, amt)
            }) { db, user, s, input in
                    let (m, amt) = input
                    let paid = try db.recordPayment(PaymentRequest(invoice: invoice, amount: amt, method: m, reference: reference, note: note,
                                                                   expectedVersion: expectVersion), actor: user.actor, context: cli.context)
                    var inv = paid.invoice
                    // An automatic isolation ends once nothing due is left unpaid (issue 14).
                    if inv.isPaid, try DailyJob.restoreAfterPayment(db: db, customerId: inv.customerId, today: cli.today(db),
                                                                             context: cli.context) {
                        inv = try db.invoice(inv.id, actor: user.actor)
                    }
                    // The receipt goes directly from the owner's session once fully paid (issue 6).
                    // The payment first: what happens to the receipt comes after it, never before.
                    if !global.json { print(s.f(.invPaid, inv.number, s.name(inv.invoiceStatus))) }
                    let wa = inv.isPaid ? (try cli.receiptWaitsForSync(db) ? "after_sync"
                        : cli.reportDirect(try cli.whatsApp(db).sendReceipt(invoice: inv.id, actor: user.actor), db)) : "none"
                    var json = cli.invoiceJSON(inv); json["whatsapp"] = wa
                    json["payment"] = cli.paymentJSON(paid.payment)
                    if global.json { cli.printJSON(json) }
            }
        }
    }

    struct Unpay: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an invoice unpaid again; a reason is required.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Invoice id or number.") var invoice: String
        @Option(name: .long, help: "Why.") var reason: String
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 4) unless the invoice still has this version.") var expectVersion: Int?
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                    let inv = try db.markUnpaid(invoice, reason: reason, expectedVersion: expectVersion, actor: user.actor, context: cli.context)
                    if global.json { cli.printJSON(cli.invoiceJSON(inv)) } else { print(s.f(.invUnpaid, inv.number)) }
            }
        }
    }
}

// MARK: - customers isolate / unisolate

struct CustomersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "customers", abstract: "Customer actions.",
                                                    subcommands: [Isolate.self, Unisolate.self, Promise.self, SetServiceCommand.self,
                                                                  Deactivate.self, Activate.self])

    static func toggle(_ global: GlobalOptions, _ id: String, isolated: Bool) throws {
        let cli = CLI(global)
        try cli.asUser { db, user, s in
                let before = try db.customer(id: id, actor: user.actor).status
                let c = try db.setIsolated(id, isolated: isolated, actor: user.actor, context: cli.context)
                // The isolation notice goes directly from the owner's session (issue 6).
                let wa = isolated && CustomerStatus(rawValue: before) != .isolated
                    ? cli.reportDirect(try cli.whatsApp(db).sendIsolationNotice(customer: c.id, actor: user.actor), db) : "none"
                // A linked customer's router change: applied now and read back, or left queued (issue 15).
                let router = cli.applyRouter(customerId: c.id, db, s)
                if global.json { cli.printJSON(["id": c.id, "code": c.code, "status": c.status, "whatsapp": wa, "router": router]) }
                else { print(s.f(isolated ? .custIsolated : .custUnisolated, c.code, c.name)) }
        }
    }

    struct Isolate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Isolate a customer (superadmin): no new invoices.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Customer id or code.") var customer: String
        func run() throws { try CustomersCommand.toggle(global, customer, isolated: true) }
    }

    struct Unisolate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a customer's isolation (superadmin).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Customer id or code.") var customer: String
        func run() throws { try CustomersCommand.toggle(global, customer, isolated: false) }
    }
}

// MARK: - receipt

struct ReceiptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "receipt", abstract: "Print a receipt (nota) by its token, or by invoice number as a user.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The receipt token, or an invoice number (INV-…) with --user: only an invoice the user may see.") var token: String
    @Option(name: .long, help: "text or html") var format: String = "text"
    @Option(name: .long, help: "32 (58 mm), 48 (80 mm) or 80 (screen)") var width: Int = 48
    @Option(name: .short, help: "Write to this file instead of standard output (.txt for text, .html for html; never replaces a file without --force).") var o: String?
    @Flag(name: .long, help: "Replace an existing file (never the database, a backup, a folder or a symlink).") var force = false
    func run() throws {
        let cli = CLI(global)
        try cli.withDatabase { db, s in
            guard ["text", "html"].contains(format) else { throw CLIFailure(message: s.f(.errInvalid, "--format", "text | html"), code: 2) }
            let extensions = format == "html" ? ["html", "htm"] : ["txt"]
            guard [32, 48, 80].contains(width) else { throw CLIFailure(message: s.f(.errInvalid, "--width", "32 | 48 | 80"), code: 2) }
            let inv: InvoiceRow
            if token.uppercased().hasPrefix("INV-") {
                // An invoice number is not a secret like the token: the user logs in and sees
                // only an invoice it may see (a mitra: its own) — issue 13 item 9.
                let user = try cli.login(db)
                do { inv = try db.invoice(token, actor: user.actor) } catch { throw cli.fail(error, db) }
            } else {
                guard let found = try db.invoice(receiptToken: token) else { throw CLIFailure(message: s.f(.errNotFound, "nota"), code: 2) }
                inv = found
            }
            let opts = ReceiptOptions(settings: try db.settings())
            let payments = inv.receiptToken.flatMap { try? db.payments(receiptToken: $0) } ?? []
            let out = format == "html" ? Receipt.html(inv, options: opts, payments: payments)
                : Receipt.text(inv, options: opts, width: width, payments: payments)
            if let o {
                // No user here (a receipt is public by its token): the unrestricted policy
                // of this database — never the database, a backup, a folder or a symlink.
                let policy = OutputPolicy(exportFolder: FileManager.default.currentDirectoryPath, restricted: false,
                                          databasePath: db.path, backupFolder: (try? db.settings()).flatMap { try? db.backupDirectory($0) })
                let path = try policy.resolve(o, base: FileManager.default.currentDirectoryPath, extensions: extensions, force: force)
                try policy.write(Data(out.utf8), to: path, force: force)
            } else { print(out, terminator: "") }
        }
    }
}

// MARK: - serve

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve receipt pages, one-time downloads, webhooks and GET /healthz over HTTP.")
    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "Address to listen on.") var host = "127.0.0.1"
    @Option(name: .long, help: "Port.") var port: UInt16 = 8080
    func run() throws {
        let cli = CLI(global)
        try cli.withDatabase { db, s in
            Log.setUp(path: cli.env.logPath)
            let server: ReceiptServer
            do { server = try ReceiptServer(db: db, host: host, port: port) } catch {
                throw CLIFailure(message: s.f(.errInvalid, "--host", host), code: 2)
            }
            server.context = cli.context   // WAHA webhooks (issue 6)
            signal(SIGPIPE, SIG_IGN)
            let done = DispatchSemaphore(value: 0)
            var failure: Error?
            Task {
                do { try await server.run() } catch { failure = error }
                done.signal()
            }
            // The address actually bound (with --port 0, the port the system chose).
            Task {
                try? await server.waitUntilListening()
                let bound = server.port.map(String.init) ?? String(port)
                FileHandle.standardError.write(Data("fibernode serve: http://\(host):\(bound)/healthz\n".utf8))
            }
            done.wait()
            if let failure {
                if ReceiptServer.isAddressInUse(failure) {
                    throw CLIFailure(message: s.f(.serveAddressInUse, host, Int(port)), code: 1)
                }
                throw CLIFailure(message: s.f(.serveFailed, "\(failure)"), code: 1)
            }
        }
    }
}

// MARK: - jobs daily

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "Scheduled jobs.", subcommands: [Daily.self])

    struct Daily: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The daily H-1 job for a business date: invoices for customers billed tomorrow.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "YYYY-MM-DD (default: today in the business time zone).") var date: String?
        func run() throws {
            let cli = CLI(global)
            try cli.withDatabase { db, s in
                let day: LocalDate
                if let date {
                    guard let d = LocalDate(date) else { throw CLIFailure(message: s.f(.errInvalid, "--date", "YYYY-MM-DD"), code: 2) }
                    day = d
                } else { day = cli.today(db) }
                    let r = try DailyJob.run(db: db, businessDate: day, context: cli.context)
                    if global.json {
                        cli.printJSON(["date": day.description, "created": r.created, "skipped": r.skipped,
                                       "billing_day": r.billingDay ?? 0, "period": r.period ?? "", "queued": r.queued,
                                       "isolated": r.isolated, "restored": r.restored])
                    } else { print(s.f(.jobDaily, day.description, r.created, r.skipped)); print(s.f(.waQueued, r.queued)) }
            }
        }
    }
}
