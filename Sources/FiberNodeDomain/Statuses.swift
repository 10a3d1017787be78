/// The statuses the database stores, as domain types (issue 13 §5). The raw values are the
/// strings in the store's SQL (its CHECK constraints); nothing outside the store spells them.
/// Screens and the CLI's human output show a status through its display name in the
/// user's language (`Strings.name(_:)` in FiberNodeTUI), never the raw value.

/// `customers.status`.
public enum CustomerStatus: String, CaseIterable, Sendable, Codable {
    case active, isolated, inactive
}

/// `invoices.status`. "paid" is paid in full only; "partial" is paid in part.
public enum InvoiceStatus: String, CaseIterable, Sendable, Codable {
    case unpaid, partial, paid
}

/// `wa_queue.status` and `message_outbox.status`: a message on its way out.
public enum QueueStatus: String, CaseIterable, Sendable, Codable {
    case pending, held, sending, sent, failed, cancelled
}

/// `wa_message_logs.status`: what happened to a message once handed to WhatsApp.
public enum DeliveryStatus: String, CaseIterable, Sendable, Codable {
    case sent, delivered, read, failed
}

/// `wa_sessions.status`: FiberNode's view of an owner's WhatsApp connection.
public enum ConnectionState: String, CaseIterable, Sendable, Codable {
    case disconnected, connecting, connected
}

/// A WhatsApp session's state, as WAHA names it on the wire.
public enum SessionState: String, Sendable, Equatable, CaseIterable {
    case stopped = "STOPPED", starting = "STARTING", scanQR = "SCAN_QR_CODE", working = "WORKING", failed = "FAILED"

    /// The `wa_sessions.status` it is stored as.
    public var connection: ConnectionState {
        switch self {
        case .working: return .connected
        case .starting, .scanQR: return .connecting
        case .stopped, .failed: return .disconnected
        }
    }

    /// The stored string (kept for callers that write it).
    public var stored: String { connection.rawValue }
}

/// `router_actions.status`: a change queued for a router.
public enum RouterActionStatus: String, CaseIterable, Sendable, Codable {
    case pending, done, superseded
}

/// `router_actions.action`: what is asked of the router.
public enum RouterActionKind: String, CaseIterable, Sendable, Codable {
    case isolate, restore
}
