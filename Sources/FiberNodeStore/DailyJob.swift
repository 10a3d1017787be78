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
    }

    /// Runs as the system (the first superadmin) for `businessDate`.
    public static func run(db: AppDatabase, businessDate: LocalDate, context: StoreContext) throws -> Result {
        guard let job = BillingCalendar.dailyJob(for: businessDate) else {
            return Result(created: 0, skipped: 0, queued: try db.enqueueReminders(businessDate: businessDate, context: context))
        }
        guard let system = try db.read({ d in
            try UserRecord.fetchOne(d, sql: "SELECT * FROM users WHERE role = 'superadmin' AND deleted_at IS NULL ORDER BY created_at LIMIT 1")
        }) else { throw StoreError.notFound(what: "superadmin") }
        let r = try db.generateInvoices(period: job.period, billingDay: job.billingDay.day, actor: system.actor, context: context)
        // Then the reminders of the invoices now falling due (exactly once per invoice and stage).
        let queued = try db.enqueueReminders(businessDate: businessDate, context: context)
        return Result(created: r.created, skipped: r.skipped, billingDay: job.billingDay.day, period: job.period.description, queued: queued)
    }
}
