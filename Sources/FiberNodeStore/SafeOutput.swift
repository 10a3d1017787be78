import Foundation
import FiberNodeDomain

// MARK: - The one output policy (issue 12, item 1)
//
// Every file FiberNode writes on a person's request (exports, saved receipts, a backup's
// `-o`) goes through `OutputPolicy`: resolve the name, check the destination, write a
// temporary file in the same folder and move it into place. Nobody else opens an output
// file for writing, so the rules below hold for every dialog and every `-o`.
//
// - never the database, its -wal/-shm/-journal, a backup (a SQLite file or a FiberNode
//   encrypted backup, or any file in the backup folder) or a directory — even with force;
// - never through a symlink: the last component is checked with lstat and the temporary
//   file is created with O_EXCL|O_NOFOLLOW; the folder is resolved with realpath so a
//   symlinked folder cannot hide the database under another name (files are compared by
//   device and inode too);
// - an existing file only with `force` (the TUI asks first, the CLI wants `--force`);
// - files are created 0600 whatever the umask (they hold phone numbers and NIK);
// - a mitra writes only into its own folder `<data dir>/exports/<username>/` (0700): it
//   may type a file name, never a path that leaves it.

/// Why a file was not written. Nothing was written in every case.
public enum OutputError: Error, Equatable, Sendable {
    /// No file name given.
    case emptyName
    /// A name with control characters or one that names no file (".", "..").
    case invalidName(String)
    /// A mitra's name that leaves its export folder.
    case outsideFolder(folder: String)
    /// The name's extension does not fit the chosen format.
    case wrongExtension(expected: String)
    /// The folder does not exist (or is not a folder).
    case noFolder(String)
    /// The path is a directory.
    case isDirectory(String)
    /// The path (or the folder chain of a mitra's export folder) is a symbolic link.
    case isSymlink(String)
    /// The database, its side files or a backup: never replaced.
    case isProtected(String)
    /// Not a regular file (a device, a FIFO, a socket).
    case notRegularFile(String)
    /// The file exists and replacing it was not confirmed (`--force`).
    case exists(String)
    /// The operating system refused.
    case io(String)
}

/// Where files may be written for one user, and how. Made by `AppDatabase.outputPolicy(for:)`.
public struct OutputPolicy: Sendable {
    /// The user's own export folder, `<data dir>/exports/<username>` (absolute).
    public let exportFolder: String
    /// True for a mitra: only a name inside `exportFolder`.
    public let restricted: Bool
    /// The database file (its -wal/-shm/-journal are protected with it).
    public let databasePath: String?
    /// The folder backups go to by default; nothing in it is ever replaced.
    public let backupFolder: String?

    public init(exportFolder: String, restricted: Bool, databasePath: String?, backupFolder: String?) {
        self.exportFolder = exportFolder; self.restricted = restricted
        self.databasePath = databasePath; self.backupFolder = backupFolder
    }

    /// A policy with no database and no restriction (the checks on the file itself still apply).
    public static func unrestricted(folder: String = ".") -> OutputPolicy {
        OutputPolicy(exportFolder: folder, restricted: false, databasePath: nil, backupFolder: nil)
    }

    // MARK: - Names

    /// Resolves what the user typed into an absolute path and checks it, before anything is
    /// written. `base` is where a relative name lands for an unrestricted user (the CLI: the
    /// working directory; the TUI: the export folder); a mitra's names always land in its
    /// folder. `extensions` (lower case, no dot) must contain the name's extension when not
    /// empty. Throws `.exists` when the file is there and `force` is false, so a dialog can
    /// ask and try again with force.
    public func resolve(_ requested: String, base: String? = nil, extensions: [String] = [], force: Bool = false) throws -> String {
        let name = requested.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw OutputError.emptyName }
        guard !name.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            throw OutputError.invalidName(Self.printable(name))
        }
        let last = (name as NSString).lastPathComponent
        guard !name.hasSuffix("/"), last != ".", last != "..", !last.isEmpty else { throw OutputError.invalidName(name) }
        let absolute: String
        if restricted {
            try ensureExportFolder()
            if name.hasPrefix("/") || name.hasPrefix("~") { absolute = name } else {
                absolute = (exportFolder as NSString).appendingPathComponent(name)
            }
            let standard = Self.normalize(absolute)
            guard (standard as NSString).deletingLastPathComponent == Self.normalize(exportFolder) else {
                throw OutputError.outsideFolder(folder: exportFolder)
            }
        } else {
            var n = name
            if n.hasPrefix("~") { n = (n as NSString).expandingTildeInPath }
            if n.hasPrefix("/") { absolute = n } else {
                let b = base ?? exportFolder
                if b == exportFolder { try ensureExportFolder() }
                absolute = (b as NSString).appendingPathComponent(n)
            }
        }
        let final = try canonical(absolute)
        // The clearest reason first: where (above), what is there (database, link, folder),
        // then the extension, then whether replacing was confirmed.
        try check(final, force: true)
        if !extensions.isEmpty {
            let ext = Self.fileExtension(last)
            guard extensions.contains(ext) else { throw OutputError.wrongExtension(expected: "." + extensions[0]) }
        }
        try check(final, force: force)
        return final
    }

    /// The extension of a file name, lower case ("" when none).
    static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    /// The name with its extension replaced (used by dialogs when the format changes).
    public static func replacingExtension(of name: String, with ext: String) -> String {
        let dir = (name as NSString).deletingLastPathComponent
        let last = (name as NSString).lastPathComponent
        let stem: String
        if let dot = last.lastIndex(of: "."), dot != last.startIndex { stem = String(last[..<dot]) } else { stem = last }
        let renamed = stem + "." + ext
        return dir.isEmpty ? renamed : (dir as NSString).appendingPathComponent(renamed)
    }

    /// "." and ".." and repeated slashes removed lexically — never following a symlink
    /// (NSString.standardizingPath resolves links, which would hide a symlink's name).
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for p in path.split(separator: "/", omittingEmptySubsequences: true) {
            if p == "." { continue }
            if p == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(p)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func printable(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "?" : $0 }))
    }

    /// Creates `<data dir>/exports/<username>` with mode 0700, refusing a symlink anywhere in
    /// the two folders FiberNode creates.
    public func ensureExportFolder() throws {
        let parent = (exportFolder as NSString).deletingLastPathComponent
        let data = (parent as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: data) {
            try? FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        for dir in [parent, exportFolder] {
            var st = stat()
            if lstat(dir, &st) == 0 {
                if (st.st_mode & S_IFMT) == S_IFLNK { throw OutputError.isSymlink(dir) }
                guard (st.st_mode & S_IFMT) == S_IFDIR else { throw OutputError.noFolder(dir) }
            } else {
                guard mkdir(dir, 0o700) == 0 || errno == EEXIST else { throw OutputError.io("\(dir): \(String(cString: strerror(errno)))") }
                chmod(dir, 0o700)
            }
        }
    }

    /// The folder resolved with realpath (so "/a/link/../db" and symlinked folders name the
    /// real place) joined with the last component.
    func canonical(_ absolute: String) throws -> String {
        let standard = Self.normalize(absolute)
        let dir = (standard as NSString).deletingLastPathComponent
        let last = (standard as NSString).lastPathComponent
        guard let real = realpath(dir.isEmpty ? "/" : dir, nil) else { throw OutputError.noFolder(dir) }
        defer { free(real) }
        let realDir = String(cString: real)
        var st = stat()
        guard stat(realDir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { throw OutputError.noFolder(dir) }
        if restricted {
            guard let folder = realpath(exportFolder, nil) else { throw OutputError.noFolder(exportFolder) }
            defer { free(folder) }
            guard realDir == String(cString: folder) else { throw OutputError.outsideFolder(folder: exportFolder) }
        }
        return (realDir as NSString).appendingPathComponent(last)
    }

    // MARK: - The checks

    /// The rules on the destination itself. `.exists` only when everything else allows
    /// replacing it and `force` is false.
    public func check(_ path: String, force: Bool) throws {
        if isProtectedName(path) { throw OutputError.isProtected(path) }
        var st = stat()
        guard lstat(path, &st) == 0 else {
            if errno == ENOENT { return }
            throw OutputError.io("\(path): \(String(cString: strerror(errno)))")
        }
        switch st.st_mode & S_IFMT {
        case S_IFLNK: throw OutputError.isSymlink(path)
        case S_IFDIR: throw OutputError.isDirectory(path)
        case S_IFREG: break
        default: throw OutputError.notRegularFile(path)
        }
        if isProtectedFile(path, st) { throw OutputError.isProtected(path) }
        if !force { throw OutputError.exists(path) }
    }

    /// The database's own names (whether the side files exist or not: a file named
    /// `<db>-wal` would be read by SQLite as the database's log).
    func isProtectedName(_ path: String) -> Bool {
        guard let db = databasePath else { return false }
        let names = Self.variants(of: db)
        return names.contains { n in ["", "-wal", "-shm", "-journal"].contains { n + $0 == path } }
    }

    /// The database path as given, standardized and resolved.
    static func variants(of path: String) -> [String] {
        var out = [path, normalize(path)]
        let dir = (path as NSString).deletingLastPathComponent
        if let r = realpath(dir.isEmpty ? "." : dir, nil) {
            out.append((String(cString: r) as NSString).appendingPathComponent((path as NSString).lastPathComponent))
            free(r)
        }
        if let r = realpath(path, nil) { out.append(String(cString: r)); free(r) }
        return out
    }

    /// The same file as the database or one of its side files (device and inode), a file in
    /// the backup folder, or a file that is a SQLite database or a FiberNode encrypted backup.
    func isProtectedFile(_ path: String, _ st: stat) -> Bool {
        if let db = databasePath {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                var d = stat()
                if stat(db + suffix, &d) == 0, d.st_dev == st.st_dev, d.st_ino == st.st_ino { return true }
            }
        }
        if let folder = backupFolder, let r = realpath(folder, nil) {
            let real = String(cString: r); free(r)
            if (path as NSString).deletingLastPathComponent == real { return true }
        }
        // The first bytes, read without following a link and without blocking on a FIFO.
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return true }   // cannot even read it: do not replace it
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 16)
        let n = read(fd, &head, 16)
        if n >= 16, Array(head) == Array("SQLite format 3\0".utf8) { return true }
        // A WAL file (magic 0x377f0682/3) or a WAL index (version 3007000, native order).
        if n >= 4, head[0] == 0x37, head[1] == 0x7F, head[2] == 0x06, head[3] & 0xFE == 0x82 { return true }
        if n >= 4, Array(head.prefix(4)) == [0x18, 0xE2, 0x2D, 0x00] || Array(head.prefix(4)) == [0x00, 0x2D, 0xE2, 0x18] { return true }
        if n >= 8, BackupCrypto.isEncrypted(prefix: Data(head.prefix(8))) { return true }
        return false
    }

    // MARK: - Writing

    /// Checks `path` (absolute, from `resolve`) again and creates a temporary file, mode
    /// 0600, next to it. Write to `StagedFile.handle` (or its `tempPath`), then `commit()`.
    public func stage(_ path: String, force: Bool) throws -> StagedFile {
        let final = try canonical(path.hasPrefix("/") ? path
                                  : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path))
        try check(final, force: force)
        let dir = (final as NSString).deletingLastPathComponent
        let last = (final as NSString).lastPathComponent
        var attempt = 0
        while true {
            attempt += 1
            let tmp = (dir as NSString).appendingPathComponent(".\(last).\(getpid())-\(attempt).part")
            let fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 {
                fchmod(fd, 0o600)
                return StagedFile(policy: self, finalPath: final, tempPath: tmp, fd: fd, force: force)
            }
            guard errno == EEXIST, attempt < 100 else { throw OutputError.io("\(dir): \(String(cString: strerror(errno)))") }
        }
    }

    /// Writes `data` to `path` under the policy in one step (a saved receipt).
    public func write(_ data: Data, to path: String, force: Bool) throws {
        let staged = try stage(path, force: force)
        do {
            try staged.handle.write(contentsOf: data)
            try staged.commit()
        } catch {
            staged.abandon()
            if let e = error as? OutputError { throw e }
            throw OutputError.io(error.localizedDescription)
        }
    }
}

/// A temporary file next to its destination; `commit()` moves it into place.
public final class StagedFile {
    public let finalPath: String
    public let tempPath: String
    public let handle: FileHandle
    let policy: OutputPolicy
    let force: Bool
    var done = false

    init(policy: OutputPolicy, finalPath: String, tempPath: String, fd: Int32, force: Bool) {
        self.policy = policy; self.finalPath = finalPath; self.tempPath = tempPath; self.force = force
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// Syncs and closes the temporary file, checks the destination again and moves the file
    /// into place: without force by a hard link (fails if a file appeared meanwhile), with
    /// force by rename (which replaces the name, never writes through it).
    public func commit() throws {
        guard !done else { return }
        done = true
        try? handle.synchronize()
        try? handle.close()
        // A writer (libxlsxwriter) may have recreated the file with its own mode.
        chmod(tempPath, 0o600)
        do { try policy.check(finalPath, force: force) } catch { unlink(tempPath); throw error }
        if force {
            guard rename(tempPath, finalPath) == 0 else {
                let e = String(cString: strerror(errno)); unlink(tempPath); throw OutputError.io("\(finalPath): \(e)")
            }
        } else if link(tempPath, finalPath) == 0 {
            unlink(tempPath)
        } else if errno == EEXIST {
            unlink(tempPath); throw OutputError.exists(finalPath)
        } else {
            // A file system without hard links: the check above just passed.
            guard rename(tempPath, finalPath) == 0 else {
                let e = String(cString: strerror(errno)); unlink(tempPath); throw OutputError.io("\(finalPath): \(e)")
            }
        }
        let dir = open((finalPath as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
        if dir >= 0 { fsync(dir); close(dir) }
    }

    /// Drops the temporary file.
    public func abandon() {
        guard !done else { return }
        done = true
        try? handle.close()
        unlink(tempPath)
    }

    deinit { if !done { abandon() } }
}

extension AppDatabase {
    /// The folder of the database file (a mitra's exports live under it).
    public var dataDirectory: String {
        if let path { return (Self.absolutePath(path) as NSString).deletingLastPathComponent }
        return (FileManager.default.temporaryDirectory.path as NSString).appendingPathComponent("fibernode-memory-\(getpid())")
    }

    static func absolutePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }

    /// The output policy for this user: a mitra only in `<data dir>/exports/<username>`.
    public func outputPolicy(for actor: Actor) -> OutputPolicy {
        let folder = ((dataDirectory as NSString).appendingPathComponent("exports") as NSString)
            .appendingPathComponent(actor.username.replacingOccurrences(of: "/", with: "_"))
        let backups = (try? settings()).flatMap { try? backupDirectory($0) }
        return OutputPolicy(exportFolder: folder, restricted: actor.role != .superadmin,
                            databasePath: path.map(Self.absolutePath), backupFolder: backups)
    }
}
