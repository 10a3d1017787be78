import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Crypto

/// Events the fake WAHA sends to FiberNode's `POST /webhooks/waha` (issue 18): customers'
/// replies (`message`), delivery acks (`message.ack`, -1 = error) and `session.status`, as WAHA
/// shapes them, signed the way WAHA signs (`X-Webhook-Hmac`: hex HMAC-SHA512) when a key is given.
extension FakeWAHA {
    static func encode(_ o: [String: Any]) -> Data { (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data() }

    /// A customer wrote `text` from `from` (digits) to the session.
    public func messageEvent(session: String, from: String, text: String, id: String, timestamp: Int = 1_772_600_000) -> Data {
        Self.encode(["event": "message", "session": session, "engine": "WEBJS",
                     "payload": ["id": "false_\(from)@c.us_\(id)", "timestamp": timestamp, "from": "\(from)@c.us", "fromMe": false,
                                 "to": "\(pairedNumber(session) ?? "6281100000000")@c.us", "body": text, "hasMedia": false, "ack": 1]])
    }

    /// A delivery ack for a sent message id (`-1` error, 1 server, 2 device, 3 read).
    public func ackEvent(session: String, messageId: String, ack: Int) -> Data {
        Self.encode(["event": "message.ack", "session": session, "payload": ["id": messageId, "ack": ack, "fromMe": true]])
    }

    /// The session moved to `status` (FAILED when logged out from the phone or banned).
    public func sessionStatusEvent(session: String, status: String) -> Data {
        Self.encode(["event": "session.status", "session": session, "payload": ["status": status]])
    }

    /// WAHA's signature: lowercase hex HMAC-SHA512(key, raw body).
    public static func hmac(_ body: Data, key: String) -> String {
        HMAC<SHA512>.authenticationCode(for: body, using: SymmetricKey(data: Data(key.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    /// Posts an event to a webhook URL like WAHA does; returns the HTTP status (0 when unreachable).
    @discardableResult
    public func emit(_ body: Data, to url: URL, hmacKey: String? = nil) -> Int {
        var req = URLRequest(url: url, timeoutInterval: 5)
        req.httpMethod = "POST"
        req.httpBody = body
        req.setValue("application/json", forHTTPHeaderField: "Content-Type")
        req.setValue("", forHTTPHeaderField: "Expect")
        if let hmacKey { req.setValue(Self.hmac(body, key: hmacKey), forHTTPHeaderField: "X-Webhook-Hmac"); req.setValue("sha512", forHTTPHeaderField: "X-Webhook-Hmac-Algorithm") }
        let done = DispatchSemaphore(value: 0)
        let status = StatusBox()
        URLSession.shared.dataTask(with: req) { _, response, _ in
            status.value = (response as? HTTPURLResponse)?.statusCode ?? 0
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 6)
        return status.value
    }
}

final class StatusBox: @unchecked Sendable { var value = 0 }
