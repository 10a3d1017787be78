import TerminalUI
import FiberNodeDomain
import FiberNodeStore

/// A pure row renderer (k9s's `render`): the columns of a list, each row's cells and style.
/// The column policy (TerminalUI's `ColumnPolicy`) decides what fits; presenters are unit tested
/// at 80, 100 and 120 columns.
protocol RowPresenter {
    associatedtype Row
    func columns(_ s: Strings) -> [ListColumn]
    func cells(_ r: Row, _ s: Strings) -> [String]
    func style(_ r: Row, _ t: Theme) -> Style?
}

extension RowPresenter {
    /// The header and row lines for `rows` in `width` cells (what `draw` puts on screen).
    func lines(_ rows: [Row], width: Int, _ s: Strings) -> (header: String, rows: [String]) {
        let cols = columns(s)
        let cells = rows.map { self.cells($0, s) }
        let layout = ListLayout.fit(cols, cells: cells, width: width)
        let specs = cols.map(\.spec)
        return (ColumnPolicy.line(cols.map(\.title), layout: layout, columns: specs, width: width),
                cells.map { ColumnPolicy.line($0, layout: layout, columns: specs, width: width) })
    }

    /// Draws the header at `row` and the rows under it; the selected row in the theme's selection.
    func draw(_ rows: [Row], selected: Int, on screen: Screen, row: Int, col: Int, width: Int, _ s: Strings, _ t: Theme) {
        let text = lines(rows, width: width, s)
        screen.put(text.header, row: row, col: col, style: t.tableHeader)
        for (i, (r, line)) in zip(rows, text.rows).enumerated() {
            screen.put(line, row: row + 1 + i, col: col, style: i == selected ? t.selected : (style(r, t) ?? t.text))
        }
    }
}

/// Pelanggan rows: code, name, phone, package, area, billing day, total, status.
struct CustomerPresenter: RowPresenter {
    func columns(_ s: Strings) -> [ListColumn] {
        [ListColumn(s[.colCode], 10, whole: true, priority: 8), ListColumn(s[.colName], 14, flexible: true, priority: 10),
         ListColumn(s[.colPhone], 13, whole: true, priority: 9), ListColumn(s[.colPackage], 14, priority: 3),
         ListColumn(s[.colArea], 16, priority: 2), ListColumn(s[.colDay], 3, whole: true, priority: 5, align: .right),
         ListColumn(s[.colTotal], 9, whole: true, priority: 7, align: .right), ListColumn(s[.colStatus], 8, whole: true, priority: 6)]
    }

    func statusLabel(_ r: CustomerRow, _ s: Strings) -> String {
        if r.deletedAt != nil { return s[.stDeleted] }
        return s.name(r.customerStatus)
    }

    func cells(_ r: CustomerRow, _ s: Strings) -> [String] {
        [r.code, r.name, r.phone, r.packageName, r.area, String(r.billingDate), Rupiah(r.totalBill).plain, statusLabel(r, s)]
    }

    func style(_ r: CustomerRow, _ t: Theme) -> Style? { r.customerStatus == .isolated ? t.warn : nil }
}

/// Tagihan rows: number, customer, area, period, due date, total, status ("!" when overdue).
struct InvoicePresenter: RowPresenter {
    /// Today's business date ("YYYY-MM-DD"), for the overdue mark.
    let today: String

    func columns(_ s: Strings) -> [ListColumn] {
        [ListColumn(s[.colNumber], 17, whole: true, priority: 6), ListColumn(s[.colName], 14, flexible: true, priority: 10),
         ListColumn(s[.colArea], 14, priority: 2), ListColumn(s[.colPeriod], 8, whole: true, priority: 3),
         ListColumn(s[.colDue], 11, whole: true, priority: 8), ListColumn(s[.colTotal], 9, whole: true, priority: 9, align: .right),
         ListColumn(s[.colStatus], 11, whole: true, priority: 7)]
    }

    func overdue(_ r: InvoiceRow) -> Bool { !r.isPaid && r.dueDate < today }

    func cells(_ r: InvoiceRow, _ s: Strings) -> [String] {
        var status = s.name(r.invoiceStatus)
        if overdue(r) { status += " !" }
        return [r.number, r.customerName, r.area, s.period(r.period), s.date(r.dueDate), Rupiah(r.totalAmount).plain, status]
    }

    func style(_ r: InvoiceRow, _ t: Theme) -> Style? {
        if r.isPaid { return t.ok }
        if overdue(r) { return t.error }
        if r.invoiceStatus == .partial { return t.warn }
        return nil
    }
}
