import Foundation

/// Writes an RFC 4180 CSV file (UTF-8, CRLF line ends).
/// Rows are encoded in chunks into memory and appended to a temporary file, which is renamed
/// into place at the end, so a failed export never leaves half a file behind.
public final class CSVFile {
    let path: String
    let tmp: String
    let handle: FileHandle
    var pending: [[String]] = []
    static let chunk = 2000

    public init(path: String, bom: Bool = false) throws {
        self.path = path
        self.tmp = path + ".part"
        guard FileManager.default.createFile(atPath: tmp, contents: bom ? Data([0xEF, 0xBB, 0xBF]) : Data()),
              let h = FileHandle(forWritingAtPath: tmp) else { throw ExportError.cannotWrite(path) }
        h.seekToEndOfFile()
        handle = h
    }

    public func row(_ fields: [String]) throws {
        pending.append(fields)
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
        do { try handle.synchronize(); try handle.close() } catch { throw ExportError.io(error.localizedDescription) }
        guard rename(tmp, path) == 0 else { unlink(tmp); throw ExportError.cannotWrite(path) }
    }

    /// Drops the temporary file.
    public func abandon() {
        try? handle.close()
        unlink(tmp)
    }
}

/// Export failures.
public enum ExportError: Error, Equatable {
    case cannotWrite(String)
    case io(String)
    case tooManyRows(Int)
}
