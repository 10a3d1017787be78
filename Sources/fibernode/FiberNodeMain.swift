import Foundation
import ArgumentParser
import FiberNodeDomain
import FiberNodeStore
import FiberNodeTUI
import CursesBackend
import TerminalUI

@main
struct FiberNodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
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

    func run() throws {
        let cli = CLI(global)
        if SyncServeCommand.requestedOverSSH(cli.env) { return try SyncServeCommand.serve(cli) }   // issue 16: a laptop's sync
        try runCommand {
            try cli.validateLang()
            if let theme, ThemeName(rawValue: theme) == nil {
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
            let code = TUILauncher.run(db: db, cli: cli, theme: theme.flatMap(ThemeName.init), noSplash: noSplash,
                                       demoCreated: demoCreated)
            if code != 0 { throw ExitCode(code) }
        }
    }
}
