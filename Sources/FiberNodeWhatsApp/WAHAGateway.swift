import Foundation
import FiberNodeDomain

/// WAHA over HTTP, per `../shared/waha/README.md`: `X-Api-Key` when configured, session
/// states, the connect fallbacks, every success body shape, and the error codes.
public struct WAHAGateway: WhatsAppGateway {
    public let baseURL: URL
    let apiKey: String
    public let session: String
    let http: HTTPClient

    public init(baseURL: URL, apiKey: String, session: String, timeout: TimeInterval = 10) {
        self.baseURL = baseURL; self.apiKey = apiKey; self.session = session; self.http = HTTPClient(timeout: timeout)
    }

    var headers: [String: String] { apiKey.isEmpty ? [:] : ["X-Api-Key": apiKey] }
    var s: String { session.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? session }

    func url(_ path: String, query: [URLQueryItem] = []) -> URL {
        var c = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { c.queryItems = query }
        return c.url!
    }

    /// Maps a non-2xx answer.
    static func error(_ r: HTTPClient.Response) -> GatewayError {
        let o = r.object ?? [:]
        let message = (o["message"] as? String) ?? ((o["exception"] as? [String: Any])?["message"] as? String) ?? (o["error"] as? String) ?? ""
        switch r.status {
        case 401, 403: return .unauthorized
        case 404: return isSessionAnswer(r, message: message) ? .sessionNotFound : .wrongAddress
        case 422:
            let state = o["status"] as? String ?? ""
            return .sessionNotReady(state)
        case 429: return .rateLimited
        case 500...599: return .server(status: r.status, message: String(message.prefix(120)))
        default: return .rejected("HTTP \(r.status)\(message.isEmpty ? "" : " " + String(message.prefix(120)))")
        }
    }

    /// A 404 from WAHA about a session names the session ("Session not found", "We didn't find
    /// a session …"); anything else (an HTML page, "Cannot GET /x/api/…", another API's JSON)
    /// comes from a wrong address.
    static func isSessionAnswer(_ r: HTTPClient.Response, message: String) -> Bool {
        !message.hasPrefix("Cannot ") && message.lowercased().contains("session")
    }

    static func parseStatus(_ o: [String: Any]) -> SessionStatus {
        let state = SessionState(rawValue: o["status"] as? String ?? "") ?? .stopped
        let me = o["me"] as? [String: Any]
        let id = me?["id"] as? String
        let phone = id.map { String($0.prefix { $0.isNumber }) }
        return SessionStatus(state: state, phone: phone?.isEmpty == true ? nil : phone, pushName: me?["pushName"] as? String)
    }

    public func status() throws -> SessionStatus {
        let r = try http.send("GET", url("api/sessions/\(session)"), headers: headers)
        guard (200..<300).contains(r.status) else {
            let e = Self.error(r)
            if e == .sessionNotFound { return SessionStatus(state: .stopped) }   // no such session yet
            throw e
        }
        guard let o = r.object else { throw GatewayError.badResponse("session") }
        return Self.parseStatus(o)
    }

    public func connect() throws -> ConnectResult {
        let first = try http.send("GET", url("api/sessions/\(session)"), headers: headers)
        var current: SessionStatus?
        if first.status == 404, Self.error(first) == .wrongAddress { throw GatewayError.wrongAddress }
        if first.status == 404 {
            let r = try http.send("POST", url("api/sessions"), headers: headers, json: ["name": session, "start": true])
            guard (200..<300).contains(r.status) else { throw Self.error(r) }
        } else if (200..<300).contains(first.status) {
            let st = Self.parseStatus(first.object ?? [:])
            current = st
            if st.state == .stopped || st.state == .failed {
                let r = try http.send("POST", url("api/sessions/\(session)/start"), headers: headers, json: [:])
                if r.status == 404, String(decoding: r.body, as: UTF8.self).contains("Cannot POST") {
                    // Old WAHA: the start route takes the name in the body.
                    let old = try http.send("POST", url("api/sessions/start"), headers: headers, json: ["name": session])
                    guard (200..<300).contains(old.status) else { throw Self.error(old) }
                } else if !(200..<300).contains(r.status) { throw Self.error(r) }
                current = nil
            }
        } else { throw Self.error(first) }
        let st = try current ?? status()
        var qrValue: String? = nil
        if st.state == .scanQR { qrValue = try? qr() }
        return ConnectResult(status: st, qr: qrValue)
    }

    public func qr() throws -> String {
        let r = try http.send("GET", url("api/\(session)/auth/qr", query: [URLQueryItem(name: "format", value: "raw")]), headers: headers)
        guard (200..<300).contains(r.status) else { throw Self.error(r) }
        guard let v = r.object?["value"] as? String, !v.isEmpty else { throw GatewayError.badResponse("qr") }
        return v
    }

    public func disconnect() throws {
        let r = try http.send("POST", url("api/sessions/\(session)/stop"), headers: headers, json: [:])
        guard (200..<300).contains(r.status) || r.status == 404 else { throw Self.error(r) }
    }

    /// The message id from any engine's body: `id` (string), `id._serialized`, `key.id`; empty is fine.
    static func messageId(_ body: Data) -> String? {
        guard !body.isEmpty, let o = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return nil }
        if let id = o["id"] as? String { return id }
        if let id = o["id"] as? [String: Any] {
            if let s = id["_serialized"] as? String { return s }
            if let s = id["id"] as? String { return s }
        }
        if let key = o["key"] as? [String: Any], let s = key["id"] as? String { return s }
        return nil
    }

    public func sendText(chatId: String, text: String) throws -> String? {
        let r = try http.send("POST", url("api/sendText"), headers: headers, json: ["session": session, "chatId": chatId, "text": text])
        guard (200..<300).contains(r.status) else { throw Self.error(r) }
        return Self.messageId(r.body)
    }

    public func checkNumber(_ phone: String) throws -> Bool? {
        let r = try http.send("GET", url("api/contacts/check-exists", query: [URLQueryItem(name: "phone", value: phone),
                                                                           URLQueryItem(name: "session", value: session)]), headers: headers)
        guard (200..<300).contains(r.status) else { throw Self.error(r) }
        return r.object?["numberExists"] as? Bool
    }
}
