import Foundation
import ArgumentParser
import FiberNodeDomain
import FiberNodeStore
import FiberNodeStrings
import FiberNodeMessages

// MARK: - backup

/// `fibernode backup create|list|verify|restore|run-due` (CLI.md). Every subcommand but
/// `run-due` acts as a user and needs the superadmin role; `run-due` is the worker's system job.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Online backups: create, list, verify, restore; run-due for the worker.",
        discussion: """
        Encrypted backups use the passphrase from $FIBERNODE_BACKUP_PASSPHRASE, else the setting \
        backup.passphrase, else (with --encrypt, or for an encrypted file) a prompt without echo.
        """,
        subcommands: [Create.self, List.self, Verify.self, Restore.self, RunDue.self])

    /// The passphrase for an encrypted file: environment, setting, prompt (TTY only).
    static func passphrase(_ cli: CLI, _ db: AppDatabase, prompt: Bool, confirm: Bool = false) throws -> String? {
        if let p = cli.env.vars["FIBERNODE_BACKUP_PASSPHRASE"], !p.isEmpty { return p }
        if let s = try? db.settings(), !s["backup.passphrase"].isEmpty { return s["backup.passphrase"] }
        guard prompt else { return nil }
        let s = cli.strings(db)
        guard isatty(STDIN_FILENO) == 1, let p = getpass(s[.bkPassphrasePrompt]) else {
            throw CLIFailure(message: s.f(.cliNoTTY, "FIBERNODE_BACKUP_PASSPHRASE"), code: 2)
        }
        let first = String(cString: p)
        if confirm {
            guard let q = getpass(s[.bkPassphraseRepeat]), String(cString: q) == first else {
                throw CLIFailure(message: s[.bkPassphraseDiffer], code: 2)
            }
        }
        return first
    }

    /// A superadmin's passphrase for reading `file` (verify, restore): nil when it is not encrypted.
    static func passphrase(reading file: String, _ cli: CLI, _ db: AppDatabase, _ user: UserProfile) throws -> String? {
        guard user.actor.can(.manageBackups) else { throw StoreError.notPermitted }
        return isEncryptedFile(file) ? try passphrase(cli, db, prompt: true) : nil
    }

    static func isEncryptedFile(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        return BackupCrypto.isEncrypted(prefix: h.readData(ofLength: 8))
    }

    static func json(_ r: BackupRecord) -> [String: Any] {
        ["id": r.id, "name": r.name, "path": r.path, "size": r.size, "sha256": r.sha256, "encrypted": r.encrypted,
         "kind": r.kind.rawValue, "schema_version": r.schemaVersion, "created_by": r.createdBy ?? "",
         "created_at": ISO8601DateFormatter().string(from: r.createdAt), "exists": FileManager.default.fileExists(atPath: r.path)]
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take an online backup now (superadmin).")
        @OptionGroup var global: GlobalOptions
        @Option(name: .shortAndLong, help: "Write the backup to this file (default: the backup folder).") var output: String?
        @Flag(name: .long, help: "Encrypt (AES-256-GCM, key from the passphrase with Argon2id).") var encrypt = false
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                guard user.actor.can(.manageBackups) else { throw StoreError.notPermitted }
                let pass = try BackupCommand.passphrase(cli, db, prompt: encrypt, confirm: true)
                let r = try db.createBackup(output: output, passphrase: pass, actor: user.actor, context: cli.context)
                if global.json { cli.printJSON(BackupCommand.json(r)) }
                else { print(s.f(.bkCreated, r.path, Strings.byteSize(r.size), r.sha256)) }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recorded backups, newest first (superadmin).")
        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "Include backups removed by the retention policy.") var all = false
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                let rows = try db.backups(actor: user.actor, includePruned: all)
                let tz = try db.settings().timeZone
                if global.json { cli.printJSON(["backups": rows.map(BackupCommand.json)]); return }
                if rows.isEmpty { print(s[.bkListEmpty]); return }
                let f = DateFormatter()
                f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = tz; f.dateFormat = "yyyy-MM-dd HH:mm"
                for r in rows {
                    let missing = FileManager.default.fileExists(atPath: r.path) ? "" : " " + s[.bkMissing]
                    print("\(f.string(from: r.createdAt))  \(s.backupKind(r.kind).padding(toLength: 13, withPad: " ", startingAt: 0))"
                          + " \(Strings.byteSize(r.size).padding(toLength: 9, withPad: " ", startingAt: 0)) \(r.sha256.prefix(12))  \(r.path)\(missing)")
                }
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a backup file: decrypts, integrity check, schema version (superadmin).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The backup file.") var file: String
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                let pass = try BackupCommand.passphrase(reading: file, cli, db, user)
                let c = try db.verifyBackup(file: file, passphrase: pass, actor: user.actor)
                if global.json {
                    cli.printJSON(["file": c.path, "encrypted": c.encrypted, "size": c.size, "sha256": c.sha256,
                                   "schema_version": c.schemaVersion, "integrity": c.integrity])
                } else { print(s.f(.bkVerified, c.path, c.schemaVersion, c.sha256)) }
            }
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the database with a verified backup, keeping a copy of the current one (superadmin).",
            discussion: "Refused while other processes (terminals, serve, worker) hold the database open.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The backup file.") var file: String
        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                let pass = try BackupCommand.passphrase(reading: file, cli, db, user)
                let r = try db.restoreBackup(file: file, passphrase: pass, actor: user.actor, context: cli.context)
                if global.json {
                    cli.printJSON(["restored": file, "previous": r.previous.path, "schema_version": r.check.schemaVersion,
                                   "sha256": r.check.sha256])
                } else { print(s.f(.bkRestored, file, r.previous.path)) }
            }
        }
    }

    struct RunDue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run-due",
            abstract: "Take the scheduled backup if it is due (backup.time) and prune by the retention policy; safe to run often.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            let cli = CLI(global)
            try cli.withDatabase { db, s in
                let o = try BackupScheduler.runDue(db: db, context: cli.context)
                let tz = try db.settings().timeZone
                if global.json {
                    cli.printJSON(["created": o.created.map(BackupCommand.json) ?? NSNull(), "pruned": o.pruned.map(\.name),
                                   "next": ISO8601DateFormatter().string(from: o.next)])
                    return
                }
                let f = DateFormatter()
                f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = tz; f.dateFormat = "yyyy-MM-dd HH:mm"
                if let c = o.created { print(s.f(.bkRunDueCreated, c.path)) } else { print(s.f(.bkRunDueNothing, f.string(from: o.next))) }
                if !o.pruned.isEmpty { print(s.f(.bkPruned, o.pruned.count)) }
            }
        }
    }
}
