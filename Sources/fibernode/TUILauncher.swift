import Foundation
import Logging
import FiberNodeStore
import FiberNodeCLI
import FiberNodeTUI
import CursesBackend
import TerminalUI

/// Set by signal handlers; read by the event loop between keys (never acts inside a handler).
nonisolated(unsafe) var pendingSignal: Int32 = 0

/// Opens the curses screen, runs the app, and restores the terminal on every way out.
enum TUILauncher {
    static func run(_ request: TUIRequest) -> Int32 {
        let db = request.db, env = request.env
        let logger = Logger(label: "fibernode.tui")
        let settings = (try? db.settings())
        let themeName = request.theme.flatMap(ThemeName.init) ?? ThemeName(rawValue: settings?["ui.theme"] ?? "dark") ?? .dark
        let mono = env.noColor || env.term == "vt100" || env.term == "dumb"

        // SIGHUP (SSH dropped), SIGTERM, SIGINT: set a flag; the loop leaves cleanly, discarding
        // any unsaved form, so nothing half-written reaches the file.
        for sig in [SIGHUP, SIGTERM, SIGINT] {
            signal(sig) { s in pendingSignal = s }
        }
        signal(SIGPIPE, SIG_IGN)

        let screen = CursesScreen(colors: !mono)
        defer { screen.end() }
        let options = AppOptions(
            language: Language(rawValue: request.language ?? settings?["ui.language"] ?? "id") ?? .id,
            theme: (mono || !screen.hasColors) ? .mono : themeName,
            showSplash: !request.noSplash,
            demoCreated: request.demoCreated,
            ascii: env.term == "vt100" || env.term == "dumb",
            trace: env["FIBERNODE_TRACE"].flatMap { TraceWriter(path: $0) })
        let app = App(db: db, context: env.context(source: "tui"), screen: screen, keys: screen, options: options,
                      signalCheck: { let s = pendingSignal; return s == 0 ? nil : s })
        logger.info("tui start", metadata: ["db": "\(request.databasePath)"])
        let reason = app.run()
        logger.info("tui end", metadata: ["reason": "\(reason)"])
        switch reason {
        case .quit: return 0
        case .signal(let s): return 128 + s
        }
    }
}
