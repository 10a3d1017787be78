import Foundation
import ArgumentParser
import FiberNodeDomain
import FiberNodeStore
import FiberNodeSync
import FiberNodeStrings
import FiberNodeMessages

// The offline field laptop (issue 16): `sync clone`, `sync`, `sync status`, `sync-serve`,
// `devices list|revoke`. The protocol and the store's rules live in FiberNodeSync and the
// store; this file only parses, connects and prints.

/// How the laptop reaches the server.
struct RemoteOptions: ParsableArguments {
    @Option(name: .long, help: "The server over the system ssh: [USER@]HOST[:PORT].") var remote: String?
    @Option(name: .customLong("remote-db"), help: "The server's database path (passed as --db to the remote fibernode).")
    var remoteDB: String?
    @Option(name: .customLong("remote-command"), help: "Any command speaking the sync protocol on stdin/stdout.")
    var remoteCommand: String?

    /// The remembered description of this remote (what `sync` uses when none is given).
    var described: String? {
        if let c = remoteCommand { return "command:" + c }
        if let r = remote { return "ssh:" + r + (remoteDB.map { "|" + $0 } ?? "") }
        return nil
    }

    static func connect(_ described: String) throws -> ProcessChannel {
        let env = ProcessEnvironment().vars
        return try SyncRemote.connect(described, sshPath: env["FIBERNODE_SSH"] ?? "/usr/bin/ssh",
                                      sshOptions: (env["FIBERNODE_SSH_OPTIONS"] ?? "").split(separator: " ").map(String.init))
    }
}

extension CLI {
    func syncFailure(_ e: Error, _ s: Strings) -> CLIFailure {
        switch e {
        case SyncFailure.revoked: return CLIFailure(message: s[.syncRevoked], code: 3)
        case SyncFailure.login: return CLIFailure(message: s[.syncLoginFailed], code: 3)
        case SyncFailure.schema(let server, let laptop): return CLIFailure(message: s.f(.syncSchema, server, laptop), code: 1)
        case SyncFailure.connection(let why): return CLIFailure(message: s.f(.syncConnection, why), code: 1)
        case SyncFailure.server(let why): return CLIFailure(message: s.f(.syncConnection, why), code: 1)
        case SyncFailure.notLaptop: return CLIFailure(message: s[.syncNotLaptop], code: 2)
        default: return fail(e)
        }
    }

    /// The password for `--user` without a local login (clone logs in on the server).
    func password(_ s: Strings) throws -> String {
        guard let user = global.user else { throw CLIFailure(message: s[.cliUserRequired], code: 3) }
        if let p = env.vars["FIBERNODE_PASSWORD"] { return p }
        guard isatty(STDIN_FILENO) == 1, let p = getpass(s.f(.cliPasswordPrompt, user)) else {
            throw CLIFailure(message: s.f(.cliNoTTY, "FIBERNODE_PASSWORD"), code: 3)
        }
        return String(cString: p)
    }

    /// On a field laptop the receipt is the server's to send, after sync, exactly once (issue 16).
    func receiptWaitsForSync(_ db: AppDatabase) throws -> Bool {
        guard try db.laptopStatus() != nil else { return false }
        FileHandle.standardError.write(Data((strings(db)[.syncReceiptLater] + "\n").utf8))
        return true
    }

    func printReport(_ r: SyncReport, _ s: Strings) {
        if global.json { printJSON(r.json) } else {
            print(s.f(.syncResult, r.pushed, r.applied, r.conflicts, r.rejected, r.pulled))
            for why in r.reasons.prefix(20) { print(s.f(.syncRejectedWhy, why)) }
            if r.conflicts > 0 { print(s.f(.syncConflictsHint, r.conflicts)) }
        }
    }
}

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Field laptop: push this laptop's changes, pull the server's.",
        subcommands: [Now.self, Clone.self, Status.self], defaultSubcommand: Now.self)

    struct Now: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "now", abstract: "Push pending changes and pull the server's (the default).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var remote: RemoteOptions

        func run() throws {
            let cli = CLI(global)
            var exit: Int32 = 0
            try cli.asUser { db, user, s in
                guard let me = try db.laptopStatus() else { throw cli.syncFailure(SyncFailure.notLaptop, s) }
                guard remote.remote == nil || remote.remoteCommand == nil else { throw CLIFailure(message: s[.syncRemoteBoth], code: 2) }
                guard me.userId == user.id else { throw CLIFailure(message: s[.errNotPermitted], code: 3) }
                guard let target = remote.described ?? me.remote else { throw CLIFailure(message: s[.syncNoRemote], code: 2) }
                let report: SyncReport
                do {
                    let channel = try RemoteOptions.connect(target)
                    let client = SyncClient(db: db, context: cli.context)
                    // Progress on a terminal's stderr; stdout keeps the result (and --json) clean.
                    if isatty(STDERR_FILENO) == 1 {
                        client.progress = { p in
                            let line: String
                            switch p {
                            case .connecting: line = s[.syncConnecting]
                            case .pushing(let done, let total): line = s.f(.syncPushing, done, total)
                            case .pulling(let rows): line = s.f(.syncPulling, rows)
                            case .done: line = ""
                            }
                            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
                        }
                    }
                    report = try client.sync(channel)
                } catch let e as CLIFailure { throw e } catch { throw cli.syncFailure(error, s) }
                if remote.described != nil { try db.laptopSetRemote(target) }
                cli.printReport(report, s)
                if report.conflicts > 0 { exit = 4 }
            }
            if exit != 0 { throw ExitCode(exit) }
        }
    }

    struct Clone: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make this laptop's database (--db) from the server: the user's scope only.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var remote: RemoteOptions
        @Option(name: .long, help: "A name for this laptop on the server (default: its host name).") var name: String?

        func run() throws {
            let cli = CLI(global)
            try runCommand {
                try cli.validateLang()
                let s = cli.strings()
                guard remote.remote == nil || remote.remoteCommand == nil else { throw CLIFailure(message: s[.syncRemoteBoth], code: 2) }
                guard let target = remote.described else { throw CLIFailure(message: s[.syncNoRemote], code: 2) }
                let path = cli.path
                guard !FileManager.default.fileExists(atPath: path) else { throw CLIFailure(message: s.f(.syncCloneExists, path), code: 4) }
                let password = try cli.password(s)
                let db: AppDatabase
                do { db = try AppDatabase.open(path: path, create: true) } catch { throw cli.fail(error) }
                do {
                    let channel = try RemoteOptions.connect(target)
                    try SyncClient(db: db, context: cli.context).clone(channel, user: cli.global.user ?? "", password: password,
                                                                      deviceName: name ?? ProcessInfo.processInfo.hostName, remote: target)
                } catch {
                    // A half-made laptop is no laptop: remove it so the next clone starts clean.
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                    throw cli.syncFailure(error, s)
                }
                chmod(path, 0o600)
                let me = try db.laptopStatus()!
                let fp = try db.syncFingerprint(actor: Actor(userId: me.userId, role: .superadmin, username: ""))
                if global.json { cli.printJSON(["device": me.deviceId, "customers": fp["customers"] ?? 0, "invoices": fp["invoices"] ?? 0]) }
                else { print(s.f(.syncCloned, fp["customers"] ?? 0, fp["invoices"] ?? 0, me.deviceId)) }
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pending changes, last sync, remote, open conflicts.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                guard let me = try db.laptopStatus() else { throw cli.syncFailure(SyncFailure.notLaptop, s) }
                let last = (me.lastResult.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any]) ?? [:]
                let conflicts = last["conflicts"] as? Int ?? 0
                let remote = SyncRemote.display(me.remote)
                if global.json {
                    cli.printJSON(["device": me.deviceId, "remote": remote, "pending": me.pending, "rejected": me.rejected,
                                   "last_sync": me.lastSyncAt.map { ISO8601DateFormatter().string(from: $0) } ?? NSNull(),
                                   "conflicts": conflicts])
                } else {
                    let when = me.lastSyncAt.map { ISO8601DateFormatter().string(from: $0) } ?? s[.syncNever]
                    print(s.f(.syncStatusLine, me.deviceId, remote, when, me.pending, me.rejected))
                    if conflicts > 0 { print(s.f(.syncConflictsHint, conflicts)) }
                }
            }
        }
    }
}

extension SyncServeCommand {
    /// The account whose `ForceCommand` (or `command=`) is the TUI still lets a laptop sync:
    /// when ssh asked for `fibernode [--db …] sync-serve`, that and nothing else runs — on the
    /// account's own database (a laptop never chooses which file the server opens).
    static func requestedOverSSH(_ env: ProcessEnvironment) -> Bool {
        guard let original = env["SSH_ORIGINAL_COMMAND"] else { return false }
        let words = original.split(separator: " ").map(String.init)
        guard words.first.map({ ($0 as NSString).lastPathComponent == "fibernode" }) == true, words.last == "sync-serve" else { return false }
        // Only `--db PATH` may stand between (what `sync --remote-db` sends); it is ignored.
        let middle = Array(words.dropFirst().dropLast())
        return middle.isEmpty || (middle.count == 2 && middle[0] == "--db")
    }

    static func serve(_ cli: CLI) throws {
        signal(SIGPIPE, SIG_IGN)
        try runCommand {
            let db = try cli.openExisting()
            SyncServer(db: db, context: cli.context).serve(FDChannel(read: STDIN_FILENO, write: STDOUT_FILENO))
        }
    }
}

struct SyncServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync-serve",
                                                    abstract: "The server side of the sync protocol on stdin/stdout (run by ssh).")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        // Stdout carries the protocol only: nothing else may print to it.
        try SyncServeCommand.serve(CLI(global))
    }
}

struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "devices", abstract: "Field laptops registered by `sync clone` (superadmin).",
                                                    subcommands: [List.self, Revoke.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Registered laptops.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                let list = try db.devices(actor: user.actor)
                let iso = ISO8601DateFormatter()
                if global.json {
                    cli.printJSON(list.map { d -> [String: Any] in
                        ["id": d.id, "user": d.username, "name": d.name, "last_sync": d.lastSyncAt.map { iso.string(from: $0) } ?? NSNull(),
                         "revoked": d.revokedAt != nil]
                    })
                } else if list.isEmpty {
                    print(s[.devicesNone])
                } else {
                    for d in list {
                        let last = d.lastSyncAt.map { iso.string(from: $0) } ?? s[.syncNever]
                        print(TerminalText.clean("\(d.id)  \(d.username)  \(d.name)  \(last)\(d.revokedAt != nil ? "  " + s[.devRevokedMark] : "")"))
                    }
                }
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a laptop: its next sync is refused (exit 3 there).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The device id.") var id: String
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                let d = try db.devices(actor: user.actor).first { $0.id == id }
                try db.revokeDevice(id, actor: user.actor, context: cli.context)
                if global.json { cli.printJSON(["id": id, "revoked": true]) }
                else { print(TerminalText.clean(s.f(.deviceRevoked, d?.name ?? id, d?.username ?? ""))) }
            }
        }
    }
}
