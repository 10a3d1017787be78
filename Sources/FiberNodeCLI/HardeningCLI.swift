import Foundation
import ArgumentParser
import FiberNodeDomain
import FiberNodeStore
import FiberNodeStrings
import FiberNodeMessages
import TextSafety

// Issue 12: the command line's side of the output policy, usage errors in the user's
// language, and clean text on the operator's terminal.

// MARK: - Output files (item 1)

extension CLI {
    /// Resolves `-o` under the user's `OutputPolicy`: a superadmin's relative name is relative
    /// to the working directory, a mitra's lands in its export folder; refusals become the
    /// contract's exit codes (4 for an existing file without `--force`, 2 otherwise).
    func resolveOutput(_ requested: String, db: AppDatabase, actor: Actor, extensions: [String], force: Bool,
                       _ s: Strings) throws -> String {
        let policy = db.outputPolicy(for: actor)
        do {
            return try policy.resolve(requested, base: policy.restricted ? nil : FileManager.default.currentDirectoryPath,
                                      extensions: extensions, force: force)
        } catch let e as OutputError { throw outputFailure(e, s) }
    }

    func outputFailure(_ e: OutputError, _ s: Strings) -> CLIFailure {
        CLIFailure(message: s.describe(e, cli: true), code: e.exitCode)
    }
}

// MARK: - Usage errors (item 11)

/// ArgumentParser's usage errors (exit 64, English) as the contract wants them: exit 2 and
/// one sentence in the chosen language (`--lang`, else the database's `ui.language`, else id).
enum UsageErrors {
    /// The language for a usage error, read from the raw arguments (and the database's
    /// setting, read-only) since parsing failed.
    static func strings(arguments: [String], environment: [String: String]) -> Strings {
        func value(_ name: String) -> String? {
            for (i, a) in arguments.enumerated() {
                if a == name, i + 1 < arguments.count { return arguments[i + 1] }
                if a.hasPrefix(name + "=") { return String(a.dropFirst(name.count + 1)) }
            }
            return nil
        }
        if let l = value("--lang"), let lang = Language(rawValue: l) { return Strings(lang) }
        let path = ProcessEnvironment().databasePath(option: value("--db"))
        if let l = AppDatabase.peekSetting(path: path, key: "ui.language"), let lang = Language(rawValue: l) { return Strings(lang) }
        return Strings(.id)
    }

    /// The translated sentence for ArgumentParser's English message.
    static func message(_ english: String, _ s: Strings) -> String {
        let first = english.split(separator: "\n").first.map(String.init) ?? english
        func quoted(_ text: String) -> [String] {
            var out: [String] = [], cur = "", inside = false
            for ch in text {
                if ch == "'" { if inside { out.append(cur); cur = "" }; inside.toggle() } else if inside { cur.append(ch) }
            }
            return out
        }
        func option(_ q: String) -> String { String(q.split(separator: " ").first ?? Substring(q)) }
        let q = quoted(first)
        if first.hasPrefix("Missing expected argument"), let a = q.first { return s.f(.useMissing, option(a)) }
        if first.hasPrefix("Missing value for"), let a = q.first { return s.f(.useMissingValue, option(a)) }
        if first.hasPrefix("Unknown option"), let a = q.first { return s.f(.useUnknownOption, option(a)) }
        if first.hasPrefix("Unexpected argument"), let a = q.first { return s.f(.useUnexpected, a) }
        if first.hasPrefix("The value"), q.count >= 2 { return s.f(.useBadValue, "'" + q[0] + "'", option(q[1])) }
        return s.f(.useGeneric, Sanitizer.clean(first))
    }
}

extension FiberNodeCommand {
    /// Parses and runs like ArgumentParser's `main()`, except that usage errors exit 2 with
    /// the message in the user's language (CLI.md) instead of 64 in English.
    public static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                let s = UsageErrors.strings(arguments: arguments, environment: ProcessInfo.processInfo.environment)
                let text = UsageErrors.message(message(for: error), s)
                FileHandle.standardError.write(Data((text + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

// MARK: - Clean text on the terminal (item 3)

/// Every human-readable line the command line prints goes through here: text from the
/// database (customer names, WhatsApp texts, receipts) must not carry ESC/OSC/BEL or C1
/// controls to the operator's terminal or a printer. Line breaks of multi-line output are
/// kept; JSON output is escaped by JSONSerialization and passes unchanged. This shadows
/// `Swift.print` for the whole `fibernode` module, so no command can forget it.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { String(describing: $0) }.joined(separator: separator)
    Swift.print(TerminalText.clean(text), terminator: terminator)
}

/// Sanitizes text for a terminal: keeps the line breaks and tabs of multi-line and
/// tab-separated output (fields from the database are cleaned one by one with `field`, so a
/// tab or line break inside a name cannot add a column or a row) and drops every other control.
enum TerminalText {
    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: Sanitizer.needsWork) else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line -> String in
                var l = String(line)
                if l.hasSuffix("\r") { l.removeLast() }
                return l.split(separator: "\t", omittingEmptySubsequences: false).map { Sanitizer.clean(String($0)) }
                    .joined(separator: "\t")
            }
            .joined(separator: "\n")
    }

    /// JSON as JSONSerialization writes it escapes only what JSON requires (below U+0020);
    /// DEL, the C1 controls (U+009B is a CSI on many terminals) and bidi overrides are escaped
    /// here as \uXXXX too, so the JSON stays exact and the terminal sees no control.
    static func escapeJSON(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: Sanitizer.needsWork) else { return json }
        var out = ""
        for u in json.unicodeScalars {
            if Sanitizer.needsWork(u) { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// One tab-separated row, each field cleaned (a tab or newline in a field becomes a space).
    static func row(_ fields: [String]) -> String {
        fields.map { Sanitizer.clean($0) }.joined(separator: "\t")
    }
}

// MARK: - Secrets off the command line (item 6)

/// Where `settings set` gets its value: the argument, `-` for one line of standard input, or
/// (a secret key given no value) a prompt without echo. A secret passed as an argument still
/// works but is warned about: it is visible in `ps` and the shell history.
enum SecretInput {
    static func value(for key: String, given: String?, strings s: Strings,
                      readLine read: () -> String? = { Swift.readLine(strippingNewline: true) }) throws -> String {
        let secret = SettingsCatalog.definition(key)?.secret ?? false
        switch given {
        case "-"?:
            guard var line = read() else { throw CLIFailure(message: s.f(.setStdinEmpty, key), code: 2) }
            if line.hasSuffix("\r") { line.removeLast() }
            return line
        case let v?:
            if secret {
                FileHandle.standardError.write(Data((s.f(.setSecretArgWarning, key, key) + "\n").utf8))
            }
            return v
        case nil:
            guard secret else { throw CLIFailure(message: s.f(.useMissing, "<value>"), code: 2) }
            guard isatty(STDIN_FILENO) == 1, let p = getpass(s.f(.setSecretPrompt, key)) else {
                throw CLIFailure(message: s.f(.setStdinEmpty, key), code: 2)
            }
            return String(cString: p)
        }
    }
}
