/// Which way a page is read from a cursor.
public enum PageDirection: Sendable, Equatable {
    /// Rows strictly after the cursor (from the start when the cursor is nil), in display order.
    case forward
    /// Rows strictly before the cursor (the last rows when the cursor is nil), in display order.
    case backward
}

/// One list on screen over a keyset-paged source: the rows of the visible page, the selection,
/// the page's place in the whole result, a deferred total, and the page size that follows the
/// visible height.
///
/// Knows nothing of what the rows are: a pane gives it a loader
/// `(cursor?, direction, limit) -> [Row]` and a way to make a cursor from a row.
///
/// Invariants (unit tested for heights 5…60, resizes mid-list, both ends):
/// - `rows` are always the rows at `pageStart ..< pageStart + rows.count` of the whole result;
/// - a page is never larger than `pageSize`, and is full whenever the result has enough rows;
/// - paging down shows every row exactly once, paging up never skips one;
/// - a resize keeps the selected row on screen and fills the new height at once.
public final class PagedList<Row, Cursor> {
    public typealias Loader = (_ cursor: Cursor?, _ direction: PageDirection, _ limit: Int) throws -> [Row]

    /// The rows of the visible page, in display order.
    public private(set) var rows: [Row] = [] {
        didSet { selected = selected + 0 }   // re-clamp
    }
    /// The selected row's index in `rows` (0 when empty).
    public var selected: Int = 0 {
        didSet { selected = rows.isEmpty ? 0 : min(max(0, selected), rows.count - 1) }
    }
    /// The index of `rows[0]` in the whole result (0-based).
    public private(set) var pageStart = 0
    /// How many rows a page holds: the visible height, set with `resize(to:)`.
    public private(set) var pageSize: Int
    /// The number of rows in the whole result, when known.
    public private(set) var total: Int?
    /// True while the total waits for `idle()` (a count deferred while the user types).
    public private(set) var countStale = false

    private let loader: Loader
    private let cursorOf: (Row) -> Cursor
    private let counter: (() throws -> Int)?
    private let backwardSupported: Bool
    /// Where an error goes (the pane's status line); the list is left as it was.
    public var onError: (Error) -> Void

    /// - Parameters:
    ///   - pageSize: the first page size, until the first `resize(to:)`.
    ///   - backward: false when the source cannot read before a cursor; paging up then walks
    ///     forward from the start (fine for short lists).
    ///   - count: counts the whole result (for the footer and `end()`).
    public init(pageSize: Int = 15, backward: Bool = true, cursor: @escaping (Row) -> Cursor,
                count: (() throws -> Int)? = nil, onError: @escaping (Error) -> Void = { _ in },
                loader: @escaping Loader) {
        self.pageSize = max(1, pageSize)
        self.backwardSupported = backward
        self.cursorOf = cursor
        self.counter = count
        self.onError = onError
        self.loader = loader
    }

    /// The selected row, if any.
    public var current: Row? { rows.indices.contains(selected) ? rows[selected] : nil }
    /// The 1-based numbers of the first and last visible rows ("baris 16–30"); (0, 0) when empty.
    public var visibleRange: (from: Int, to: Int) { rows.isEmpty ? (0, 0) : (pageStart + 1, pageStart + rows.count) }
    /// The selected row's index in the whole result.
    public var absoluteSelection: Int { pageStart + selected }

    // MARK: - Loading

    /// Re-reads the page that starts at the current first row (F5, refresh tick, after a change),
    /// keeping the selection's index. With `deferCount` the total waits for `idle()`.
    public func reload(deferCount: Bool = false) {
        do {
            try recount(deferCount: deferCount)
            if let first = rows.first, pageStart > 0 {
                // the row before this page's first row, then a page after it
                let before = try read(before: first, limit: 1)
                if before.isEmpty {
                    rows = try loader(nil, .forward, pageSize); pageStart = 0
                } else {
                    rows = try loader(cursorOf(before[0]), .forward, pageSize)
                }
                if rows.count < pageSize { try fillBackward() }
            } else {
                rows = try loader(nil, .forward, pageSize); pageStart = 0
            }
        } catch { onError(error) }
    }

    /// Back to the first page (new filter, search or sort); the first row selected.
    public func first(deferCount: Bool = false) {
        reset()
        reload(deferCount: deferCount)
    }

    /// Forgets the page without reading (the next `reload()` reads the first page).
    public func reset() { rows = []; pageStart = 0; selected = 0 }

    /// The last page (End), full when the result has enough rows, the last row selected.
    public func end() {
        do {
            if let counter, backwardSupported {
                total = try counter(); countStale = false
                rows = try loader(nil, .backward, pageSize)
                pageStart = max(0, total! - rows.count)
            } else {
                try walkToEnd()
            }
            selected = rows.count - 1
        } catch { onError(error) }
    }

    /// Counts now when a count was deferred; true when the total changed (redraw).
    public func idle() -> Bool {
        guard countStale, let counter else { return false }
        do { total = try counter(); countStale = false; return true } catch { countStale = false; onError(error); return false }
    }

    private func recount(deferCount: Bool) throws {
        guard let counter else { return }
        if deferCount { countStale = true } else { total = try counter(); countStale = false }
    }

    // MARK: - Moving

    /// One row up; from the first row of a page, to the previous page's last row.
    public func up() {
        if selected > 0 { selected -= 1 } else { previous(selectAbove: true) }
    }

    /// One row down; from the last row of a page, to the next page's first row.
    public func down() {
        if selected < rows.count - 1 { selected += 1 } else { pageDown() }
    }

    /// The page after this one, its first row selected; at the end, the last row selected.
    /// Pages down never repeat a row, so the last page may be short.
    public func pageDown() {
        guard let last = rows.last else { return }
        do {
            let next = try loader(cursorOf(last), .forward, pageSize)
            guard !next.isEmpty else { selected = rows.count - 1; return }
            pageStart += rows.count; rows = next; selected = 0
        } catch { onError(error) }
    }

    /// The page before this one, its first row selected (as paging down selects the first row
    /// of the next page); at the start, the first row selected.
    public func pageUp() { previous(selectAbove: false) }

    /// The page before this one; `selectAbove` selects the row just above the old first row.
    private func previous(selectAbove: Bool) {
        guard let first = rows.first, pageStart > 0 else { selected = 0; return }
        do {
            let prev = try read(before: first, limit: pageSize)
            guard !prev.isEmpty else { pageStart = 0; selected = 0; return }
            if prev.count < pageSize || pageStart - prev.count <= 0 {
                // the start: a full first page
                let extra = Array(rows.prefix(pageSize - prev.count))
                rows = prev + extra; pageStart = 0
            } else {
                rows = prev; pageStart -= prev.count
            }
            selected = selectAbove ? prev.count - 1 : 0
        } catch { onError(error) }
    }

    // MARK: - Size

    /// Sets the page size to the visible height (call from draw, before drawing the rows):
    /// a smaller page keeps the selected row on screen, a larger one is filled at once.
    public func resize(to height: Int) {
        let n = max(1, height)
        guard n != pageSize else { return }
        pageSize = n
        if rows.count > n {
            // keep the selected row visible: drop rows above it first, then below
            let dropTop = max(0, selected - n + 1)
            let keepSelected = selected - dropTop
            rows = Array(rows[dropTop..<min(rows.count, dropTop + n)])
            pageStart += dropTop
            selected = keepSelected
            return
        }
        guard let last = rows.last, rows.count < n else { return }
        do {
            let more = try loader(cursorOf(last), .forward, n - rows.count)
            rows += more
            if rows.count < n { try fillBackward() }
        } catch { onError(error) }
    }

    /// At the end of the result with room left: rows from before the page fill it.
    private func fillBackward() throws {
        guard let first = rows.first, pageStart > 0, rows.count < pageSize else { return }
        let before = try read(before: first, limit: min(pageStart, pageSize - rows.count))
        let keepSelected = selected + before.count
        rows = before + rows
        pageStart = max(0, pageStart - before.count)
        selected = keepSelected
    }

    // MARK: - Backward reads

    /// Up to `limit` rows just before `row` (which sits at `pageStart`), in display order.
    private func read(before row: Row, limit: Int) throws -> [Row] {
        if backwardSupported { return try loader(cursorOf(row), .backward, limit) }
        // walk forward from the start to the rows just before the page
        let target = max(0, pageStart - limit)
        var cursor: Cursor?
        var skipped = 0
        while skipped < target {
            let chunk = try loader(cursor, .forward, min(500, target - skipped))
            guard let l = chunk.last else { break }
            cursor = cursorOf(l); skipped += chunk.count
        }
        return try loader(cursor, .forward, min(limit, pageStart - skipped))
    }

    /// Without backward reads or a count: reads forward page by page to a full last page.
    private func walkToEnd() throws {
        var start = 0
        var page = try loader(nil, .forward, pageSize)
        while page.count == pageSize, let last = page.last {
            let next = try loader(cursorOf(last), .forward, pageSize)
            if next.isEmpty { break }
            let keep = Array(page.suffix(pageSize - next.count))
            start += page.count - keep.count
            page = keep + next
        }
        rows = page; pageStart = start
        if counter == nil { total = start + page.count } else { total = try counter!(); countStale = false }
    }
}
