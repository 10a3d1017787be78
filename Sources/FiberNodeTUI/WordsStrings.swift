import Foundation
import FiberNodeDomain
import FiberNodeStore

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
    ]

    /// The kind of an audited resource in words ("Pelanggan"), nil for none.
    public func auditResource(_ table: String?) -> String? {
        guard let table else { return nil }
        let map: [String: S] = ["customers": .resCustomer, "invoices": .resInvoice, "packages": .resPackage, "payments": .resPayment,
                                "router_actions": .resRouterAction, "routers": .resRouter, "settings": .resSettings, "users": .resUser,
                                "wa_message_queue": .resQueue, "wa_sessions": .resSession, "backups": .resBackup,
                                "download_link": .resDownloadLink]
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

    // MARK: counts and dates

    /// A count with thousands separators, like money ("10.000").
    public func count(_ n: Int) -> String { Rupiah(n).plain }

    /// `f` with every integer argument shown as a count ("%d" becomes "10.000"): for lines
    /// whose numbers are all counts (footers, dashboard, list totals).
    public func fc(_ key: S, _ args: CVarArg...) -> String { counted(key, args) }

    /// The lines whose integers are all counts: `f` groups them ("1.234 pelanggan"). Lines
    /// with a year, port, schema version or terminal size are not here.
    static let countKeys: Set<S> = [
        .waCounts, .waBulkPreview, .waQueued, .waCliWorker, .bkPruned, .auditFooter, .impSummary, .impDryRun,
        .impPreviewTitle, .impConfirmHint, .expDone, .custFooter, .custFooterCounting, .invGenerated, .jobDaily, .invFooter,
        .candidateLine, .finSummary, .finSummary1, .finUncollectedLine, .finExportDone, .expTooManyRows, .dashCustomersLine,
        .dashMitraLine, .dashInvoicesLine, .dashDueLine, .dashOverdueLine, .dashQueueLine, .dashSessionMany, .dashChartGrowth,
        .cliCollected, .finCollectedLine, .dashCollectedLine, .expPaymentsDone, .dashAutoTomorrow, .rtInSync, .rtReconcileApplied,
        .rtReconcileHint, .rtLinksSaved, .rtLinkHint, .rtPendingLine, .rtWorker, .rtDeleteConfirm, .rtReconcileApply, .rtMore,
        .rtLinkApply, .rtDashLine, .waOptedOutLine, .genPreview, .genPreviewCLI, .waBulkTicked, .errInUse, .impLine,
    ]

    func counted(_ key: S, _ args: [CVarArg]) -> String {
        let format = self[key].replacingOccurrences(of: #"%(\d+\$)?d"#, with: "%$1@", options: .regularExpression)
        let mapped: [CVarArg] = args.map { a in
            if let i = a as? Int { return count(i) as NSString }
            if let s = a as? String { return s as NSString }
            return a
        }
        return String(format: format, arguments: mapped)
    }

    /// "1 Nov 2026" from "2026-11-01" (anything else unchanged).
    public func date(_ iso: String) -> String {
        LocalDate(iso).map { $0.display(language: language.rawValue) } ?? iso
    }

    /// "Nov 2026" from "2026-11" (anything else unchanged).
    public func period(_ iso: String) -> String {
        Period(iso).map { $0.shortName(language: language.rawValue) } ?? iso
    }
}
