import FiberNodeDomain

// The store maps the status strings of its SQL to the domain's status types (issue 13 §5):
// code outside the store reads and filters statuses only through these. An unknown string
// (a newer database) reads as the most cautious case.

extension CustomerRecord {
    public var customerStatus: CustomerStatus { CustomerStatus(rawValue: status) ?? .active }
}

extension CustomerRow {
    public var customerStatus: CustomerStatus { CustomerStatus(rawValue: status) ?? .active }
}

extension CustomerFilter {
    /// The status filter as a domain value (nil: every status).
    public var statusFilter: CustomerStatus? {
        get { status.flatMap(CustomerStatus.init(rawValue:)) }
        set { status = newValue?.rawValue }
    }
}

extension InvoiceRow {
    public var invoiceStatus: InvoiceStatus { InvoiceStatus(rawValue: status) ?? .unpaid }
    /// Paid in full.
    public var isPaid: Bool { invoiceStatus == .paid }
}

extension InvoiceHistoryRow {
    public var invoiceStatus: InvoiceStatus { InvoiceStatus(rawValue: status) ?? .unpaid }
}

extension InvoiceFilter {
    public var statusFilter: InvoiceStatus? {
        get { status.flatMap(InvoiceStatus.init(rawValue:)) }
        set { status = newValue?.rawValue }
    }
}

extension QueueItem {
    public var queueStatus: QueueStatus { QueueStatus(rawValue: status) ?? .pending }
}

extension OutboxItem {
    public var queueStatus: QueueStatus { QueueStatus(rawValue: status) ?? .pending }
}

extension MessageLogEntry {
    public var deliveryStatus: DeliveryStatus { DeliveryStatus(rawValue: status) ?? .failed }
}

extension MessageHistoryRow {
    public var deliveryStatus: DeliveryStatus { DeliveryStatus(rawValue: status) ?? .failed }
}

extension MessageLogFilter {
    public var statusFilter: DeliveryStatus? {
        get { status.flatMap(DeliveryStatus.init(rawValue:)) }
        set { status = newValue?.rawValue }
    }
}

extension WASession {
    public var connection: ConnectionState { ConnectionState(rawValue: status) ?? .disconnected }
}

extension RouterAction {
    public var actionStatus: RouterActionStatus { RouterActionStatus(rawValue: status) ?? .pending }
    public var actionKind: RouterActionKind { RouterActionKind(rawValue: action) ?? .isolate }
}

extension WantedService {
    public var customerStatus: CustomerStatus { CustomerStatus(rawValue: status) ?? .active }
}

extension DashboardFigures {
    /// Queue rows with this status.
    public func queueCount(_ s: QueueStatus) -> Int { queue[s.rawValue, default: 0] }
    /// Owners in scope whose session is in this state.
    public func sessionCount(_ c: ConnectionState) -> Int { sessions[c.rawValue, default: 0] }
}

extension AppDatabase {
    /// One page of the send queue with this status (nil: every status).
    public func queuePage(actor: Actor, queueStatus: QueueStatus?, after cursor: QueueCursor? = nil, backwards: Bool = false,
                          limit: Int = 50) throws -> [QueueItem] {
        try queuePage(actor: actor, status: queueStatus?.rawValue, after: cursor, backwards: backwards, limit: limit)
    }

    public func updateSessionState(ownerId: String, connection: ConnectionState, phone: String?, context: StoreContext) throws {
        try updateSessionState(ownerId: ownerId, status: connection.rawValue, phone: phone, context: context)
    }

    public func logDirect(_ m: ComposedMessage, delivery: DeliveryStatus, error: String?, messageId: String?, context: StoreContext) throws -> String {
        try logDirect(m, status: delivery.rawValue, error: error, messageId: messageId, context: context)
    }
}
