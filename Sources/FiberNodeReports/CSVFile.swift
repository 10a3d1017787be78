import Foundation
import CSV

/// Writes an RFC 4180 CSV file (UTF-8, CRLF line ends) with CSV.swift doing the quoting.
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
        let stream = OutputStream(toMemory: ())
        stream.open()
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        for r in pending { try writer.write(row: r) }
        stream.close()
        guard var data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else { throw ExportError.io("csv") }
        data.append(contentsOf: [0x0D, 0x0A])
        do { try handle.write(contentsOf: data) } catch { throw ExportError.io(error.localizedDescription) }
        pending.removeAll(keepingCapacity: true)
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
