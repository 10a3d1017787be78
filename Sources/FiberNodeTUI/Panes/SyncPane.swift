import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore
import FiberNodeSync

/// Sinkronisasi (issue 16). On a laptop: its state and a key to sync, with progress. On the
/// server: the conflicts in the user's scope with the settle actions (refund, credit to the
/// next invoice, void one; keep the server's or take the laptop's edit — each audited by the
/// store), and for the superadmin the registered laptops with revoke.
final class SyncPane: Pane, CommandPane {
    let id = PaneID.sync
    let session: Session
    var laptop: SyncLaptopStatus?
    var conflicts: [SyncConflictRow] = []
    var devices: [SyncDevice] = []
    var selected = 0
    /// Progress and the result of a sync running on another thread.
    final class Progress: @unchecked Sendable {
        private let lock = NSLock()
        private var text: String?
        private var finished: (String, Bool)?
        private(set) var running = false
        func set(_ t: String?) { lock.lock(); text = t; lock.unlock() }
        func begin() { lock.lock(); running = true; finished = nil; lock.unlock() }
        func finish(_ t: String, error: Bool) { lock.lock(); running = false; finished = (t, error); text = nil; lock.unlock() }
        func read() -> (String?, (String, Bool)?) { lock.lock(); defer { finished = nil; lock.unlock() }; return (text, finished) }
        var isRunning: Bool { lock.lock(); defer { lock.unlock() }; return running }
    }
    let progress = Progress()
    var progressText: String?
    /// Opens the channel to the server (tests give an in-memory one).
    var connect: (String) throws -> SyncChannel = { try SyncPane.connector?($0) ?? SyncRemote.connect($0) }
    /// Tests replace the ssh/command transport with an in-memory one.
    nonisolated(unsafe) static var connector: ((String) throws -> SyncChannel)?

    init(session: Session) { self.session = session }
    var s: Strings { session.strings }

    /// The pane is in the menu on a laptop, and on the server once laptops or conflicts exist.
    static func shown(_ session: Session) -> Bool {
        if (try? session.db.laptopStatus()) != nil { return true }
        if session.actor.can(.manageMitra), let d = try? session.db.devices(actor: session.actor), !d.isEmpty { return true }
        return ((try? session.db.syncConflicts(actor: session.actor, openOnly: false, limit: 1)) ?? []).isEmpty == false
    }

    /// Rows: conflicts first, then devices.
    var rowCount: Int { conflicts.count + devices.count }
    var selectedConflict: SyncConflictRow? { conflicts.indices.contains(selected) ? conflicts[selected] : nil }
    var selectedDevice: SyncDevice? { selected >= conflicts.count && devices.indices.contains(selected - conflicts.count) ? devices[selected - conflicts.count] : nil }

    var commands: [Command] {
        var c: [Command] = []
        if laptop != nil {
            c.append(Command([.char("s"), .function(6)], .keySyncNow, short: .keySyncNow) { [unowned self] in self.syncNow() })
        }
        if let k = selectedConflict {
            if k.kind == "overpaid" {
                c.append(Command([.char("r")], .keySettleRefund, requires: .markPayment) { [unowned self] in self.settle(.refund) })
                c.append(Command([.char("c")], .keySettleCredit, requires: .markPayment) { [unowned self] in self.settle(.credit) })
                c.append(Command([.char("v")], .keySettleVoid, requires: .markPayment) { [unowned self] in self.settle(.void) })
            } else {
                c.append(Command([.char("k")], .keyKeepServer, requires: .markPayment) { [unowned self] in self.settle(.keepServer) })
                c.append(Command([.char("l")], .keyTakeLaptop, requires: .markPayment) { [unowned self] in self.settle(.takeLaptop) })
            }
        }
        if selectedDevice?.revokedAt == nil, selectedDevice != nil {
            c.append(Command([.char("x"), .function(8)], .keyRevokeDevice, short: .keyRevokeDevice, requires: .manageMitra) { [unowned self] in self.revoke() })
        }
        return c
    }
    var bindings: [Binding] { commandBindings }

    func reload() {
        laptop = try? session.db.laptopStatus()
        conflicts = laptop == nil ? ((try? session.db.syncConflicts(actor: session.actor)) ?? []) : []
        devices = laptop == nil && session.actor.can(.manageMitra) ? ((try? session.db.devices(actor: session.actor)) ?? []) : []
        selected = min(selected, max(0, rowCount - 1))
    }

    func handle(_ action: Action) -> Bool {
        if case .command = action { return run(action, as: session.actor) }
        switch action {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, rowCount - 1), selected + 1)
        default: return false
        }
        return true
    }

    func idle() -> Bool {
        let (text, finished) = progress.read()
        var changed = text != progressText
        progressText = text
        if let (msg, error) = finished {
            if error { session.error(text: msg) } else { session.info(msg) }
            reload()
            changed = true
        }
        return changed
    }

    // MARK: - Actions

    func syncNow() {
        guard let me = laptop else { return }
        guard !progress.isRunning else { return session.info(s[.syncBusy]) }
        guard let remote = me.remote else { return session.error(text: s[.syncNoRemote]) }
        let s = self.s, db = session.db, context = session.context, progress = self.progress, connect = self.connect
        progress.begin()
        progress.set(s[.syncConnecting])
        Thread {
            do {
                let client = SyncClient(db: db, context: context)
                client.progress = { p in
                    switch p {
                    case .connecting: progress.set(s[.syncConnecting])
                    case .pushing(let done, let total): progress.set(s.f(.syncPushing, done, total))
                    case .pulling(let rows): progress.set(s.f(.syncPulling, rows))
                    case .done: break
                    }
                }
                let r = try client.sync(try connect(remote))
                var msg = s.f(.syncResult, r.pushed, r.applied, r.conflicts, r.rejected, r.pulled)
                if r.conflicts > 0 { msg += " " + s.f(.syncConflictsHint, r.conflicts) }
                progress.finish(msg, error: r.conflicts > 0 || r.rejected > 0)
            } catch SyncFailure.revoked {
                progress.finish(s[.syncRevoked], error: true)
            } catch SyncFailure.login {
                progress.finish(s[.syncLoginFailed], error: true)
            } catch SyncFailure.schema(let a, let b) {
                progress.finish(s.f(.syncSchema, a, b), error: true)
            } catch {
                progress.finish(s.f(.syncConnection, "\(error)"), error: true)
            }
        }.start()
    }

    /// Blocks until a running sync ends (tests).
    func waitForSync(timeout: TimeInterval = 20) {
        let end = Date().addingTimeInterval(timeout)
        while progress.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.01) }
        _ = idle()
    }

    func settle(_ r: SyncResolution) {
        guard let k = selectedConflict else { return }
        do {
            try session.db.settleConflict(k.id, r, actor: session.actor, context: session.context)
            let name: S = [.refund: .keySettleRefund, .credit: .keySettleCredit, .void: .keySettleVoid,
                           .keepServer: .keyKeepServer, .takeLaptop: .keyTakeLaptop][r]!
            session.info(s.f(.syncSettled, s[name]))
            reload()
        } catch { session.error(error) }
    }

    func revoke() {
        guard let d = selectedDevice else { return }
        session.present(ConfirmModal(title: s[.revokeTitle], message: s.f(.revokeConfirm, d.name, d.username), yes: s[.yes], no: s[.no],
                                     ascii: session.ascii) { [weak self] in
            guard let self else { return }
            do {
                try self.session.db.revokeDevice(d.id, actor: self.session.actor, context: self.session.context)
                self.session.info(self.s.f(.deviceRevoked, d.name, d.username))
                self.reload()
            } catch { self.session.error(error) }
        })
    }

    // MARK: - Drawing

    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme
        var row = area.row + 1
        let now = session.context.clock.now()
        func line(_ text: String, _ style: Style) {
            guard row < area.row + area.height else { return }
            screen.put(TextWidth.truncate(Sanitizer.clean(text), to: area.width), row: row, col: area.col, style: style)
            row += 1
        }
        if let me = laptop {
            line(SyncText.header(me, now: now, s), t.accent)
            line(s.f(.syncStatusLine, String(me.deviceId.prefix(8)), SyncRemote.display(me.remote), SyncText.ago(me.lastSyncAt, now: now, s),
                     me.pending, me.rejected), t.text)
            if let p = progressText { line(p, t.accent) }
            row += 1
            line(s[.syncOnServer], t.dim)
            return
        }
        line(s.f(.syncConflictsTitle, conflicts.count), t.title)
        if conflicts.isEmpty { line(s[.syncNoConflicts], t.dim) }
        for (i, k) in conflicts.enumerated() {
            line((i == selected ? "> " : "  ") + SyncText.conflict(k, s), i == selected ? t.selected : t.text)
        }
        guard session.actor.can(.manageMitra) else { return }
        row += 1
        line(s.f(.syncDevicesTitle, devices.count), t.title)
        for (j, d) in devices.enumerated() {
            let i = conflicts.count + j
            let text = "\(d.name) · \(d.username) · \(SyncText.ago(d.lastSyncAt, now: now, s))" + (d.revokedAt != nil ? " · " + s[.devRevokedMark] : "")
            line((i == selected ? "> " : "  ") + text, i == selected ? t.selected : t.text)
        }
    }
}
