import Foundation
import CXlsxWriter
import FiberNodeStore

/// A column of an XLSX sheet: its header, width, and whether it holds rupiah.
public struct XLSXColumn {
    public let title: String
    public let width: Double
    public let money: Bool
    public init(_ title: String, width: Double, money: Bool = false) { self.title = title; self.width = width; self.money = money }
}

/// A real .xlsx workbook through libxlsxwriter: bold header, numeric rupiah cells with a
/// thousands format, column widths set, header row frozen.
public final class XLSXFile {
    let staged: StagedFile
    let workbook: UnsafeMutablePointer<lxw_workbook>
    let bold: UnsafeMutablePointer<lxw_format>
    let money: UnsafeMutablePointer<lxw_format>
    let boldMoney: UnsafeMutablePointer<lxw_format>
    var sheets: [(sheet: UnsafeMutablePointer<lxw_worksheet>, columns: [XLSXColumn], row: UInt32)] = []

    /// Writes into a file staged by an `OutputPolicy` (libxlsxwriter reopens the staged
    /// temporary file, created 0600 with O_EXCL in the destination's folder, by name).
    public init(staged: StagedFile) throws {
        self.staged = staged
        try? staged.handle.close()
        let tmp = staged.tempPath
        // Constant-memory mode: rows go to temporary files as written (each sheet in row order),
        // so exporting a million invoices does not hold them all in memory.
        var options = lxw_workbook_options(constant_memory: UInt8(LXW_TRUE.rawValue), tmpdir: nil, use_zip64: UInt8(LXW_TRUE.rawValue))
        guard let wb = workbook_new_opt(tmp, &options) else { staged.abandon(); throw ExportError.cannotWrite(staged.finalPath) }
        workbook = wb
        bold = workbook_add_format(wb); format_set_bold(bold)
        money = workbook_add_format(wb); format_set_num_format(money, "#,##0")
        boldMoney = workbook_add_format(wb); format_set_num_format(boldMoney, "#,##0"); format_set_bold(boldMoney)
    }

    /// Adds a sheet with its header row; returns its index.
    @discardableResult
    public func addSheet(_ name: String, columns: [XLSXColumn]) -> Int {
        // Sheet names: max 31 chars, none of []:*?/\
        let clean = String(name.map { "[]:*?/\\".contains($0) ? "-" : $0 }.prefix(31))
        let ws = workbook_add_worksheet(workbook, clean.isEmpty ? nil : clean)!
        for (i, c) in columns.enumerated() {
            worksheet_set_column(ws, lxw_col_t(i), lxw_col_t(i), c.width, c.money ? money : nil)
            worksheet_write_string(ws, 0, lxw_col_t(i), c.title, bold)
        }
        worksheet_freeze_panes(ws, 1, 0)
        sheets.append((ws, columns, 1))
        return sheets.count - 1
    }

    /// Writes a row: money columns as numbers, the rest as text.
    public func row(_ values: [String], sheet: Int = 0, bold isBold: Bool = false) {
        var s = sheets[sheet]
        for (i, v) in values.enumerated() {
            let col = lxw_col_t(i)
            let isMoney = i < s.columns.count && s.columns[i].money
            if isMoney, let n = Double(v) {
                worksheet_write_number(s.sheet, s.row, col, n, isBold ? boldMoney : money)
            } else if !v.isEmpty {
                worksheet_write_string(s.sheet, s.row, col, v, isBold ? bold : nil)
            }
        }
        s.row += 1
        sheets[sheet] = s
    }

    /// Closes and deletes the temporary workbook.
    public func abandon() {
        _ = workbook_close(workbook)
        staged.abandon()
    }

    /// A file outside any database's policy (still no symlink, no directory, no replacement without `force`).
    public convenience init(path: String, force: Bool = false) throws {
        try self.init(staged: try OutputPolicy.unrestricted().stage(path, force: force))
    }

    public func finish() throws {
        let rc = workbook_close(workbook)
        guard rc == LXW_NO_ERROR else {
            staged.abandon()
            throw ExportError.io(String(cString: lxw_strerror(rc)))
        }
        try staged.commit()
    }
}
