import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// How the TUI starts.
public struct AppOptions {
    public var language: Language
    public var theme: ThemeName
    public var showSplash: Bool
    public var demoCreated: Bool
    public var ascii: Bool
    public var trace: TraceWriter?
    public init(language: Language, theme: ThemeName, showSplash: Bool, demoCreated: Bool, ascii: Bool = false,
                trace: TraceWriter? = nil) {
        self.language = language; self.theme = theme; self.showSplash = showSplash; self.demoCreated = demoCreated
        self.ascii = ascii; self.trace = trace
    }
}

/// Why the loop ended.
public enum ExitReason: Equatable {
    case quit
    case signal(Int32)
}

/// Writes one line per handled key (key, pane, milliseconds from key read to frame flushed).
public final class TraceWriter {
    let handle: FileHandle
    public init?(path: String) {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let h = FileHandle(forWritingAtPath: path) else { return nil }
        h.seekToEndOfFile()
        handle = h
    }
    func write(key: Key, pane: String, ms: Double) {
        handle.write(Data(String(format: "key\t%@\t%@\t%.3f\n", "\(key)", pane, ms).utf8))
    }

    /// The first frame: wall-clock epoch milliseconds, so a harness can time start-up from outside.
    func firstFrame(pane: String, epochMs: Double) {
        handle.write(Data(String(format: "frame\t%@\t%.3f\n", pane, epochMs).utf8))
    }
}

/// The application: splash → login → main screen; one loop that blocks on input with a timeout.
public final class App {
    enum Mode {
        case splash
        case login(LoginView)
        case main(MainView)
    }

    /// `var`: a restore from the Settings pane swaps in the reopened database.
    var db: AppDatabase
    let context: StoreContext
    let screen: Screen
    let keys: KeySource
    var options: AppOptions
    let signalCheck: () -> Int32?

    var mode: Mode
    var strings: Strings
    var theme: Theme
    var settings: SettingsSnapshot
    var modals: [Modal] = []
    var running = true
    var lastActivity: Date
    var lastRefresh: Date
    var needsRender = true
    /// Poll interval; the refresh tick reloads the current pane so terminals see each other's work.
    let refreshInterval: TimeInterval = 5
    /// How long the splash stays without a key (issue 13).
    static let splashSeconds: TimeInterval = 3

    public init(db: AppDatabase, context: StoreContext, screen: Screen, keys: KeySource, options: AppOptions,
                signalCheck: @escaping () -> Int32? = { nil }) {
        self.db = db; self.context = context; self.screen = screen; self.keys = keys; self.options = options
        self.signalCheck = signalCheck
        self.settings = (try? db.settings()) ?? SettingsSnapshot(values: [:])
        self.strings = Strings(options.language)
        self.theme = Theme.named(options.theme)
        self.lastActivity = context.clock.now()
        self.lastRefresh = context.clock.now()
        self.mode = .splash
        if !options.showSplash { mode = .login(makeLogin(message: nil)) }
    }

    func makeLogin(message: (String, Bool)?) -> LoginView {
        let view = LoginView(strings: strings, theme: theme, settings: settings, ascii: options.ascii)
        if let message { view.message = message }
        else if options.demoCreated { view.message = (strings[.loginDemoCreated], false) }
        return view
    }

    // MARK: - Loop

    /// Runs until quit or a terminating signal. Never busy-loops: blocks up to 250 ms for a key.
    public func run() -> ExitReason {
        while running {
            if needsRender { render() }
            let key = keys.readKey(timeoutMilliseconds: 250)
            let started = DispatchTime.now()
            if let s = signalCheck() {
                // Leave without saving anything half-done: forms are simply dropped.
                return .signal(s)
            }
            if let key {
                lastActivity = context.clock.now()
                handle(key)
                if needsRender { render() }
                if let trace = options.trace {
                    let ms = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
                    trace.write(key: key, pane: currentPaneName, ms: ms)
                }
            } else {
                tick()
            }
        }
        return .quit
    }

    var currentPaneName: String {
        switch mode {
        case .splash: return "splash"
        case .login: return "login"
        case .main(let m): return m.current.id.rawValue
        }
    }

    /// Timeout tick: idle logout and periodic refresh.
    public func tick() {
        let now = context.clock.now()
        if case .splash = mode, now.timeIntervalSince(lastActivity) >= App.splashSeconds {
            // the spec: the splash moves on by itself after about 3 s (any key skips it)
            mode = .login(makeLogin(message: nil))
            needsRender = true
            return
        }
        if case .main(let main) = mode {
            // Long work off the loop (issue 13 item 7): its dialog repaints, its result lands,
            // and with the dialog closed the status line says how far it is.
            if let m = modals.last as? TickingModal, m.tick() { needsRender = true }
            if BackgroundJobs.finish() { needsRender = true }
            if modals.contains(where: { ($0 as? TickingModal)?.closed == true }) {
                modals.removeAll { ($0 as? TickingModal)?.closed == true }   // a job's dialog that closes when done
                needsRender = true
            }
            if modals.isEmpty, let text = BackgroundJobs.statusText(main.session.strings) { main.session.info(text); needsRender = true }
            let idle = TimeInterval(max(1, settings.int("security.idle_timeout_min")) * 60)
            if now.timeIntervalSince(lastActivity) >= idle {
                modals.removeAll()
                mode = .login(makeLogin(message: (strings[.loginIdleLoggedOut], false)))
                needsRender = true
                return
            }
            if modals.isEmpty, main.current.idle() { needsRender = true }
            if modals.isEmpty, now.timeIntervalSince(lastRefresh) >= refreshInterval {
                lastRefresh = now
                main.current.reload()
                needsRender = true
            }
        }
    }

    // MARK: - Keys

    public func handle(_ key: Key) {
        needsRender = true
        if key == .resize { return }
        if key == .ctrl("l") { screen.redrawAll(); return }
        if let modal = modals.last {
            // A modal may open another one while closing; remove exactly the one that closed.
            if !modal.handle(key) { modals.removeAll { $0 === modal } }
            return
        }
        switch mode {
        case .splash:
            mode = .login(makeLogin(message: nil))
        case .login(let login):
            switch login.handle(key) {
            case .none: break
            case .quit: running = false
            case .submit(let username, let password):
                attemptLogin(login, username: username, password: password)
            }
        case .main(let main):
            switch main.handle(key) {
            case .none: break
            case .quit:
                modals.append(ConfirmModal(title: strings[.quitTitle], message: strings[.quitMessage],
                                           yes: strings[.yes], no: strings[.no], ascii: options.ascii,
                                           defaultYes: true) { [weak self] in
                    self?.running = false
                })
            case .logout:
                mode = .login(makeLogin(message: (strings[.loginLoggedOut], false)))
            case .help:
                modals.append(HelpModal(strings: strings, title: strings.f(.helpTitle, strings[main.current.id.title]),
                                        pane: main.current.bindings, global: Keymap.global(panes: PaneID.visible(for: main.session.actor).count), actor: main.session.actor,
                                        ascii: options.ascii))
            }
        }
    }

    func attemptLogin(_ login: LoginView, username: String, password: String) {
        guard !username.isEmpty, !password.isEmpty else {
            login.message = (strings[.loginEmpty], true)
            return
        }
        do {
            let user = try db.login(username: username, password: password, context: context)
            settings = (try? db.settings()) ?? settings
            let session = Session(db: db, context: context, user: user, strings: strings, theme: theme, settings: settings)
            session.present = { [weak self] m in self?.modals.append(m) }
            session.onRestored = { [weak self] db, message in self?.restored(db, message: message) }
            mode = .main(MainView(session: session, ascii: options.ascii, clock: context.clock))
            lastRefresh = context.clock.now()
        } catch {
            var text = strings.message(for: error, timeZone: settings.timeZone)
            // issue 14: after the third failure, say how many attempts are left before a lock
            if case StoreError.loginFailed = error, let r = try? db.loginAttemptsRemaining(username: username, context: context),
               r.failures >= 3, r.remaining > 0 {
                text += " " + strings.f(.loginRemaining, r.remaining)
            }
            login.failed(message: text)
        }
    }

    /// The database was restored under us: use the reopened one and log in again.
    func restored(_ newDB: AppDatabase, message: String) {
        db = newDB
        settings = (try? newDB.settings()) ?? settings
        modals.removeAll()
        mode = .login(makeLogin(message: (message, false)))
        needsRender = true
    }

    // MARK: - Drawing

    public func render() {
        needsRender = false
        screen.clear()
        if screen.width < 80 || screen.height < 24 {
            screen.hideCursor()
            let msg = strings.f(.terminalTooSmall, screen.width, screen.height)
            for (i, line) in wrap(msg, width: max(10, screen.width - 2)).enumerated() {
                screen.put(line, row: i, col: 1, style: theme.error)
            }
            screen.flush()
            return
        }
        screen.fill(row: 0, col: 0, width: screen.width, height: screen.height, style: theme.base)
        screen.hideCursor()
        switch mode {
        case .splash:
            SplashView.draw(on: screen, theme: theme, strings: strings, settings: settings)
        case .login(let login):
            login.draw(on: screen)
        case .main(let main):
            main.draw(on: screen)
        }
        for modal in modals { modal.draw(on: screen, theme: theme) }
        screen.flush()
        if !firstFrameTraced, let trace = options.trace {
            firstFrameTraced = true
            trace.firstFrame(pane: currentPaneName, epochMs: context.clock.now().timeIntervalSince1970 * 1000)
        }
    }
    var firstFrameTraced = false
}
