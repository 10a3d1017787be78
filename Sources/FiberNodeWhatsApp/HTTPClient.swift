import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

/// A blocking HTTP call with a hard deadline (callers run it off the UI thread). Errors map
/// to `GatewayError`; nothing here logs headers, so keys never leave the request.
///
/// Built on AsyncHTTPClient (SwiftNIO, epoll): waiting for a gateway that accepts the
/// connection and never answers costs no CPU. FoundationNetworking's URLSession (libcurl)
/// spun a core for the whole timeout (issue 12: ~9 s of CPU in 11 s).
struct HTTPClient: Sendable {
    let timeout: TimeInterval

    struct Response {
        let status: Int
        let body: Data
        var json: Any? { body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any]? { json as? [String: Any] }
    }

    /// The largest gateway answer read (QR images are the largest, a few hundred KB).
    static let maxResponseBytes = 8 << 20

    func send(_ method: String, _ url: URL, headers: [String: String], json: [String: Any]? = nil) throws -> Response {
        var fields = HTTPHeaders()
        for (k, v) in headers { fields.add(name: k, value: v) }
        fields.replaceOrAdd(name: "Accept", value: "application/json")
        var body: AsyncHTTPClient.HTTPClient.Body?
        if let json {
            let data = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data()
            body = .bytes(data)
            fields.replaceOrAdd(name: "Content-Type", value: "application/json")
        }
        let request: AsyncHTTPClient.HTTPClient.Request
        do {
            request = try .init(url: url.absoluteString, method: HTTPMethod(rawValue: method), headers: fields, body: body)
        } catch {
            throw GatewayError.network("invalid URL")
        }
        let client = SharedHTTPClient.client
        let deadline = NIODeadline.now() + .milliseconds(Int64((timeout * 1000).rounded()))
        let task = client.execute(request: request,
                                  delegate: ResponseAccumulator(request: request, maxBodySize: Self.maxResponseBytes),
                                  deadline: deadline)
        do {
            // Blocks this (non-event-loop) thread on a condition variable; the socket waits in epoll.
            let response = try task.futureResult.wait()
            return Response(status: Int(response.status.code), body: response.body.map { Data($0.readableBytesView) } ?? Data())
        } catch {
            throw Self.map(error)
        }
    }

    /// A short reason without URLs (they may carry query secrets).
    static func map(_ error: any Error) -> GatewayError {
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                 .getConnectionFromPoolTimeout:
                return .timeout
            case .remoteConnectionClosed: return .network("connection closed")
            case .invalidURL, .emptyHost, .emptyScheme: return .network("invalid URL")
            default: return .network("network error")
            }
        }
        if error is ResponseAccumulator.ResponseTooBigError { return .badResponse("answer too large") }
        if let e = error as? NIOConnectionError {
            if e.dnsAAAAError != nil || e.dnsAError != nil, e.connectionErrors.isEmpty { return .network("host not found") }
            return map(e.connectionErrors.first?.error ?? e)
        }
        if let e = error as? IOError {
            switch e.errnoCode {
            case ECONNREFUSED: return .network("connection refused")
            case ENETUNREACH, EHOSTUNREACH: return .network("no network")
            case ECONNRESET, EPIPE: return .network("connection reset")
            case ETIMEDOUT: return .timeout
            default: return .network("network error \(e.errnoCode)")
            }
        }
        if error is SocketAddressError { return .network("host not found") }
        if String(describing: type(of: error)).contains("SSL") { return .network("TLS failure") }
        return .network("network error")
    }
}

/// The deadline of one gateway call (the whole call: connect, send, answer), as the messages say it.
public enum GatewayTimeout {
    public static let seconds = 10
}

/// The one AsyncHTTPClient of the process, on NIO's shared event loops; created on first
/// use, shut down by `shutdown()` when the executable is done.
public enum SharedHTTPClient {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var instance: AsyncHTTPClient.HTTPClient?

    static var client: AsyncHTTPClient.HTTPClient {
        lock.lock(); defer { lock.unlock() }
        if let instance { return instance }
        var config = AsyncHTTPClient.HTTPClient.Configuration()
        config.redirectConfiguration = .disallow            // a gateway answer is never followed elsewhere
        config.decompression = .disabled
        config.timeout = .init(connect: .seconds(10), read: nil)
        config.connectionPool = .init(idleTimeout: .seconds(30))
        let c = AsyncHTTPClient.HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: config)
        instance = c
        return c
    }

    /// Closes the pooled connections and releases the client (no-op when never used).
    public static func shutdown() {
        lock.lock(); let c = instance; instance = nil; lock.unlock()
        try? c?.syncShutdown()
    }
}
