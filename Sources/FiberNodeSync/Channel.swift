import Foundation

/// A byte stream both sides of the sync speak over: a child process's pipes (`ssh`,
/// `--remote-command`), this process's stdin/stdout (`sync-serve`), or memory (tests).
public protocol SyncChannel: AnyObject {
    /// Writes all bytes or throws (the other side went away).
    func write(_ bytes: [UInt8]) throws
    /// Up to `max` bytes; an empty array at the end of the stream.
    func read(max: Int) throws -> [UInt8]
    /// Closes this side.
    func close()
}

/// The connection dropped or the other side broke the protocol.
public enum SyncTransportError: Error, Equatable, Sendable {
    case closed
    case frameTooLarge(Int)
    case badFrame
}

/// Length-prefixed JSON frames: 4 bytes big-endian length, then one JSON object.
public final class FrameChannel {
    public let channel: SyncChannel
    private var buffer: [UInt8] = []
    private var start = 0
    public static let maxFrame = 256 << 20
    public private(set) var bytesIn = 0
    public private(set) var bytesOut = 0

    public init(_ channel: SyncChannel) { self.channel = channel }

    public func send(_ message: [String: Any]) throws {
        let body = try JSONSerialization.data(withJSONObject: message)
        var out = [UInt8](); out.reserveCapacity(body.count + 4)
        let n = UInt32(body.count)
        out += [UInt8(n >> 24), UInt8((n >> 16) & 0xff), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)]
        out += body
        try channel.write(out)
        bytesOut += out.count
    }

    /// Sends an already-encoded JSON object as one frame.
    public func sendRaw(_ body: [UInt8]) throws {
        let n = UInt32(body.count)
        var out: [UInt8] = [UInt8(n >> 24), UInt8((n >> 16) & 0xff), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)]
        out += body
        try channel.write(out)
        bytesOut += out.count
    }

    private func fill(_ count: Int) throws {
        while buffer.count - start < count {
            if start > 0 && start >= buffer.count / 2 { buffer.removeFirst(start); start = 0 }
            let chunk = try channel.read(max: max(65536, count - (buffer.count - start)))
            if chunk.isEmpty { throw SyncTransportError.closed }
            buffer += chunk
            bytesIn += chunk.count
        }
    }

    public func receive() throws -> [String: Any] {
        try fill(4)
        let b = buffer[start..<(start + 4)].map { Int($0) }
        let n = (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]
        guard n <= Self.maxFrame else { throw SyncTransportError.frameTooLarge(n) }
        try fill(4 + n)
        let body = Data(buffer[(start + 4)..<(start + 4 + n)])
        start += 4 + n
        if start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        guard let obj = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { throw SyncTransportError.badFrame }
        return obj
    }
}

/// Two file descriptors (a child's pipes, or stdin/stdout).
public final class FDChannel: SyncChannel {
    let readFD: Int32, writeFD: Int32
    private var closed = false
    public init(read: Int32, write: Int32) { readFD = read; writeFD = write }

    public func write(_ bytes: [UInt8]) throws {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Foundation.write(writeFD, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw SyncTransportError.closed }
            off += n
        }
    }

    public func read(max: Int) throws -> [UInt8] {
        var buf = [UInt8](repeating: 0, count: max)
        while true {
            let n = buf.withUnsafeMutableBytes { Foundation.read(readFD, $0.baseAddress, max) }
            if n < 0 { if errno == EINTR { continue }; throw SyncTransportError.closed }
            return Array(buf.prefix(n))
        }
    }

    public func close() {
        guard !closed else { return }
        closed = true
        Foundation.close(writeFD)
        if readFD != writeFD { Foundation.close(readFD) }
    }
}

/// A child process speaking the protocol on its stdin/stdout: `sh -c CMD` or `ssh … sync-serve`.
public final class ProcessChannel: SyncChannel {
    public let process: Process
    private let fd: FDChannel
    private let inPipe = Pipe(), outPipe = Pipe(), stderrPipe = Pipe()
    private var closed = false
    public private(set) var stderrText = ""

    public init(executable: String, arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = stderrPipe
        try process.run()
        fd = FDChannel(read: outPipe.fileHandleForReading.fileDescriptor, write: inPipe.fileHandleForWriting.fileDescriptor)
    }

    /// `sh -c COMMAND`.
    public static func shell(_ command: String) throws -> ProcessChannel {
        try ProcessChannel(executable: "/bin/sh", arguments: ["-c", command])
    }

    /// `ssh [-p PORT] [USER@]HOST fibernode [--db PATH] sync-serve` through the system ssh, so the
    /// operator's keys, known_hosts and the server's `command=` set-up apply.
    public static func ssh(remote: String, remoteDB: String?, sshPath: String = "/usr/bin/ssh", extraOptions: [String] = []) throws -> ProcessChannel {
        var host = remote, port: String? = nil
        if let colon = remote.lastIndex(of: ":"), !remote.contains("["), Int(remote[remote.index(after: colon)...]) != nil {
            host = String(remote[..<colon]); port = String(remote[remote.index(after: colon)...])
        }
        var args = ["-T", "-o", "BatchMode=yes"] + extraOptions
        if let port { args += ["-p", port] }
        args.append("--")
        args.append(host)
        var cmd = "fibernode"
        if let remoteDB { cmd += " --db '" + remoteDB.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        args.append(cmd + " sync-serve")
        return try ProcessChannel(executable: sshPath, arguments: args)
    }

    public func write(_ bytes: [UInt8]) throws { try fd.write(bytes) }
    public func read(max: Int) throws -> [UInt8] { try fd.read(max: max) }
    public func close() {
        guard !closed else { return }
        closed = true
        try? inPipe.fileHandleForWriting.close()
        try? outPipe.fileHandleForReading.close()
        process.waitUntilExit()
        let data = stderrPipe.fileHandleForReading.readDataToEndOfFile()
        stderrText = String(decoding: data, as: UTF8.self)
    }
}

/// Both ends of an in-memory connection that can be cut after a number of bytes (tests, bench).
public final class MemoryLink: @unchecked Sendable {
    final class Direction {
        var bytes: [UInt8] = []
        var closed = false
    }
    private let cond = NSCondition()
    private let toServer = Direction(), toClient = Direction()
    /// Total bytes (both directions) after which the connection drops; nil: never.
    public let cutAfter: Int?
    public private(set) var transferred = 0
    /// Where each write ended (cumulative bytes): the message boundaries.
    public private(set) var boundaries: [Int] = []

    public init(cutAfter: Int? = nil) { self.cutAfter = cutAfter }

    public var client: SyncChannel { End(link: self, outgoing: toServer, incoming: toClient) }
    public var server: SyncChannel { End(link: self, outgoing: toClient, incoming: toServer) }
    public var wasCut: Bool { cond.lock(); defer { cond.unlock() }; return cutAfter.map { transferred >= $0 } ?? false }

    func write(_ bytes: [UInt8], to d: Direction) throws {
        cond.lock(); defer { cond.unlock(); cond.broadcast() }
        guard !d.closed else { throw SyncTransportError.closed }
        var allowed = bytes.count
        if let cut = cutAfter { allowed = max(0, min(allowed, cut - transferred)) }
        d.bytes += bytes.prefix(allowed)
        transferred += allowed
        boundaries.append(transferred)
        if allowed < bytes.count || (cutAfter.map { transferred >= $0 } ?? false) {
            toServer.closed = true; toClient.closed = true
            if allowed < bytes.count { throw SyncTransportError.closed }
        }
    }

    func read(_ max: Int, from d: Direction) -> [UInt8] {
        cond.lock(); defer { cond.unlock() }
        while d.bytes.isEmpty && !d.closed { cond.wait() }
        let n = min(max, d.bytes.count)
        let out = Array(d.bytes.prefix(n))
        d.bytes.removeFirst(n)
        return out
    }

    func close(_ d: Direction) {
        cond.lock(); d.closed = true; cond.unlock(); cond.broadcast()
    }

    final class End: SyncChannel {
        let link: MemoryLink, outgoing: Direction, incoming: Direction
        init(link: MemoryLink, outgoing: Direction, incoming: Direction) { self.link = link; self.outgoing = outgoing; self.incoming = incoming }
        func write(_ bytes: [UInt8]) throws { try link.write(bytes, to: outgoing) }
        func read(max: Int) throws -> [UInt8] { link.read(max, from: incoming) }
        func close() { link.close(outgoing); link.close(incoming) }
    }
}

/// How a laptop reaches its server, as remembered in its identity: `command:CMD` (any command
/// speaking the protocol) or `ssh:[USER@]HOST[:PORT]|REMOTE_DB`.
public enum SyncRemote {
    public static func connect(_ described: String, sshPath: String = "/usr/bin/ssh", sshOptions: [String] = []) throws -> ProcessChannel {
        if described.hasPrefix("command:") { return try ProcessChannel.shell(String(described.dropFirst(8))) }
        guard described.hasPrefix("ssh:") else { throw SyncFailure.server("remote") }
        let parts = String(described.dropFirst(4)).split(separator: "|", maxSplits: 1).map(String.init)
        return try ProcessChannel.ssh(remote: parts[0], remoteDB: parts.count > 1 ? parts[1] : nil, sshPath: sshPath, extraOptions: sshOptions)
    }

    /// The remote as a person reads it.
    public static func display(_ described: String?) -> String {
        guard let d = described else { return "-" }
        if d.hasPrefix("command:") { return String(d.dropFirst(8)) }
        return String(d.dropFirst(4)).replacingOccurrences(of: "|", with: " ")
    }
}

/// Writes a `rows` frame's JSON by hand: JSONSerialization spent more time on a clone's
/// rows (only null, integers, reals and strings) than everything else together.
public enum RowsJSON {
    public static func encode(table: String, columns: [String], rows: ArraySlice<[Any]>) -> [UInt8] {
        var out = [UInt8](); out.reserveCapacity(rows.count * 300 + 200)
        out += Array(#"{"t":"rows","table":"#.utf8); string(table, &out)
        out += Array(#","columns":["#.utf8)
        for (i, c) in columns.enumerated() { if i > 0 { out.append(0x2C) }; string(c, &out) }
        out += Array(#"],"rows":["#.utf8)
        for (r, row) in rows.enumerated() {
            if r > 0 { out.append(0x2C) }
            out.append(0x5B)
            for (i, v) in row.enumerated() {
                if i > 0 { out.append(0x2C) }
                switch v {
                case let s as String: string(s, &out)
                case let n as Int: out += Array(String(n).utf8)
                case let d as Double: out += Array((d.isFinite ? "\(d)" : "null").utf8)
                default: out += [0x6E, 0x75, 0x6C, 0x6C]   // null
                }
            }
            out.append(0x5D)
        }
        out += [0x5D, 0x7D]
        return out
    }

    static func string(_ s: String, _ out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { buf in
            var plain = true
            for b in buf where b < 0x20 || b == 0x22 || b == 0x5C { plain = false; break }
            if plain { out.append(contentsOf: buf); return }
            for b in buf {
                switch b {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += [0x5C, 0x6E]
                case 0x0D: out += [0x5C, 0x72]
                case 0x09: out += [0x5C, 0x74]
                case 0..<0x20: out += Array(String(format: "\\u%04x", b).utf8)
                default: out.append(b)
                }
            }
        }
        out.append(0x22)
    }
}
