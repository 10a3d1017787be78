import Foundation
import FlyingFox

/// A fake WAHA for tests and the end-to-end harness: a real HTTP server on 127.0.0.1 that
/// follows `../shared/waha/README.md` — key check, session states, QR, every success body
/// shape, the error codes — and records what it was asked to send.
public final class FakeWAHA: @unchecked Sendable {
    /// The success body of POST /api/sendText.
    public enum Engine: String, Sendable { case noweb, webjs, plainId, empty }

    public struct Sent: Sendable, Equatable {
        public var session: String
        public var chatId: String
        public var text: String
    }

    let lock = NSLock()
    let server: HTTPServer
    public private(set) var port: UInt16 = 0

    // Behaviour (set by tests before or between calls)
    /// Required `X-Api-Key`; nil = no key needed.
    public var apiKey: String? { get { locked { _apiKey } } set { locked { _apiKey = newValue } } }
    public var engine: Engine { get { locked { _engine } } set { locked { _engine = newValue } } }
    /// WAHA Core: only the session `default` exists (others → 422).
    public var coreOnly: Bool { get { locked { _coreOnly } } set { locked { _coreOnly = newValue } } }
    /// Old WAHA: `POST /api/sessions/{s}/start` is missing (404 "Cannot POST").
    public var oldStartRoute: Bool { get { locked { _oldStart } } set { locked { _oldStart = newValue } } }
    /// The next N sends answer this status (500 → engine failure body).
    public func failNextSends(_ n: Int, status: Int = 500) { locked { _failCount = n; _failStatus = status } }
    /// Sends wait this long before answering (timeouts).
    public var sendDelay: TimeInterval { get { locked { _sendDelay } } set { locked { _sendDelay = newValue } } }
    /// The QR value handed out while SCAN_QR_CODE.
    public var qrValue: String { get { locked { _qr } } set { locked { _qr = newValue } } }

    private var _apiKey: String?
    private var _engine = Engine.webjs
    private var _coreOnly = false
    private var _oldStart = false
    private var _failCount = 0
    private var _failStatus = 500
    private var _sendDelay: TimeInterval = 0
    private var _qr = "2@FakeWAHAqrValue,abc123=="
    private var sessions: [String: String] = [:]       // name → status
    private var me: [String: String] = [:]             // name → 628…
    private var _sent: [Sent] = []
    private var counter = 0

    func locked<T>(_ f: () -> T) -> T { lock.lock(); defer { lock.unlock() }; return f() }

    /// Every text received, in order.
    public var sent: [Sent] { locked { _sent } }
    /// A session's status (nil when it does not exist).
    public func state(_ session: String) -> String? { locked { sessions[session] } }
    /// The number a WORKING session is paired with.
    public func pairedNumber(_ session: String) -> String? { locked { me[session] } }
    /// Creates or moves a session to a state; WORKING gets a number.
    public func setState(_ session: String, _ status: String?, phone: String = "6281100000000") {
        locked {
            sessions[session] = status
            if status == "WORKING" { me[session] = phone }
        }
    }
    /// The phone "scans" the QR: SCAN_QR_CODE → WORKING.
    public func pair(_ session: String, phone: String = "6281100000000") { setState(session, "WORKING", phone: phone) }

    public init(port: UInt16 = 0) throws {
        server = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: port), timeout: 30, logger: .disabled)
    }

    /// Starts listening; returns the base URL.
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
        return URL(string: "http://127.0.0.1:\(port)")!
    }

    /// Real WAHA (Node.js) answers with TCP_NODELAY set. FlyingFox writes a response's head and
    /// body in two sends and leaves Nagle on, so every keep-alive round trip waited for the
    /// client's delayed ACK (~40 ms). Accepted sockets inherit TCP_NODELAY from the listening
    /// socket on Linux, so it is set there: found by its port among this process's descriptors.
    static func disableNagle(listeningOn port: UInt16) {
        #if os(Linux)
        for fd in Int32(3)..<Int32(4096) {
            var addr = sockaddr_in()
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
            }
            guard ok == 0, addr.sin_family == sa_family_t(AF_INET), UInt16(bigEndian: addr.sin_port) == port else { continue }
            var listening: Int32 = 0
            var llen = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &llen) == 0, listening == 1 else { continue }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        #endif
    }

    public func stop() {
        let done = DispatchSemaphore(value: 0)
        Task { [self] in await server.stop(timeout: 1); done.signal() }
        _ = done.wait(timeout: .now() + 3)
    }

    // MARK: - Routes

    func json(_ status: Int, _ object: Any?) -> HTTPResponse {
        var headers: HTTPHeaders = [:]
        headers[.contentType] = "application/json"
        let body = object.map { (try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys])) ?? Data() } ?? Data()
        return HTTPResponse(statusCode: HTTPStatusCode(status, phrase: status < 300 ? "OK" : "Error"), headers: headers, body: body)
    }

    func sessionBody(_ name: String) -> [String: Any] {
        locked {
            let st = sessions[name] ?? "STOPPED"
            let meValue: Any = st == "WORKING" ? ["id": "\(me[name] ?? "6281100000000")@c.us", "pushName": "FiberNode Test"] : NSNull()
            return ["name": name, "status": st, "me": meValue, "engine": ["engine": "WEBJS"]]
        }
    }

    func notFoundSession() -> HTTPResponse { json(404, ["message": "Session not found", "statusCode": 404, "error": "Not Found"]) }

    func respond(_ req: HTTPRequest) async -> HTTPResponse {
        let path = req.path
        let method = req.method.rawValue
        let body = (try? await req.bodyData) ?? Data()
        let input = ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:]

        // Control routes for the end-to-end harness (not WAHA).
        if path == "/__fake/sent" {
            return json(200, sent.map { ["session": $0.session, "chatId": $0.chatId, "text": $0.text] })
        }
        if path.hasPrefix("/__fake/pair/") { pair(String(path.dropFirst("/__fake/pair/".count))); return json(200, ["ok": true]) }
        if path == "/__fake/fail" {
            failNextSends(Int(req.query.first { $0.name == "n" }?.value ?? "1") ?? 1, status: Int(req.query.first { $0.name == "status" }?.value ?? "500") ?? 500)
            return json(200, ["ok": true])
        }

        if let key = apiKey, req.headers[HTTPHeader("X-Api-Key")] != key {
            return json(401, ["message": "Unauthorized", "statusCode": 401])
        }
        let parts = path.split(separator: "/").map(String.init)   // ["api", …]
        guard parts.first == "api" else { return json(404, ["message": "Cannot \(method) \(path)", "statusCode": 404]) }
        let rest = Array(parts.dropFirst())

        func validName(_ s: String) -> Bool { !coreOnly || s == "default" }
        func coreRefusal() -> HTTPResponse {
            json(422, ["message": "WAHA Core support only 'default' session. If you want to run more then one WhatsApp account - please get WAHA PLUS version.", "statusCode": 422])
        }

        switch (method, rest.count) {
        case ("GET", 2) where rest[0] == "sessions":
            let s = rest[1]
            guard state(s) != nil else { return notFoundSession() }
            return json(200, sessionBody(s))
        case ("POST", 1) where rest[0] == "sessions":
            let s = input["name"] as? String ?? "default"
            guard validName(s) else { return coreRefusal() }
            let start = input["start"] as? Bool ?? true
            setState(s, start ? "SCAN_QR_CODE" : "STOPPED")
            return json(201, sessionBody(s))
        case ("POST", 2) where rest[0] == "sessions" && rest[1] == "start":
            let s = input["name"] as? String ?? "default"
            guard validName(s) else { return coreRefusal() }
            if state(s) != "WORKING" { setState(s, "SCAN_QR_CODE") }
            return json(201, sessionBody(s))
        case ("POST", 3) where rest[0] == "sessions":
            let s = rest[1], action = rest[2]
            if action == "start" && oldStartRoute { return json(404, ["message": "Cannot POST /api/sessions/\(s)/start", "error": "Not Found", "statusCode": 404]) }
            guard validName(s) else { return coreRefusal() }
            guard state(s) != nil else { return notFoundSession() }
            switch action {
            case "start": if state(s) != "WORKING" { setState(s, "SCAN_QR_CODE") }
            case "stop": setState(s, "STOPPED")
            case "logout": setState(s, "STOPPED"); locked { me[s] = nil }
            case "restart": setState(s, "SCAN_QR_CODE")
            default: return json(404, ["message": "Cannot POST \(path)", "statusCode": 404])
            }
            return json(201, sessionBody(s))
        case ("GET", 3) where rest[1] == "auth" && rest[2] == "qr":
            let s = rest[0]
            guard let st = state(s) else { return notFoundSession() }
            guard st == "SCAN_QR_CODE" else {
                return json(422, ["error": "Session status is not as expected. Try again later or restart the session",
                                  "session": s, "status": st, "expected": ["SCAN_QR_CODE"]])
            }
            return json(200, ["mimetype": "text/plain", "value": qrValue])
        case ("POST", 1) where rest[0] == "sendText":
            let s = input["session"] as? String ?? "default"
            guard let chatId = input["chatId"] as? String, let text = input["text"] as? String else {
                return json(400, ["message": ["chatId must be a string"], "error": "Bad Request", "statusCode": 400])
            }
            guard let st = state(s) else { return notFoundSession() }
            guard st == "WORKING" else {
                return json(422, ["error": "Session status is not as expected. Try again later or restart the session",
                                  "session": s, "status": st, "expected": ["WORKING"]])
            }
            let delay = sendDelay
            if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
            let fail: Int? = locked {
                if _failCount > 0 { _failCount -= 1; return _failStatus }
                return nil
            }
            if let fail {
                return json(fail, ["statusCode": fail, "timestamp": "2026-01-01T00:00:00.000Z", "exception": ["message": "Engine failure", "name": "Error"]])
            }
            let n: Int = locked { counter += 1; _sent.append(Sent(session: s, chatId: chatId, text: text)); return counter }
            let id = String(format: "3EB0%016X", n)
            switch engine {
            case .noweb:
                return json(201, ["key": ["remoteJid": chatId.replacingOccurrences(of: "@c.us", with: "@s.whatsapp.net"), "fromMe": true, "id": id],
                                  "status": "PENDING", "message": ["extendedTextMessage": ["text": text]]])
            case .webjs:
                return json(201, ["id": ["fromMe": true, "remote": chatId, "id": id, "_serialized": "true_\(chatId)_\(id)"], "ack": 0, "body": text])
            case .plainId:
                return json(201, ["id": "true_\(chatId)_\(id)"])
            case .empty:
                return json(201, nil)
            }
        case ("GET", 2) where rest[0] == "contacts" && rest[1] == "check-exists":
            let phone = req.query.first { $0.name == "phone" }?.value ?? ""
            let s = req.query.first { $0.name == "session" }?.value ?? "default"
            guard state(s) == "WORKING" else {
                return json(422, ["error": "Session status is not as expected.", "status": state(s) ?? "STOPPED", "expected": ["WORKING"]])
            }
            // Numbers ending in 0000 are "not on WhatsApp".
            return phone.hasSuffix("0000") ? json(200, ["numberExists": false]) : json(200, ["numberExists": true, "chatId": "\(phone)@c.us"])
        default:
            return json(404, ["message": "Cannot \(method) \(path)", "error": "Not Found", "statusCode": 404])
        }
    }
}
