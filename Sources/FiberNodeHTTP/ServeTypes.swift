import Foundation

/// One HTTP request as the routes see it: already bounded (headers ≤ 16 KB, body ≤ 1 MB) by
/// the server in `ReceiptServer`, so a handler is a pure function of these values.
public struct ServeRequest: Sendable {
    public var method: String
    /// The path without the query, e.g. `/receipt/abc`.
    public var path: String
    /// Query parameters, percent-decoded; the first value wins for a repeated name.
    public var query: [String: String]
    /// Header fields with lowercased names; repeated fields joined with ", ".
    public var headers: [String: String]
    public var body: Data

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: Data = Data()) {
        self.method = method.uppercased(); self.path = path; self.query = query; self.body = body
        var h: [String: String] = [:]
        for (k, v) in headers { h[k.lowercased()] = v }
        self.headers = h
    }

    /// A header value by name (any case).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// Splits `/a/b?x=1&y=%20` into its path and decoded query.
    public static func split(target: String) -> (path: String, query: [String: String]) {
        guard let q = target.firstIndex(of: "?") else { return (target, [:]) }
        var query: [String: String] = [:]
        for pair in target[target.index(after: q)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            let name = decode(parts[0])
            if query[name] == nil { query[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return (String(target[..<q]), query)
    }
}

/// The answer to one request.
public struct ServeResponse: Sendable {
    public enum Body: Sendable, Equatable {
        case bytes(Data)
        /// A file streamed from disk in chunks (downloads); never read whole into memory.
        case file(path: String, size: Int)
    }

    public var status: Int
    /// Header fields added to the common ones (security headers, no-store).
    public var headers: [String: String]
    public var body: Body

    public init(status: Int, headers: [String: String] = [:], body: Body) {
        self.status = status; self.headers = headers; self.body = body
    }

    /// A plain-text answer.
    public static func text(_ status: Int, _ text: String, headers: [String: String] = [:]) -> ServeResponse {
        var h = headers
        h["Content-Type"] = h["Content-Type"] ?? "text/plain; charset=utf-8"
        return ServeResponse(status: status, headers: h, body: .bytes(Data(text.utf8)))
    }

    /// The body as text (tests, small answers).
    public var text: String {
        if case .bytes(let d) = body { return String(decoding: d, as: UTF8.self) }
        return ""
    }

    /// Headers every answer carries: nothing cached, nothing sniffed, no referrer, never framed.
    public static let commonHeaders: [String: String] = [
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    ]
}

/// One entry of the route table: which methods, which path (exact, or a prefix ending in `/`
/// whose rest is one segment), and the pure handler. `HEAD` is served by the `GET` handler
/// with the body dropped.
public struct Route: Sendable {
    public enum Path: Sendable {
        case exact(String)
        /// `/receipt/` matches `/receipt/TOKEN` (one non-empty segment, no further `/`).
        case prefix(String)
    }

    public let methods: Set<String>
    public let path: Path
    public let handle: @Sendable (ServeRequest) -> ServeResponse

    public init(_ methods: Set<String>, _ path: Path, handle: @escaping @Sendable (ServeRequest) -> ServeResponse) {
        self.methods = Set(methods.map { $0.uppercased() }); self.path = path; self.handle = handle
    }

    func matches(path p: String) -> Bool {
        switch path {
        case .exact(let s): return p == s
        case .prefix(let s):
            guard p.hasPrefix(s) else { return false }
            let rest = p.dropFirst(s.count)
            return !rest.isEmpty && !rest.contains("/")
        }
    }

    /// The answer of the first route whose path matches: 405 when the path is known but not
    /// the method, 404 when nothing matches.
    public static func dispatch(_ request: ServeRequest, routes: [Route]) -> ServeResponse {
        let candidates = routes.filter { $0.matches(path: request.path) }
        guard !candidates.isEmpty else { return .text(404, "not found\n") }
        let method = request.method == "HEAD" ? "GET" : request.method
        guard let route = candidates.first(where: { $0.methods.contains(method) }) else {
            var allowed = Set(candidates.flatMap(\.methods))
            if allowed.contains("GET") { allowed.insert("HEAD") }
            return .text(405, "method not allowed\n", headers: ["Allow": allowed.sorted().joined(separator: ", ")])
        }
        var r = route.handle(request)
        if request.method == "HEAD", case .bytes = r.body { r.body = .bytes(Data()) }
        return r
    }
}
