import Foundation
import ArgumentParser
import FiberNodeDomain
import FiberNodeStore
import FiberNodeStrings
import FiberNodeMessages

/// The full-screen app as the command line sees it. The executable fills these in at start
/// (it links the TUI); this module never imports FiberNodeTUI (issue 13).
public struct TUIRequest {
    public let db: AppDatabase
    public let databasePath: String
    public let env: ProcessEnvironment
    /// `--lang` as given (already checked), nil for the setting `ui.language`.
    public let language: String?
    /// `--theme` as given (one of `TUIEntry.themes`), nil for the setting `ui.theme`.
    public let theme: String?
    public let noSplash: Bool
    public let demoCreated: Bool
}

public enum TUIEntry {
    /// The theme names `--theme` accepts.
    nonisolated(unsafe) public static var themes: [String] = ["dark", "light", "mono"]
    /// Runs the full-screen app; returns the exit status.
    nonisolated(unsafe) public static var launch: (TUIRequest) -> Int32 = { _ in 1 }
}

public struct FiberNodeCommand: ParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "fibernode",
        abstract: "FiberNode: billing and WhatsApp notifications for Indonesian WiFi operators.",
        discussion: "Without a command, opens the terminal application.",
        version: AppInfo.version,
        subcommands: [InitCommand.self, DemoCommand.self, SettingsCommand.self, ImportCommand.self, ExportCommand.self,
                      InvoicesCommand.self, CustomersCommand.self, ReceiptCommand.self, ServeCommand.self, JobsCommand.self,
                      BackupCommand.self, WorkerCommand.self, WACommand.self,
                      PaymentsCommand.self, FinanceCommand.self, RoutersCommand.self, UsersCommand.self,
                      SyncCommand.self, SyncServeCommand.self, DevicesCommand.self])

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "Theme: dark, light or mono.") var theme: String?
    @Flag(name: .customLong("no-splash"), help: "Skip the splash screen.") var noSplash = false
    @Flag(name: .customLong("demo-if-missing"), help: "Create the demo database first when none exists (used by `make run`).")
    var demoIfMissing = false

    public func run() throws {
        let cli = CLI(global)
        if SyncServeCommand.requestedOverSSH(cli.env) { return try SyncServeCommand.serve(cli) }   // issue 16: a laptop's sync
        try runCommand {
            try cli.validateLang()
            if let theme, !TUIEntry.themes.contains(theme) {
                throw CLIFailure(message: "--theme: dark | light | mono", code: 2)
            }
            var demoCreated = false
            if demoIfMissing, !FileManager.default.fileExists(atPath: cli.path) {
                // `make run`: a demo with six months lived through, so every screen shows something true (issue 13).
                do { try DemoSetup.create(path: cli.path, history: 6, context: cli.context) } catch { throw cli.fail(error) }
                demoCreated = true
            }
            let db = try cli.openExisting()
            Log.setUp(path: cli.env.logPath)
            let code = TUIEntry.launch(TUIRequest(db: db, databasePath: cli.path, env: cli.env, language: global.lang,
                                                  theme: theme, noSplash: noSplash, demoCreated: demoCreated))
            if code != 0 { throw ExitCode(code) }
        }
    }
}
