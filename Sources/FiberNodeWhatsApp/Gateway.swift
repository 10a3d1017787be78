import Foundation
import FiberNodeDomain
import FiberNodeStore

/// A session's status and the connected number.
public struct SessionStatus: Sendable, Equatable {
    public var state: SessionState
    /// "628…" when WORKING.
    public var phone: String?
    public var pushName: String?
    public init(state: SessionState, phone: String? = nil, pushName: String? = nil) {
        self.state = state; self.phone = phone; self.pushName = pushName
    }
}

/// What connect returned: the state and, while pairing, the QR value to draw.
public struct ConnectResult: Sendable, Equatable {
    public var status: SessionStatus
    public var qr: String?
    public init(status: SessionStatus, qr: String?) { self.status = status; self.qr = qr }
}

/// Why a gateway call failed. Messages never contain the API key.
public enum GatewayError: Error, Sendable, Equatable {
    /// No gateway configured for this owner (`wa.gateway = none`, or no URL).
    case notConfigured
    /// 401: wrong or missing key.
    case unauthorized
    /// 404: the session does not exist on the server.
    case sessionNotFound
    /// 422: the session is not in the state needed (e.g. not WORKING yet).
    case sessionNotReady(String)
    /// No answer in time.
    case timeout
    /// Connection refused, DNS, TLS.
    case network(String)
    /// 5xx from the gateway.
    case server(status: Int, message: String)
    /// Cloud API rate limit (130429 / 131056): back off.
    case rateLimited
    /// Refused for good (400, number not on WhatsApp, outside the 24-hour window, expired token).
    case rejected(String)
    /// A 2xx body we could not read where we needed one.
    case badResponse(String)
    // Cloud API delivery (issue 18)
    /// No approved template is configured for this kind and the customer's 24-hour window is closed.
    case needsTemplate(kind: String)
    /// 131047: more than 24 hours since the customer last wrote; free text refused.
    case outsideWindow
    /// 132001: the template name or language does not exist (or is not approved).
    case templateMissing(String)
    /// 132000: the template's body wants another number of parameters.
    case templateParameters(String)
    /// 131026: the message could not be delivered (not on WhatsApp, old app, not accepted terms).
    case undeliverable
    /// The gateway says the number is banned, locked or logged out: the session's breaker trips.
    case numberBlocked(String)
    /// The customer replied BERHENTI/STOP: no reminders, overdue notices or bulk messages.
    case optedOut
    /// 404 from something that is not a WAHA session route (no "session" in the answer, or
    /// "Cannot GET …"): the gateway URL is wrong — not a stopped session (issue 13 item 9).
    case wrongAddress

    /// 401/404/422 or nothing configured: the queued message waits, keeping its tries.
    public var isNotReady: Bool {
        switch self {
        case .notConfigured, .unauthorized, .sessionNotFound, .sessionNotReady, .wrongAddress: return true
        default: return false
        }
    }

    /// How the queue treats it.
    public var outcome: SendOutcome {
        if isNotReady { return .notReady(description) }
        switch self {
        case .rejected, .needsTemplate, .outsideWindow, .templateMissing, .templateParameters, .undeliverable, .optedOut:
            return .permanent(description)
        // A rate limit is WhatsApp asking us to wait, not a failed try: the session waits, tries kept.
        case .rateLimited, .numberBlocked: return .notReady(description)
        default: return .failedTry(description)
        }
    }

    /// A short English reason for logs and the message log (never the key).
    public var description: String {
        switch self {
        case .notConfigured: return "no WhatsApp gateway configured"
        case .unauthorized: return "gateway refused the API key (401)"
        case .sessionNotFound: return "session not found on the gateway (404)"
        case .sessionNotReady(let s): return "session not ready (422\(s.isEmpty ? "" : ": " + s))"
        case .timeout: return "gateway timed out"
        case .network(let s): return "gateway unreachable: \(s)"
        case .server(let code, let m): return "gateway error \(code)\(m.isEmpty ? "" : ": " + m)"
        case .rateLimited: return "rate limited by WhatsApp"
        case .rejected(let s): return "refused: \(s)"
        case .badResponse(let s): return "unreadable gateway answer: \(s)"
        case .needsTemplate(let k): return "needs an approved template (\(k))"
        case .outsideWindow: return "outside the 24-hour window (131047)"
        case .templateMissing(let s): return "template missing or not approved (132001)\(s.isEmpty ? "" : ": " + s)"
        case .templateParameters(let s): return "template parameter count mismatch (132000)\(s.isEmpty ? "" : ": " + s)"
        case .undeliverable: return "message undeliverable (131026)"
        case .numberBlocked(let s): return "number banned or logged out\(s.isEmpty ? "" : ": " + s)"
        case .optedOut: return "customer opted out (BERHENTI)"
        case .wrongAddress: return "the gateway address answers 404: wrong URL (wa.waha.url)?"
        }
    }
}

/// One owner's WhatsApp connection: WAHA, the Cloud API, or a test double.
public protocol WhatsAppGateway: Sendable {
    func status() throws -> SessionStatus
    /// Starts the session when needed and returns its state, with the QR value while pairing.
    func connect() throws -> ConnectResult
    /// The current pairing QR value (only while SCAN_QR_CODE).
    func qr() throws -> String
    func disconnect() throws
    /// Sends a text; returns the gateway's message id when it gives one.
    func sendText(chatId: String, text: String) throws -> String?
    /// Whether the number is on WhatsApp (nil when the gateway cannot tell).
    func checkNumber(_ phone: String) throws -> Bool?
    /// Sends one FiberNode message: the Cloud API picks free text or the kind's template by the
    /// customer's 24-hour window; other gateways send the text.
    func send(_ message: OutgoingMessage) throws -> String?
}

/// One message on its way out, with what a template needs (issue 18).
public struct OutgoingMessage: Sendable, Equatable {
    public var chatId: String
    public var text: String
    /// reminder, overdue, receipt, isolation, custom, manual.
    public var kind: String
    /// The placeholder values the text was filled from (template body parameters).
    public var values: [String: String]
    /// The customer wrote within the last 24 hours (free text allowed on the Cloud API).
    public var windowOpen: Bool
    public init(chatId: String, text: String, kind: String, values: [String: String] = [:], windowOpen: Bool = false) {
        self.chatId = chatId; self.text = text; self.kind = kind; self.values = values; self.windowOpen = windowOpen
    }
}

extension WhatsAppGateway {
    public func send(_ message: OutgoingMessage) throws -> String? { try sendText(chatId: message.chatId, text: message.text) }
}

/// Builds the gateway for a configuration (nil when none is configured).
public enum GatewayFactory {
    public static func make(_ config: GatewayConfig, timeout: TimeInterval = 10) -> WhatsAppGateway? {
        guard config.isConfigured else { return nil }
        switch config.kind {
        case "waha":
            guard let url = URL(string: config.url) else { return nil }
            return WAHAGateway(baseURL: url, apiKey: config.apiKey, session: config.session, timeout: timeout)
        case "cloud":
            guard let url = URL(string: config.url.isEmpty ? GatewayConfig.cloudDefaultURL : config.url) else { return nil }
            return CloudAPIGateway(baseURL: url, token: config.apiKey, phoneNumberId: config.session, timeout: timeout,
                                   templates: config.templates)
        default:
            return nil
        }
    }
}
