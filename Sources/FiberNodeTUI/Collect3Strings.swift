import Foundation
import FiberNodeDomain

// Words for stored codes on screens (issue 13 item 5, collect3): never the raw status.
extension Strings {
    /// A WhatsApp queue status in words ("terkirim", not "sent" on an Indonesian screen).
    public func queueStatusName(_ status: String) -> String {
        switch status {
        case "pending": return self[.qPending]
        case "held": return self[.qHeld]
        case "sending": return self[.qSending]
        case "sent": return self[.qSent]
        case "failed": return self[.qFailed]
        case "cancelled": return self[.qCancelled]
        default: return status
        }
    }

    /// "2026-03-01" → "1 Mar 2026" in this language (the raw text when it is not a date).
    public func date(_ iso: String) -> String {
        LocalDate(iso)?.display(language: language == .en ? "en" : "id") ?? iso
    }

    /// "2026-04" → "April 2026" in this language.
    public func period(_ p: String) -> String {
        Period(p)?.displayName(language: language == .en ? "en" : "id") ?? p
    }

    /// The audit action in words ("Pembayaran dicatat", not invoice.pay); an unknown code as is.
    public func actionName(_ code: String) -> String {
        switch code {
        case "backup.create": return self[.actBackupCreate]
        case "backup.prune": return self[.actBackupPrune]
        case "backup.restore": return self[.actBackupRestore]
        case "customer.activate": return self[.actCustomerActivate]
        case "customer.create": return self[.actCustomerCreate]
        case "customer.deactivate": return self[.actCustomerDeactivate]
        case "customer.delete": return self[.actCustomerDelete]
        case "customer.import": return self[.actCustomerImport]
        case "customer.isolate": return self[.actCustomerIsolate]
        case "customer.promise": return self[.actCustomerPromise]
        case "customer.restore": return self[.actCustomerRestore]
        case "customer.set_service": return self[.actCustomerSetService]
        case "customer.unisolate": return self[.actCustomerUnisolate]
        case "customer.update": return self[.actCustomerUpdate]
        case "download.take": return self[.actDownloadTake]
        case "invoice.generate": return self[.actInvoiceGenerate]
        case "invoice.pay": return self[.actInvoicePay]
        case "invoice.unpay": return self[.actInvoiceUnpay]
        case "package.activate": return self[.actPackageActivate]
        case "package.create": return self[.actPackageCreate]
        case "package.deactivate": return self[.actPackageDeactivate]
        case "package.delete": return self[.actPackageDelete]
        case "package.update": return self[.actPackageUpdate]
        case "payment.void": return self[.actPaymentVoid]
        case "profile.password": return self[.actProfilePassword]
        case "profile.update": return self[.actProfileUpdate]
        case "router.action_done": return self[.actRouterActionDone]
        case "router.create": return self[.actRouterCreate]
        case "router.delete": return self[.actRouterDelete]
        case "router.reconcile": return self[.actRouterReconcile]
        case "router.update": return self[.actRouterUpdate]
        case "settings.update": return self[.actSettingsUpdate]
        case "system.demo": return self[.actSystemDemo]
        case "system.demo_history": return self[.actSystemDemoHistory]
        case "system.init": return self[.actSystemInit]
        case "user.activate": return self[.actUserActivate]
        case "user.create": return self[.actUserCreate]
        case "user.deactivate": return self[.actUserDeactivate]
        case "user.delete": return self[.actUserDelete]
        case "user.restore": return self[.actUserRestore]
        case "user.unlock": return self[.actUserUnlock]
        case "user.update": return self[.actUserUpdate]
        case "user.update+password": return self[.actUserUpdatePassword]
        case "wa.connect": return self[.actWaConnect]
        case "wa.disconnect": return self[.actWaDisconnect]
        case "wa.enqueue_bulk": return self[.actWaEnqueueBulk]
        case "wa.enqueue_reminders": return self[.actWaEnqueueReminders]
        case "wa.opt_in": return self[.actWaOptIn]
        case "wa.opt_out": return self[.actWaOptOut]
        default: return code
        }
    }
}
