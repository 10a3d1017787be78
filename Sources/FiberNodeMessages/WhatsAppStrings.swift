import Foundation
import FiberNodeStrings
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
        case .needsTemplate(let k): return f(.waErrNeedsTemplate, cloudKindName(k))
        case .outsideWindow: return self[.waErrOutsideWindow]
        case .templateMissing(let s): return f(.waErrTemplateMissing, s.isEmpty ? "" : ": " + s)
        case .templateParameters(let s): return f(.waErrTemplateParams, s.isEmpty ? "" : ": " + s)
        case .undeliverable: return self[.waErrUndeliverable]
        case .numberBlocked(let s): return f(.waErrNumberBlocked, s)
        case .optedOut: return self[.waErrOptedOut]
        case .wrongAddress: return self[.waErrWrongAddress]
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
