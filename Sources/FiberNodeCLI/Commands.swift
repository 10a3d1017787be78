import Foundation
import ArgumentParser
import FiberNodeDomain
import FiberNodeStore
import FiberNodeReports
import FiberNodeStrings
import FiberNodeMessages
import FiberNodeWhatsApp

/// Options every command accepts, before or after the command name (CLI.md).
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $FIBERNODE_DB, else ~/.local/share/fibernode/fibernode.db).")
    var db: String?
    @Option(name: .long, help: "Language of messages: id or en.")
    var lang: String?
    @Option(name: .long, help: "Act as this user; password from $FIBERNODE_PASSWORD, else a prompt.")
    var user: String?
    @Flag(name: .long, help: "Print results as one JSON object.")
    var json = false
}

/// A failure with a sentence for stderr and an exit status.
struct CLIFailure: Error {
    let message: String
    let code: Int32
}

/// Shared plumbing for the commands.
struct CLI {
    let env = ProcessEnvironment()
    let global: GlobalOptions
    let context: StoreContext

    init(_ global: GlobalOptions) {
        self.global = global
        self.context = env.context()
    }

    var path: String { env.databasePath(option: global.db) }

    /// Language from --lang, else the setting `ui.language` (when the db opens), else id.
    func strings(_ db: AppDatabase? = nil) -> Strings {
        if let l = global.lang, let lang = Language(rawValue: l) { return Strings(lang) }
        if let db, let s = try? db.settings(), let lang = Language(rawValue: s["ui.language"]) { return Strings(lang) }
        return Strings(.id)
    }

    func fail(_ error: Error, _ db: AppDatabase? = nil) -> CLIFailure {
        let s = strings(db)
        if let e = error as? StoreError { return CLIFailure(message: s.message(for: e), code: e.exitCode) }
        if let e = error as? CLIFailure { return e }
        if let e = error as? OutputError { return outputFailure(e, s) }
        if let e = error as? ExportError {
            if case .tooManyRows(let n) = e { return CLIFailure(message: s.f(.expTooManyRows, n), code: 1) }
            return CLIFailure(message: s.f(.errStorage, "\(e)"), code: 1)
        }
        return CLIFailure(message: s.message(for: error), code: 1)
    }

    func validateLang() throws {
        if let l = global.lang, Language(rawValue: l) == nil {
            throw CLIFailure(message: "--lang: id | en", code: 2)
        }
    }

    func openExisting() throws -> AppDatabase {
        try validateLang()
        do { return try AppDatabase.open(path: path, create: false) } catch { throw fail(error) }
    }

    /// Logs in `--user` (password from $FIBERNODE_PASSWORD or a no-echo prompt).
    func login(_ db: AppDatabase) throws -> UserProfile {
        let s = strings(db)
        guard let user = global.user else { throw CLIFailure(message: s[.cliUserRequired], code: 3) }
        let password: String
        if let p = env.vars["FIBERNODE_PASSWORD"] {
            password = p
        } else {
            guard isatty(STDIN_FILENO) == 1, let p = getpass(s.f(.cliPasswordPrompt, user)) else {
                throw CLIFailure(message: s.f(.cliNoTTY, "FIBERNODE_PASSWORD"), code: 3)
            }
            password = String(cString: p)
        }
        do { return try db.login(username: user, password: password, context: context) } catch {
            // Say why (wrong password / locked until HH:MM) and, after the third failure, how many
            // attempts are left: a cron job must not lock the superadmin out silently (issue 14).
            var failure = fail(error, db)
            if case StoreError.loginFailed = error, let r = try? db.loginAttemptsRemaining(username: user, context: context),
               r.failures >= 3, r.remaining > 0 {
                failure = CLIFailure(message: failure.message + " " + s.f(.loginRemaining, r.remaining), code: failure.code)
            }
            throw failure
        }
    }

    /// The shape of a command that reads the database as nobody (settings list, receipt, serve,
    /// jobs, worker): open it, run `body`; errors become the CLI's sentences and exit codes.
    func withDatabase(_ body: (AppDatabase, Strings) throws -> Void) throws {
        try runCommand {
            let db = try openExisting()
            do { try body(db, strings(db)) } catch { throw mapped(error, db) }
        }
    }

    /// The common shape of a command acting as a user: open the database, check the input
    /// (`validate`, before a password is asked for; what it returns is handed to `body`), log
    /// in, run `body`; store errors become the CLI's sentences and exit codes.
    func asUser<Input>(checking validate: (Strings) throws -> Input,
                       _ body: (AppDatabase, UserProfile, Strings, Input) throws -> Void) throws {
        try withDatabase { db, s in
            let input = try validate(s)
            let user = try login(db)
            try body(db, user, s, input)
        }
    }

    /// `asUser` for input that needs no parsing (or is only checked).
    func asUser(validate: (Strings) throws -> Void = { _ in },
                _ body: (AppDatabase, UserProfile, Strings) throws -> Void) throws {
        try asUser(checking: validate) { db, user, s, _ in try body(db, user, s) }
    }

    /// A failure as the contract's sentence and exit status; ArgumentParser's own exits pass.
    private func mapped(_ error: Error, _ db: AppDatabase) -> Error {
        if error is ExitCode || error is CleanExit { return error }
        return fail(error, db)
    }

    func printJSON(_ object: Any) {
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
           let text = String(data: data, encoding: .utf8) {
            print(TerminalText.escapeJSON(text))
        }
    }
}

/// Runs a command body, turning failures into a stderr sentence and the contract's exit status.
func runCommand(_ body: () throws -> Void) throws {
    // The process's one HTTP client (gateways) closes its connections before exit (issue 12).
    defer { SharedHTTPClient.shutdown() }
    do {
        try body()
    } catch let e as CLIFailure {
        FileHandle.standardError.write(Data((TerminalText.clean(e.message) + "\n").utf8))
        throw ExitCode(e.code)
    }
}

// MARK: - init

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create a new database with its superadmin.")
    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "The business name (the superadmin's area).") var business: String
    @Option(name: .customLong("admin-user"), help: "The superadmin's username.") var adminUser = "superadmin"

    func run() throws {
        let cli = CLI(global)
        try runCommand {
            try cli.validateLang()
            let s = cli.strings()
            let password: String
            if let p = cli.env.vars["FIBERNODE_ADMIN_PASSWORD"] {
                password = p
            } else {
                guard isatty(STDIN_FILENO) == 1, let p = getpass(s[.cliAdminPasswordPrompt]) else {
                    throw CLIFailure(message: s.f(.cliNoTTY, "FIBERNODE_ADMIN_PASSWORD"), code: 2)
                }
                password = String(cString: p)
            }
            do {
                _ = try Seeder.initialize(path: cli.path, business: business, adminUsername: adminUser,
                                          adminPassword: password, context: cli.context)
            } catch { throw cli.fail(error) }
            if global.json { cli.printJSON(["created": cli.path]) } else { print(s.f(.cliCreated, cli.path)) }
        }
    }
}

// MARK: - demo

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Create a database holding the spec's demo data.")
    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "Also live through this many months (1–24): more customers, invoices, payments and messages made by the real use cases.")
    var history: Int?

    func run() throws {
        let cli = CLI(global)
        try runCommand {
            try cli.validateLang()
            let s = cli.strings()
            if let history, !(1...24).contains(history) {
                throw CLIFailure(message: s.message(for: StoreError.invalid(field: "--history", reason: .outOfRange(min: 1, max: 24))), code: 2)
            }
            var summary: Seeder.HistorySummary?
            do {
                summary = try DemoSetup.create(path: cli.path, history: history, context: cli.context)
            } catch { throw cli.fail(error) }
            if global.json {
                var out: [String: Any] = ["created": cli.path]
                if let h = summary {
                    out["customers"] = h.customers; out["invoices"] = h.invoices; out["payments"] = h.payments; out["messages"] = h.messages
                }
                cli.printJSON(out)
            } else { print(s.f(.cliDemoCreated, cli.path)) }
        }
    }
}

enum DemoSetup {
    /// Creates the demo database (with `history` months lived through, when given); refuses
    /// an existing, non-empty one. A history that fails part-way leaves no half-made file.
    @discardableResult
    static func create(path: String, history: Int? = nil, context: StoreContext) throws -> Seeder.HistorySummary? {
        if FileManager.default.fileExists(atPath: path),
           (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 > 0 {
            throw StoreError.databaseExists(path: path)
        }
        let db = try AppDatabase.open(path: path, create: true)
        guard let history else { try Seeder.demo(into: db, context: context); return nil }
        do {
            return try Seeder.demoHistory(into: db, months: history, context: context)
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            throw error
        }
    }
}

// MARK: - settings

struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "settings", abstract: "List, read or change settings.",
                                                    subcommands: [List.self, Get.self, Set.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every setting with its value (secrets masked).")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            let cli = CLI(global)
            try cli.withDatabase { db, s in
                let snap = try db.settings()
                if global.json {
                    var out: [String: String] = [:]
                    for d in SettingsCatalog.all { out[d.key] = SettingsCatalog.display(d.key, snap[d.key]) }
                    cli.printJSON(out)
                } else {
                    for d in SettingsCatalog.all {
                        let v = SettingsCatalog.display(d.key, snap[d.key]).replacingOccurrences(of: "\n", with: "\\n")
                        print("\(d.key)=\(v)")
                    }
                }
            }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one setting (secrets masked).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The setting key.") var key: String
        func run() throws {
            let cli = CLI(global)
            try cli.withDatabase { db, s in
                guard SettingsCatalog.definition(key) != nil else { throw StoreError.invalid(field: key, reason: .unknownKey) }
                let snap = try db.settings()
                let v = SettingsCatalog.display(key, snap[key])
                if global.json { cli.printJSON([key: v]) } else { print(v) }
            }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change one setting (superadmin only).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The setting key.") var key: String
        @Argument(help: "The new value; `-` reads it from standard input (one line). A secret key without a value is asked for without echo.")
        var value: String?
        func run() throws {
            let cli = CLI(global)
            // Validate before asking for a password: bad input is exit 2 whoever asks.
            try cli.asUser(checking: { s -> String in
                let value = try SecretInput.value(for: key, given: self.value, strings: s)
                _ = try SettingsCatalog.validate(key, value)
                return value
            }) { db, user, _, value in
                let stored = try db.setSetting(key, value, actor: user.actor, context: cli.context)
                let shown = SettingsCatalog.display(key, stored)
                if global.json { cli.printJSON([key: shown]) } else { print("\(key)=\(shown)") }
            }
        }
    }
}
