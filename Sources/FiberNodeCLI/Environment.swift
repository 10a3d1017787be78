import Foundation
import FiberNodeDomain
import FiberNodeStore

/// The only place that reads the process environment, the real clock and the system RNG.
public struct ProcessEnvironment {
    public let vars: [String: String]
    public init() { vars = ProcessInfo.processInfo.environment }
    public subscript(_ key: String) -> String? {
        guard let v = vars[key], !v.isEmpty else { return nil }
        return v
    }

    public var home: String { self["HOME"] ?? NSHomeDirectory() }

    /// `--db`, else `$FIBERNODE_DB`, else `$XDG_DATA_HOME/fibernode/fibernode.db`.
    public func databasePath(option: String?) -> String {
        if let option, !option.isEmpty { return (option as NSString).expandingTildeInPath }
        if let env = self["FIBERNODE_DB"] { return (env as NSString).expandingTildeInPath }
        let data = self["XDG_DATA_HOME"] ?? home + "/.local/share"
        return data + "/fibernode/fibernode.db"
    }

    public var logPath: String {
        let state = self["XDG_STATE_HOME"] ?? home + "/.local/state"
        return state + "/fibernode/fibernode.log"
    }

    /// Where the user connects from: the SSH client address, else "local".
    public var origin: String {
        if let ssh = self["SSH_CLIENT"], let ip = ssh.split(separator: " ").first { return String(ip) }
        return "local"
    }

    public var agent: String { agent(source: "cli") }

    /// "fibernode cli /dev/pts/3" or "fibernode tui …": login_attempts and the audit tell a cron
    /// job's CLI login from a person's TUI login (issue 14).
    public func agent(source: String) -> String {
        var name = "fibernode " + source
        if let tty = ttyname(STDIN_FILENO) { name += " " + String(cString: tty) }
        return name
    }

    public var noColor: Bool { vars["NO_COLOR"] != nil }
    public var term: String { self["TERM"] ?? "" }

    public func context(source: String = "cli") -> StoreContext {
        StoreContext(clock: SystemClock(), random: RandomSource(SystemRandomNumberGenerator()), origin: origin, agent: agent(source: source))
    }
}

/// The real clock.
struct SystemClock: Clock {
    func now() -> Date { Date() }
}
