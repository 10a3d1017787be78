import Foundation
import FlyingFox
import FiberNodeStore
import FiberNodeReports

/// `fibernode serve`: answers `GET /receipt/TOKEN` with the receipt page and `GET /healthz`;
/// everything else is 404. It exposes nothing else of the database.
public final class ReceiptServer: @unchecked Sendable {
    let db: AppDatabase
    let server: HTTPServer
    /// Clock and ids for webhook writes (`session.status`); without it those events are ignored.
    public var context: StoreContext?

    public init(db: AppDatabase, host: String, port: UInt16) throws {
        self.db = db
        let address = try sockaddr_in.inet(ip4: host, port: port)
        server = HTTPServer(address: address, timeout: 15, logger: .disabled)
    }

    /// The answer for one request (pure enough to test without sockets).
    public static func respond(db: AppDatabase, method: String, path: String) -> (status: Int, contentType: String, body: String) {
        guard method == "GET" || method == "HEAD" else { return (405, "text/plain; charset=utf-8", "method not allowed\n") }
        if path == "/healthz" {
            let ok = (try? db.integrityCheck(quick: true)) == "ok"
            return ok ? (200, "text/plain; charset=utf-8", "ok\n") : (503, "text/plain; charset=utf-8", "database unavailable\n")
        }
        let prefix = "/receipt/"
        guard path.hasPrefix(prefix) else { return (404, "text/plain; charset=utf-8", "not found\n") }
        let token = String(path.dropFirst(prefix.count))
        guard let inv = try? db.invoice(receiptToken: token), let settings = try? db.settings() else {
            return (404, "text/plain; charset=utf-8", "nota tidak ditemukan\n")
        }
        return (200, "text/html; charset=utf-8", Receipt.html(inv, options: ReceiptOptions(settings: settings)))
    }

    public func run() async throws {
        let db = self.db, context = self.context
        // WAHA delivery acknowledgements (issue 6)
        await server.appendRoute("POST /webhooks/waha") { request in
            let token = request.query.first { $0.name == "token" }?.value
            let r = WAHAWebhook.respond(db: db, token: token, body: try await request.bodyData,
                                        hmac: request.headers[HTTPHeader("X-Webhook-Hmac")], context: context)
            return HTTPResponse(statusCode: HTTPStatusCode(r.status, phrase: r.status == 200 ? "OK" : "Error"),
                                headers: [.contentType: "text/plain; charset=utf-8"], body: Data(r.body.utf8))
        }
        // Cloud API verification and signed webhooks (issue 18)
        await server.appendRoute("/webhooks/cloud") { request in
            var query: [String: String] = [:]
            for q in request.query where query[q.name] == nil { query[q.name] = q.value }
            var headers: [String: String] = [:]
            for (k, v) in request.headers where headers[k.rawValue] == nil { headers[k.rawValue] = v }
            let body = request.method.rawValue == "POST" ? try await request.bodyData : Data()
            let r = CloudWebhook.respond(db: db, method: request.method.rawValue, query: query, headers: headers, body: body,
                                         context: context)
            return HTTPResponse(statusCode: HTTPStatusCode(r.status, phrase: r.status == 200 ? "OK" : "Error"),
                                headers: [.contentType: "text/plain; charset=utf-8"], body: Data(r.body.utf8))
        }
        await server.appendRoute("*") { request in
            let r = ReceiptServer.respond(db: db, method: request.method.rawValue, path: request.path)
            var headers: HTTPHeaders = [:]
            headers[.contentType] = r.contentType
            headers[HTTPHeader("Cache-Control")] = "no-store"
            headers[HTTPHeader("X-Content-Type-Options")] = "nosniff"
            headers[HTTPHeader("Content-Security-Policy")] = "default-src 'none'; style-src 'unsafe-inline'"
            headers[HTTPHeader("Referrer-Policy")] = "no-referrer"
            return HTTPResponse(statusCode: HTTPStatusCode(r.status, phrase: ReceiptServer.phrase(r.status)), headers: headers,
                                body: request.method.rawValue == "HEAD" ? Data() : Data(r.body.utf8))
        }
        try await server.run()
    }

    public func waitUntilListening() async throws { try await server.waitUntilListening() }
    public func stop() async { await server.stop(timeout: 1) }

    static func phrase(_ code: Int) -> String {
        switch code {
        case 200: return "OK"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        default: return "Service Unavailable"
        }
    }
}
