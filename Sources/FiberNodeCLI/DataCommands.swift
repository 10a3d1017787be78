import Foundation
import ArgumentParser
import FiberNodeDomain
import FiberNodeStore
import FiberNodeReports
import FiberNodeStrings
import FiberNodeMessages

// MARK: - import

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import data from files.",
                                                    subcommands: [Customers.self])

    struct Customers: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import customers from the spec's CSV (superadmin only).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file.") var file: String
        @Flag(name: .customLong("dry-run"), help: "Validate and report; write nothing.") var dryRun = false

        func run() throws {
            let cli = CLI(global)
            try cli.asUser { db, user, s in
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIFailure(message: s.f(.errNotFound, file), code: 2)
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw CLIFailure(message: s.f(.errInvalid, "csv", "UTF-8"), code: 2)
                }
                let report = try db.importCustomers(csv: text, dryRun: dryRun, actor: user.actor, context: cli.context)
                if global.json {
                    cli.printJSON(["imported": report.imported, "rejected": report.rejected.count, "valid": report.valid.count,
                                   "dry_run": dryRun, "warnings": report.warnings.count,
                                   "errors": report.rejected.map { ["line": $0.line, "reason": s.describe($0.problem)] as [String: Any] }])
                } else {
                    for r in report.rejected { print("\(file):\(r.line): \(s.describe(r.problem))") }
                    print(dryRun ? s.f(.impDryRun, report.valid.count, report.rejected.count)
                                 : s.f(.impSummary, report.imported, report.rejected.count))
                }
                // A number shared by several connections: imported, one stderr line each (issue 14 §5).
                for w in report.warnings { FileHandle.standardError.write(Data("\(file):\(w.line): \(s.describe(w.problem))\n".utf8)) }
                if !report.warnings.isEmpty, !global.json {
                    FileHandle.standardError.write(Data((s.f(.impWarnings, report.warnings.count) + "\n").utf8))
                }
            }
        }
    }
}

// MARK: - export

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export data to CSV or XLSX files.",
                                                    subcommands: [Customers.self, Invoices.self, Payments.self])

    /// `--format`: csv or xlsx, else exit 2 with the reason.
    static func parseFormat(_ format: String, _ s: Strings) throws -> ExportFormat {
        guard let f = ExportFormat(rawValue: format) else {
            throw CLIFailure(message: s.f(.errInvalid, "--format", "csv | xlsx"), code: 2)
        }
        return f
    }

    /// `--format` and `-o` checked together, before a password is asked for.
    static func format(_ format: String, _ o: String, _ s: Strings) throws -> ExportFormat {
        let f = try parseFormat(format, s)
        try checkExtension(o, f, s)
        return f
    }

    /// `-o` must end in the format's extension (`--format xlsx -o x.csv` is refused, exit 2).
    static func checkExtension(_ o: String, _ format: ExportFormat, _ s: Strings) throws {
        let ext = (o as NSString).pathExtension.lowercased()
        guard format.extensions.contains(ext) else {
            throw CLIFailure(message: s.describe(OutputError.wrongExtension(expected: "." + format.extensions[0])), code: 2)
        }
    }

    struct Customers: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export customers in the import's columns (superadmin only).")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "csv or xlsx.") var format: String = "csv"
        @Option(name: .short, help: "Output file (a mitra: a name in its export folder). Never replaces a file without --force.") var o: String
        @Flag(name: .long, help: "Replace an existing file (never the database, a backup, a folder or a symlink).") var force = false

        func run() throws {
            let cli = CLI(global)
            try cli.asUser(checking: { s in try ExportCommand.format(format, o, s) }) { db, user, s, fmt in
                guard user.actor.can(.exportCustomers) else { throw StoreError.notPermitted }
                let path = try cli.resolveOutput(o, db: db, actor: user.actor, extensions: fmt.extensions, force: force, s)
                let n = try CustomerExporter.export(db: db, actor: user.actor, format: fmt, to: path, force: force)
                if global.json { cli.printJSON(["exported": n, "file": path]) } else { print(s.f(.expDone, n, path)) }
            }
        }
    }
    struct Invoices: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export invoices whose due date is in a range, with summary rows (a mitra: its own).")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "First due date, YYYY-MM-DD.") var from: String
        @Option(name: .long, help: "Last due date, YYYY-MM-DD (inclusive).") var to: String
        @Option(name: .long, help: "Only this owner's invoices (business name; superadmin).") var owner: String?
        @Option(name: .long, help: "csv or xlsx.") var format: String = "csv"
        @Flag(name: .long, help: "Start the CSV with a UTF-8 byte-order mark (for Excel).") var bom = false
        @Option(name: .short, help: "Output file (a mitra: a name in its export folder). Never replaces a file without --force.") var o: String
        @Flag(name: .long, help: "Replace an existing file (never the database, a backup, a folder or a symlink).") var force = false

        func run() throws {
            let cli = CLI(global)
            try cli.asUser(checking: { s -> (ExportFormat, LocalDate, LocalDate) in
                let fmt = try ExportCommand.format(format, o, s)
                let (f, t) = try cli.dateRange(from, to, s)   // both given: never nil
                return (fmt, f!, t!)
            }) { db, user, s, input in
                let (fmt, f, t) = input
                var ownerId: String?
                if let owner {
                    let all = try db.owners(actor: user.actor)
                    guard let o = all.first(where: { $0.businessName.caseInsensitiveCompare(owner) == .orderedSame }) else {
                        if !user.actor.can(.viewAllOwners) { throw CLIFailure(message: s.message(for: StoreError.notPermitted), code: 3) }
                        throw CLIFailure(message: s.message(for: StoreError.notFound(what: owner)), code: 2)
                    }
                    ownerId = o.id
                }
                let settings = try db.settings()
                guard user.actor.can(.exportFinance) else { throw StoreError.notPermitted }
                let path = try cli.resolveOutput(o, db: db, actor: user.actor, extensions: fmt.extensions, force: force, s)
                let r = try InvoiceExporter.export(db: db, actor: user.actor, from: f, to: t, ownerId: ownerId, format: fmt, to: path,
                                                   force: force, language: s.language.rawValue, bom: bom, timeZone: settings.timeZone)
                if global.json {
                    cli.printJSON(["exported": r.rows, "file": path, "total": r.figures.billed, "paid": r.figures.collected,
                                   "unpaid": r.figures.outstanding])
                } else {
                    print(s.f(.expDone, r.rows, path))
                    print(s.f(.expSummary, Rupiah(r.figures.billed).formatted, Rupiah(r.figures.collected).formatted,
                              Rupiah(r.figures.outstanding).formatted))
                }
            }
        }
    }
}
