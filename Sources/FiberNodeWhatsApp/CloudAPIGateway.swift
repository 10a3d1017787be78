import Foundation
import FiberNodeDomain

/// The official WhatsApp Cloud API (Graph). It has no pairing QR: "connected" means the token
/// and phone number id answer. Business-initiated messages outside a customer's 24-hour window
/// must be approved templates (issue 18): `send` picks free text only inside an open window,
/// otherwise the kind's template (`wa.cloud.template.<kind>`), and with none configured it fails
/// the message clearly ("needs an approved template") instead of losing it to error 131047.
public struct CloudAPIGateway: WhatsAppGateway {
    public let baseURL: URL
    let token: String
    public let phoneNumberId: String
    let http: HTTPClient
    /// Kind (reminder, overdue, receipt, isolation, custom, manual → custom) → approved template.
    public let templates: [String: CloudTemplate]

    public init(baseURL: URL, token: String, phoneNumberId: String, timeout: TimeInterval = 10,
                templates: [String: CloudTemplate] = [:]) {
        self.baseURL = baseURL; self.token = token; self.phoneNumberId = phoneNumberId; self.http = HTTPClient(timeout: timeout)
        self.templates = templates
    }

    var headers: [String: String] { ["Authorization": "Bearer \(token)"] }

    /// Meta's error body (`error.code`, `error.message`, `error.error_data.details`) to a
    /// `GatewayError` with the retry behaviour it needs.
    static func error(_ r: HTTPClient.Response) -> GatewayError {
        let e = r.object?["error"] as? [String: Any]
        let code = e?["code"] as? Int ?? 0
        let message = String((e?["message"] as? String ?? "").prefix(120))
        let details = String((((e?["error_data"] as? [String: Any])?["details"] as? String) ?? "").prefix(120))
        if let mapped = mapCode(code, detail: details.isEmpty ? message : details) { return mapped }
        switch r.status {
        case 401, 403: return .unauthorized
        case 404: return .sessionNotFound
        case 429: return .rateLimited
        case 500...599: return .server(status: r.status, message: message)
        default: return .rejected("HTTP \(r.status) \(code) \(message)")
        }
    }

    /// The codes FiberNode acts on, shared by send answers and `statuses[].errors` in webhooks.
    public static func mapCode(_ code: Int, detail: String = "") -> GatewayError? {
        switch code {
        case 130429, 131056, 131048, 4, 80007: return .rateLimited
        case 190: return .unauthorized
        case 131047: return .outsideWindow
        case 132001: return .templateMissing(detail)
        case 132000: return .templateParameters(detail)
        case 131026: return .undeliverable
        case 131031, 368: return .numberBlocked(detail.isEmpty ? "\(code)" : detail)
        default: return nil
        }
    }

    public func status() throws -> SessionStatus {
        var c = URLComponents(url: baseURL.appendingPathComponent(phoneNumberId), resolvingAgainstBaseURL: false)!
        c.queryItems = [URLQueryItem(name: "fields", value: "display_phone_number,verified_name")]
        let r = try http.send("GET", c.url!, headers: headers)
        guard (200..<300).contains(r.status) else { throw Self.error(r) }
        let digits = (r.object?["display_phone_number"] as? String ?? "").filter(\.isNumber)
        return SessionStatus(state: .working, phone: digits.isEmpty ? nil : digits, pushName: r.object?["verified_name"] as? String)
    }

    public func connect() throws -> ConnectResult { ConnectResult(status: try status(), qr: nil) }
    public func qr() throws -> String { throw GatewayError.rejected("the Cloud API has no pairing QR") }
    public func disconnect() throws {}

    func post(_ json: [String: Any]) throws -> String? {
        let r = try http.send("POST", baseURL.appendingPathComponent("\(phoneNumberId)/messages"), headers: headers, json: json)
        guard (200..<300).contains(r.status) else { throw Self.error(r) }
        return ((r.object?["messages"] as? [[String: Any]])?.first?["id"]) as? String
    }

    static func to(_ chatId: String) -> String { String(chatId.prefix { $0.isNumber }) }

    /// Free text (only valid inside the customer's 24-hour window).
    public func sendText(chatId: String, text: String) throws -> String? {
        try post(["messaging_product": "whatsapp", "recipient_type": "individual", "to": Self.to(chatId), "type": "text",
                  "text": ["preview_url": false, "body": text]])
    }

    /// The template a kind maps to (`manual` sends use the `custom` one).
    public func template(for kind: String) -> CloudTemplate? {
        templates[kind] ?? (kind == "manual" ? templates["custom"] : nil)
    }

    /// The template message for a kind, filled from the message's values.
    public func sendTemplate(chatId: String, kind: String, values: [String: String]) throws -> String? {
        guard let t = template(for: kind) else { throw GatewayError.needsTemplate(kind: kind) }
        return try post(["messaging_product": "whatsapp", "recipient_type": "individual", "to": Self.to(chatId), "type": "template",
                         "template": t.payload(values)])
    }

    public func send(_ m: OutgoingMessage) throws -> String? {
        if m.windowOpen {
            do { return try sendText(chatId: m.chatId, text: m.text) } catch GatewayError.outsideWindow {
                // Our record of the window was wrong (a reply we never saw the webhook of): the template still works.
            }
        }
        return try sendTemplate(chatId: m.chatId, kind: m.kind, values: m.values)
    }

    public func checkNumber(_ phone: String) throws -> Bool? { nil }
}
