import Foundation
import FiberNodeStrings
import FiberNodeStore

// Messages of issue 12 (hardening): the output policy.
extension Strings {
    /// One sentence for a refused output file (`OutputPolicy`). `cli` words the "exists"
    /// case for the command line (`--force`); the TUI asks instead.
    public func describe(_ e: OutputError, cli: Bool = false) -> String {
        switch e {
        case .emptyName: return self[.outEmpty]
        case .invalidName(let n): return f(.outInvalidName, n)
        case .outsideFolder(let folder): return f(.outOutside, folder)
        case .wrongExtension(let ext): return f(.outExtension, ext)
        case .noFolder(let d): return f(.outNoFolder, d)
        case .isDirectory(let p): return f(.outDirectory, p)
        case .isSymlink(let p): return f(.outSymlink, p)
        case .isProtected(let p): return f(.outProtected, p)
        case .notRegularFile(let p): return f(.outNotRegular, p)
        case .exists(let p): return f(cli ? .outExistsCLI : .outExists, p)
        case .io(let d): return f(.outIO, d)
        }
    }
}

extension OutputError {
    /// The command line's exit status: 4 for an existing file (conflict), 1 for the operating
    /// system, 2 for every other refusal (invalid input, nothing written).
    public var exitCode: Int32 {
        switch self {
        case .exists: return 4
        case .io: return 1
        default: return 2
        }
    }
}
