import Foundation
import FiberNodeDomain
import FiberNodeStore

/// The only place that reads the process environment, the real clock and the system RNG.
struct ProcessEnvironment {
    let vars: [String: String]
    init() { vars = ProcessInfo.processInfo.environment }
    subscript(_ key: String) -> String? {
        guard let v = vars[key], !v.isEmpty else { return nil }
        return v
    }

    var home: String { self["HOME"] ?? NSHomeDirectory() }

    /// `--db`, else `$FIBERNODE_DB`, else `$XDG_DATA_HOME/fibernode/fibernode.db`.
    func databasePath(option: String?) -> String {
        if let option, !option.isEmpty { return (option as NSString).expandingTildeInPath }
        if let env = self["FIBERNODE_DB"] { return (env as NSString).expandingTildeInPath }
        let data = self["XDG_DATA_HOME"] ?? home + "/.local/share"
        return data + "/fibernode/fibernode.db"
    }

    var logPath: String {
        let state = self["XDG_STATE_HOME"] ?? home + "/.local/state"
        return state + "/fibernode/fibernode.log"
    }

    /// Where the user connects from: the SSH client address, else "local".
    var origin: String {
        if let ssh = self["SSH_CLIENT"], let ip = ssh.split(separator: " ").first { return String(ip) }
        return "local"
    }

    var agent: String { agent(source: "cli") }

    /// "fibernode cli /dev/pts/3" or "fibernode tui …": login_attempts and the audit tell a cron
    /// job's CLI login from a person's TUI login (issue 14).
    func agent(source: String) -> String {
        var name = "fibernode " + source
        if let tty = ttyname(STDIN_FILENO) { name += " " + String(cString: tty) }
        return name
    }

    var noColor: Bool { vars["NO_COLOR"] != nil }
    var term: String { self["TERM"] ?? "" }

    func context(source: String = "cli") -> StoreContext {
        StoreContext(clock: SystemClock(), random: RandomSource(SystemRandomNumberGenerator()), origin: origin, agent: agent(source: source))
    }
}

/// The real clock.
struct SystemClock: Clock {
    func now() -> Date { Date() }
}
