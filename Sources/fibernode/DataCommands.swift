import Foundation
import ArgumentParser
import FiberNodeDomain
import FiberNodeStore
import FiberNodeReports
import FiberNodeTUI

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
            try runCommand {
                let db = try cli.openExisting()
                let s = cli.strings(db)
                let user = try cli.login(db)
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIFailure(message: s.f(.errNotFound, file), code: 2)
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw CLIFailure(message: s.f(.errInvalid, "csv", "UTF-8"), code: 2)
                }
                let report: ImportReport
                do { report = try db.importCustomers(csv: text, dryRun: dryRun, actor: user.actor, context: cli.context) }
                catch { throw cli.fail(error, db) }
                if global.json {
                    cli.printJSON(["imported": report.imported, "rejected": report.rejected.count, "valid": report.valid.count,
                                   "dry_run": dryRun,
                                   "errors": report.rejected.map { ["line": $0.line, "reason": s.describe($0.problem)] as [String: Any] }])
                } else {
                    for r in report.rejected { print("\(file):\(r.line): \(s.describe(r.problem))") }
                    print(dryRun ? s.f(.impDryRun, report.valid.count, report.rejected.count)
                                 : s.f(.impSummary, report.imported, report.rejected.count))
                }
            }
        }
    }
}

// MARK: - export

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export data to CSV or XLSX files.",
                                                    subcommands: [Customers.self])

    struct Customers: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export customers in the import's columns (superadmin only).")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "csv or xlsx.") var format: String = "csv"
        @Option(name: .short, help: "Output file.") var o: String

        func run() throws {
            let cli = CLI(global)
            try runCommand {
                let db = try cli.openExisting()
                let s = cli.strings(db)
                guard let fmt = ExportFormat(rawValue: format) else {
                    throw CLIFailure(message: s.f(.errInvalid, "--format", "csv | xlsx"), code: 2)
                }
                let user = try cli.login(db)
                let n: Int
                do { n = try CustomerExporter.export(db: db, actor: user.actor, format: fmt, to: o) }
                catch let e as ExportError { throw CLIFailure(message: s.f(.errStorage, "\(e)"), code: 1) }
                catch { throw cli.fail(error, db) }
                if global.json { cli.printJSON(["exported": n, "file": o]) } else { print(s.f(.expDone, n, o)) }
            }
        }
    }
}
