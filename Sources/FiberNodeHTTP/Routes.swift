import Foundation
import FiberNodeStore
import FiberNodeReports

/// The route table of `fibernode serve`. Every handler is a pure function of the request
/// (method, path, query, headers, body) and the database; the server around it (limits,
/// timeouts, streaming) is in `ReceiptServer`. Add a route by appending one entry here.
extension ReceiptServer {
    public static func routes(db: AppDatabase, context: StoreContext?) -> [Route] {
        [
            Route(["GET"], .exact("/healthz")) { _ in healthz(db: db) },
            Route(["GET"], .prefix("/receipt/")) { r in receipt(db: db, token: String(r.path.dropFirst("/receipt/".count))) },
            // One-time download links of exported files (issue 12)
            Route(["GET"], .prefix("/download/")) { r in
                // HEAD (link checkers, previews) must not use up the one download
                guard r.method == "GET" else { return .text(405, "method not allowed\n", headers: ["Allow": "GET"]) }
                return download(db: db, token: String(r.path.dropFirst("/download/".count)), context: context)
            },
            // WAHA delivery acknowledgements (issue 6)
            Route(["POST"], .exact("/webhooks/waha")) { r in
                let a = WAHAWebhook.respond(db: db, token: r.query["token"], body: r.body, hmac: r.header("X-Webhook-Hmac"),
                                            context: context)
                return .text(a.status, a.body)
            },
            // Cloud API: Meta's verification handshake and signed webhooks (issue 18)
            Route(["GET", "POST"], .exact("/webhooks/cloud")) { r in
                let a = CloudWebhook.respond(db: db, method: r.method, query: r.query, headers: r.headers, body: r.body, context: context)
                return .text(a.status, a.body)
            },
        ]
    }

    /// A cheap liveness answer: one indexed read of the settings table (never `integrity_check`,
    /// which took 2.9 s on a 489 MB database).
    static func healthz(db: AppDatabase) -> ServeResponse {
        (try? db.ping()) == true ? .text(200, "ok\n") : .text(503, "database unavailable\n")
    }

    static func receipt(db: AppDatabase, token: String) -> ServeResponse {
        guard let inv = try? db.invoice(receiptToken: token), let settings = try? db.settings() else {
            return .text(404, "nota tidak ditemukan\n")
        }
        return ServeResponse(status: 200, headers: ["Content-Type": "text/html; charset=utf-8"],
                             body: .bytes(Data(Receipt.html(inv, options: ReceiptOptions(settings: settings),
                                                            payments: (try? db.payments(receiptToken: token)) ?? []).utf8)))   // the ledger (issue 14)
    }

    /// `GET /download/TOKEN`: the file of a one-time link, as an attachment; 404 for an
    /// unknown, used or expired token (all alike, so a token cannot be probed).
    static func download(db: AppDatabase, token: String, context: StoreContext?) -> ServeResponse {
        guard let context, let file = try? db.takeDownload(token: token, context: context),
              let size = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int else {
            return .text(404, "tautan tidak ditemukan atau sudah dipakai\n")
        }
        return ServeResponse(status: 200, headers: ["Content-Type": "application/octet-stream",
                                                    "Content-Disposition": contentDisposition(file.fileName)],
                             body: .file(path: file.path, size: size))
    }

    /// `attachment; filename="safe ASCII"; filename*=UTF-8''percent-encoded` (RFC 6266).
    static func contentDisposition(_ name: String) -> String {
        let safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"
        let ascii = String(name.unicodeScalars.map { s -> Character in safe.unicodeScalars.contains(s) ? Character(s) : "_" })
        let allowed = CharacterSet(charactersIn: safe)
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
