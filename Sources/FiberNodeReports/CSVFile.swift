import Foundation
import FiberNodeStore

/// Writes an RFC 4180 CSV file (UTF-8, CRLF line ends).
/// Rows are encoded in chunks into memory and appended to a temporary file, which is renamed
/// into place at the end, so a failed export never leaves half a file behind.
public final class CSVFile {
    let staged: StagedFile
    let handle: FileHandle
    var pending: [[String]] = []
    static let chunk = 2000

    /// Writes into a file staged by an `OutputPolicy` (the only way FiberNode opens an output
    /// file): symlinks, the database, backups and unconfirmed replacements are refused there.
    public init(staged: StagedFile, bom: Bool = false) throws {
        self.staged = staged
        handle = staged.handle
        if bom {
            do { try handle.write(contentsOf: Data([0xEF, 0xBB, 0xBF])) } catch { throw ExportError.io(error.localizedDescription) }
        }
    }

    /// A file outside any database's policy (still no symlink, no directory, no replacement without `force`).
    public convenience init(path: String, bom: Bool = false, force: Bool = false) throws {
        try self.init(staged: try OutputPolicy.unrestricted().stage(path, force: force), bom: bom)
    }

    public func row(_ fields: [String]) throws {
        pending.append(fields.map(CSVFile.guardFormula))
        if pending.count >= CSVFile.chunk { try flush() }
    }

    func flush() throws {
        guard !pending.isEmpty else { return }
        var data = [UInt8]()
        data.reserveCapacity(pending.count * 160)
        for r in pending { CSVFile.encode(r, into: &data) }
        do { try handle.write(contentsOf: data) } catch { throw ExportError.io(error.localizedDescription) }
        pending.removeAll(keepingCapacity: true)
    }

    /// CSV formula injection (OWASP, issue 12 item 2): a text cell starting with = + - @, tab
    /// or CR would be run as a formula by a spreadsheet (`=HYPERLINK(…)` in a customer name),
    /// so it gets a leading '. A cell that is a plain number (-5000, +6281…, 12.5) stays as is.
    public static func guardFormula(_ field: String) -> String {
        guard let first = field.utf8.first, [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains(first) else { return field }
        if isNumber(field) { return field }
        return "'" + field
    }

    static func isNumber(_ s: String) -> Bool {
        var bytes = Substring(s).utf8[...]
        if let f = bytes.first, f == 0x2B || f == 0x2D { bytes = bytes.dropFirst() }
        guard !bytes.isEmpty else { return false }
        var dot = false, digits = 0
        for b in bytes {
            if b >= 0x30 && b <= 0x39 { digits += 1 } else if b == 0x2E && !dot { dot = true } else { return false }
        }
        return digits > 0
    }

    /// One RFC 4180 record and its CRLF: a field is quoted when it holds a quote, comma, CR
    /// or LF, and its quotes are doubled. (CSV.swift's writer, used before, spent most of an
    /// export of 1.2 million invoices in per-field Foundation string searches and one
    /// stream write per character; reading still uses CSV.swift.)
    static func encode(_ fields: [String], into out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(0x2C) }
            let bytes = field.utf8
            if bytes.contains(where: { $0 == 0x22 || $0 == 0x2C || $0 == 0x0D || $0 == 0x0A }) {
                out.append(0x22)
                for b in bytes {
                    if b == 0x22 { out.append(0x22) }
                    out.append(b)
                }
                out.append(0x22)
            } else {
                out.append(contentsOf: bytes)
            }
        }
        out.append(0x0D); out.append(0x0A)
    }

    /// Writes what is left, syncs and moves the file into place.
    public func finish() throws {
        try flush()
        try staged.commit()
    }

    /// Drops the temporary file.
    public func abandon() {
        staged.abandon()
    }
}

/// Export failures.
public enum ExportError: Error, Equatable {
    case cannotWrite(String)
    case io(String)
    case tooManyRows(Int)
}
