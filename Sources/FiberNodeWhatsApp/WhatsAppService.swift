import Foundation
import FiberNodeDomain
import FiberNodeStore

/// The result of a direct send (receipt, isolation notice, one composed message).
public struct DirectSendResult: Sendable, Equatable {
    public var message: ComposedMessage
    public var sent: Bool
    /// Why it failed (English, for the log); nil when sent.
    public var failure: GatewayError?
    /// The manual fallback: `https://wa.me/62…?text=…`.
    public var fallbackLink: String {
        (try? PhoneNumber.normalize(message.phone))?.waMeLink(text: message.text) ?? "https://wa.me/\(message.phone)"
    }
}

/// Sessions, connects and direct sends for the people using FiberNode: every call goes
/// through the customer's owner's gateway and is checked against the actor's scope.
public final class WhatsAppService: @unchecked Sendable {
    public let db: AppDatabase
    public let context: StoreContext
    let makeGateway: @Sendable (GatewayConfig) -> WhatsAppGateway?

    public init(db: AppDatabase, context: StoreContext, timeout: TimeInterval = 10,
                makeGateway: (@Sendable (GatewayConfig) -> WhatsAppGateway?)? = nil) {
        self.db = db; self.context = context
        self.makeGateway = makeGateway ?? { GatewayFactory.make($0, timeout: timeout) }
    }

    /// The owner's gateway; throws `notConfigured` when there is none.
    public func gateway(ownerId: String) throws -> WhatsAppGateway {
        guard let g = makeGateway(try db.gatewayConfig(ownerId: ownerId)) else { throw GatewayError.notConfigured }
        return g
    }

    // MARK: - Sessions

    /// Asks the gateway and records the answer.
    public func status(ownerId: String, actor: Actor) throws -> SessionStatus {
        _ = try db.waSession(ownerId: ownerId, actor: actor, context: context)
        let st = try gateway(ownerId: ownerId).status()
        try db.updateSessionState(ownerId: ownerId, status: st.state.stored, phone: st.phone, context: context)
        return st
    }

    /// Starts pairing (one connect at a time per owner) and returns the state and QR value.
    public func connect(ownerId: String, actor: Actor) throws -> ConnectResult {
        let g = try gateway(ownerId: ownerId)
        try db.beginConnect(ownerId: ownerId, actor: actor, context: context)
        do {
            let r = try g.connect()
            try db.updateSessionState(ownerId: ownerId, status: r.status.state.stored, phone: r.status.phone, context: context)
            return r
        } catch {
            try? db.updateSessionState(ownerId: ownerId, connection: .disconnected, phone: nil, context: context)
            throw error
        }
    }

    /// While pairing: the state and the current QR value (it changes about every 20 s).
    public func poll(ownerId: String, actor: Actor) throws -> ConnectResult {
        let st = try status(ownerId: ownerId, actor: actor)
        return ConnectResult(status: st, qr: st.state == .scanQR ? try? gateway(ownerId: ownerId).qr() : nil)
    }

    public func disconnect(ownerId: String, actor: Actor) throws {
        try db.recordDisconnect(ownerId: ownerId, actor: actor, context: context)
        try gateway(ownerId: ownerId).disconnect()
    }

    // MARK: - Direct sends

    /// Sends now through the owner's session and logs `sent` or `failed` with the reason.
    /// Never throws for gateway trouble: the result carries the manual fallback.
    public func sendDirect(_ m: ComposedMessage) -> DirectSendResult {
        // A receipt / isolation notice owed by a commit: claim its outbox row (issue 12 item 9).
        let owed = try? db.claimOutbox(kind: m.kind, customerId: m.customerId, invoiceId: m.invoiceId, context: context)
        let result = send(m)
        if let owed { try? db.finishOutbox(owed.id, sent: result.sent, error: result.failure?.description, context: context) }
        return result
    }

    func send(_ m: ComposedMessage) -> DirectSendResult {
        var result = DirectSendResult(message: m, sent: false, failure: nil)
        var messageId: String? = nil
        do {
            let chat = try PhoneNumber.normalize(m.phone).chatId
            let contact = (try? db.contact(ownerId: m.ownerId, phone: m.phone)) ?? .none
            let kind = m.kind == .custom ? "manual" : m.kind.rawValue
            let message = OutgoingMessage(chatId: chat, text: m.text, kind: kind, values: m.values,
                                          windowOpen: CustomerWindow.isOpen(lastInbound: contact.lastInboundAt, now: context.clock.now()))
            messageId = try gateway(ownerId: m.ownerId).send(message)
            result.sent = true
        } catch let e as GatewayError {
            result.failure = e
        } catch {
            result.failure = .rejected("invalid phone number")
        }
        _ = try? db.logDirect(m, delivery: result.sent ? .sent : .failed, error: result.failure?.description, messageId: messageId,
                              context: context)
        return result
    }

    /// The receipt of a paid invoice, from the owner's session (with the receipt link when
    /// `receipt.base_url` is set).
    public func sendReceipt(invoice: String, actor: Actor) throws -> DirectSendResult {
        let inv = try db.invoice(invoice, actor: actor)
        let m = try db.compose(kind: .receipt, customerId: inv.customerId, invoiceId: inv.id, actor: actor, context: context)
        return sendDirect(m)
    }

    /// The isolation notice, from the owner's session (not the superadmin's).
    public func sendIsolationNotice(customer: String, actor: Actor) throws -> DirectSendResult {
        let m = try db.compose(kind: .isolation, customerId: customer, actor: actor, context: context)
        return sendDirect(m)
    }
}
