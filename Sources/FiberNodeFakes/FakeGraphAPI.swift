import Foundation
import FlyingFox
import Crypto

/// A fake WhatsApp Cloud API (Graph) for tests and the end-to-end harness: a real HTTP server on
/// 127.0.0.1 that checks the bearer token and the phone number id, knows approved templates and
/// their body parameter counts, refuses free text outside a customer's 24-hour window (131047)
/// like Meta does, and builds webhook bodies signed like Meta's (`X-Hub-Signature-256`).
public final class FakeGraphAPI: @unchecked Sendable {
    public struct Sent: Sendable, Equatable {
        public var to: String
        /// "text" or "template".
        public var type: String
        public var text: String?
        public var template: String?
        public var language: String?
        public var parameters: [String]
        public var id: String
    }

    let lock = NSLock()
    let server: HTTPServer
    public private(set) var port: UInt16 = 0
    public let token: String
    public let phoneNumberId: String
    /// The Graph API version in the path (`/v20.0/…`).
    public let version: String

    private var _templates: [String: (language: String, params: Int)] = [:]
    private var _windows: Set<String> = []
    private var _sent: [Sent] = []
    private var _failNext: [Int] = []
    private var counter = 0

    func locked<T>(_ f: () -> T) -> T { lock.lock(); defer { lock.unlock() }; return f() }

    public init(port: UInt16 = 0, token: String = "EAAG-test-token", phoneNumberId: String = "109876543210", version: String = "v20.0") throws {
        self.token = token; self.phoneNumberId = phoneNumberId; self.version = version
        server = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: port), timeout: 30, logger: .disabled)
    }

    /// An approved template with `params` body parameters.
    public func approve(_ name: String, language: String = "id", params: Int) { locked { _templates[name] = (language, params) } }
    /// The customer wrote: free text to this number is accepted for 24 hours.
    public func openWindow(_ to: String) { _ = locked { _windows.insert(to) } }
    public func closeWindow(_ to: String) { _ = locked { _windows.remove(to) } }
    /// The next sends answer these Cloud API error codes, in order (130429 rate limit, …).
    public func failNext(_ codes: [Int]) { locked { _failNext = codes } }
    /// Every accepted message, in order.
    public var sent: [Sent] { locked { _sent } }

    /// Starts listening; returns the Graph base URL with its version (`wa.cloud.url`).
    @discardableResult
    public func start() throws -> URL {
        let ready = DispatchSemaphore(value: 0)
        Task { [self] in
            await server.appendRoute("*") { [self] req in await self.respond(req) }
            Task { try? await server.run() }
            try? await server.waitUntilListening()
            if case .ip4(_, let p)? = await server.listeningAddress { locked { port = p } }
            ready.signal()
        }
        ready.wait()
        FakeWAHA.disableNagle(listeningOn: port)
        return URL(string: "http://127.0.0.1:\(port)/\(version)")!
    }

    public func stop() {
        let done = DispatchSemaphore(value: 0)
        Task { [self] in await server.stop(timeout: 1); done.signal() }
        _ = done.wait(timeout: .now() + 3)
    }

    // MARK: - Webhook bodies, signed like Meta's

    /// `sha256=` + hex HMAC-SHA256 of the raw body with the app secret.
    public static func signature(_ body: Data, appSecret: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(appSecret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    func envelope(_ value: [String: Any]) -> Data {
        var v = value
        v["messaging_product"] = "whatsapp"
        v["metadata"] = ["display_phone_number": "6281100000000", "phone_number_id": phoneNumberId]
        let o: [String: Any] = ["object": "whatsapp_business_account",
                                "entry": [["id": "102290129340398", "changes": [["field": "messages", "value": v]]]]]
        return (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data()
    }

    /// A `statuses` webhook: sent / delivered / read / failed (with an error code and title).
    public func statusWebhook(messageId: String, status: String, recipient: String, timestamp: Int = 1_772_600_000,
                              errorCode: Int? = nil, errorTitle: String? = nil) -> Data {
        var st: [String: Any] = ["id": messageId, "status": status, "timestamp": String(timestamp), "recipient_id": recipient]
        if let errorCode {
            st["errors"] = [["code": errorCode, "title": errorTitle ?? "Error", "message": errorTitle ?? "Error",
                             "error_data": ["details": errorTitle ?? "Error"]]]
        }
        return envelope(["statuses": [st]])
    }

    /// A `messages` webhook: the customer wrote `text`.
    public func inboundWebhook(from: String, text: String, id: String, name: String = "Pelanggan", timestamp: Int = 1_772_600_000) -> Data {
        envelope(["contacts": [["profile": ["name": name], "wa_id": from]],
                  "messages": [["from": from, "id": id, "timestamp": String(timestamp), "type": "text", "text": ["body": text]]]])
    }

    // MARK: - Routes

    func json(_ status: Int, _ object: Any) -> HTTPResponse {
        var headers: HTTPHeaders = [:]
        headers[.contentType] = "application/json"
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return HTTPResponse(statusCode: HTTPStatusCode(status, phrase: status < 300 ? "OK" : "Error"), headers: headers, body: body)
    }

    func graphError(_ status: Int, code: Int, message: String, details: String = "") -> HTTPResponse {
        json(status, ["error": ["message": message, "type": "OAuthException", "code": code,
                                "error_data": ["messaging_product": "whatsapp", "details": details.isEmpty ? message : details],
                                "fbtrace_id": "AbCdEf123"]])
    }

    func respond(_ req: HTTPRequest) async -> HTTPResponse {
        let parts = req.path.split(separator: "/").map(String.init)
        // Control routes for the end-to-end harness (not Meta).
        if req.path == "/__fake/sent" {
            return json(200, sent.map { ["to": $0.to, "type": $0.type, "text": $0.text ?? "", "template": $0.template ?? "",
                                         "parameters": $0.parameters, "id": $0.id] as [String: Any] })
        }
        if req.path == "/__fake/approve", let name = req.query.first(where: { $0.name == "name" })?.value {
            approve(name, language: req.query.first { $0.name == "lang" }?.value ?? "id",
                    params: Int(req.query.first { $0.name == "params" }?.value ?? "0") ?? 0)
            return json(200, ["ok": true])
        }
        guard req.headers[.authorization] == "Bearer \(token)" else {
            return graphError(401, code: 190, message: "Error validating access token: Session has expired")
        }
        guard parts.count >= 2, parts[0] == version else { return graphError(400, code: 2500, message: "Unknown path components") }
        guard parts[1] == phoneNumberId else {
            return graphError(400, code: 100, message: "Unsupported post request. Object with ID '\(parts[1])' does not exist")
        }
        if req.method == .GET && parts.count == 2 {
            return json(200, ["display_phone_number": "+62 811-0000-0000", "verified_name": "FiberNode Test", "id": phoneNumberId])
        }
        guard req.method == .POST, parts.count == 3, parts[2] == "messages" else {
            return graphError(400, code: 100, message: "Unsupported request")
        }
        let body = (try? await req.bodyData) ?? Data()
        guard let o = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any], o["messaging_product"] as? String == "whatsapp",
              let to = o["to"] as? String, !to.isEmpty, let type = o["type"] as? String else {
            return graphError(400, code: 100, message: "(#100) Invalid parameter")
        }
        let fail: Int? = locked { _failNext.isEmpty ? nil : _failNext.removeFirst() }
        if let fail {
            switch fail {
            case 130429: return graphError(400, code: 130429, message: "(#130429) Rate limit hit")
            case 131056: return graphError(400, code: 131056, message: "(#131056) (Business Account, Consumer Account) pair rate limit hit")
            case 131026: return graphError(400, code: 131026, message: "(#131026) Message Undeliverable")
            case 131031: return graphError(400, code: 131031, message: "(#131031) Business Account locked")
            default: return graphError(500, code: fail, message: "(#\(fail)) Error")
            }
        }
        var sent = Sent(to: to, type: type, text: nil, template: nil, language: nil, parameters: [], id: "")
        switch type {
        case "text":
            guard let text = (o["text"] as? [String: Any])?["body"] as? String, !text.isEmpty else {
                return graphError(400, code: 100, message: "(#100) The parameter text['body'] is required.")
            }
            guard locked({ _windows.contains(to) }) else {
                return graphError(400, code: 131047, message: "(#131047) Re-engagement message",
                                  details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.")
            }
            sent.text = text
        case "template":
            guard let t = o["template"] as? [String: Any], let name = t["name"] as? String,
                  let lang = (t["language"] as? [String: Any])?["code"] as? String else {
                return graphError(400, code: 100, message: "(#100) The parameter template['name'] is required.")
            }
            guard let known = locked({ _templates[name] }), known.language == lang else {
                return graphError(404, code: 132001, message: "(#132001) Template name does not exist in the translation",
                                  details: "template name (\(name)) does not exist in \(lang)")
            }
            let params = ((t["components"] as? [[String: Any]])?.first { $0["type"] as? String == "body" }?["parameters"] as? [[String: Any]] ?? [])
                .compactMap { $0["text"] as? String }
            guard params.count == known.params else {
                return graphError(400, code: 132000, message: "(#132000) Number of parameters does not match the expected number of params",
                                  details: "body: number of localizable_params (\(params.count)) does not match the expected number of params (\(known.params))")
            }
            if params.contains(where: { $0.isEmpty || $0.contains("\n") || $0.contains("\t") || $0.contains("     ") }) {
                return graphError(400, code: 132018, message: "(#132018) There was an issue with the parameters in your template.")
            }
            sent.template = name; sent.language = lang; sent.parameters = params
        default:
            return graphError(400, code: 100, message: "(#100) Unsupported message type")
        }
        let id: String = locked {
            counter += 1
            sent.id = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ\(String(format: "%06d", counter))"
            _sent.append(sent)
            return sent.id
        }
        return json(200, ["messaging_product": "whatsapp", "contacts": [["input": to, "wa_id": to]],
                          "messages": [["id": id, "message_status": "accepted"]]])
    }
}
