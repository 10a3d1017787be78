import Foundation
import FiberNodeStore
import FiberNodeDomain
import FiberNodeWhatsApp

extension Strings {
    /// One clear sentence for any error, in this language.
    public func message(for error: Error, timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!) -> String {
        if let g = error as? GatewayError { return describe(g) }
        if let o = error as? OutputError { return describe(o) }
        guard let e = error as? StoreError else { return f(.errStorage, String(describing: error)) }
        switch e {
        case .invalid(let field, let reason): return f(.errInvalid, field, describe(reason))
        case .loginFailed: return self[.errLoginFailed]
        case .locked(let until): return f(.errLocked, clockTime(until, timeZone))
        case .notPermitted: return self[.errNotPermitted]
        case .notFound(let what): return f(.errNotFound, what)
        case .changedByOther: return self[.errChangedByOther]
        case .alreadyExists(let what): return f(.errAlreadyExists, what)
        case .inUse(let what, let count): return f(.errInUse, what, count)
        case .schemaTooNew(let found, let supported): return f(.errSchemaTooNew, found, supported)
        case .notADatabase(let path): return f(.errNotADatabase, path)
        case .databaseExists(let path): return f(.errDatabaseExists, path)
        case .databaseMissing(let path): return f(.errDatabaseMissing, path)
        case .storage(let detail): return f(.errStorage, detail)
        case .backup(let problem): return describe(problem)
        }
    }

    public func describe(_ reason: InvalidReason) -> String {
        switch reason {
        case .required: return self[.errRequired]
        case .tooLong(let max): return f(.errTooLong, max)
        case .notANumber: return self[.errNotANumber]
        case .outOfRange(let lo, let hi): return f(.errOutOfRange, lo, hi)
        case .notOneOf(let options): return f(.errNotOneOf, options.joined(separator: ", "))
        case .badFormat(let example): return f(.errBadFormat, example)
        case .phone(let e): return f(.errPhone, describe(e))
        case .passwordTooWeak: return self[.errPasswordWeak]
        case .passwordsDiffer: return self[.errPasswordsDiffer]
        case .wrongPassword: return self[.errWrongPassword]
        case .unknownKey: return self[.errUnknownKey]
        case .other(let s): return s
        case .controlCharacters: return self[.errControlChars]
        }
    }

    public func describe(_ e: PhoneError) -> String {
        switch e {
        case .empty: return self[.phEmpty]
        case .invalidCharacter(let c): return f(.phChar, String(c))
        case .badPrefix: return self[.phPrefix]
        case .tooShort(let n): return f(.phShort, n)
        case .tooLong(let n): return f(.phLong, n)
        }
    }

    public func describe(_ p: ImportProblem) -> String {
        func rp(_ n: Int) -> String { Rupiah(n).formatted }
        switch p {
        case .columnCount(let found, let expected): return f(.impColumns, found, expected)
        case .missingName: return self[.impName]
        case .phone(let e): return f(.errPhone, describe(e))
        case .phoneRepeated(let line): return f(.impPhoneRepeated, line)
        case .phoneExists: return self[.impPhoneExists]
        case .unknownArea(let a): return f(.impArea, a)
        case .unknownPackage(let p): return f(.impPackage, p)
        case .notANumber(let field): return f(.impNotANumber, field)
        case .priceMismatch(let given, let actual): return f(.impPrice, rp(given), rp(actual))
        case .totalMismatch(let given, let expected): return f(.impTotal, rp(given), rp(expected))
        case .discountOutOfRange(let d, let price): return f(.impDiscount, rp(d), rp(price))
        case .billingDay(let v): return f(.impBillingDay, v)
        case .nik: return self[.impNik]
        case .registerDate(let v): return f(.impRegisterDate, v)
        case .controlCharacters(let field): return field + ": " + self[.errControlChars]
        case .unknownRouter(let v): return f(.rtCsvRouterUnknown, v)
        case .serviceTarget(let v): return f(.rtCsvTarget, v)
        case .phoneShared(let line): return line.map { f(.impPhoneSharedLine, $0) } ?? self[.impPhoneShared]
        }
    }

    /// unpaid / paid / partial in this language.
    /// A percentage with one decimal in the user's language ("34,7" / "34.7").
    public func percent(_ value: Double) -> String {
        let p = String(format: "%.1f", value)
        return language == .id ? p.replacingOccurrences(of: ".", with: ",") : p
    }

    /// A WhatsApp session state (connected / connecting / disconnected).
    public func sessionStateName(_ state: String) -> String {
        switch state {
        case "connected": return self[.sessConnected]
        case "connecting": return self[.sessConnecting]
        default: return self[.sessDisconnected]
        }
    }

    public func statusName(_ status: String) -> String {
        switch status {
        case "paid": return self[.stPaid]
        case "partial": return self[.stPartial]
        default: return self[.stUnpaid]
        }
    }

    /// A payment method's name in this language.
    public func methodName(_ m: String) -> String {
        switch m {
        case "cash": return self[.mCash]
        case "transfer": return self[.mTransfer]
        case "qris": return self[.mQris]
        case "ewallet": return self[.mEwallet]
        default: return self[.mOther]
        }
    }

    func clockTime(_ date: Date, _ tz: TimeZone) -> String {
        let f = DateFormatter()
        f.timeZone = tz
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "HH:mm"
        return f.string(from: date)
    }
}
