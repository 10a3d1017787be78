import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// Backup actions shared by the Settings pane and the backup list.
enum BackupActions {
    /// The passphrase of setting `backup.passphrase`, when set.
    static func configuredPassphrase(_ session: Session) -> String? {
        let p = session.settings["backup.passphrase"]
        return p.isEmpty ? nil : p
    }

    /// Takes a backup now (encrypted when `backup.passphrase` is set) and reports it.
    @discardableResult
    /// Makes a backup off the screen's loop with its stages shown (issue 13 §7: a size-l file
    /// takes seconds); a second start while one runs is refused. `done` gets the record on the
    /// UI thread; the status line says what was made, or why not.
    static func backupNow(_ session: Session, done: ((BackupRecord) -> Void)? = nil) {
        let s = session.strings, db = session.db, actor = session.actor, context = session.context
        let passphrase = configuredPassphrase(session)
        let made = Shared<BackupRecord?>(nil)
        guard let job = BackgroundJobs.start(kind: "backup.create", label: s[.keyBackupNow], { job in
            let r = try db.createBackup(passphrase: passphrase, actor: actor, context: context, progress: job.report)
            made.set(r)
            return s.f(.bkCreated, r.name, Strings.byteSize(r.size), String(r.sha256.prefix(12)))
        }) else { session.error(text: s.f(.prgBusy, s[.keyBackupNow])); return }
        job.onFinish = { result in
            switch result {
            case .success(let m): session.info(m)
            case .failure(let e): session.error(e)
            }
            if let r = made.value { done?(r) }
        }
        session.present(ProgressModal(job: job, strings: s, closeWhenDone: true))
    }

    /// Restores after a confirmation; asks for the passphrase of an encrypted file when no
    /// setting holds it. On success the app reopens the database and returns to the login.
    static func restore(_ record: BackupRecord, session: Session) {
        let s = session.strings
        session.present(ConfirmModal(title: s[.keyRestore], message: s.f(.bkRestoreConfirm, record.name),
                                     yes: s[.yes], no: s[.no], ascii: session.ascii) {
            if record.encrypted, configuredPassphrase(session) == nil {
                session.present(TextPromptModal(title: s.f(.bkPassphraseTitle, record.name), initial: "", secure: true,
                                                hint: s[.bkPassphrasePrompt], session: session) { pass in
                    perform(record, passphrase: pass, session: session)
                })
            } else {
                if let message = perform(record, passphrase: configuredPassphrase(session), session: session) {
                    session.error(text: message)
                }
            }
        })
    }

    /// Runs the restore; returns an error message, or nil once the app has switched databases.
    @discardableResult
    static func perform(_ record: BackupRecord, passphrase: String?, session: Session) -> String? {
        do {
            let r = try session.db.restoreBackup(file: record.path, passphrase: passphrase, actor: session.actor, context: session.context)
            session.onRestored(r.database, session.strings.f(.bkRestoredLogin, record.name))
            return nil
        } catch {
            return session.strings.message(for: error, timeZone: session.settings.timeZone)
        }
    }
}

/// The recorded backups: ↑↓ choose, Enter/r restore (confirmed), v verify, b back up now.
final class BackupListModal: Modal {
    let session: Session
    /// Every recorded backup (a few dozen at most: retention keeps them few), paged on screen
    /// by the same PagedList as the long lists (issue 13); the cursor is a row's index.
    var all: [BackupRecord] = []
    lazy var list = PagedList<BackupRecord, Int>(
        pageSize: 10, cursor: { [unowned self] r in self.all.firstIndex { $0.id == r.id } ?? 0 }
    ) { [unowned self] cursor, direction, limit in
        switch direction {
        case .forward: return Array(self.all.dropFirst(cursor.map { $0 + 1 } ?? 0).prefix(limit))
        case .backward: return Array(self.all.prefix(cursor ?? self.all.count).suffix(limit))
        }
    }
    var rows: [BackupRecord] { list.rows }
    var selected: Int { get { list.selected } set { list.selected = newValue } }
    var note: (String, Bool)?

    init(session: Session) {
        self.session = session
        reload()
    }

    func reload() {
        do { all = try session.db.backups(actor: session.actor) } catch { note = (session.strings.message(for: error), true) }
        list.reload()
    }

    var current: BackupRecord? { rows.indices.contains(selected) ? rows[selected] : nil }

    func handle(_ key: Key) -> Bool {
        let s = session.strings
        switch key {
        case .escape, .char("q"): return false
        case .up, .char("k"): list.up()
        case .down, .char("j"): list.down()
        case .pageUp: list.pageUp()
        case .pageDown: list.pageDown()
        case .home: list.first()
        case .end: list.end()
        case .char("b"):
            BackupActions.backupNow(session) { [weak self] r in
                guard let self else { return }
                self.list.reset(); self.reload()
                for _ in 0..<self.all.count where !self.rows.contains(where: { $0.id == r.id }) { self.list.pageDown() }
                self.selected = self.rows.firstIndex { $0.id == r.id } ?? 0
                self.note = self.session.status.map { ($0.text, $0.isError) }
            }
        case .char("v"):
            guard let r = current else { return true }
            do {
                let pass = r.encrypted ? BackupActions.configuredPassphrase(session) : nil
                let c = try session.db.verifyBackup(file: r.path, passphrase: pass, actor: session.actor)
                note = (s.f(.bkVerified, r.name, c.schemaVersion, String(c.sha256.prefix(12))), false)
            } catch { note = (s.message(for: error), true) }
        case .enter, .char("r"):
            guard let r = current else { return true }
            BackupActions.restore(r, session: session)
        default: break
        }
        return true
    }

    func draw(on screen: Screen, theme: Theme) {
        let s = session.strings
        let w = min(screen.width - 4, 96)
        let listH = max(3, min(all.count, screen.height - 10))
        list.resize(to: listH)
        let h = listH + 6
        let frame = ModalFrame.draw(on: screen, title: s[.bkListTitle], width: w, height: h, theme: theme, ascii: session.ascii)
        let row = frame.row - 1, col = frame.col - 2
        let cols = [ListColumn(s[.colTime], 12, priority: 9), ListColumn(s[.colKind], 13, priority: 7),
                    ListColumn(s[.colSize], 7, priority: 6, align: .right), ListColumn(s[.colFile], 20, flexible: true, priority: 10)]
        let inner = w - 4
        let layout = ListLayout.fit(cols, width: inner)
        ListLayout.draw(cols.map(\.title), layout: layout, columns: cols, on: screen, row: row + 1, col: col + 2, width: inner,
                        style: theme.tableHeader)
        if rows.isEmpty {
            screen.put(s[.bkListEmpty], row: row + 2, col: col + 2, style: theme.dialog)
        }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = session.settings.timeZone; f.dateFormat = "HH:mm"   // the day in words before it (issue 13)
        /// "4 Mar 08:00" this year, "12 Des 2025" before (issue 13: dates in words, no ISO).
        func when(_ d: Date, _ f: DateFormatter) -> String {
            let tz = session.settings.timeZone
            let day = LocalDate.from(d, in: tz), now = LocalDate.from(session.context.clock.now(), in: tz)
            let parts = day.display(language: s.language.rawValue).split(separator: " ")
            return day.year == now.year ? "\(parts[0]) \(parts[1]) " + f.string(from: d) : parts.joined(separator: " ")
        }
        for (i, r) in rows.enumerated() {
            let idx = i
            let missing = FileManager.default.fileExists(atPath: r.path) ? "" : " " + s[.bkMissing]
            // "fibernode-" is on every name: leave it out so the stamp, kind and ".enc" fit at 80 columns.
            let shown = r.name.hasPrefix("fibernode-") ? String(r.name.dropFirst("fibernode-".count)) : r.name
            let cells = [when(r.createdAt, f), s.backupKind(r.kind), Strings.byteSize(r.size), shown + (r.encrypted ? " 🔒" : "") + missing]
            ListLayout.draw(cells, layout: layout, columns: cols, on: screen, row: row + 2 + i, col: col + 2, width: inner,
                            style: idx == selected ? theme.selected : theme.dialog)
        }
        if let note {
            screen.put(TextWidth.truncate(note.0, to: inner), row: row + h - 3, col: col + 2, style: note.1 ? theme.statusError : theme.dialog)
        }
        screen.put(TextWidth.truncate(s[.bkListHint], to: inner), row: row + h - 2, col: col + 2, style: theme.dialog)
    }
}
