import Foundation
import FiberNodeStrings
import FiberNodeDomain
import FiberNodeStore
import FiberNodeWhatsApp

/// Words for issue 18 (Cloud templates, replies, opt-out, the breaker). Format only.
extension Strings {
    /// A message kind of the Cloud template settings (overdue included).
    public func cloudKindName(_ kind: String) -> String { templateName(kind) }

    /// A failure reason as stored in the queue and the log (English, stable) in this
    /// language: the reasons issue 18 adds are translated; others are shown as stored.
    public func reason(_ stored: String) -> String {
        var text = stored
        var attempt = ""
        // "reason (2/4)": the try count kept apart.
        if let open = text.range(of: " (", options: .backwards), text.hasSuffix(")"),
           text[open.upperBound...].dropLast().allSatisfy({ $0.isNumber || $0 == "/" }),
           text[open.upperBound...].contains("/") {
            attempt = String(text[open.upperBound...].dropLast())
            text = String(text[..<open.lowerBound])
        }
        let known: [(String, GatewayError)] = [
            ("outside the 24-hour window", .outsideWindow), ("message undeliverable", .undeliverable),
            ("customer opted out", .optedOut), ("rate limited", .rateLimited),
        ]
        var out: String?
        if text.hasPrefix("needs an approved template ("), text.hasSuffix(")") {
            out = describe(.needsTemplate(kind: String(text.dropFirst("needs an approved template (".count).dropLast())))
        } else if text.hasPrefix("template missing or not approved") {
            out = describe(.templateMissing(detail(text)))
        } else if text.hasPrefix("template parameter count mismatch") {
            out = describe(.templateParameters(detail(text)))
        } else if text.hasPrefix("number banned or logged out") {
            out = describe(.numberBlocked(detail(text)))
        } else if text.hasPrefix("WhatsApp reported an error (ack -1)") {
            out = self[.waReasonAckFailed]
        } else if let k = known.first(where: { text.hasPrefix($0.0) }) {
            out = describe(k.1)
        } else if let open = text.range(of: " (", options: .backwards), text.hasSuffix(")"),
                  let code = Int(text[open.upperBound...].dropLast()), let e = CloudAPIGateway.mapCode(code) {
            // A Cloud `statuses` failure: "Meta's title (code)".
            out = describe(e)
        }
        guard let out else { return stored }
        return attempt.isEmpty ? out : out + " (" + f(.waReasonAttempt, attempt) + ")"
    }

    func detail(_ s: String) -> String {
        guard let r = s.range(of: ": ") else { return "" }
        return String(s[r.upperBound...])
    }

    /// Why a session's queue paused.
    public func pauseLine(_ p: SessionPause) -> String {
        switch p.reason {
        case .failures(let n): return f(.waBreakerFailures, p.businessName, n)
        case .blocked(let why): return f(.waBreakerBlocked, p.businessName, why)
        }
    }
}

extension Strings {
    /// What the Cloud API would send for a kind: the template and each `{{n}}` with its
    /// value for the chosen customer, or why there is none (issue 18). Pure.
    public func cloudPreview(kind: String, template: CloudTemplate?, values: [String: String]) -> [String] {
        guard let t = template else { return [f(.waCloudNoTemplate, kind)] }
        var out = [f(.waCloudPreview, t.name, t.language)]
        for (i, (name, value)) in zip(t.placeholders, t.parameters(values)).enumerated() {
            out.append(f(.waCloudParam, i + 1, "{" + name + "}", value))
        }
        return out
    }
}
