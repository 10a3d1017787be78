import Foundation
import FiberNodeWhatsApp

extension Strings {
    /// One clear sentence for a gateway failure (never the key).
    public func describe(_ e: GatewayError) -> String {
        switch e {
        case .notConfigured: return self[.waErrNotConfigured]
        case .unauthorized: return self[.waErrUnauthorized]
        case .sessionNotFound: return self[.waErrSessionNotFound]
        case .sessionNotReady(let s): return f(.waErrNotReady, s.isEmpty ? "422" : s)
        case .timeout: return f(.waErrTimeout, GatewayTimeout.seconds)
        case .network(let s): return f(.waErrNetwork, s)
        case .server(let code, let m): return f(.waErrServer, code, m)
        case .rateLimited: return self[.waErrRateLimited]
        case .rejected(let s): return f(.waErrRejected, s)
        case .badResponse(let s): return f(.waErrBadResponse, s)
        }
    }

    /// The name of a message kind in this language.
    public func templateName(_ kind: String) -> String {
        switch kind {
        case "reminder": return self[.waTplReminder]
        case "receipt": return self[.waTplReceipt]
        case "isolation": return self[.waTplIsolation]
        case "overdue": return self[.waTplOverdue]
        default: return self[.waTplCustom]
        }
    }
}
