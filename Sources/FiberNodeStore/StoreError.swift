import Foundation
import FiberNodeDomain

/// Every failure a use case can report; each maps to one message in the user's language
/// (see `StoreMessages`) and one CLI exit status.
public enum StoreError: Error, Equatable, Sendable {
    /// A field failed validation; nothing was written.
    case invalid(field: String, reason: InvalidReason)
    /// Wrong username or password, or the account is disabled. Never says which.
    case loginFailed
    /// Too many failed attempts; locked until the given instant.
    case locked(until: Date)
    /// The acting user's role or ownership does not allow this.
    case notPermitted
    /// The record does not exist (or is not visible to the actor).
    case notFound(what: String)
    /// Optimistic lock: someone changed the record after it was read.
    case changedByOther
    /// A unique value is already taken.
    case alreadyExists(what: String)
    /// The record is still referenced (e.g. a package used by N customers).
    case inUse(what: String, count: Int)
    /// The database was written by a newer FiberNode.
    case schemaTooNew(found: Int, supported: Int)
    /// The file is not a FiberNode database.
    case notADatabase(path: String)
    /// Creating a database that already exists.
    case databaseExists(path: String)
    /// No database at the path.
    case databaseMissing(path: String)
    /// Disk full or I/O failure while writing; the transaction was rolled back.
    case storage(String)
    /// A backup could not be made, verified or restored (see `BackupProblem`).
    case backup(BackupProblem)
}

/// Why a field value was refused.
public enum InvalidReason: Equatable, Sendable {
    case required
    case tooLong(max: Int)
    case notANumber
    case outOfRange(min: Int, max: Int)
    case notOneOf([String])
    case badFormat(expected: String)
    case phone(PhoneError)
    case passwordTooWeak
    case passwordsDiffer
    case wrongPassword
    case unknownKey
    case other(String)
    /// ESC, BEL, tab, line breaks, C1 controls or bidi overrides in a name or address (issue 12).
    case controlCharacters
}

extension StoreError {
    /// The CLI exit status of CLI.md for this error.
    public var exitCode: Int32 {
        switch self {
        case .invalid, .notFound, .databaseMissing, .notADatabase: return 2
        case .loginFailed, .locked, .notPermitted: return 3
        case .changedByOther, .alreadyExists, .inUse, .databaseExists: return 4
        case .schemaTooNew, .storage: return 1
        case .backup(let p): return p.exitCode
        }
    }
}
