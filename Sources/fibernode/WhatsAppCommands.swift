import Foundation
import ArgumentParser
import Logging
import FiberNodeDomain
import FiberNodeStore
import FiberNodeRouters
import FiberNodeTUI
import FiberNodeWhatsApp

extension CLI {
    func whatsApp(_ db: AppDatabase) -> WhatsAppService { WhatsAppService(db: db, context: context, timeout: 10) }

    /// ASCII QR for vt100 / NO_COLOR / --ascii, half blocks otherwise.
    var asciiTerminal: Bool { env.noColor || env.term.hasPrefix("vt") || env.term == "dumb" || env.term.isEmpty }

    func printQR(_ text: String, ascii: Bool) {
        guard let m = QRMatrix(text) else { return }
        for line in m.lines(ascii: ascii, quiet: 2) { print(line) }
    }

    /// After a payment or an isolation: the direct send's result as one line on stderr (stdout
    /// keeps the command's own output), with the manual fallback when it failed.
    func reportDirect(_ r: DirectSendResult, _ db: AppDatabase) -> String {
        let s = strings(db)
        if r.sent {
            FileHandle.standardError.write(Data((s.f(.waSentTo, s.templateName(r.message.kind.rawValue), r.message.phone) + "\n").utf8))
            return "sent"
        }
        let reason = r.failure.map(s.describe) ?? "?"
        // Not "Ditolak": the payment or isolation is saved; only the message did not go (issue 13).
        // The link last, on its own line, for whoever sends it by hand from a phone.
        var why = reason
        while why.hasSuffix(".") { why.removeLast() }
        FileHandle.standardError.write(Data((s.f(.waCliNotSent, s.templateName(r.message.kind.rawValue), why) + "\n"
                                             + s.f(.waCliFallback, r.fallbackLink) + "\n").utf8))
        return "failed"
    }
}

// MARK: - worker

struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker",
        abstract: "Daily job at jobs.daily_time and the WhatsApp queue, per session; --once does what is due now.")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Do what is due now, then exit.") var once = false
    @Flag(name: .customLong("no-daily"), help: "Skip the daily job (only drain the queue).") var noDaily = false
    @Option(name: .long, help: "Log file (default: $XDG_STATE_HOME/fibernode/worker.log).") var log: String?

    func run() throws {
        let cli = CLI(global)
        try runCommand {
            let db = try cli.openExisting()
            let s = cli.strings(db)
            let logPath = log ?? ((cli.env.logPath as NSString).deletingLastPathComponent + "/worker.log")
            Log.setUp(path: logPath)
            let logger = Logger(label: "fibernode.worker")
            let worker = QueueWorker(db: db, context: cli.context, service: cli.whatsApp(db), logger: logger)
            // Scheduled backups (backup.time, retention) on the worker's tick; a failure is logged, never fatal.
            let context = cli.context
            let routers = cli.applier(db)
            worker.onTick = {
                do {
                    let r = try BackupScheduler.runDue(db: db, context: context)
                    if let b = r.created { logger.info("scheduled backup \(b.name), \(r.pruned.count) pruned") }
                } catch { logger.error("scheduled backup failed: \(error)") }
                // Router actions due (pending with backoff), issue 15.
                let rr = routers.applyDue()
                if rr.done + rr.failed > 0 { logger.info("router actions: \(rr.done) applied, \(rr.failed) still pending") }
                let checked = routers.reconcileDue()   // daily dry run: drift on the dashboard
                if checked > 0 { logger.info("router reconcile (dry run): \(checked) routers checked") }
            }
            let stop = StopFlag()
            signal(SIGTERM, SIG_IGN); signal(SIGINT, SIG_IGN); signal(SIGPIPE, SIG_IGN)
            var sources: [DispatchSourceSignal] = []
            for sig in [SIGTERM, SIGINT] {
                let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                src.setEventHandler { logger.info("signal \(sig): stopping"); stop.set() }
                src.resume()
                sources.append(src)
            }
            if once {
                if !noDaily { var last = try? db.lastDailyJobDate(); worker.runDailyJobIfDue(lastRun: &last) }
                worker.onTick?()
                let r = worker.runOnce(stop: stop)
                if global.json {
                    cli.printJSON(["sent": r.sent, "failed_tries": r.failedTries, "waiting": r.waiting, "held": r.held])
                } else { print(s.f(.waCliWorker, r.sent, r.failedTries, r.waiting, r.held)) }
            } else {
                worker.run(stop: stop, dailyJob: !noDaily)
            }
            _ = sources
        }
    }
}

// MARK: - wa

struct WACommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wa", abstract: "WhatsApp: the user's own session, sends and queue.",
        subcommands: [Status.self, Connect.self, Disconnect.self, Send.self, Queue.self, Retry.self, Cancel.self, Log.self, Gateway.self,
                      Resume.self, Replies.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The user's session: state and connected number.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            let cli = CLI(global)
            try runCommand {
                let db = try cli.openExisting()
                let s = cli.strings(db)
                let user = try cli.login(db)
                do {
                    let cfg = try db.gatewayConfig(ownerId: user.id)
                    let st = try cli.whatsApp(db).status(ownerId: user.id, actor: user.actor)
                    let pause = try db.pausedSessions(actor: user.actor).first { $0.ownerId == user.id }
                    if global.json {
                        cli.printJSON(["gateway": cfg.kind, "session": cfg.session, "status": st.state.rawValue, "phone": st.phone ?? "",
                                       "paused": pause?.reason.stored ?? ""])
                    } else {
                        print(s.f(.waCliStatus, cfg.session, cfg.kind, s.sessionStateName(st.state.stored), st.phone ?? ""))
                        if let pause { print(s.pauseLine(pause)) }
                    }
                } catch { throw cli.fail(error, db) }
            }
        }
    }

    struct Connect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pair the user's WhatsApp: prints the QR and waits until WORKING.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Seconds to wait for the scan (0: print once and exit).") var wait: Int = 120
        @Flag(name: .long, help: "Draw the QR with ## (terminals without Unicode blocks).") var ascii = false
        func run() throws {
            let cli = CLI(global)
            try runCommand {
                let db = try cli.openExisting()
                let s = cli.strings(db)
                let user = try cli.login(db)
                let wa = cli.whatsApp(db)
                do {
                    var r = try wa.connect(ownerId: user.id, actor: user.actor)
                    if global.json {
                        cli.printJSON(["status": r.status.state.rawValue, "qr": r.qr ?? "", "phone": r.status.phone ?? ""])
                        return
                    }
                    var shown: String? = nil
                    let deadline = Date().addingTimeInterval(TimeInterval(wait))
                    while r.status.state != .working {
                        if let qr = r.qr, qr != shown {
                            print(s.f(.waCliScan, wait)); cli.printQR(qr, ascii: ascii || cli.asciiTerminal); shown = qr
                        }
                        guard Date() < deadline else { throw CLIFailure(message: s.f(.waCliStillPairing, r.status.state.rawValue), code: 1) }
                        Thread.sleep(forTimeInterval: 3)
                        r = try wa.poll(ownerId: user.id, actor: user.actor)
                    }
                    print(s.f(.waConnectedTo, r.status.phone ?? ""))
                } catch let e as CLIFailure { throw e } catch StoreError.alreadyExists {
                    throw CLIFailure(message: s[.waConnectBusy], code: 4)
                } catch { throw cli.fail(error, db) }
            }
        }
    }

    struct Disconnect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the user's WhatsApp session.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                try cli.whatsApp(db).disconnect(ownerId: user.id, actor: user.actor)
                print(s[.waDisconnected])
            }
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send one message now to a customer (template filled, or --text).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Customer id or code.") var customer: String
        @Option(name: .long, help: "reminder, receipt, isolation or custom") var template: String = "custom"
        @Option(name: .long, help: "The text (placeholders allowed); default: the stored template.") var text: String?
        @Option(name: .long, help: "Invoice id or number (reminder, receipt).") var invoice: String?
        @Flag(name: .long, help: "Send even though the customer replied BERHENTI (opted out).") var yes = false
        func run() throws {
            let cli = CLI(global)
            try runCommand {
                let db = try cli.openExisting()
                let s = cli.strings(db)
                guard let kind = MessageKind(rawValue: template) else {
                    throw CLIFailure(message: s.f(.errInvalid, "--template", "reminder | receipt | isolation | custom"), code: 2)
                }
                let user = try cli.login(db)
                let r: DirectSendResult
                do {
                    let inv = try invoice.map { try db.invoice($0, actor: user.actor).id }
                    let m = try db.compose(kind: kind, customerId: customer, invoiceId: inv, customTemplate: text, actor: user.actor, context: cli.context)
                    // An opted-out number (BERHENTI) is sent to only when confirmed (issue 18); a receipt always goes.
                    if kind != .receipt, !yes, try db.optOut(customerId: m.customerId, actor: user.actor).optedOutAt != nil {
                        throw CLIFailure(message: s.f(.waConfirmOptedOut, m.customerName) + " (--yes)", code: 4)
                    }
                    r = cli.whatsApp(db).sendDirect(m)
                } catch { throw cli.fail(error, db) }
                if global.json {
                    cli.printJSON(["status": r.sent ? "sent" : "failed", "phone": r.message.phone, "text": r.message.text,
                                   "error": r.failure?.description ?? "", "fallback": r.sent ? "" : r.fallbackLink])
                } else if r.sent {
                    print(s.f(.waSentTo, s.templateName(kind.rawValue), r.message.phone))
                } else {
                    print(r.message.text); print(s.f(.waCliFallback, r.fallbackLink)); cli.printQR(r.fallbackLink, ascii: cli.asciiTerminal)
                }
                if !r.sent { throw CLIFailure(message: r.failure.map(s.describe) ?? "", code: 1) }
            }
        }
    }

    struct Queue: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queued messages in the user's scope.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "pending, held, sending, sent, failed or cancelled") var status: String?
        @Option(name: .long, help: "At most this many rows.") var limit: Int = 200
        func run() throws {
            let cli = CLI(global)
            try runCommand {
                let db = try cli.openExisting()
                let s = cli.strings(db)
                let all = ["pending", "held", "sending", "sent", "failed", "cancelled"]
                if let status, !all.contains(status) { throw CLIFailure(message: s.f(.errInvalid, "--status", all.joined(separator: " | ")), code: 2) }
                let user = try cli.login(db)
                do {
                    let items = try db.queueItems(actor: user.actor, status: status, limit: limit)
                    let c = try db.queueCounts(actor: user.actor)
                    let f = ISO8601DateFormatter()
                    if global.json {
                        cli.printJSON(["counts": ["pending": c.pending, "held": c.held, "sending": c.sending, "sent": c.sent, "failed": c.failed, "cancelled": c.cancelled],
                                       "items": items.map { ["id": $0.id, "type": $0.messageType, "customer": $0.customerName ?? "", "phone": $0.phone,
                                                             "status": $0.status, "tries": $0.retryCount, "scheduled_at": f.string(from: $0.scheduledAt),
                                                             "error": $0.errorMessage ?? ""] as [String: Any] }])
                    } else {
                        print(s.f(.waCounts, c.pending, c.held, c.sending, c.sent, c.failed, c.cancelled))
                        for i in items {
                            print(TerminalText.row([i.id, i.messageType, i.customerName ?? "", i.phone, i.status, "\(i.retryCount)",
                                                    f.string(from: i.scheduledAt), i.errorMessage ?? ""]))
                        }
                    }
                } catch { throw cli.fail(error, db) }
            }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a failed or cancelled message again.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Queue message id.") var id: String
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                try db.retryMessage(id, actor: user.actor, context: cli.context)
                print(s[.waRetried])
            }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a waiting message.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Queue message id.") var id: String
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                try db.cancelMessage(id, actor: user.actor, context: cli.context)
                print(s[.waCancelled])
            }
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The message log in the user's scope, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "reminder, receipt, isolation, custom or manual") var type: String?
        @Option(name: .long, help: "sent, delivered, read or failed") var status: String?
        @Option(name: .long, help: "YYYY-MM-DD") var from: String?
        @Option(name: .long, help: "YYYY-MM-DD") var to: String?
        @Option(name: .long, help: "At most this many rows.") var limit: Int = 200
        func run() throws {
            let cli = CLI(global)
            try runCommand {
                let db = try cli.openExisting()
                let s = cli.strings(db)
                for d in [from, to].compactMap({ $0 }) where LocalDate(d) == nil { throw CLIFailure(message: s.f(.errInvalid, d, "YYYY-MM-DD"), code: 2) }
                let user = try cli.login(db)
                do {
                    let tz = try db.settings().timeZone
                    let rows = try db.messageLog(actor: user.actor, filter: MessageLogFilter(type: type, status: status, from: from.flatMap(LocalDate.init),
                                                                                           to: to.flatMap(LocalDate.init)), timeZone: tz, limit: limit)
                    let f = ISO8601DateFormatter()
                    if global.json {
                        let items: [[String: Any]] = rows.map { ["id": $0.id, "type": $0.messageType, "customer": $0.customerName ?? "", "phone": $0.phone,
                                                                 "status": $0.status, "error": $0.errorMessage ?? "", "sent_at": f.string(from: $0.sentAt),
                                                                 "text": $0.content] }
                        let data = try JSONSerialization.data(withJSONObject: items, options: [.sortedKeys])
                        print(TerminalText.escapeJSON(String(decoding: data, as: UTF8.self)))
                    } else {
                        for r in rows {
                            print(TerminalText.row([f.string(from: r.sentAt), r.messageType, r.customerName ?? "", r.phone, r.status,
                                                    r.errorMessage ?? ""]))
                        }
                    }
                } catch { throw cli.fail(error, db) }
            }
        }
    }

    struct Gateway: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The user's own gateway (empty values use the installation defaults); the key comes from $FIBERNODE_WA_API_KEY.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "none, waha or cloud") var kind: String?
        @Option(name: .long, help: "WAHA base URL (cloud: Graph API base).") var url: String?
        @Option(name: .long, help: "WAHA session name (cloud: phone number id).") var session: String?
        func run() throws {
            let cli = CLI(global)
            try runCommand {
                let db = try cli.openExisting()
                let user = try cli.login(db)
                do {
                    let saved = try db.setGateway(ownerId: user.id, kind: kind, url: url, apiKey: cli.env["FIBERNODE_WA_API_KEY"], session: session,
                                                  actor: user.actor, context: cli.context)
                    let cfg = try db.gatewayConfig(ownerId: user.id)
                    if global.json { cli.printJSON(["gateway": cfg.kind, "url": cfg.url, "session": cfg.session]) }
                    else { print(cli.strings(db).f(.waCliGatewaySaved, saved.businessName)) }
                } catch { throw cli.fail(error, db) }
            }
        }
    }
}
