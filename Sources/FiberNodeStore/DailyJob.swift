import Foundation
import GRDB
import FiberNodeDomain

/// The daily H-1 job (spec "Scheduler"): customers billed tomorrow get next month's invoice.
/// Safe to run twice: generation is idempotent.
public enum DailyJob {
    public struct Result: Sendable, Equatable {
        public var created: Int
        public var skipped: Int
        public var billingDay: Int?
        public var period: String?
        /// WhatsApp reminders queued (issue 6).
        public var queued: Int = 0
        /// Customers isolated / restored by `isolation.auto` (issue 14), by code.
        public var isolated: [String] = []
        public var restored: [String] = []
    }

    /// Runs as the system (the first superadmin) for `businessDate`.
    public static func run(db: AppDatabase, businessDate: LocalDate, context: StoreContext) throws -> Result {
        // Early enough for the earliest reminder stage (issue 14): with `wa.reminder_days` 3,1,-1
        // the invoices of customers billed in 2 and 3 days are made now too (idempotent).
        let lead = max(1, (try db.settings().reminderDays.max()) ?? 1)
        var early = 0
        if lead > 1 {
            let system = try systemActor(db)
            for k in 2...lead {
                let day = businessDate.adding(days: k)
                guard let billing = BillingCalendar.customersBilledOn(day) else { continue }
                early += try db.generateInvoices(period: day.period.next, billingDay: billing.day, actor: system, context: context).created
            }
        }
        guard let job = BillingCalendar.dailyJob(for: businessDate) else {
            var r = Result(created: early, skipped: 0, queued: try db.enqueueReminders(businessDate: businessDate, context: context))
            let auto = try db.runAutoIsolation(businessDate: businessDate, actor: try systemActor(db), context: context)
            (r.isolated, r.restored) = (auto.isolated, auto.restored)
            return r
        }
        let system = try systemActor(db)
        var r = try db.generateInvoices(period: job.period, billingDay: job.billingDay.day, actor: system, context: context)
        r.created += early
        // Then the reminders of the invoices now falling due (exactly once per invoice and stage).
        let queued = try db.enqueueReminders(businessDate: businessDate, context: context)
        var result = Result(created: r.created, skipped: r.skipped, billingDay: job.billingDay.day, period: job.period.description, queued: queued)
        let auto = try db.runAutoIsolation(businessDate: businessDate, actor: system, context: context)
        (result.isolated, result.restored) = (auto.isolated, auto.restored)
        return result
    }

    /// After a payment: the customer's automatic isolation is lifted at once when nothing due
    /// on `today` is left unpaid (as the system; a mitra may not isolate or restore).
    @discardableResult
    public static func restoreAfterPayment(db: AppDatabase, customerId: String, today: LocalDate, context: StoreContext) throws -> Bool {
        !(try db.restorePaid(day: today, customerId: customerId, actor: try systemActor(db), context: context)).isEmpty
    }

    static func systemActor(_ db: AppDatabase) throws -> Actor {
        guard let system = try db.read({ d in
            try UserRecord.fetchOne(d, sql: "SELECT * FROM users WHERE role = 'superadmin' AND deleted_at IS NULL ORDER BY created_at LIMIT 1")
        }) else { throw StoreError.notFound(what: "superadmin") }
        return system.actor
    }
}
