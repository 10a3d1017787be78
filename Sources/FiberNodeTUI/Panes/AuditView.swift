import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// Pure presentation of audit rows and their detail.
enum AuditPresenter {
    /// "1 Nov 2026 14:05" in the user's language (issue 13: no ISO dates on screen).
    static func time(_ d: Date, _ tz: TimeZone, seconds: Bool = false, language: Language = .id) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = tz
        f.dateFormat = seconds ? "HH:mm:ss" : "HH:mm"
        return LocalDate.from(d, in: tz).display(language: language.rawValue) + " " + f.string(from: d)
    }

    /// A JSON value as one line.
    static func flat(_ v: Any) -> String {
        if let s = v as? String { return s }
        if v is NSNull { return "—" }
        if let b = v as? Bool, String(describing: type(of: v)).contains("Bool") { return b ? "true" : "false" }
        if let n = v as? NSNumber { return n.stringValue }
        if JSONSerialization.isValidJSONObject(v), let d = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys]) {
            return String(decoding: d, as: UTF8.self)
        }
        return String(describing: v)
    }

    static func isUUID(_ s: String) -> Bool {
        s.count == 36 && s.range(of: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", options: .regularExpression) != nil
    }

    /// The resource by its human code ("PLG-000123", "INV-…", a username), never its UUID
    /// (issue 13 §5): `labels` comes from the store; a resource that is gone reads so.
    static func resourceCode(_ e: ActivityLogEntry, labels: [String: String], strings s: Strings) -> String {
        let m = e.metadataObject
        if let id = e.resourceId, let label = labels[id] { return label }
        if let key = m["key"] as? String { return key }
        if let name = m["name"] as? String { return name }
        return e.resourceId == nil ? "" : s[.auditResourceGone]
    }

    /// The list's cells: time, user, the action in words, the resource by its code.
    static func cells(_ e: ActivityLogEntry, tz: TimeZone, labels: [String: String] = [:], strings s: Strings) -> [String] {
        [time(e.createdAt, tz, language: s.language), e.username ?? "—", s.auditAction(e.action), resourceCode(e, labels: labels, strings: s)]
    }

    /// The detail: who, when, what, then before → after (when the change has them), then the
    /// other metadata fields, each as (label, value).
    static func detail(_ e: ActivityLogEntry, strings s: Strings, tz: TimeZone, labels: [String: String] = [:]) -> [(String, String)] {
        let code = resourceCode(e, labels: labels, strings: s)
        var out: [(String, String)] = [
            (s[.colTime], time(e.createdAt, tz, seconds: true, language: s.language)), (s[.colUser], e.username ?? "—"),
            (s[.colAction], s.auditAction(e.action)),
            (s[.colResource], [s.auditResource(e.resource), code.isEmpty ? nil : code].compactMap { $0 }.joined(separator: " ")),
            ("IP", e.ipAddress ?? "—"),
        ]
        let m = e.metadataObject
        if let before = m["before"] { out.append((s[.auditBefore], flat(before))) }
        if let after = m["after"] { out.append((s[.auditAfter], flat(after))) }
        for key in m.keys.sorted() where key != "before" && key != "after" {
            // An id in the metadata reads as its code, or not at all: never a UUID on screen.
            let value = flat(m[key]!)
            if isUUID(value) { if let label = labels[value] { out.append((key, label)) }; continue }
            out.append((key, value))
        }
        return out
    }
}

/// Audit (superadmin), a view inside Pengaturan: `activity_logs` newest first, keyset-paged,
/// filtered by user, action, resource and business date; Enter shows the detail with before/after.
/// (A sub-view rather than a tenth pane, so every pane keeps its digit 1–9.)
final class AuditView {
    let session: Session
    var filter = AuditFilter()
    /// Selection, keyset paging (both ways) and the page size that follows the height.
    lazy var list = PagedList<ActivityLogEntry, AuditCursor>(
        pageSize: 14, cursor: { AuditCursor($0) },
        onError: { [unowned self] in self.session.error($0) }
    ) { [unowned self] cursor, direction, limit in
        try self.session.db.activityPage(actor: self.session.actor, filter: self.filter, timeZone: self.session.settings.timeZone,
                                         after: cursor, backwards: direction == .backward, limit: limit)
    }
    var rows: [ActivityLogEntry] { list.rows }
    /// Human codes of the listed rows' resources, by resource id (looked up per page shown).
    var labels: [String: String] = [:]
    var labelled: [String] = []
    func refreshLabels() {
        let ids = rows.map(\.id)
        guard ids != labelled else { return }
        labelled = ids
        labels = (try? session.db.auditResourceLabels(rows, actor: session.actor)) ?? [:]
    }
    var selected: Int { get { list.selected } set { list.selected = newValue } }
    init(session: Session) { self.session = session }
    var s: Strings { session.strings }

    /// Closes the view (set by the Settings pane).
    var onBack: () -> Void = {}

    /// The view's keys and what they do (issue 13: commands, labels from the keys).
    var commands: [Command] {
        [
            Command([.up, .char("k")], .keyUp) { [unowned self] in self.list.up() },
            Command([.down, .char("j")], .keyDown) { [unowned self] in self.list.down() },
            Command([.pageUp], .keyPageUp) { [unowned self] in self.list.pageUp() },
            Command([.pageDown], .keyPageDown) { [unowned self] in self.list.pageDown() },
            Command([.home], .keyFirstPage) { [unowned self] in self.list.first() },
            Command([.end], .keyLastPage) { [unowned self] in self.list.end() },
            Command([.enter, .function(3)], .keyDetail, short: .keyDetail, requires: .viewAuditLog) { [unowned self] in
                if let e = self.current {
                    self.refreshLabels()
                    self.session.present(AuditDetailModal(entry: e, session: self.session, labels: self.labels))
                }
            },
            Command([.char("f"), .function(4)], .keyFilter, short: .keyFilter, requires: .viewAuditLog) { [unowned self] in self.openFilter() },
            Command([.char("x")], .keyClearFilter, requires: .viewAuditLog) { [unowned self] in
                self.filter = AuditFilter(); self.list.first()
            },
            Command([.escape, .char("A")], .keyBack) { [unowned self] in self.onBack() },
        ]
    }

    func reload() { list.reload() }

    var current: ActivityLogEntry? { rows.indices.contains(selected) ? rows[selected] : nil }

    func nextPage() { list.pageDown() }
    func previousPage() { list.pageUp() }

    func openFilter() {
        let fields = [FormFieldSpec(s[.fUser], value: filter.user, maxLength: 100),
                      FormFieldSpec(s[.fAction], value: filter.action, maxLength: 100),
                      FormFieldSpec(s[.fResource], value: filter.resource, maxLength: 100),
                      FormFieldSpec(s[.fDateFrom], value: filter.from?.description ?? "", maxLength: 10, hint: "YYYY-MM-DD"),
                      FormFieldSpec(s[.fDateTo], value: filter.to?.description ?? "", maxLength: 10, hint: "YYYY-MM-DD")]
        session.present(FormModal(title: s[.auditFilterTitle], fields: fields, strings: s) { [weak self] v in
            guard let self else { return nil }
            var dates: [LocalDate?] = []
            for (i, label) in [(3, self.s[.fDateFrom]), (4, self.s[.fDateTo])] {
                let text = v[i].trimmingCharacters(in: .whitespaces)
                if text.isEmpty { dates.append(nil); continue }
                guard let d = LocalDate(text) else { return self.s.f(.errInvalid, label, self.s.f(.errBadFormat, "YYYY-MM-DD")) }
                dates.append(d)
            }
            self.filter = AuditFilter(user: v[0], action: v[1], resource: v[2], from: dates[0], to: dates[1])
            self.list.first()
            return nil
        })
    }

    func filterLine() -> String {
        func v(_ x: String) -> String { x.isEmpty ? s[.stAll] : x }
        let date: String
        switch (filter.from, filter.to) {
        case (nil, nil): date = s[.stAll]
        case let (f, t): date = "\(f?.description ?? "…")–\(t?.description ?? "…")"
        }
        return s.f(.auditFilterLine, v(filter.user), v(filter.action), v(filter.resource), date)
    }

    func draw(on screen: Screen, in area: Rect) {
        let t = session.theme
        screen.put(TextWidth.truncate("▸ " + s[.paneAudit] + "  (Esc: " + s[.keyBack] + ")", to: area.width), row: area.row, col: area.col, style: t.title)
        let area = Rect(row: area.row + 1, col: area.col, width: area.width, height: area.height - 1)
        screen.put(TextWidth.truncate(filterLine(), to: area.width), row: area.row, col: area.col, style: filter.isEmpty ? t.dim : t.accent)
        // The resource's code (INV-202603-000001: 17 cells) is laid out whole, never cut mid-digit;
        // the action's words take what is left (issue 13 item 2).
        let cols = [ListColumn(s[.colTime], 16, whole: true, priority: 10), ListColumn(s[.colUser], 10, priority: 9),
                    ListColumn(s[.colAction], 12, flexible: true, priority: 8), ListColumn(s[.colResource], 17, whole: true, priority: 7)]
        let layout = ListLayout.fit(cols, width: area.width)
        ListLayout.draw(cols.map(\.title), layout: layout, columns: cols, on: screen, row: area.row + 1, col: area.col, width: area.width,
                        style: t.tableHeader)
        let room = max(1, area.height - 3)
        list.resize(to: room)
        if rows.isEmpty { screen.put(s[.auditEmpty], row: area.row + 2, col: area.col, style: t.dim) }
        let tz = session.settings.timeZone
        refreshLabels()
        for (i, e) in rows.enumerated() {
            ListLayout.draw(AuditPresenter.cells(e, tz: tz, labels: labels, strings: s), layout: layout, columns: cols, on: screen, row: area.row + 2 + i,
                            col: area.col, width: area.width, style: i == selected ? t.selected : t.text)
        }
        screen.put(TextWidth.truncate(s.f(.auditFooter, list.visibleRange.from, list.visibleRange.to), to: area.width), row: area.row + area.height - 1,
                   col: area.col, style: t.dim)
    }
}

/// One activity with its before/after, wrapped to the dialog.
final class AuditDetailModal: Modal {
    let lines: [(String, String)]
    let session: Session
    var top = 0
    init(entry: ActivityLogEntry, session: Session, labels: [String: String] = [:]) {
        self.session = session
        lines = AuditPresenter.detail(entry, strings: session.strings, tz: session.settings.timeZone, labels: labels)
    }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .up: top = max(0, top - 1)
        case .down: top += 1
        case .escape, .enter, .char("q"): return false
        default: break
        }
        return true
    }

    func draw(on screen: Screen, theme: Theme) {
        let w = min(screen.width - 4, 90)
        let labelW = 14
        var text: [(String, String)] = []
        for (label, value) in lines {
            let wrapped = wrap(value, width: max(10, w - labelW - 5))
            for (i, part) in (wrapped.isEmpty ? [""] : wrapped).enumerated() { text.append((i == 0 ? label : "", part)) }
        }
        let inner = ModalFrame.draw(on: screen, title: session.strings[.auditDetailTitle], width: w, height: text.count + 4, theme: theme,
                                    ascii: session.ascii, hint: session.strings[.helpClose])
        let room = max(1, inner.height - 1)
        top = min(top, max(0, text.count - room))
        for (i, (label, value)) in text.dropFirst(top).prefix(room).enumerated() {
            screen.put(TextWidth.pad(label, to: labelW), row: inner.row + i, col: inner.col,
                       style: Style(fg: theme.dialog.fg, bg: theme.dialog.bg, bold: true))
            screen.put(TextWidth.truncate(value, to: max(1, inner.width - labelW - 1)), row: inner.row + i, col: inner.col + 1 + labelW,
                       style: theme.dialog)
        }
    }
}
