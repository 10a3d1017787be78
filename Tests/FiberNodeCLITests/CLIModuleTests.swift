import Foundation
import XCTest
@testable import FiberNodeCLI
import FiberNodeStrings

/// The command line stands on the strings module, not on the TUI (issue 13): no source of
/// FiberNodeCLI may import FiberNodeTUI, TerminalUI or the curses layers, and the package
/// must not give the target those dependencies.
final class CLIModuleTests: XCTestCase {
    static let forbidden = ["FiberNodeTUI", "TerminalUI", "CursesBackend", "CNcurses"]

    var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testNoCLISourceImportsTheTUI() throws {
        let dir = root.appendingPathComponent("Sources/FiberNodeCLI")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".swift") }
        XCTAssertGreaterThan(files.count, 5, "the command files live in Sources/FiberNodeCLI")
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                guard let i = words.firstIndex(of: "import"), words[..<i].allSatisfy({ $0.hasPrefix("@") || $0 == "public" })
                else { continue }
                let module = words.dropFirst(i + 1).last(where: { !$0.isEmpty }).map { String($0.split(separator: ".")[0]) } ?? ""
                XCTAssertFalse(Self.forbidden.contains(module), "\(file): \(line)")
            }
        }
    }

    func testPackageGivesTheCLINoTUIDependency() throws {
        let package = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        guard let start = package.range(of: ".target(name: \"FiberNodeCLI\"") else { return XCTFail("no FiberNodeCLI target") }
        let rest = package[start.upperBound...]
        let target = rest[..<(rest.range(of: "swiftSettings")?.lowerBound ?? rest.endIndex)]
        for m in Self.forbidden { XCTAssertFalse(target.contains("\"\(m)\""), "FiberNodeCLI depends on \(m)") }
    }

    /// The root command takes its theme names from the executable (which knows the TUI).
    func testThemesComeFromTheEntryPoint() {
        XCTAssertEqual(Set(TUIEntry.themes), ["dark", "light", "mono"])
    }
}
