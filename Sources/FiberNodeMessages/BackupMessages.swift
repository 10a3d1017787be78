import Foundation
import FiberNodeStrings
import FiberNodeStore

extension Strings {
    /// One sentence for a backup failure.
    public func describe(_ p: BackupProblem) -> String {
        switch p {
        case .wrongPassphrase: return self[.errBackupWrongPassphrase]
        case .passphraseRequired: return self[.errBackupPassphraseRequired]
        case .truncated(let path): return f(.errBackupTruncated, path)
        case .foreign(let path): return f(.errBackupForeign, path)
        case .integrity(let detail): return f(.errBackupIntegrity, detail)
        case .inUse(let pids): return f(.errBackupInUse, pids.map(String.init).joined(separator: ", "))
        case .fileExists(let path): return f(.errBackupFileExists, path)
        case .unreadable(let path): return f(.errBackupUnreadable, path)
        case .noFile: return self[.errBackupNoFile]
        }
    }

    /// The name of a backup kind in this language.
    public func backupKind(_ k: BackupKind) -> String {
        switch k {
        case .manual: return self[.bkKindManual]
        case .scheduled: return self[.bkKindScheduled]
        case .preRestore: return self[.bkKindPreRestore]
        }
    }

    /// "1,2 MB", "640 KB", "512 B".
    public static func byteSize(_ n: Int64) -> String {
        if n >= 1_048_576 { return String(format: "%.1f MB", Double(n) / 1_048_576) }
        if n >= 1024 { return "\(n / 1024) KB" }
        return "\(n) B"
    }
}
