import Foundation
import HummingbirdCore
import HTTPTypes
import Logging
import NIOCore
import NIOPosix
import FiberNodeStore

/// What one client may cost `fibernode serve` (issue 12: a 400 KB header line used to cost
/// 20 s of CPU and a 2 GiB body 2.1 GB of memory).
public struct ServeLimits: Sendable {
    /// Request line plus all header fields; more → 431 and the connection closed.
    public var maxHeaderBytes = 16 * 1024
    /// Request body; a larger Content-Length → 413 before reading, a chunked body is cut at this size → 413.
    public var maxBodyBytes = 1 << 20
    /// From the connection (or the end of the previous answer) to a complete request: headers and body.
    public var requestTimeout: TimeAmount = .seconds(10)
    /// An open connection with nothing happening is closed after this.
    public var idleTimeout: TimeAmount = .seconds(30)
    /// Connections served at once; further ones wait in the listen backlog.
    public var maxConnections = 64

    public init() {}
}

/// `fibernode serve`: the route table of `ReceiptServer.routes` (receipt pages, health,
/// downloads, webhooks) behind Hummingbird's HTTP/1.1 server on SwiftNIO, with the limits
/// of `ServeLimits`. It exposes nothing else of the database.
public final class ReceiptServer: @unchecked Sendable {
    let db: AppDatabase
    let host: String
    let requestedPort: Int
    /// Clock and ids for webhook writes and downloads; without it those requests are refused.
    public var context: StoreContext?
    public var limits = ServeLimits()

    private let lock = NSLock()
    private var listening: (any Channel)?
    private var server: Server<HTTP1Channel>?

    /// Refuses a host that is not an IPv4 or IPv6 address literal.
    public init(db: AppDatabase, host: String, port: UInt16) throws {
        var v4 = in_addr(), v6 = in6_addr()
        guard inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 else {
            throw ServeError.invalidHost(host)
        }
        self.db = db; self.host = host; self.requestedPort = Int(port)
    }

    public enum ServeError: Error { case invalidHost(String), notListening }

    /// The port actually bound (useful with port 0), once listening.
    public var port: Int? { lock.withLock { listening?.localAddress?.port } }

    public func run() async throws {
        let routes = Self.routes(db: db, context: context)
        let limits = self.limits
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes, maxHeaderFieldCount: 200)
        let http1 = HTTP1Channel(
            responder: { request, writer, channel in
                try await ReceiptServer.serve(request, writer: writer, channel: channel, routes: routes, limits: limits)
            },
            configuration: .init(additionalChannelHandlers: [RequestGuard(timeout: limits.requestTimeout)],
                                 idleTimeout: limits.idleTimeout, httpDecoderConfiguration: decoder))
        let server = Server(
            childChannelSetup: http1,
            configuration: ServerConfiguration(address: .hostname(host, port: requestedPort),
                                               availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)),
            onServerRunning: { [weak self] channel in self?.setListening(channel) },
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: Logger(label: "fibernode.serve", factory: { _ in SwiftLogNoOpLogHandler() }))
        lock.withLock { self.server = server }
        try await server.run()
    }

    private func setListening(_ channel: any Channel) { lock.withLock { listening = channel } }

    /// Returns once the socket is bound (polls for at most 10 s).
    public func waitUntilListening() async throws {
        for _ in 0..<1000 {
            if port != nil { return }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        throw ServeError.notListening
    }

    public func stop() async {
        let s = lock.withLock { server }
        try? await s?.shutdownGracefully()
    }

    // MARK: - One request

    /// Bounds the request, runs its route and writes the answer. A body over the limit is
    /// answered 413 and the connection's input is closed, so the rest is never read.
    static func serve(_ request: Request, writer: consuming ResponseWriter, channel: any Channel,
                      routes: [Route], limits: ServeLimits) async throws {
        let head = request.head
        var headers: [String: String] = [:]
        for field in head.headerFields {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        let (path, query) = ServeRequest.split(target: head.path ?? "/")
        if let length = headers["content-length"].flatMap({ Int($0) }), length > limits.maxBodyBytes {
            try await write(.text(413, "request body too large\n"), method: head.method.rawValue, close: true, to: writer)
            closeInput(channel)
            return
        }
        if headers["expect"]?.lowercased() == "100-continue" {
            try await writer.writeInformationalHead(HTTPResponse(status: .continue))
        }
        var body = Data()
        for try await chunk in request.body {
            if body.count + chunk.readableBytes > limits.maxBodyBytes {
                try await write(.text(413, "request body too large\n"), method: head.method.rawValue, close: true, to: writer)
                closeInput(channel)
                return
            }
            body.append(contentsOf: chunk.readableBytesView)
        }
        let req = ServeRequest(method: head.method.rawValue, path: path, query: query, headers: headers, body: body)
        try await write(Route.dispatch(req, routes: routes), method: req.method, close: false, to: writer)
    }

    static func closeInput(_ channel: any Channel) {
        channel.close(mode: .input).whenFailure { _ in channel.close(promise: nil) }
    }

    static func write(_ response: ServeResponse, method: String, close: Bool, to writer: consuming ResponseWriter) async throws {
        var fields = HTTPFields()
        for (k, v) in ServeResponse.commonHeaders.merging(response.headers, uniquingKeysWith: { $1 }) {
            if let name = HTTPField.Name(k) { fields[name] = v }
        }
        if close { fields[.connection] = "close" }
        let status = HTTPResponse.Status(code: response.status, reasonPhrase: phrase(response.status))
        switch response.body {
        case .bytes(let data):
            fields[.contentLength] = String(data.count)
            try await writer.write(response: HTTPResponse(status: status, headerFields: fields),
                                   body: data.isEmpty ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        case .file(let path, let size):
            fields[.contentLength] = String(size)
            if method == "HEAD" {
                try await writer.write(response: HTTPResponse(status: status, headerFields: fields), body: ResponseBody())
                return
            }
            let body = ResponseBody(contentLength: size) { out in
                // 64 KiB at a time: a large export never sits in memory whole.
                if let file = FileHandle(forReadingAtPath: path) {
                    defer { try? file.close() }
                    var left = size
                    while left > 0, let chunk = try file.read(upToCount: min(65536, left)), !chunk.isEmpty {
                        try await out.write(ByteBuffer(bytes: chunk))
                        left -= chunk.count
                    }
                }
                try await out.finish(nil)
            }
            try await writer.write(response: HTTPResponse(status: status, headerFields: fields), body: body)
        }
    }

    static func phrase(_ code: Int) -> String {
        switch code {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 413: return "Content Too Large"
        case 431: return "Request Header Fields Too Large"
        case 503: return "Service Unavailable"
        default: return ""
        }
    }
}
