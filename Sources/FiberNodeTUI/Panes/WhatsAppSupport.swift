import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore
import FiberNodeWhatsApp

/// Runs gateway calls off the UI thread; the pane reads the latest answer when it draws.
final class BackgroundCall: @unchecked Sendable {
    private let lock = NSLock()
    private var _busy = false
    private var _result: ConnectResult?
    private var _error: String?
    private var _finishedAt: Date?

    var busy: Bool { lock.lock(); defer { lock.unlock() }; return _busy }
    var result: ConnectResult? { lock.lock(); defer { lock.unlock() }; return _result }
    var error: String? { lock.lock(); defer { lock.unlock() }; return _error }
    var finishedAt: Date? { lock.lock(); defer { lock.unlock() }; return _finishedAt }

    func reset() { lock.lock(); _result = nil; _error = nil; _finishedAt = nil; lock.unlock() }

    /// Starts `work` on its own thread unless one is still running; false when busy.
    @discardableResult
    func start(now: @escaping @Sendable () -> Date, describe: @escaping @Sendable (Error) -> String,
               _ work: @escaping @Sendable () throws -> ConnectResult) -> Bool {
        lock.lock()
        if _busy { lock.unlock(); return false }
        _busy = true
        lock.unlock()
        Thread.detachNewThread { [self] in
            var result: ConnectResult? = nil, error: String? = nil
            do { result = try work() } catch let e { error = describe(e) }
            lock.lock(); _busy = false; _result = result ?? _result; _error = error; _finishedAt = now(); lock.unlock()
        }
        return true
    }

    /// Waits for a running call (tests).
    func wait(timeout: TimeInterval = 10) {
        let end = Date().addingTimeInterval(timeout)
        while busy && Date() < end { Thread.sleep(forTimeInterval: 0.01) }
    }
}

/// Direct sends from any pane (receipt after paying, isolation notice, a composed message):
/// with no gateway the manual fallback opens at once; otherwise the send runs off the UI
/// thread and its result reaches the status line on the next refresh.
enum WhatsAppDirect {
    final class Mailbox: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [(String, Bool)] = []
        private var running = 0
        func post(_ text: String, error: Bool) { lock.lock(); items.append((text, error)); running -= 1; lock.unlock() }
        func began() { lock.lock(); running += 1; lock.unlock() }
        func take() -> [(String, Bool)] { lock.lock(); defer { items = []; lock.unlock() }; return items }
        var inFlight: Int { lock.lock(); defer { lock.unlock() }; return running }
    }
    static let mailbox = Mailbox()

    static func service(_ session: Session) -> WhatsAppService {
        WhatsAppService(db: session.db, context: session.context, timeout: 8)
    }

    /// Sends a composed message now (never blocks on the network).
    /// `offerFallback`: with no gateway, open the manual fallback at once (the operator is in
    /// the WhatsApp pane composing); elsewhere the status line points to it.
    static func send(_ m: ComposedMessage, session: Session, offerFallback: Bool = false) {
        let s = session.strings
        let kind = s.templateName(m.kind.rawValue)
        let configured = (try? session.db.gatewayConfig(ownerId: m.ownerId).isConfigured) ?? false
        let svc = service(session)
        if !configured {
            // No network involved: logged failed with the reason; the status line points to the
            // manual fallback (WhatsApp › Log, Enter) without interrupting the operator's work.
            let r = svc.sendDirect(m)
            let note = s.f(.waNotSent, kind, r.failure.map(s.describe) ?? "")
            if offerFallback {
                session.error(text: s.f(.waFailedTo, kind, m.customerName, r.failure.map(s.describe) ?? ""))
                session.present(FallbackModal(message: m, strings: s, theme: session.theme))
            } else if let current = session.status { session.status = (current.text + " · " + note, current.isError) }
            else { session.error(text: note) }
            return
        }
        let sending = s.f(.waSendingTo, m.customerName)
        if let current = session.status, !current.isError { session.info(current.text + " · " + sending) } else { session.info(sending) }
        mailbox.began()
        Thread.detachNewThread {
            let r = svc.sendDirect(m)
            if r.sent { mailbox.post(s.f(.waSentTo, kind, m.customerName), error: false) }
            else { mailbox.post(s.f(.waFailedTo, kind, m.customerName, r.failure.map(s.describe) ?? ""), error: true) }
        }
    }

    /// After marking an invoice fully paid: the receipt from the owner's session.
    static func afterPayment(_ inv: InvoiceRow, session: Session) {
        // A field laptop never sends: the server sends the receipt after sync (issue 16).
        if (try? session.db.laptopStatus()) != nil {
            if inv.isPaid, let current = session.status {
                session.status = (current.text + " · " + session.strings[.syncReceiptLater], current.isError)
            }
            return
        }
        guard inv.isPaid,
              let m = try? session.db.compose(kind: .receipt, customerId: inv.customerId, invoiceId: inv.id, actor: session.actor,
                                              context: session.context) else { return }
        send(m, session: session)
    }

    /// After isolating: the notice from the owner's session.
    static func afterIsolation(customerId: String, session: Session) {
        guard let m = try? session.db.compose(kind: .isolation, customerId: customerId, actor: session.actor, context: session.context) else { return }
        send(m, session: session)
    }

    /// Moves finished results onto the status line (called from pane reloads).
    static func deliver(_ session: Session) {
        for (text, isError) in mailbox.take() {
            if isError { session.error(text: text) } else { session.info(text) }
        }
    }
}

/// The manual fallback: the message and a `wa.me` link as a QR code to scan with a phone.
final class FallbackModal: Modal {
    let message: ComposedMessage
    let strings: Strings
    let ascii: Bool
    init(message: ComposedMessage, strings: Strings, theme: Theme) {
        self.message = message; self.strings = strings; self.ascii = theme.name == .mono
    }
    func handle(_ key: Key) -> Bool {
        switch key { case .escape, .enter, .char("q"): return false; default: return true }
    }

    func draw(on screen: Screen, theme: Theme) {
        let w = screen.width, h = screen.height
        screen.fill(row: 0, col: 0, width: w, height: h, style: theme.dialog)
        Box.draw(on: screen, row: 0, col: 0, width: w, height: h, title: strings[.waFallbackTitle], style: theme.dialog, ascii: ascii)
        let phone = (try? PhoneNumber.normalize(message.phone))
        let full = phone?.waMeLink(text: message.text) ?? "https://wa.me/\(message.phone)"
        let short = "https://wa.me/\(phone?.digits ?? message.phone)"
        var qrWidth = 0
        // The link with the text when it fits the screen, else the chat link alone (the text is shown beside it).
        for link in [full, short] {
            guard let m = QRMatrix(link) else { continue }
            let lines = m.lines(ascii: ascii, quiet: 1)
            let lw = lines.first.map { TextWidth.width(of: $0) } ?? 0
            guard lines.count <= h - 3, lw <= w - 4 else { continue }
            let qrStyle = Style(fg: .white, bg: .black)
            for (i, l) in lines.enumerated() { screen.put(l, row: 1 + i, col: 2, style: qrStyle) }
            qrWidth = lw
            break
        }
        let textCol = qrWidth > 0 ? qrWidth + 4 : 2
        let textWidth = max(10, w - textCol - 2)
        var row = 1
        let header = "\(message.customerName) · +\(message.phone)"
        screen.put(TextWidth.truncate(header, to: textWidth), row: row, col: textCol, style: theme.dialog); row += 2
        for para in message.text.split(separator: "\n", omittingEmptySubsequences: false) {
            for l in wrap(String(para), width: textWidth) where row < h - 2 {
                screen.put(l, row: row, col: textCol, style: theme.dialog); row += 1
            }
            if para.isEmpty && row < h - 2 { row += 1 }
        }
        if qrWidth == 0 { screen.put(TextWidth.truncate(short, to: w - 4), row: h - 3, col: 2, style: theme.dialog) }
        screen.put(strings[.waFallbackHint], row: h - 2, col: 2, style: theme.dialog)
    }
}

/// A preview with Enter to confirm (compose, bulk).
final class PreviewModal: Modal {
    let title: String
    let lines: [String]
    let strings: Strings
    let onConfirm: () -> Void
    /// When set, `e` calls it (and closes the preview).
    var onEdit: (() -> Void)?
    init(title: String, text: String, strings: Strings, onConfirm: @escaping () -> Void) {
        self.title = title; self.strings = strings; self.onConfirm = onConfirm
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
    func handle(_ key: Key) -> Bool {
        switch key {
        case .enter, .char("y"), .function(2): onConfirm(); return false
        case .escape, .char("n"), .char("q"): return false
        case .char("e") where onEdit != nil: onEdit?(); return false
        default: return true
        }
    }
    func draw(on screen: Screen, theme: Theme) {
        let w = min(screen.width - 2, 76)
        let body = lines.flatMap { $0.isEmpty ? [""] : wrap($0, width: w - 4) }
        let h = min(screen.height - 2, body.count + 4)
        let row = (screen.height - h) / 2, col = (screen.width - w) / 2
        screen.fill(row: row, col: col, width: w, height: h, style: theme.dialog)
        Box.draw(on: screen, row: row, col: col, width: w, height: h, title: title, style: theme.dialog, ascii: theme.name == .mono)
        for (i, l) in body.prefix(h - 4).enumerated() { screen.put(l, row: row + 1 + i, col: col + 2, style: theme.dialog) }
        screen.put("Enter/y: \(strings[.yes]) · Esc/n: \(strings[.no])", row: row + h - 2, col: col + 2,
                   style: Style(fg: theme.dialog.fg, bg: theme.dialog.bg, bold: true))
    }
}

/// Edits a message template on one line (`⏎` stands for a new line) with a live preview
/// filled from a sample customer; unknown placeholders show at once and are refused on save.
final class TemplateEditorModal: Modal {
    let title: String
    let strings: Strings
    var field: TextField
    var error: String?
    let preview: (String) -> (text: String, ok: Bool)
    let onSave: (String) -> String?
    static let newline = "⏎"

    init(title: String, template: String, strings: Strings, preview: @escaping (String) -> (text: String, ok: Bool),
         onSave: @escaping (String) -> String?) {
        self.title = title; self.strings = strings; self.preview = preview; self.onSave = onSave
        field = TextField(value: template.replacingOccurrences(of: "\n", with: Self.newline), maxLength: 2000)
        field.cursor = field.value.count
    }

    var template: String { field.value.replacingOccurrences(of: Self.newline, with: "\n") }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .escape: return false
        case .enter, .function(2):
            if let message = onSave(template) { error = message; return true }
            return false
        case .ctrl("n"):
            field.set(String(field.value.prefix(field.cursor)) + Self.newline + String(field.value.dropFirst(field.cursor)))
            return true
        default:
            _ = field.handle(key); error = nil
            return true
        }
    }

    func draw(on screen: Screen, theme: Theme) {
        let w = screen.width - 2, h = screen.height - 2
        let row = 1, col = 1
        screen.fill(row: row, col: col, width: w, height: h, style: theme.dialog)
        Box.draw(on: screen, row: row, col: col, width: w, height: h, title: title, style: theme.dialog, ascii: theme.name == .mono)
        screen.put(TextWidth.truncate(strings[.waTplEditHint] + " · ^N: ⏎", to: w - 4), row: row + 1, col: col + 2, style: theme.dialog)
        let p = preview(template)
        screen.put(TextWidth.truncate(strings.f(.waTplPreview, p.ok ? "ok" : "!"), to: w - 4), row: row + 4, col: col + 2,
                   style: Style(fg: theme.dialog.fg, bg: theme.dialog.bg, bold: true))
        var r = row + 5
        let bodyStyle = p.ok ? theme.dialog : theme.statusError
        for para in p.text.split(separator: "\n", omittingEmptySubsequences: false) {
            for l in (para.isEmpty ? [""] : wrap(String(para), width: w - 4)) where r < row + h - 2 {
                screen.put(l, row: r, col: col + 2, style: bodyStyle); r += 1
            }
        }
        if let error { screen.put(TextWidth.truncate(error, to: w - 4), row: row + h - 2, col: col + 2, style: theme.statusError) }
        field.draw(on: screen, row: row + 2, col: col + 2, width: w - 4, style: theme.fieldFocused, focused: true)
    }
}

/// Opens the template editor for a kind (WhatsApp pane `T`, and Pengaturan for `wa.template.*`).
enum TemplateEditing {
    static func present(_ kind: MessageKind, session: Session, customer: String? = nil) {
        let key = "wa.template.\(kind.rawValue)"
        let actor = session.actor, db = session.db, context = session.context, strings = session.strings
        // The chosen customer (code or id) when given, else the first with an unpaid invoice.
        let chosen = customer.flatMap { c -> (customerId: String, invoiceId: String?)? in
            guard !c.isEmpty, let row = try? db.customer(id: c, actor: actor) else { return nil }
            return (customerId: row.id, invoiceId: nil)
        }
        let sample = chosen ?? (try? db.bulkRecipients(.allUnpaid, actor: actor, limit: 1).first)
            ?? (try? db.bulkRecipients(.owner(actor.userId), actor: actor, limit: 1).first)
        let cloud = (try? db.settings().cloudTemplates[kind.rawValue]) ?? nil
        session.present(TemplateEditorModal(title: strings.f(.waTplEditTitle, strings.templateName(kind.rawValue)),
                                            template: session.settings[key], strings: strings, preview: { text in
            // Unknown placeholders first; then the template filled from a sample customer (and
            // invoice) when there is one, else shown as written.
            let unknown = MessageTemplates.unknownPlaceholders(in: text)
            if !unknown.isEmpty {
                return (strings.message(for: StoreError.invalid(field: unknown.map { "{\($0)}" }.joined(separator: " "),
                                                                reason: .notOneOf(MessageTemplates.placeholders.map { "{\($0)}" }))), false)
            }
            guard let sample,
                  let m = try? db.compose(kind: kind, customerId: sample.customerId, invoiceId: sample.invoiceId, customTemplate: text,
                                          actor: actor, context: context) else { return (text, true) }
            // Below the text: what the Cloud API's approved template would carry for this customer.
            let cloudLines = strings.cloudPreview(kind: kind.rawValue, template: cloud, values: m.values)
            return (m.text + "\n\n— " + m.customerName + "\n" + cloudLines.joined(separator: "\n"), true)
        }) { [weak session] text in
            guard let session else { return nil }
            do {
                try session.db.setSetting(key, text, actor: session.actor, context: session.context)
                session.refreshUser()
                session.info(strings.f(.waTplSaved, strings.templateName(kind.rawValue)))
                return nil
            } catch { return strings.message(for: error) }
        })
    }

    /// The kind behind a `wa.template.*` key.
    static func kind(forSetting key: String) -> MessageKind? {
        guard key.hasPrefix("wa.template.") else { return nil }
        return MessageKind(rawValue: String(key.dropFirst("wa.template.".count)))
    }
}
