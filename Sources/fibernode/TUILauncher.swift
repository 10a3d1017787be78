import Foundation
import Logging
import FiberNodeStore
import FiberNodeTUI
import CursesBackend
import TerminalUI

/// Set by signal handlers; read by the event loop between keys (never acts inside a handler).
nonisolated(unsafe) var pendingSignal: Int32 = 0

/// Opens the curses screen, runs the app, and restores the terminal on every way out.
enum TUILauncher {
    static func run(db: AppDatabase, cli: CLI, theme: ThemeName?, noSplash: Bool, demoCreated: Bool) -> Int32 {
        let logger = Logger(label: "fibernode.tui")
        let settings = (try? db.settings())
        let themeName = theme ?? ThemeName(rawValue: settings?["ui.theme"] ?? "dark") ?? .dark
        let mono = cli.env.noColor || cli.env.term == "vt100" || cli.env.term == "dumb"

        // SIGHUP (SSH dropped), SIGTERM, SIGINT: set a flag; the loop leaves cleanly, discarding
        // any unsaved form, so nothing half-written reaches the file.
        for sig in [SIGHUP, SIGTERM, SIGINT] {
            signal(sig) { s in pendingSignal = s }
        }
        signal(SIGPIPE, SIG_IGN)

        let screen = CursesScreen(colors: !mono)
        defer { screen.end() }
        let options = AppOptions(
            language: Language(rawValue: cli.global.lang ?? settings?["ui.language"] ?? "id") ?? .id,
            theme: (mono || !screen.hasColors) ? .mono : themeName,
            showSplash: !noSplash,
            demoCreated: demoCreated,
            ascii: cli.env.term == "vt100" || cli.env.term == "dumb",
            trace: cli.env["FIBERNODE_TRACE"].flatMap { TraceWriter(path: $0) })
        let app = App(db: db, context: cli.env.context(source: "tui"), screen: screen, keys: screen, options: options,
                      signalCheck: { let s = pendingSignal; return s == 0 ? nil : s })
        logger.info("tui start", metadata: ["db": "\(cli.path)"])
        let reason = app.run()
        logger.info("tui end", metadata: ["reason": "\(reason)"])
        switch reason {
        case .quit: return 0
        case .signal(let s): return 128 + s
        }
    }
}
