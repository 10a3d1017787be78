import Foundation
import Crypto
import FiberNodeStore
import FiberNodeDomain

/// `GET|POST /webhooks/cloud` (issue 18), as a pure function of the request so it is tested
/// without sockets and wired into whichever server `serve` runs.
/// - GET answers Meta's verification: `hub.mode=subscribe` and `hub.verify_token` equal to
///   `wa.cloud.verify_token` → 200 with `hub.challenge`; anything else 403.
/// - POST is accepted only with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body
///   with wa.cloud.app_secret>`: missing → 401, wrong (or no secret configured) → 403, and
///   nothing changes. `statuses` mark logged messages sent / delivered / read / failed (with
///   the error title), idempotently; `messages` are stored as the customers' replies (the
///   24-hour window, BERHENTI/MULAI).
public enum CloudWebhook {
    public static func respond(db: AppDatabase, method: String, query: [String: String], headers: [String: String], body: Data,
                               context: StoreContext?) -> (status: Int, body: String) {
        guard let settings = try? db.settings() else { return (503, "unavailable\n") }
        switch method {
        case "GET":
            let expected = settings["wa.cloud.verify_token"]
            guard query["hub.mode"] == "subscribe", !expected.isEmpty, let token = query["hub.verify_token"],
                  WAHAWebhook.constantTimeEqual(Array(token.utf8), Array(expected.utf8)),
                  let challenge = query["hub.challenge"], !challenge.isEmpty, challenge.count <= 200 else { return (403, "forbidden\n") }
            return (200, challenge)
        case "POST":
            let secret = settings["wa.cloud.app_secret"]
            guard let sig = header(headers, "X-Hub-Signature-256"), !sig.isEmpty else { return (401, "signature required\n") }
            guard !secret.isEmpty, verify(signature: sig, body: body, appSecret: secret) else { return (403, "forbidden\n") }
            guard let o = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return (400, "bad json\n") }
            guard let context else { return (503, "unavailable\n") }
            var statuses = 0, inbound = 0
            for entry in o["entry"] as? [[String: Any]] ?? [] {
                for change in entry["changes"] as? [[String: Any]] ?? [] {
                    guard let value = change["value"] as? [String: Any] else { continue }
                    for st in value["statuses"] as? [[String: Any]] ?? [] {
                        guard let id = st["id"] as? String, let status = st["status"] as? String else { continue }
                        let err = (st["errors"] as? [[String: Any]])?.first
                        let error = err.map { e -> String in
                            let code = e["code"] as? Int ?? 0
                            let title = (e["title"] as? String) ?? (e["message"] as? String) ?? ""
                            return "\(title) (\(code))"
                        }
                        statuses += (try? db.recordStatus(messageId: id, status: status, error: error, context: context)) ?? 0
                    }
                    let phoneId = (value["metadata"] as? [String: Any])?["phone_number_id"] as? String ?? ""
                    let messages = value["messages"] as? [[String: Any]] ?? []
                    guard !messages.isEmpty else { continue }
                    let owners = (try? db.owners(usingCloudPhoneNumberId: phoneId)) ?? []
                    for m in messages {
                        guard let from = m["from"] as? String else { continue }
                        let ts = (m["timestamp"] as? String).flatMap(TimeInterval.init).map { Date(timeIntervalSince1970: $0) }
                        let r = try? db.recordInbound(ownerIds: owners, gateway: "cloud", phone: from, body: text(of: m),
                                                      waMessageId: m["id"] as? String, at: ts, context: context)
                        inbound += r?.stored ?? 0
                    }
                }
            }
            return (200, "ok \(statuses) \(inbound)\n")
        default:
            return (405, "method not allowed\n")
        }
    }

    /// The words of an inbound message of any type (buttons and lists carry their titles).
    static func text(of m: [String: Any]) -> String {
        if let t = (m["text"] as? [String: Any])?["body"] as? String { return t }
        if let t = (m["button"] as? [String: Any])?["text"] as? String { return t }
        if let i = m["interactive"] as? [String: Any] {
            if let t = (i["button_reply"] as? [String: Any])?["title"] as? String { return t }
            if let t = (i["list_reply"] as? [String: Any])?["title"] as? String { return t }
        }
        return "[\(m["type"] as? String ?? "message")]"
    }

    static func header(_ headers: [String: String], _ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Meta's signature: `sha256=` + lowercase hex HMAC-SHA256(app secret, raw body).
    public static func signature(body: Data, appSecret: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(appSecret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    static func verify(signature: String, body: Data, appSecret: String) -> Bool {
        WAHAWebhook.constantTimeEqual(Array(signature.lowercased().utf8), Array(Self.signature(body: body, appSecret: appSecret).utf8))
    }
}
