import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore
import FiberNodeWhatsApp

/// WhatsApp: sessions (status, number, connect with the pairing QR, disconnect), the queue
/// (counts, list, retry, cancel, failure alert), the log (filters, manual fallback) and
/// compose / bulk send. Gateway calls never run on the UI thread.
final class WhatsAppPane: Pane {
    enum View: Int, CaseIterable { case session, queue, log, replies }

    let id = PaneID.whatsapp
    let session: Session
    var view = View.session
    var sessions: [WASession] = []
    var configs: [String: GatewayConfig] = [:]
    var counts = QueueCounts()
    /// The queue and the log: keyset-paged, page size following the height (issue 13).
    lazy var queueList = PagedList<QueueItem, QueueCursor>(
        pageSize: 10, cursor: { QueueCursor($0) }, onError: { [unowned self] in self.session.error($0) }
    ) { [unowned self] cursor, direction, limit in
        try self.session.db.queuePage(actor: self.actor, queueStatus: self.queueStatus, after: cursor, backwards: direction == .backward, limit: limit)
    }
    lazy var logList = PagedList<MessageLogEntry, MessageLogCursor>(
        pageSize: 10, cursor: { MessageLogCursor($0) }, onError: { [unowned self] in self.session.error($0) }
    ) { [unowned self] cursor, direction, limit in
        try self.session.db.messageLogPage(actor: self.actor, filter: self.logFilter, timeZone: self.tz, after: cursor,
                                           backwards: direction == .backward, limit: limit)
    }
    var items: [QueueItem] { queueList.rows }
    var log: [MessageLogEntry] { logList.rows }
    /// The filters the lists were last read with (a change starts them again at the top).
    var listedFilters: (QueueStatus?, MessageLogFilter)?
    var streak = 0
    var sessionSelected = 0
    var selected: Int {
        get { view == .queue ? queueList.selected : view == .log ? logList.selected : sessionSelected }
        set { if view == .queue { queueList.selected = newValue } else if view == .log { logList.selected = newValue } else { sessionSelected = newValue } }
    }
    /// Issue 18: paused queues (the breaker), opted-out numbers, customers' replies.
    var pauses: [SessionPause] = []
    var optedOut = 0
    var replies: [InboundMessage] = []
    var queueStatus: QueueStatus?
    var logFilter = MessageLogFilter()
    var owners: [OwnerOption] = []
    /// The owner being paired (QR shown until WORKING).
    var pairingOwner: String?
    let call = BackgroundCall()
    var lastPoll: Date?
    /// Alert from this many failures in a row.
    static let alertAfter = 5

    init(session: Session) { self.session = session }
    var s: Strings { session.strings }
    var actor: Actor { session.actor }
    var service: WhatsAppService { WhatsAppDirect.service(session) }
    var tz: TimeZone { session.settings.timeZone }

    var bindings: [Binding] {
        Keymap.list + [
            Binding([.char("v"), .char("]")], .nextPeriod, key: "v ]", help: .keyWaView),
            Binding([.char("[")], .prevPeriod, key: "[", help: .keyWaView),
            Binding([.char("c"), .function(6)], .add, key: "F6 c", help: .keyWaConnect, fkey: 6, short: .keyWaConnect, requires: .connectWhatsApp),
            Binding([.char("x"), .function(8)], .delete, key: "F8 x", help: .keyWaDisconnect, fkey: 8, short: .keyWaCancel, requires: .sendWhatsApp),
            Binding([.char("r"), .function(7)], .restore, key: "F7 r", help: .keyWaRetry, fkey: 7, short: .keyWaRetry, requires: .sendWhatsApp),
            Binding([.char("m"), .function(4)], .edit, key: "F4 m", help: .keyWaCompose, fkey: 4, short: .keyWaCompose, requires: .sendWhatsApp),
            Binding([.char("b")], .importCSV, key: "b", help: .keyWaBulk, requires: .sendWhatsApp),
            Binding([.char("f")], .filterStatus, key: "f", help: .keyFilterStatus),
            Binding([.char("t")], .filterPackage, key: "t", help: .keyWaFilter),
            Binding([.char("D")], .search, help: .keyDateRange),
            Binding([.enter], .open, key: "Enter", help: .keyWaOpen),
            Binding([.char("T")], .export, key: "T", help: .keyWaTemplates, requires: .manageWhatsAppTemplates),
            Binding([.char("R")], .toggleActive, key: "R", help: .keyWaResume, requires: .connectWhatsApp),
        ]
    }

    // MARK: - Loading

    func reload() {
        WhatsAppDirect.deliver(session)
        do {
            sessions = try session.db.waSessions(actor: actor, context: session.context)
            for w in sessions { configs[w.userId] = try session.db.gatewayConfig(ownerId: w.userId) }
            owners = try session.db.owners(actor: actor)
            counts = try session.db.queueCounts(actor: actor)
            if listedFilters.map({ $0.0 != queueStatus || $0.1 != logFilter }) ?? true {
                queueList.reset(); logList.reset(); listedFilters = (queueStatus, logFilter)
            }
            queueList.reload(); logList.reload()
            streak = try session.db.failureStreak(actor: actor)
            pauses = try session.db.pausedSessions(actor: actor)
            optedOut = try session.db.optedOutCount(actor: actor)
            replies = try session.db.inboundMessages(actor: actor, limit: 200)
        } catch { session.error(error) }
        selected = min(selected, max(0, rowCount - 1))
        pollIfPairing()
    }

    var rowCount: Int {
        switch view {
        case .session: return sessions.count
        case .queue: return items.count
        case .log: return log.count
        case .replies: return replies.count
        }
    }

    var seenFinish: Date?

    /// While pairing: ask the gateway again (off the UI thread) every refresh.
    func pollIfPairing() {
        if let done = call.finishedAt, done != seenFinish {
            seenFinish = done
            if let e = call.error { session.error(text: e) }
            else if let r = call.result, r.status.state == .scanQR { session.info(s[.waScanQR]) }
        }
        guard let owner = pairingOwner else { return }
        if let r = call.result, r.status.state == .working {
            session.info(s.f(.waConnectedTo, r.status.phone ?? ""))
            pairingOwner = nil
            return
        }
        let svc = service, a = actor, clock = session.context.clock, strings = s
        call.start(now: { clock.now() }, describe: { strings.message(for: $0) }) { try svc.poll(ownerId: owner, actor: a) }
    }

    var currentSession: WASession? { view == .session && sessions.indices.contains(selected) ? sessions[selected] : nil }

    // MARK: - Actions

    func handle(_ action: Action) -> Bool {
        switch action {
        case .up: view == .queue ? queueList.up() : view == .log ? logList.up() : (selected = max(0, selected - 1))
        case .down: view == .queue ? queueList.down() : view == .log ? logList.down() : (selected = min(max(0, rowCount - 1), selected + 1))
        case .pageUp: view == .queue ? queueList.pageUp() : view == .log ? logList.pageUp() : (selected = 0)
        case .pageDown: view == .queue ? queueList.pageDown() : view == .log ? logList.pageDown() : (selected = max(0, rowCount - 1))
        case .nextPeriod, .prevPeriod:
            let n = View.allCases.count
            view = View(rawValue: (view.rawValue + (action == .nextPeriod ? 1 : n - 1)) % n)!
            selected = 0
        case .add: connect()
        case .delete: view == .session ? disconnect() : cancel()
        case .restore: retry()
        case .edit: compose()
        case .importCSV: bulk()
        case .filterStatus: cycleStatus()
        case .filterPackage:
            let cycle: [String?] = [nil, "reminder", "receipt", "isolation", "custom", "manual"]
            logFilter.type = cycle[((cycle.firstIndex(of: logFilter.type) ?? 0) + 1) % cycle.count]; view = .log; reload()
        case .search: dateFilter()
        case .open: open()
        case .export: editTemplates()
        case .toggleActive: resume()
        default: return false
        }
        return true
    }

    func connect() {
        guard let w = currentSession ?? sessions.first(where: { $0.userId == actor.userId }) else { return }
        guard configs[w.userId]?.isConfigured == true else { session.error(text: s[.waErrNotConfigured]); return }
        let svc = service, a = actor, clock = session.context.clock, strings = s, owner = w.userId
        call.reset()
        pairingOwner = owner
        let started = call.start(now: { clock.now() }, describe: { e in
            if case StoreError.alreadyExists = e { return strings[.waConnectBusy] }
            return strings.message(for: e)
        }) { try svc.connect(ownerId: owner, actor: a) }
        if started { session.info(s[.waChecking]) } else { session.error(text: s[.waConnectBusy]) }
    }

    /// The owner resumes a queue the breaker paused (the selected session's, else the first paused one in scope).
    func resume() {
        let owner = currentSession.map(\.userId).flatMap { o in pauses.first { $0.ownerId == o } } ?? pauses.first
        guard let p = owner else { session.error(text: s[.waNotPaused]); return }
        do {
            if try session.db.resumeSession(ownerId: p.ownerId, actor: actor, context: session.context) {
                session.info(s.f(.waResumed, p.businessName))
            } else { session.error(text: s[.waNotPaused]) }
        } catch { session.error(error) }
        reload()
    }

    func disconnect() {
        guard let w = currentSession else { return }
        let name = w.businessName
        session.present(ConfirmModal(title: s[.keyWaDisconnect], message: "\(s[.keyWaDisconnect]): \(name)?", yes: s[.yes], no: s[.no],
                                     ascii: session.theme.name == .mono) { [weak self] in
            guard let self else { return }
            let svc = self.service, a = self.actor, clock = self.session.context.clock, strings = self.s, owner = w.userId
            self.pairingOwner = nil
            self.call.reset()
            self.call.start(now: { clock.now() }, describe: { strings.message(for: $0) }) {
                try svc.disconnect(ownerId: owner, actor: a)
                return ConnectResult(status: SessionStatus(state: .stopped), qr: nil)
            }
            self.session.info(self.s[.waDisconnected])
        })
    }

    var currentItem: QueueItem? { view == .queue && items.indices.contains(selected) ? items[selected] : nil }

    func retry() {
        guard let i = currentItem else { return }
        do { try session.db.retryMessage(i.id, actor: actor, context: session.context); session.info(s[.waRetried]); reload() }
        catch { session.error(error) }
    }

    func cancel() {
        guard let i = currentItem else { return }
        do { try session.db.cancelMessage(i.id, actor: actor, context: session.context); session.info(s[.waCancelled]); reload() }
        catch { session.error(error) }
    }

    func cycleStatus() {
        if view == .log {
            let cycle: [DeliveryStatus?] = [nil, .sent, .failed, .delivered, .read]
            logFilter.statusFilter = cycle[((cycle.firstIndex(of: logFilter.statusFilter) ?? 0) + 1) % cycle.count]
        } else {
            view = .queue
            let cycle: [QueueStatus?] = [nil] + QueueStatus.allCases
            queueStatus = cycle[((cycle.firstIndex(of: queueStatus) ?? 0) + 1) % cycle.count]
        }
        selected = 0
        reload()
    }

    func dateFilter() {
        session.present(FormModal(title: s[.keyDueRange], fields: [
            FormFieldSpec(s[.fDueFrom], value: logFilter.from?.description ?? "", maxLength: 10, hint: "YYYY-MM-DD"),
            FormFieldSpec(s[.fDueTo], value: logFilter.to?.description ?? "", maxLength: 10, hint: "YYYY-MM-DD"),
        ], strings: s) { [weak self] v in
            guard let self else { return nil }
            let from = v[0].trimmingCharacters(in: .whitespaces), to = v[1].trimmingCharacters(in: .whitespaces)
            for d in [from, to] where !d.isEmpty && LocalDate(d) == nil { return self.s.f(.errInvalid, d, "YYYY-MM-DD") }
            self.logFilter.from = LocalDate(from); self.logFilter.to = LocalDate(to)
            self.view = .log; self.selected = 0
            self.reload()
            return nil
        })
    }

    func open() {
        switch view {
        case .queue:
            guard let i = currentItem else { return }
            session.present(TextViewModal(title: i.customerName ?? i.phone, text: i.content, strings: s))
        case .log:
            guard log.indices.contains(selected) else { return }
            let e = log[selected]
            let kind = MessageKind(rawValue: e.messageType) ?? .custom
            let m = ComposedMessage(kind: kind, ownerId: e.ownerId ?? actor.userId, customerId: e.customerId ?? "", customerName: e.customerName ?? e.phone,
                                    invoiceId: e.invoiceId, phone: e.phone, text: e.content)
            session.present(FallbackModal(message: m, strings: s, theme: session.theme))
        case .replies:
            guard replies.indices.contains(selected) else { return }
            let r = replies[selected]
            session.present(TextViewModal(title: (r.customerName ?? "") + " · +" + r.phone, text: Sanitizer.clean(r.body), strings: s))
        case .session:
            connect()
        }
    }

    var kindOptions: [(value: String, label: String)] {
        MessageKind.allCases.map { ($0.rawValue, s.templateName($0.rawValue)) }
    }

    /// Issue 13: the customer is picked from a list searched as you type, then the message.
    func compose() {
        session.present(CustomerPickerModal(session: session, title: s[.waComposeTitle]) { [weak self] c in self?.compose(c) })
    }

    func compose(_ c: CustomerRow) {
        session.present(FormModal(title: s[.waComposeTitle], fields: [
            FormFieldSpec(s[.waFieldCustomer], value: "\(c.code) · \(Sanitizer.clean(c.name))", readOnly: true),
            FormFieldSpec(s[.waFieldTemplate], value: MessageKind.reminder.rawValue, options: kindOptions),
            FormFieldSpec(s[.waFieldText], maxLength: 1000, hint: "{greeting} {name}, …"),
        ], strings: s) { [weak self] v in
            guard let self else { return nil }
            let text = v[2].trimmingCharacters(in: .whitespaces)
            do {
                let m = try self.session.db.compose(kind: MessageKind(rawValue: v[1]) ?? .custom, customerId: c.id,
                                                    customTemplate: text.isEmpty ? nil : text.replacingOccurrences(of: "\\n", with: "\n"),
                                                    actor: self.actor, context: self.session.context)
                self.preview(m)
                return nil
            } catch { return self.s.message(for: error) }
        })
    }

    /// The filled message: Enter sends it directly, `e` edits the text first.
    func preview(_ m: ComposedMessage) {
        let modal = PreviewModal(title: "\(m.customerName) · +\(m.phone)", text: m.text + "\n\n" + s[.waEditHint], strings: s) { [weak self] in
            guard let self else { return }
            // A number that replied BERHENTI: the operator confirms first (issue 18).
            if (try? self.session.db.optOut(customerId: m.customerId, actor: self.actor).optedOutAt) != nil {
                self.session.present(ConfirmModal(title: self.s[.waComposeTitle], message: self.s.f(.waConfirmOptedOut, m.customerName),
                                                  yes: self.s[.yes], no: self.s[.no], ascii: self.session.theme.name == .mono) { [weak self] in
                    guard let self else { return }
                    WhatsAppDirect.send(m, session: self.session, offerFallback: true)
                    self.reload()
                })
                return
            }
            WhatsAppDirect.send(m, session: self.session, offerFallback: true)
            self.reload()
        }
        modal.onEdit = { [weak self] in
            guard let self else { return }
            self.session.present(TemplateEditorModal(title: self.s[.waComposeTitle], template: m.text, strings: self.s,
                                                     preview: { ($0, true) }) { [weak self] text in
                guard let self else { return nil }
                var edited = m
                edited.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !edited.text.isEmpty else { return self.s[.errRequired] }
                self.preview(edited)
                return nil
            })
        }
        session.present(modal)
    }

    /// Superadmin: edit a template with a live preview filled from the first customer in scope.
    func editTemplates() {
        session.present(FormModal(title: s[.keyWaTemplates], fields: [
            FormFieldSpec(s[.waFieldTemplate], value: MessageKind.reminder.rawValue, options: kindOptions),
        ], strings: s) { [weak self] v in
            guard let self, let kind = MessageKind(rawValue: v[0]) else { return nil }
            // issue 13: the sample customer is picked from a list, not typed as a code
            self.session.present(CustomerPickerModal(session: self.session, title: self.s[.waFieldCustomer]) { [weak self] c in
                guard let self else { return }
                TemplateEditing.present(kind, session: self.session, customer: c.id)
            })
            return nil
        })
    }

    func bulk() {
        var targets = [(InvoiceStatus.unpaid.rawValue, s[.waTargetUnpaid]), ("due", s[.waTargetDueToday])]
        targets.append(("owner", s[.waTargetOwner]))
        let ownerOpts = owners.map { ($0.id, $0.businessName) }
        session.present(FormModal(title: s[.waBulkTitle], fields: [
            FormFieldSpec(s[.waFieldTarget], value: InvoiceStatus.unpaid.rawValue, options: targets),
            FormFieldSpec(s[.waFieldOwner], value: owners.first?.id ?? "", options: ownerOpts),
            FormFieldSpec(s[.waFieldTemplate], value: "reminder", options: [("reminder", s[.waTplReminder]), ("custom", s[.waTplCustom])]),
            FormFieldSpec(s[.waFieldText], maxLength: 1000, hint: "{greeting} {name}, …"),
        ], strings: s) { [weak self] v in
            guard let self else { return nil }
            let today = LocalDate.from(self.session.context.clock.now(), in: self.tz)
            let target: BulkTarget = v[0] == "due" ? .dueOn(today) : v[0] == "owner" ? .owner(v[1]) : .allUnpaid
            let kind = MessageKind(rawValue: v[2]) ?? .reminder
            let text = v[3].trimmingCharacters(in: .whitespaces)
            do {
                let recipients = try self.session.db.bulkRecipients(target, actor: self.actor)
                guard !recipients.isEmpty else { return self.s[.waBulkNone] }
                // issue 13 item 7: thousands of messages are filled off the loop, with a count
                let db = self.session.db, actor = self.actor, context = self.session.context, s = self.s
                let composed = Shared<[ComposedMessage]>([])
                guard let job = BackgroundJobs.start(kind: "wa.bulk", label: s[.waBulkTitle], { job in
                    var out: [ComposedMessage] = []
                    for (i, r) in recipients.enumerated() {
                        out.append(try db.compose(kind: kind, customerId: r.customerId, invoiceId: kind == .reminder ? r.invoiceId : nil,
                                                  customTemplate: text.isEmpty ? nil : text.replacingOccurrences(of: "\\n", with: "\n"),
                                                  actor: actor, context: context))
                        if (i + 1) % 100 == 0 || i + 1 == recipients.count { job.report(i + 1, recipients.count) }
                    }
                    composed.set(out)
                    return s.f(.waBulkTicked, out.count, recipients.count)
                }) else { return s.f(.prgBusy, s[.waBulkTitle]) }
                job.onFinish = { [weak self] r in
                    guard let self else { return }
                    if case .failure(let e) = r { self.session.error(e); return }
                    self.pickBulk(composed.value)
                }
                self.session.present(ProgressModal(job: job, strings: s, closeWhenDone: true))
                return nil
            } catch { return self.s.message(for: error) }
        })
    }

    /// issue 14: the operator ticks or unticks customers before queueing
    func pickBulk(_ messages: [ComposedMessage]) {
        session.present(BulkPickModal(title: s[.waBulkTitle], messages: messages, strings: s) { [weak self] messages in
            guard let self else { return }
            do {
                let n = try self.session.db.enqueueBulk(messages, actor: self.actor, context: self.session.context)
                self.session.info(self.s.f(.waQueued, n))
                self.view = .queue
                self.reload()
            } catch { self.session.error(error) }
        })
    }

    // MARK: - Drawing

    func time(_ d: Date) -> String {
        let day = LocalDate.from(d, in: tz)
        let secs = Int(d.timeIntervalSince(day.startOfDay(in: tz)))
        // "1 Nov 14:05": the day in words (issue 13), the year left to the filter line
        let month = String(day.display(language: s.language.rawValue).split(separator: " ")[1])
        return "\(day.day) \(month) " + String(format: "%02d:%02d", secs / 3600, secs % 3600 / 60)
    }

    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme
        var row = area.row
        let tabs = View.allCases.map { v -> String in
            let name = v == .replies ? s[.waTabReplies] : [s[.waTabs].components(separatedBy: "  ")].first?[safe: v.rawValue] ?? "\(v)"
            return v == view ? "‹\(name)›" : " \(name) "
        }.joined(separator: " ")
        screen.put(TextWidth.truncate(tabs + "   v: " + s[.keyWaView], to: area.width), row: row, col: area.col, style: t.accent); row += 1
        let countLine = s.f(.waCounts, counts.pending, counts.held, counts.sending, counts.sent, counts.failed, counts.cancelled)
        for l in wrap(countLine, width: area.width).prefix(2) {
            screen.put(l, row: row, col: area.col, style: counts.failed > 0 ? t.warn : t.dim); row += 1
        }
        if streak >= Self.alertAfter {
            screen.put(TextWidth.truncate(s.f(.waAlertFailures, streak), to: area.width), row: row, col: area.col, style: t.error); row += 1
        }
        for p in pauses.prefix(2) {
            for l in wrap(s.pauseLine(p), width: area.width).prefix(2) { screen.put(l, row: row, col: area.col, style: t.error); row += 1 }
        }
        if optedOut > 0 {
            screen.put(TextWidth.truncate(s.f(.waOptedOutLine, optedOut), to: area.width), row: row, col: area.col, style: t.warn); row += 1
        }
        let body = Rect(row: row, col: area.col, width: area.width, height: area.row + area.height - row)
        switch view {
        case .session: drawSessions(screen, body)
        case .queue: drawQueue(screen, body)
        case .log: drawLog(screen, body)
        case .replies: drawReplies(screen, body)
        }
    }

    func drawSessions(_ screen: Screen, _ area: Rect) {
        let t = session.theme
        var row = area.row
        for (i, w) in sessions.enumerated() where row < area.row + area.height {
            let cfg = configs[w.userId]
            let gw = cfg?.isConfigured == true ? "\(cfg!.kind):\(cfg!.session)" : "—"
            let phone = w.phoneNumber.map { "+" + $0 } ?? "—"
            let line = "\(TextWidth.pad(TextWidth.truncate(w.businessName, to: 18), to: 18)) \(TextWidth.pad(s.name(w.connection), to: 12)) \(TextWidth.pad(phone, to: 16)) \(gw)"
            screen.put(TextWidth.truncate(line, to: area.width), row: row, col: area.col,
                       style: i == selected ? t.selected : (w.connection == .connected ? t.ok : t.text))
            row += 1
        }
        row += 1
        if sessions.allSatisfy({ configs[$0.userId]?.isConfigured != true }) {
            // a mitra cannot open Pengaturan: it is not told to (issue 13 item 8)
            for l in wrap(s[session.actor.can(.manageSettings) ? .waNoGateway : .waNoGatewayMitra], width: area.width) where row < area.row + area.height {
                screen.put(l, row: row, col: area.col, style: t.dim); row += 1
            }
            return
        }
        if call.busy && call.result == nil { screen.put(s[.waChecking], row: row, col: area.col, style: t.dim); row += 1 }
        if let e = call.error { screen.put(TextWidth.truncate(e, to: area.width), row: row, col: area.col, style: t.error); row += 1 }
        guard let r = call.result else { return }
        screen.put(TextWidth.truncate(s.f(.waStateLine, s.name(r.status.state)) + "  " + s.f(.waNumberLine, r.status.phone.map { "+" + $0 } ?? "—"),
                                      to: area.width), row: row, col: area.col, style: r.status.state == .working ? t.ok : t.warn)
        row += 1
        guard pairingOwner != nil, r.status.state == .scanQR, let qr = r.qr, let m = QRMatrix(qr) else { return }
        screen.put(TextWidth.truncate(s[.waScanQR], to: area.width), row: row, col: area.col, style: t.accent); row += 1
        drawQR(m, screen: screen, below: row, area: area)
    }

    /// The QR in the space left in the pane; else over the whole screen above the status line.
    func drawQR(_ m: QRMatrix, screen: Screen, below row: Int, area: Rect) {
        let ascii = session.theme.name == .mono
        let qrStyle = Style(fg: .white, bg: .black)
        for quiet in [2, 1] {
            let lines = m.lines(ascii: ascii, quiet: quiet)
            let w = TextWidth.width(of: lines.first ?? "")
            if lines.count <= area.row + area.height - row, w <= area.width {
                for (i, l) in lines.enumerated() { screen.put(l, row: row + i, col: area.col, style: qrStyle) }
                return
            }
            if lines.count <= screen.height - 2, w <= screen.width {
                // Not enough room in the pane: the code takes the screen above the status line,
                // with the instructions beside it when there is room.
                let t = session.theme
                screen.fill(row: 0, col: 0, width: screen.width, height: screen.height - 2, style: t.base)
                for (i, l) in lines.enumerated() { screen.put(l, row: i, col: 0, style: qrStyle) }
                let side = screen.width - w - 2
                if side >= 16 {
                    var r = 1
                    let owner = sessions.first { $0.userId == pairingOwner }?.businessName ?? ""
                    for text in [s[.paneWhatsApp] + " · " + owner, "", s[.waScanQR], "", s.f(.waStateLine, s.name(SessionState.scanQR)),
                                 "", "F5: \(s[.keyReload])"] {
                        for l in (text.isEmpty ? [""] : wrap(text, width: side)) where r < screen.height - 2 {
                            screen.put(l, row: r, col: w + 2, style: t.text); r += 1
                        }
                    }
                }
                return
            }
        }
        let need = m.lines(ascii: ascii, quiet: 1)
        screen.put(TextWidth.truncate(s.f(.waQRTooSmall, TextWidth.width(of: need.first ?? ""), need.count + 2), to: area.width),
                   row: row, col: area.col, style: session.theme.error)
    }

    func drawQueue(_ screen: Screen, _ area: Rect) {
        let t = session.theme
        screen.put(TextWidth.truncate(s.f(.waLogFilter, "—", queueStatus.map(s.name) ?? s[.waAll], "—"), to: area.width), row: area.row, col: area.col, style: t.dim)
        let cols = [ListColumn(s[.waColTime], 12, priority: 8), ListColumn(s[.waColType], 9, priority: 5),
                    ListColumn(s[.colName], 14, flexible: true, priority: 10), ListColumn(s[.colStatus], 9, priority: 9),
                    ListColumn(s[.waColTries], 5, priority: 3, align: .right), ListColumn(s[.waColError], 14, flexible: true, priority: 2)]
        let layout = ListLayout.fit(cols, width: area.width)
        ListLayout.draw(cols.map(\.title), layout: layout, columns: cols, on: screen, row: area.row + 1, col: area.col, width: area.width, style: t.tableHeader)
        queueList.resize(to: area.height - 2)
        if items.isEmpty { screen.put(s[.waQueueEmpty], row: area.row + 2, col: area.col, style: t.dim); return }
        let visible = max(1, area.height - 2)
        let top = max(0, selected - visible + 1)
        for (n, i) in items.enumerated().dropFirst(top).prefix(visible) {
            let cells = [time(i.scheduledAt), s.templateName(i.messageType), i.customerName ?? i.phone, s.name(i.queueStatus), "\(i.retryCount)/\(i.maxRetries + 1)",
                         i.errorMessage.map(s.reason) ?? ""]
            let style = n == selected ? t.selected : i.queueStatus == .failed ? t.error : i.queueStatus == .sent ? t.ok : i.queueStatus == .held ? t.warn : t.text
            ListLayout.draw(cells, layout: layout, columns: cols, on: screen, row: area.row + 2 + n - top, col: area.col, width: area.width, style: style)
        }
    }

    func drawLog(_ screen: Screen, _ area: Rect) {
        let t = session.theme
        let dates = logFilter.from == nil && logFilter.to == nil ? s[.waAll] : "\(logFilter.from.map { $0.display(language: s.language.rawValue) } ?? "…")–\(logFilter.to.map { $0.display(language: s.language.rawValue) } ?? "…")"
        screen.put(TextWidth.truncate(s.f(.waLogFilter, logFilter.type.map(s.templateName) ?? s[.waAll], logFilter.statusFilter.map(s.name) ?? s[.waAll], dates),
                                      to: area.width), row: area.row, col: area.col, style: t.dim)
        let cols = [ListColumn(s[.waColTime], 12, priority: 8), ListColumn(s[.waColType], 9, priority: 5),
                    ListColumn(s[.colName], 14, flexible: true, priority: 10), ListColumn(s[.colStatus], 9, priority: 9),
                    ListColumn(s[.waColError], 16, flexible: true, priority: 3)]
        let layout = ListLayout.fit(cols, width: area.width)
        ListLayout.draw(cols.map(\.title), layout: layout, columns: cols, on: screen, row: area.row + 1, col: area.col, width: area.width, style: t.tableHeader)
        logList.resize(to: area.height - 2)
        if log.isEmpty { screen.put(s[.waLogEmpty], row: area.row + 2, col: area.col, style: t.dim); return }
        let visible = max(1, area.height - 2)
        let top = max(0, selected - visible + 1)
        for (n, e) in log.enumerated().dropFirst(top).prefix(visible) {
            let cells = [time(e.sentAt), s.templateName(e.messageType), e.customerName ?? e.phone, s.name(e.deliveryStatus), e.errorMessage.map(s.reason) ?? ""]
            let style = n == selected ? t.selected : e.deliveryStatus == .failed ? t.error : t.text
            ListLayout.draw(cells, layout: layout, columns: cols, on: screen, row: area.row + 2 + n - top, col: area.col, width: area.width, style: style)
        }
    }
}

extension WhatsAppPane {
    /// Customers' replies, newest first (sanitised: text from outside before the terminal).
    func drawReplies(_ screen: Screen, _ area: Rect) {
        let t = session.theme
        let cols = [ListColumn(s[.waColTime], 12, priority: 8), ListColumn(s[.waColFrom], 16, flexible: true, priority: 9),
                    ListColumn(s[.waColText], 20, flexible: true, priority: 10)]
        let layout = ListLayout.fit(cols, width: area.width)
        ListLayout.draw(cols.map(\.title), layout: layout, columns: cols, on: screen, row: area.row, col: area.col, width: area.width, style: t.tableHeader)
        if replies.isEmpty { screen.put(s[.waRepliesEmpty], row: area.row + 1, col: area.col, style: t.dim); return }
        let visible = max(1, area.height - 1)
        let top = max(0, selected - visible + 1)
        for (n, r) in replies.enumerated().dropFirst(top).prefix(visible) {
            let from = Sanitizer.clean(r.customerName ?? "+" + r.phone)
            let text = Sanitizer.clean(r.body).replacingOccurrences(of: "\n", with: " ")
            let stop = OptOutKeyword.classify(r.body) == true
            ListLayout.draw([time(r.receivedAt), from, text], layout: layout, columns: cols, on: screen, row: area.row + 1 + n - top,
                            col: area.col, width: area.width, style: n == selected ? t.selected : stop ? t.warn : t.text)
        }
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
