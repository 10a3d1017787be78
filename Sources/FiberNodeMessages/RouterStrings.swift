import Foundation
import FiberNodeStrings
import FiberNodeStore
import FiberNodeRouterOS
import FiberNodeRouters
import TextSafety

// Words for the router screens and commands (issue 15). Formatting only.
extension Strings {
    /// One sentence for a router failure, with the router's own words when it gave some.
    public func describe(_ raw: RouterOSError) -> String {
        var e = raw
        e.detail = Sanitizer.clean(String(raw.detail.prefix(300)))   // the router's words reach the terminal
        switch e.code {
        case .unreachable: return f(.rtErrUnreachable, e.detail)
        case .timeout: return self[.rtErrTimeout]
        case .dropped: return self[.rtErrDropped]
        case .tls: return f(.rtErrTLS, e.detail)
        case .untrustedCertificate: return f(.rtErrUntrusted, e.detail)
        case .fingerprintMismatch: return f(.rtErrMismatch, e.detail)
        case .login: return f(.rtErrLogin, e.detail)
        case .refused: return f(.rtErrRefused, e.detail)
        case .fatal: return f(.rtErrFatal, e.detail)
        case .protocolError: return f(.rtErrProtocol, e.detail)
        case .notFound: return f(.rtErrNotFound, e.detail)
        case .readBack: return f(.rtErrReadBack, e.detail)
        }
    }

    /// A reason as stored in `last_error` (`code: detail`), in words.
    public func routerReason(_ stored: String?) -> String {
        guard let stored, !stored.isEmpty else { return "" }
        return RouterOSError.parse(stored).map { describe($0) } ?? Sanitizer.clean(stored)
    }

    /// Reachability of a router in one word.
    public func reachability(_ r: RouterRow) -> String {
        switch r.reachable {
        case nil: return self[.rtUnchecked]
        case true?: return self[.rtReachable]
        case false?: return self[.rtUnreachable]
        }
    }

    /// One difference of a reconcile, and what `--apply` would do.
    public func describe(_ d: Difference, addressList: String) -> String {
        let code = d.customerCode ?? "", name = d.customerName ?? ""
        switch d.kind {
        case .shouldBeIsolated: return f(.rtDiffIsolate, code, name, d.routerState == "-" ? d.target : "\(d.target): \(d.routerState)")
        case .shouldBeActive: return f(.rtDiffRestore, code, name, "\(d.target): \(d.routerState)")
        case .orphanEntry: return f(.rtDiffOrphanEntry, d.target, addressList, code)
        case .orphanSecret: return f(.rtDiffOrphanSecret, d.target, code)
        case .missingSecret: return f(.rtDiffMissing, code, name, d.target)
        }
    }

    public func matchReason(_ r: LinkProposal.Reason) -> String {
        switch r {
        case .name: return self[.rtMatchName]
        case .comment: return self[.rtMatchComment]
        case .phone: return self[.rtMatchPhone]
        }
    }

    /// The state of a customer's latest router action, for detail screens.
    public func routerActionLine(_ a: RouterAction) -> String {
        let what = a.isIsolate ? self[.rtActionIsolate] : self[.rtActionRestore]
        if a.actionStatus == .done { return f(.rtActionDone, what) }
        return f(.rtPendingReason, a.lastError.map { "\(what): " + routerReason($0) } ?? what)
    }
}
