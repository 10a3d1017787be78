// swift-tools-version:6.0
import PackageDescription

// Language mode 5: the curses and argon2 C APIs expose globals that Swift 6 strict
// concurrency rejects; see DECISIONS.md.
let swift5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let package = Package(
    name: "FiberNode",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "fibernode", targets: ["fibernode"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // MARK: - C libraries
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw",
                       providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CArgon2", pkgConfig: "libargon2",
                       providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter",
                       providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(name: "CQrencode", pkgConfig: "libqrencode",
                       providers: [.apt(["libqrencode-dev"])]),

        // MARK: - Modules
        .target(name: "FiberNodeDomain", swiftSettings: swift5),
        .target(name: "FiberNodeStore",
                dependencies: ["FiberNodeDomain", "CArgon2",
                               .product(name: "GRDB", package: "GRDB.swift"),
                               .product(name: "CSV", package: "CSV.swift"),
                               .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: swift5),
        .target(name: "FiberNodeReports",
                dependencies: ["FiberNodeDomain", "FiberNodeStore", "CXlsxWriter",
                               .product(name: "CSV", package: "CSV.swift")],
                swiftSettings: swift5),
        .target(name: "FiberNodeHTTP",
                dependencies: ["FiberNodeStore", "FiberNodeReports", .product(name: "FlyingFox", package: "FlyingFox"),
                               .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: swift5),
        .target(name: "FiberNodeWhatsApp",
                dependencies: ["FiberNodeDomain", "FiberNodeStore", "CQrencode", .product(name: "Logging", package: "swift-log")],
                swiftSettings: swift5),
        // Fakes of the outside servers (WAHA today; Graph API, RouterOS next) shared by the tests and `fibernode-bench`
        .target(name: "FiberNodeFakes", dependencies: [.product(name: "FlyingFox", package: "FlyingFox"),
                                                       .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: swift5),
        .target(name: "TerminalUI", swiftSettings: swift5),
        .target(name: "CursesBackend", dependencies: ["TerminalUI", "CNcurses"],
                swiftSettings: swift5),
        .target(name: "FiberNodeTUI",
                dependencies: ["TerminalUI", "FiberNodeDomain", "FiberNodeStore", "FiberNodeReports", "FiberNodeWhatsApp"],
                swiftSettings: swift5),
        .executableTarget(name: "fibernode",
                          dependencies: ["FiberNodeTUI", "CursesBackend", "FiberNodeStore", "FiberNodeReports", "FiberNodeHTTP",
                                         "FiberNodeWhatsApp",
                                         "FiberNodeDomain", "TerminalUI",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                         .product(name: "Logging", package: "swift-log")],
                          swiftSettings: swift5),

        .executableTarget(name: "fibernode-bench",
                          dependencies: ["FiberNodeTUI", "FiberNodeStore", "FiberNodeReports", "FiberNodeDomain", "TerminalUI",
                                         "FiberNodeWhatsApp", "FiberNodeFakes",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                         .product(name: "Logging", package: "swift-log")],
                          swiftSettings: swift5),

        // MARK: - Tests
        .testTarget(name: "FiberNodeDomainTests", dependencies: ["FiberNodeDomain"],
                    swiftSettings: swift5),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"],
                    swiftSettings: swift5),
        .testTarget(name: "FiberNodeStoreTests", dependencies: ["FiberNodeStore", "FiberNodeDomain"],
                    swiftSettings: swift5),
        .testTarget(name: "FiberNodeReportsTests", dependencies: ["FiberNodeReports", "FiberNodeStore", "FiberNodeDomain", .product(name: "CSV", package: "CSV.swift")],
                    exclude: ["Golden"],
                    swiftSettings: swift5),
        .testTarget(name: "FiberNodeHTTPTests", dependencies: ["FiberNodeHTTP", "FiberNodeStore", "FiberNodeDomain", "FiberNodeFakes"],
                    swiftSettings: swift5),
        .testTarget(name: "FiberNodeWhatsAppTests",
                    dependencies: ["FiberNodeWhatsApp", "FiberNodeFakes", "FiberNodeStore", "FiberNodeDomain"],
                    swiftSettings: swift5),
        .testTarget(name: "FiberNodeTUITests",
                    dependencies: ["FiberNodeTUI", "TerminalUI", "FiberNodeStore", "FiberNodeDomain", "FiberNodeWhatsApp"],
                    swiftSettings: swift5),
    ]
)
