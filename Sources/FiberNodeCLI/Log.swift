import Foundation
import Logging

/// File logging through swift-log: never to the terminal the TUI owns; secrets are never logged.
public enum Log {
    public static func setUp(path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let handle = FileHandle(forWritingAtPath: path)
        handle?.seekToEndOfFile()
        LoggingSystem.bootstrap { label in FileLogHandler(label: label, handle: handle) }
    }
}

/// Appends one line per message to the log file.
struct FileLogHandler: LogHandler {
    let label: String
    let handle: FileHandle?
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?,
             source: String, file: String, function: String, line: UInt) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        let meta = metadata.merging(extra ?? [:]) { $1 }
        let metaText = meta.isEmpty ? "" : " " + meta.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        handle?.write(Data("\(stamp) \(level) \(label): \(message)\(metaText)\n".utf8))
    }
}
