import Foundation
import Crypto
import FiberNodeDomain
import FiberNodeStore

/// `POST /webhooks/waha`: WAHA's `message.ack` events mark logged messages delivered or read,
/// `session.status` updates the owner's session. Authenticated by WAHA's own signature when
/// `wa.webhook_hmac_key` is set (`X-Webhook-Hmac`: hex HMAC-SHA512 of the raw body), else by
/// `?token=` matching `wa.webhook_token`; with neither configured every request is refused
/// (403). Other events are accepted and ignored. An event applied once is not applied again:
/// its `id` (or, without one, the SHA-256 of the body) is recorded in `webhook_events`, and a
/// replay of the same signed request answers `200 duplicate` and changes nothing (issue 12).
public enum WAHAWebhook {
    public static func respond(db: AppDatabase, token: String?, body: Data, hmac: String? = nil,
                               context: StoreContext? = nil) -> (status: Int, body: String) {
        guard let settings = try? db.settings() else { return (503, "unavailable\n") }
        let key = settings["wa.webhook_hmac_key"], expected = settings["wa.webhook_token"]
        if !key.isEmpty {
            guard let hmac, verify(hmac: hmac, body: body, key: key) else { return (403, "forbidden\n") }
        } else {
            guard !expected.isEmpty, let token, constantTimeEqual(Array(token.utf8), Array(expected.utf8)) else { return (403, "forbidden\n") }
        }
        guard let o = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return (400, "bad json\n") }
        let eventId = (o["id"] as? String).flatMap { (1...200).contains($0.count) ? $0 : nil }
            ?? SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        guard let first = try? db.recordWebhookEvent(source: "waha", eventId: eventId, context: context) else {
            return (503, "unavailable\n")
        }
        guard first else { return (200, "duplicate\n") }
        if o["event"] as? String == "session.status", let context, let name = o["session"] as? String,
           let state = (o["payload"] as? [String: Any])?["status"] as? String {
            let session = SessionState(rawValue: state) ?? .stopped
            let owners = (try? db.owners(usingWAHASession: name)) ?? []
            for owner in owners {
                try? db.updateSessionState(ownerId: owner, connection: session.connection, phone: nil, context: context)
                // Logged out or banned: the owner's queue pauses until resumed (issue 18).
                if session == .failed { try? db.pauseSession(ownerId: owner, reason: .blocked("WAHA session FAILED"), context: context) }
            }
            return (200, "ok \(owners.count)\n")
        }
        // A customer's reply (issue 18): stored, opens the 24-hour window, BERHENTI/MULAI.
        if o["event"] as? String == "message", let context, let name = o["session"] as? String,
           let payload = o["payload"] as? [String: Any] {
            guard payload["fromMe"] as? Bool != true, let from = payload["from"] as? String, from.hasSuffix("@c.us") else {
                return (200, "ignored\n")
            }
            let id: String? = (payload["id"] as? String) ?? ((payload["id"] as? [String: Any])?["_serialized"] as? String)
            let ts = (payload["timestamp"] as? Double).map { Date(timeIntervalSince1970: $0) }
            let owners = (try? db.owners(usingWAHASession: name)) ?? []
            let r = try? db.recordInbound(ownerIds: owners, gateway: "waha", phone: String(from.prefix { $0.isNumber }),
                                          body: payload["body"] as? String ?? "", waMessageId: id, at: ts, context: context)
            return (200, "ok \(r?.stored ?? 0)\n")
        }
        guard o["event"] as? String == "message.ack", let payload = o["payload"] as? [String: Any],
              let ack = payload["ack"] as? Int else { return (200, "ignored\n") }
        let id: String?
        if let s = payload["id"] as? String { id = s }
        else if let d = payload["id"] as? [String: Any] { id = d["_serialized"] as? String ?? d["id"] as? String }
        else { id = nil }
        guard let id, !id.isEmpty else { return (400, "no id\n") }
        let n = (try? db.recordAck(messageId: id, ack: ack, context: context)) ?? 0
        return (200, "ok \(n)\n")
    }

    /// The signature WAHA sends: lowercase hex of HMAC-SHA512(key, raw body).
    public static func signature(body: Data, key: String) -> String {
        HMAC<SHA512>.authenticationCode(for: body, using: SymmetricKey(data: Data(key.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    static func verify(hmac: String, body: Data, key: String) -> Bool {
        constantTimeEqual(Array(hmac.lowercased().utf8), Array(signature(body: body, key: key).utf8))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
