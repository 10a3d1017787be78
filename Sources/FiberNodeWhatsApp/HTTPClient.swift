import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A blocking HTTP call with a hard timeout (callers run it off the UI thread). Errors map
/// to `GatewayError`; nothing here logs headers, so keys never leave the request.
struct HTTPClient: Sendable {
    let timeout: TimeInterval

    struct Response {
        let status: Int
        let body: Data
        var json: Any? { body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any]? { json as? [String: Any] }
    }

    static let session: URLSession = {
        let c = URLSessionConfiguration.ephemeral
        c.httpCookieStorage = nil
        c.urlCache = nil
        c.requestCachePolicy = .reloadIgnoringLocalCacheData
        return URLSession(configuration: c)
    }()

    func send(_ method: String, _ url: URL, headers: [String: String], json: [String: Any]? = nil) throws -> Response {
        var req = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        req.httpMethod = method
        for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
        req.setValue("application/json", forHTTPHeaderField: "Accept")
        if let json {
            req.httpBody = try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
            req.setValue("application/json", forHTTPHeaderField: "Content-Type")
            // libcurl (under FoundationNetworking) would otherwise send `Expect: 100-continue`
            // and wait for an answer most servers never give.
            req.setValue("", forHTTPHeaderField: "Expect")
        }
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        let task = HTTPClient.session.dataTask(with: req) { data, response, error in
            box.set(data: data, response: response as? HTTPURLResponse, error: error)
            done.signal()
        }
        task.resume()
        // The URLRequest timeout covers idle time; this covers the whole call.
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            task.cancel()
            throw GatewayError.timeout
        }
        let (data, response, error) = box.get()
        if let error {
            let ns = error as NSError
            if ns.code == NSURLErrorTimedOut { throw GatewayError.timeout }
            throw GatewayError.network(HTTPClient.reason(ns))
        }
        guard let response else { throw GatewayError.network("no response") }
        return Response(status: response.statusCode, body: data ?? Data())
    }

    /// A short reason without URLs (they may carry query secrets).
    static func reason(_ e: NSError) -> String {
        switch e.code {
        case NSURLErrorCannotConnectToHost: return "connection refused"
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: return "host not found"
        case NSURLErrorNotConnectedToInternet, NSURLErrorNetworkConnectionLost: return "no network"
        case NSURLErrorSecureConnectionFailed, NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasBadDate:
            return "TLS failure"
        default: return "network error \(e.code)"
        }
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var response: HTTPURLResponse?
    private var error: Error?
    func set(data: Data?, response: HTTPURLResponse?, error: Error?) {
        lock.lock(); self.data = data; self.response = response; self.error = error; lock.unlock()
    }
    func get() -> (Data?, HTTPURLResponse?, Error?) { lock.lock(); defer { lock.unlock() }; return (data, response, error) }
}
