import Foundation
import FiberNodeStrings
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
        case .invalid(_, .phone(let p)):   // "Nomor telepon tidak valid (…)": the reason names the field
            let text = f(.errPhone, describe(p))
            return text.prefix(1).uppercased() + text.dropFirst()
        case .invalid(let field, let reason): return f(.errInvalidField, fieldName(field), describe(reason))
        case .loginFailed: return self[.errLoginFailed]
        case .locked(let until): return f(.errLocked, clockTime(until, timeZone))
        case .notPermitted: return self[.errNotPermitted]
        case .notFound(let what): return notFoundSentence(what)
        case .changedByOther: return self[.errChangedByOther]
        case .alreadyExists(let what): return alreadyExistsSentence(what)
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

    /// A percentage with one decimal in the user's language ("34,7" / "34.7").
    public func percent(_ value: Double) -> String {
        let p = String(format: "%.1f", value)
        return language == .id ? p.replacingOccurrences(of: ".", with: ",") : p
    }

    /// A WhatsApp session state (connected / connecting / disconnected).
    public func sessionStateName(_ state: String) -> String {
        name(ConnectionState(rawValue: state) ?? .disconnected)
    }

    /// An invoice status stored as text, in words (prefer `name(_: InvoiceStatus)`).
    public func statusName(_ status: String) -> String {
        name(InvoiceStatus(rawValue: status) ?? .unpaid)
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

    public func clockTime(_ date: Date, _ tz: TimeZone) -> String {
        let f = DateFormatter()
        f.timeZone = tz
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "HH:mm"
        return f.string(from: date)
    }
}

// Words on screen (issue 13 §5): statuses by their display name, audit actions in words,
// field names and "not found / already exists" as whole sentences, counts with thousands
// separators, dates in the user's language. Everything here only formats: the words are in
// the strings table.

extension Strings {
    // MARK: statuses

    public func name(_ v: CustomerStatus) -> String {
        switch v {
        case .active: return self[.stActive]
        case .isolated: return self[.stIsolated]
        case .inactive: return self[.stInactive]
        }
    }

    public func name(_ v: InvoiceStatus) -> String {
        switch v {
        case .unpaid: return self[.stUnpaid]
        case .partial: return self[.stPartial]
        case .paid: return self[.stPaid]
        }
    }

    public func name(_ v: QueueStatus) -> String {
        switch v {
        case .pending: return self[.stqPending]
        case .held: return self[.stqHeld]
        case .sending: return self[.stqSending]
        case .sent: return self[.stqSent]
        case .failed: return self[.stqFailed]
        case .cancelled: return self[.stqCancelled]
        }
    }

    public func name(_ v: DeliveryStatus) -> String {
        switch v {
        case .sent: return self[.stdSent]
        case .delivered: return self[.stdDelivered]
        case .read: return self[.stdRead]
        case .failed: return self[.stdFailed]
        }
    }

    public func name(_ v: ConnectionState) -> String {
        switch v {
        case .connected: return self[.sessConnected]
        case .connecting: return self[.sessConnecting]
        case .disconnected: return self[.sessDisconnected]
        }
    }

    public func name(_ v: SessionState) -> String {
        switch v {
        case .stopped: return self[.ssStopped]
        case .starting: return self[.ssStarting]
        case .scanQR: return self[.ssScanQR]
        case .working: return self[.ssWorking]
        case .failed: return self[.ssFailed]
        }
    }

    public func name(_ v: RouterActionStatus) -> String {
        switch v {
        case .pending: return self[.sraPending]
        case .done: return self[.sraDone]
        case .superseded: return self[.sraSuperseded]
        }
    }

    public func name(_ v: RouterActionKind) -> String {
        switch v {
        case .isolate: return self[.rtActionIsolate]
        case .restore: return self[.rtActionRestore]
        }
    }

    // MARK: audit

    /// An audit action in words ("Pembayaran dicatat"); an unknown code in a generic sentence.
    public func auditAction(_ code: String) -> String {
        guard let a = AuditAction(rawValue: code) else { return f(.auOther, code) }
        return self[Self.auditWords[a]!]
    }

    static let auditWords: [AuditAction: S] = [
        .backupCreate: .auBackupCreate, .backupPrune: .auBackupPrune, .backupRestore: .auBackupRestore,
        .customerCreate: .auCustomerCreate, .customerImport: .auCustomerImport, .customerPromise: .auCustomerPromise,
        .customerSetService: .auCustomerSetService, .customerUpdate: .auCustomerUpdate,
        .customerIsolate: .auCustomerIsolate, .customerUnisolate: .auCustomerUnisolate,
        .customerDeactivate: .auCustomerDeactivate, .customerActivate: .auCustomerActivate,
        .customerDelete: .auCustomerDelete, .customerRestore: .auCustomerRestore,
        .downloadLinkCreate: .auDownloadLinkCreate, .downloadTake: .auDownloadTake,
        .invoiceGenerate: .auInvoiceGenerate, .invoicePay: .auInvoicePay, .invoiceUnpay: .auInvoiceUnpay, .paymentVoid: .auPaymentVoid,
        .packageCreate: .auPackageCreate, .packageUpdate: .auPackageUpdate, .packageDelete: .auPackageDelete,
        .packageActivate: .auPackageActivate, .packageDeactivate: .auPackageDeactivate,
        .profilePassword: .auProfilePassword, .profileUpdate: .auProfileUpdate,
        .routerActionDone: .auRouterActionDone, .routerCreate: .auRouterCreate, .routerDelete: .auRouterDelete,
        .routerReconcile: .auRouterReconcile, .routerUpdate: .auRouterUpdate, .settingsUpdate: .auSettingsUpdate,
        .systemDemo: .auSystemDemo, .systemDemoHistory: .auSystemDemoHistory, .systemInit: .auSystemInit,
        .userCreate: .auUserCreate, .userUpdate: .auUserUpdate, .userUpdatePassword: .auUserUpdatePassword,
        .userDelete: .auUserDelete, .userRestore: .auUserRestore, .userActivate: .auUserActivate, .userDeactivate: .auUserDeactivate,
        .userUnlock: .auUserUnlock, .waBreakerPause: .auWaBreakerPause, .waBreakerResume: .auWaBreakerResume,
        .waConnect: .auWaConnect, .waDisconnect: .auWaDisconnect, .waEnqueueBulk: .auWaEnqueueBulk,
        .waEnqueueReminders: .auWaEnqueueReminders, .waGatewayUpdate: .auWaGatewayUpdate,
        .waQueueCancel: .auWaQueueCancel, .waQueueRetry: .auWaQueueRetry, .waOptOut: .auWaOptOut, .waOptIn: .auWaOptIn,
        .deviceRegister: .auDeviceRegister, .deviceRevoke: .auDeviceRevoke,
        .syncApply: .auSyncApply, .syncReject: .auSyncReject, .syncSettle: .auSyncSettle,
    ]

    /// The kind of an audited resource in words ("Pelanggan"), nil for none.
    public func auditResource(_ table: String?) -> String? {
        guard let table else { return nil }
        let map: [String: S] = ["customers": .resCustomer, "invoices": .resInvoice, "packages": .resPackage, "payments": .resPayment,
                                "router_actions": .resRouterAction, "routers": .resRouter, "settings": .resSettings, "users": .resUser,
                                "wa_message_queue": .resQueue, "wa_sessions": .resSession, "backups": .resBackup,
                                "download_link": .resDownloadLink, "sync_devices": .resDevice, "sync_conflicts": .resConflict]
        return map[table].map { self[$0] } ?? self[.resSystem]
    }

    // MARK: errors

    /// A store field's name in this language ("phone" → "Nomor HP"); a name already in words
    /// (a form label) or a command-line option is kept.
    public func fieldName(_ field: String) -> String {
        let map: [String: S] = [
            "name": .fldName, "password": .fldPassword, "note": .fldNote, "username": .fldUsername, "url": .fldUrl,
            "status": .fldStatus, "price": .fldPrice, "owner": .fldOwner, "discount": .fldDiscount, "csv": .fldCsv,
            "billing_date": .fldBillingDate, "to": .fldTo, "from": .fldFrom, "speed": .fldSpeed, "reason": .fldReason,
            "package": .fldPackage, "business_name": .fldBusinessName, "business": .fldBusinessName,
            "bank_account": .fldBankAccount, "amount": .fldAmount, "until": .fldUntil, "template": .fldTemplate,
            "session": .fldSession, "register_date": .fldRegisterDate, "reference": .fldReference, "phone": .fldPhone,
            "path": .fldPath, "nik": .fldNik, "ip": .fldIp, "history": .fldHistory, "header": .fldHeader,
            "gateway": .fldGateway, "fingerprint": .fldFingerprint, "file_name": .fldFileName, "bank_name": .fldBankName,
            "bank_holder": .fldBankHolder, "api_key": .fldApiKey, "address": .fldAddress,
        ]
        return map[field].map { self[$0] } ?? field
    }

    /// "Pelanggan tidak ditemukan." from the store's `notFound(what:)` ("customer", "invoice INV-…").
    func notFoundSentence(_ what: String) -> String {
        let nouns: [String: S] = ["customer": .nounCustomer, "invoice": .nounInvoice, "message": .nounMessage, "mitra": .nounMitra,
                                  "owner": .nounOwner, "package": .nounPackage, "payment": .nounPayment, "router": .nounRouter,
                                  "superadmin": .nounSuperadmin, "user": .nounUser]
        let head = what.split(separator: " ", maxSplits: 1).map(String.init)
        guard let first = head.first, let noun = nouns[first] else { return self[.errNotFoundGeneric] }
        // A payment or message is named by its UUID: the sentence leaves it out.
        let rest = head.count > 1 && first != "payment" && first != "message" ? " " + head[1] : ""
        return f(.errNotFoundThing, self[noun] + rest)
    }

    /// A whole sentence for the store's `alreadyExists(what:)`.
    func alreadyExistsSentence(_ what: String) -> String {
        func after(_ prefix: String) -> String? { what.hasPrefix(prefix) ? String(what.dropFirst(prefix.count)) : nil }
        if let n = after("payment of ") { return f(.exPaidInFull, n) }
        if let n = after("unpaid ") { return f(.exAlreadyUnpaid, n) }
        if what.hasPrefix("void of payment") { return self[.exAlreadyVoided] }
        if what == "WhatsApp connect" { return self[.exConnectBusy] }
        if let p = after("phone ") { return f(.exPhoneTaken, p) }
        if let u = after("username ") { return f(.exUsernameTaken, u) }
        if what == "username" { return f(.exUsernameTaken, "").replacingOccurrences(of: "  ", with: " ") }
        if let b = after("business name ") { return f(.exBusinessTaken, b) }
        if what == "business_name" { return f(.exBusinessTaken, "").replacingOccurrences(of: "  ", with: " ") }
        if let p = after("package ") { return f(.exPackageTaken, p) }
        if let r = after("router ") { return f(.exRouterTaken, r) }
        if what.hasPrefix("IP ") || what.hasPrefix("PPPoE ") { return f(.exServiceTaken, what) }
        return f(.exGeneric, what)
    }

    // MARK: dates

    /// "1 Nov 2026" from "2026-11-01" (anything else unchanged).
    public func date(_ iso: String) -> String {
        LocalDate(iso).map { $0.display(language: language.rawValue) } ?? iso
    }

    /// "Nov 2026" from "2026-11" (anything else unchanged).
    public func period(_ iso: String) -> String {
        Period(iso).map { $0.shortName(language: language.rawValue) } ?? iso
    }
}
