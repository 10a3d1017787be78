import Foundation
import XCTest

/// Issue 12, item 10: the systemd units and the README must name one database. The worker's
/// unit once used `/var/lib/fibernode/fibernode.db` while the serve unit and the README used
/// the account's `~/.local/share` file, so a worker set up by the README exited "Database
/// belum ada" and no H-1 invoice, reminder or scheduled backup ever happened.
final class DeploymentPathsTests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// `KEY=value` of every `Environment=` line of a unit.
    func environment(_ unit: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in unit.split(separator: "\n") where line.hasPrefix("Environment=") {
            let kv = line.dropFirst("Environment=".count).split(separator: "=", maxSplits: 1)
            if kv.count == 2 { out[String(kv[0])] = String(kv[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return out
    }

    func testUnitsAndReadmeNameOneDatabase() throws {
        let units = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Resources").path)
            .filter { $0.hasSuffix(".service") }.sorted()
        XCTAssertEqual(units, ["fibernode-serve.service", "fibernode-worker.service"])
        var paths: [String: String] = [:]
        for name in units {
            let unit = try read("Resources/" + name)
            let env = environment(unit)
            let db = try XCTUnwrap(env["FIBERNODE_DB"], "\(name) sets no FIBERNODE_DB")
            paths[name] = db
            // the unit may write where the database lives (SQLite's -wal/-shm, backups)
            let dir = (db as NSString).deletingLastPathComponent
            let rw = unit.split(separator: "\n").first { $0.hasPrefix("ReadWritePaths=") } ?? ""
            XCTAssertTrue(rw.split(separator: " ").contains { dir.hasPrefix(String($0.replacingOccurrences(of: "ReadWritePaths=", with: ""))) },
                          "\(name): ReadWritePaths does not cover \(dir)")
            if let home = env["HOME"] { XCTAssertTrue(db.hasPrefix(home + "/"), "\(name): \(db) outside HOME \(home)") }
        }
        XCTAssertEqual(Set(paths.values).count, 1, "the units disagree: \(paths)")
        let db = try XCTUnwrap(paths.values.first)
        let readme = try read("README.md")
        XCTAssertTrue(readme.contains(db), "README.md never names \(db)")
        // every absolute database path the README gives (not `~/…` or `$XDG_DATA_HOME/…` defaults,
        // not an explicit `--db` example) is that one
        let regex = try NSRegularExpression(pattern: #"(--db\s+)?(?<![~\w$}./-])(/[A-Za-z0-9_./-]*/fibernode\.db)\b"#)
        for m in regex.matches(in: readme, range: NSRange(readme.startIndex..., in: readme)) {
            if m.range(at: 1).location != NSNotFound { continue }
            let found = String(readme[Range(m.range(at: 2), in: readme)!])
            XCTAssertEqual(found, db, "README.md names another database: \(found)")
        }
        // the account's home: the README's `useradd --create-home` gives /home/fibernode
        XCTAssertTrue(readme.contains("useradd --system --create-home"))
        XCTAssertTrue(db.hasPrefix("/home/fibernode/"))
    }
}
