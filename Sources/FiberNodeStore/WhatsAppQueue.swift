import Foundation
import GRDB
import FiberNodeDomain

/// Who a bulk message goes to.
public enum BulkTarget: Sendable, Equatable {
    /// Customers with an unpaid or partial invoice.
    case allUnpaid
    /// Customers whose invoice falls due on this date and is not paid.
    case dueOn(LocalDate)
    /// Every active customer of one owner.
    case owner(String)
    /// These customers.
    case customers([String])
}

extension AppDatabase {
    // MARK: - Planning and enqueueing

    /// The instants already planned or sent for a session in the last day and ahead: the
    /// planner's history, so caps hold across runs.
    static func plannedTimes(_ db: Database, sessionId: String, since: Date) throws -> [Date] {
        try Date.fetchAll(db, sql: """
            SELECT coalesce(sent_at, scheduled_at) FROM wa_message_queue
            WHERE session_id = ? AND status IN ('pending','held','sending','sent') AND coalesce(sent_at, scheduled_at) >= ?
            ORDER BY 1
            """, arguments: [sessionId, since])
    }

    /// The least time between two messages to one phone number (issue 14 §5).
    static func samePhoneGap(_ p: SendPolicy) -> TimeInterval { TimeInterval(max(p.batchCooldown, p.maxDelay + p.jitter, 60)) }

    /// The latest instant a message to `phone` is planned or was sent on a session.
    static func lastPlanned(_ db: Database, sessionId: String, phone: String) throws -> Date? {
        try Date.fetchOne(db, sql: """
            SELECT max(coalesce(sent_at, scheduled_at)) FROM wa_message_queue
            WHERE session_id = ? AND phone = ? AND status IN ('pending','held','sending','sent')
            """, arguments: [sessionId, phone])
    }

    /// Invoices in rounds: each phone's first invoice, then each phone's second, … so that the
    /// messages to one number are spread over the run instead of following each other.
    static func phoneRounds(_ invoices: [InvoiceRow], _ customers: [String: CustomerRow]) -> [InvoiceRow] {
        var seen: [String: Int] = [:]
        let ranked = invoices.enumerated().map { (i, inv) -> (round: Int, index: Int, inv: InvoiceRow) in
            let phone = customers[inv.customerId]?.phone ?? inv.customerId
            let r = seen[phone, default: 0]
            seen[phone] = r + 1
            return (r, i, inv)
        }
        return ranked.sorted { ($0.round, $0.index) < ($1.round, $1.index) }.map(\.inv)
    }

    static func insertQueued(_ db: Database, _ m: ComposedMessage, sessionId: String, type: String, stage: Int?, dedupeKey: String?,
                             at: Date, held: Bool, policy: SendPolicy, context: StoreContext) throws -> Int {
        let now = context.clock.now()
        // The UNIQUE dedupe_key is what makes this exactly-once; the caller's check only saves planning work.
        try db.execute(sql: """
            INSERT INTO wa_message_queue(id, session_id, owner_id, customer_id, invoice_id, message_type, stage, dedupe_key, phone,
                                         content, status, retry_count, max_retries, scheduled_at, created_at, updated_at, params)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
            ON CONFLICT(dedupe_key) DO NOTHING
            """, arguments: [context.random.uuid(), sessionId, m.ownerId, m.customerId, m.invoiceId, type, stage, dedupeKey, m.phone,
                             m.text, held ? "held" : "pending", policy.retryMax, at, now, now, m.paramsJSON])
        return db.changesCount
    }

    /// Queues the reminders of a business date: unpaid invoices falling due `d` days later for
    /// each `d` of `wa.reminder_days`, planned per owner session by the anti-ban rules. Exactly
    /// once per invoice and stage (`dedupe_key` UNIQUE), however often it runs.
    @discardableResult
    public func enqueueReminders(businessDate: LocalDate, context: StoreContext) throws -> Int {
        try write { db in
            let s = try Self.settings(db)
            let policy = s.sendPolicy
            let now = context.clock.now()
            var planners: [String: SendPlanner] = [:]
            var sessions: [String: WASession] = [:]
            var ownerRecords: [String: UserRecord?] = [:]
            var inserted = 0
            let today = LocalDate.from(now, in: s.timeZone)
            for d in s.reminderDays {
                // A catch-up run for a past day never reminds of a due date already gone, and the
                // after-due stages (negative days) only run for today or later.
                guard d >= 0 ? businessDate.adding(days: d) >= today : businessDate >= today else { continue }
                let due = businessDate.adding(days: d).description
                let invoices = try InvoiceRow.fetchAll(db, sql: InvoiceRow.select + """
                     WHERE i.due_date = ? AND i.status != 'paid' AND c.status = 'active' AND c.deleted_at IS NULL
                       AND NOT EXISTS (SELECT 1 FROM wa_contacts k WHERE k.owner_id = c.owner_id AND k.phone = c.phone AND k.opted_out_at IS NOT NULL)
                       AND NOT EXISTS (SELECT 1 FROM wa_message_queue q WHERE q.dedupe_key = 'reminder:' || i.id || ':' || ?)
                     ORDER BY i.owner_id, i.number
                    """, arguments: [due, d])
                let customers = try Dictionary(CustomerRow.fetchAll(db, sql: CustomerStore.selectRow + """
                     WHERE c.id IN (SELECT customer_id FROM invoices WHERE due_date = ?)
                    """, arguments: [due]).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                for inv in Self.phoneRounds(invoices, customers) {
                    guard let c = customers[inv.customerId] else { continue }
                    if sessions[c.ownerId] == nil {
                        sessions[c.ownerId] = try Self.ensureSession(db, ownerId: c.ownerId, context: context)
                        ownerRecords[c.ownerId] = try UserRecord.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [c.ownerId])
                    }
                    let session = sessions[c.ownerId]!
                    var planner = try planners[session.id]
                        ?? SendPlanner(policy: policy, history: Self.plannedTimes(db, sessionId: session.id, since: now.addingTimeInterval(-86400)))
                    let dueText = LocalDate(inv.dueDate)?.display(language: "id") ?? inv.dueDate
                    // Several invoices to one number (one household, several connections) are spaced,
                    // never a burst: at least `samePhoneGap` after the last message planned to it.
                    let lastToPhone = try Self.lastPlanned(db, sessionId: session.id, phone: c.phone)
                    let notBefore = lastToPhone.map { max(now, $0.addingTimeInterval(Self.samePhoneGap(policy))) } ?? now
                    let slot = planner.next(notBefore: notBefore, random: context.random.int(in:))
                    // Written for the hour it is planned to go out (the worker re-fits it if it goes later).
                    let m = try Self.compose(db, kind: d < 0 ? .overdue : .reminder, customer: c, invoice: inv, settings: s,
                                             random: context.random, owner: ownerRecords[c.ownerId] ?? nil,
                                             extra: ["when": MessageTemplates.when(days: d, dueDate: dueText)], at: slot.at)
                    inserted += try Self.insertQueued(db, m, sessionId: session.id, type: "reminder", stage: d,
                                                      dedupeKey: "reminder:\(inv.id):\(d)", at: slot.at, held: slot.held,
                                                      policy: policy, context: context)
                    planners[session.id] = planner
                }
            }
            try Audit.record(db, actor: nil, action: "wa.enqueue_reminders", resource: "wa_message_queue", resourceId: nil,
                             metadata: ["date": businessDate.description, "queued": inserted], context: context)
            return inserted
        }
    }

    /// The latest business date the daily job ran for (its reminder step is audited with the
    /// date): where the worker's catch-up starts after downtime.
    public func lastDailyJobDate() throws -> LocalDate? {
        try read { db in
            try String.fetchOne(db, sql: """
                SELECT max(json_extract(metadata, '$.date')) FROM activity_logs WHERE action = 'wa.enqueue_reminders'
                """).flatMap(LocalDate.init)
        }
    }

    /// The customers (and invoice, when one applies) a bulk send reaches; actor's scope only.
    public func bulkRecipients(_ target: BulkTarget, actor: Actor, limit: Int = 5000) throws -> [(customerId: String, invoiceId: String?)] {
        guard actor.can(.sendWhatsApp) else { throw StoreError.notPermitted }
        return try read { db in
            var clauses = ["c.deleted_at IS NULL"]
            var args: [DatabaseValueConvertible?] = []
            if !actor.can(.viewAllOwners) { clauses.append("c.owner_id = ?"); args.append(actor.userId) }
            var join = ""
            switch target {
            case .allUnpaid:
                join = "JOIN invoices i ON i.customer_id = c.id AND i.status != 'paid'"
            case .dueOn(let day):
                join = "JOIN invoices i ON i.customer_id = c.id AND i.status != 'paid' AND i.due_date = ?"
                args.insert(day.description, at: 0)
            case .owner(let o):
                guard actor.canAccess(ownerId: o) else { throw StoreError.notPermitted }
                clauses.append("c.owner_id = ? AND c.status = 'active'"); args.append(o)
            case .customers(let ids):
                guard !ids.isEmpty else { return [] }
                clauses.append("c.id IN (\(ids.map { _ in "?" }.joined(separator: ",")))"); args += ids
            }
            let invoiceCol = join.isEmpty ? "NULL" : "min(i.id)"
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.id AS cid, \(invoiceCol) AS iid FROM customers c \(join)
                WHERE \(clauses.joined(separator: " AND ")) GROUP BY c.id ORDER BY c.owner_id, c.no LIMIT \(limit)
                """, arguments: StatementArguments(args)!)
            if case .customers(let ids) = target, rows.count != Set(ids).count { throw StoreError.notPermitted }
            return rows.map { (customerId: $0["cid"], invoiceId: $0["iid"]) }
        }
    }

    /// Queues previewed bulk messages (reminder or custom), planned per owner session.
    @discardableResult
    public func enqueueBulk(_ messages: [ComposedMessage], actor: Actor, context: StoreContext) throws -> Int {
        guard actor.can(.sendWhatsApp) else { throw StoreError.notPermitted }
        // (a reminder about a past date is composed as .overdue: queued as a reminder)
        guard messages.allSatisfy({ $0.kind == .reminder || $0.kind == .overdue || $0.kind == .custom }) else {
            throw StoreError.invalid(field: "template", reason: .notOneOf(["reminder", "custom"]))
        }
        return try write { db in
            let policy = try Self.settings(db).sendPolicy
            let now = context.clock.now()
            let batch = context.random.uuid()
            var planners: [String: SendPlanner] = [:]
            var inserted = 0
            for m in messages {
                let c = try Self.customer(db, id: m.customerId, actor: actor)   // scope check
                // A second identical bulk send (or the daily job's reminder still waiting) never
                // queues the same invoice's reminder twice (issue 14).
                if m.kind != .custom, let inv = m.invoiceId, try Bool.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM wa_message_queue WHERE invoice_id = ? AND message_type = 'reminder'
                                   AND status IN ('pending','held','sending'))
                    """, arguments: [inv]) == true { continue }
                // A number that replied BERHENTI gets no bulk messages (issue 18).
                if try Self.contact(db, ownerId: c.ownerId, phone: c.phone).optedOutAt != nil { continue }
                let session = try Self.ensureSession(db, ownerId: c.ownerId, context: context)
                var planner = try planners[session.id]
                    ?? SendPlanner(policy: policy, history: Self.plannedTimes(db, sessionId: session.id, since: now.addingTimeInterval(-86400)))
                let slot = planner.next(notBefore: now, random: context.random.int(in:))
                var msg = m
                msg.ownerId = c.ownerId; msg.phone = c.phone
                inserted += try Self.insertQueued(db, msg, sessionId: session.id, type: m.kind == .custom ? "custom" : "reminder", stage: nil,
                                                  dedupeKey: "bulk:\(batch):\(c.id)", at: slot.at, held: slot.held,
                                                  policy: policy, context: context)
                planners[session.id] = planner
            }
            try Audit.record(db, actor: actor, action: "wa.enqueue_bulk", resource: "wa_message_queue", resourceId: batch,
                             metadata: ["queued": inserted], context: context)
            return inserted
        }
    }

    // MARK: - The worker's side

    /// Sessions with a message due at `now`.
    public func sessionsWithDueMessages(now: Date) throws -> [(sessionId: String, ownerId: String)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT DISTINCT q.session_id, s.user_id FROM wa_message_queue q JOIN wa_sessions s ON s.id = q.session_id
                WHERE q.status IN ('pending','held') AND q.scheduled_at <= ? AND s.paused_at IS NULL
                """, arguments: [now]).map { (sessionId: $0[0], ownerId: $0[1]) }
        }
    }

    /// The earliest scheduled instant of a waiting message (the worker sleeps until then).
    public func nextScheduled(sessionId: String? = nil) throws -> Date? {
        try read { db in
            if let sessionId {
                return try Date.fetchOne(db, sql: "SELECT min(scheduled_at) FROM wa_message_queue WHERE status IN ('pending','held') AND session_id = ?",
                                         arguments: [sessionId])
            }
            // A paused session's messages wait for the owner, not the clock.
            return try Date.fetchOne(db, sql: """
                SELECT min(q.scheduled_at) FROM wa_message_queue q JOIN wa_sessions s ON s.id = q.session_id
                WHERE q.status IN ('pending','held') AND s.paused_at IS NULL
                """)
        }
    }

    /// Atomically takes the next due message of a session (`UPDATE … RETURNING`): two workers
    /// never get the same one.
    public func claimNext(sessionId: String, context: StoreContext) throws -> QueueItem? {
        try write { db in
            let now = context.clock.now()
            guard let id = try String.fetchOne(db, sql: """
                UPDATE wa_message_queue SET status = 'sending', claimed_at = ?, updated_at = ?
                WHERE id = (SELECT id FROM wa_message_queue
                            WHERE session_id = ? AND status IN ('pending','held') AND scheduled_at <= ?
                              AND NOT (\(Self.staleReminder))
                            ORDER BY priority DESC, scheduled_at, id LIMIT 1)
                  AND status IN ('pending','held')
                  AND NOT EXISTS (SELECT 1 FROM wa_sessions s WHERE s.id = ? AND s.paused_at IS NOT NULL)
                RETURNING id
                """, arguments: [now, now, sessionId, now, sessionId]) else { return nil }
            return try QueueItem.fetchOne(db, sql: QueueItem.select + " WHERE q.id = ?", arguments: [id])
        }
    }

    /// A queued reminder that must not go out any more: its invoice is paid, or its customer
    /// is isolated / inactive / deleted (issue 14).
    static let staleReminder = """
        message_type = 'reminder' AND (
            EXISTS (SELECT 1 FROM invoices si WHERE si.id = wa_message_queue.invoice_id AND si.status = 'paid')
            OR EXISTS (SELECT 1 FROM customers sc WHERE sc.id = wa_message_queue.customer_id AND (sc.status != 'active' OR sc.deleted_at IS NOT NULL)))
        """

    /// Messages left in `sending` longer than `lease` (a crashed worker) go back to pending.
    /// Reminders that must not go out any more are cancelled (kept, with the reason).
    @discardableResult
    public func releaseStaleClaims(lease: TimeInterval, context: StoreContext) throws -> Int {
        try write { db in
            let now = context.clock.now()
            try db.execute(sql: """
                UPDATE wa_message_queue SET status = 'cancelled', error_message = 'paid or isolated before sending', updated_at = ?
                WHERE status IN ('pending','held') AND \(Self.staleReminder)
                """, arguments: [now])
            try db.execute(sql: """
                UPDATE wa_message_queue SET status = 'pending', claimed_at = NULL, updated_at = ?
                WHERE status = 'sending' AND claimed_at < ?
                """, arguments: [now, now.addingTimeInterval(-lease)])
            return db.changesCount
        }
    }

    /// When a session actually sent in the last day (the worker's planner history at send time).
    public func sentTimes(sessionId: String, since: Date) throws -> [Date] {
        try read { db in
            try Date.fetchAll(db, sql: """
                SELECT sent_at FROM wa_message_queue WHERE session_id = ? AND status = 'sent' AND sent_at >= ? ORDER BY sent_at
                """, arguments: [sessionId, since])
        }
    }

    /// Moves every waiting message of a session due before `until` to `until` (and a claimed
    /// one back to waiting): the rules say the session must wait, so none is claimed sooner.
    public func postpone(sessionId: String, claimed: QueueItem?, until: Date, held: Bool, context: StoreContext) throws {
        try write { db in
            let now = context.clock.now()
            if let claimed {
                try db.execute(sql: "UPDATE wa_message_queue SET status = 'pending', claimed_at = NULL, updated_at = ? WHERE id = ? AND status = 'sending'",
                               arguments: [now, claimed.id])
            }
            try db.execute(sql: """
                UPDATE wa_message_queue SET scheduled_at = ?, status = CASE WHEN ? THEN 'held' ELSE status END, updated_at = ?
                WHERE session_id = ? AND status IN ('pending','held') AND scheduled_at < ?
                """, arguments: [until, held, now, sessionId, until])
        }
    }

    /// Puts a claimed message back until `until` (quiet hours, weekend) without using a try.
    public func hold(_ item: QueueItem, until: Date, held: Bool = true, context: StoreContext) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE wa_message_queue SET status = ?, claimed_at = NULL, scheduled_at = ?, updated_at = ?
                WHERE id = ? AND status = 'sending'
                """, arguments: [held ? "held" : "pending", until, context.clock.now(), item.id])
        }
    }

    /// Records the gateway's answer for a claimed message: sent → logged; not ready → waits
    /// with its tries intact; a failed try → retried after `retryDelay` until the last try, then failed.
    public func finish(_ item: QueueItem, outcome: SendOutcome, policy: SendPolicy, context: StoreContext,
                       notReadyWait: TimeInterval = 60) throws {
        try write { db in
            let now = context.clock.now()
            switch outcome {
            case .sent(let messageId):
                try db.execute(sql: """
                    UPDATE wa_message_queue SET status = 'sent', sent_at = ?, error_message = NULL, updated_at = ? WHERE id = ? AND status = 'sending'
                    """, arguments: [now, now, item.id])
                guard db.changesCount == 1 else { return }
                if item.messageType == "reminder", let inv = item.invoiceId {
                    try db.execute(sql: "UPDATE invoices SET reminder_sent_at = ? WHERE id = ?", arguments: [now, inv])
                }
                try Self.insertLog(db, item: item, status: "sent", error: nil, messageId: messageId, context: context)
            case .notReady(let reason):
                try db.execute(sql: """
                    UPDATE wa_message_queue SET status = 'pending', claimed_at = NULL, scheduled_at = ?, error_message = ?, updated_at = ?
                    WHERE id = ? AND status = 'sending'
                    """, arguments: [policy.nextAllowed(from: now.addingTimeInterval(notReadyWait)), reason, now, item.id])
            case .failedTry(let reason):
                let tries = item.retryCount + 1
                if tries > item.maxRetries {
                    try db.execute(sql: """
                        UPDATE wa_message_queue SET status = 'failed', retry_count = ?, claimed_at = NULL, error_message = ?, updated_at = ?
                        WHERE id = ? AND status = 'sending'
                        """, arguments: [tries, reason, now, item.id])
                } else {
                    try db.execute(sql: """
                        UPDATE wa_message_queue SET status = 'pending', retry_count = ?, claimed_at = NULL, scheduled_at = ?, error_message = ?,
                               updated_at = ? WHERE id = ? AND status = 'sending'
                        """, arguments: [tries, policy.nextAllowed(from: now.addingTimeInterval(TimeInterval(policy.retryDelay))), reason, now, item.id])
                }
                guard db.changesCount == 1 else { return }
                try Self.insertLog(db, item: item, status: "failed", error: "\(reason) (\(tries)/\(item.maxRetries + 1))", messageId: nil, context: context)
                try Self.tripBreakerIfNeeded(db, sessionId: item.sessionId, context: context)
            case .permanent(let reason):
                try db.execute(sql: """
                    UPDATE wa_message_queue SET status = 'failed', claimed_at = NULL, error_message = ?, updated_at = ? WHERE id = ? AND status = 'sending'
                    """, arguments: [reason, now, item.id])
                guard db.changesCount == 1 else { return }
                try Self.insertLog(db, item: item, status: "failed", error: reason, messageId: nil, context: context)
                try Self.tripBreakerIfNeeded(db, sessionId: item.sessionId, context: context)
            }
        }
    }

    static func insertLog(_ db: Database, item: QueueItem, status: String, error: String?, messageId: String?, context: StoreContext) throws {
        try db.execute(sql: """
            INSERT INTO wa_message_logs(id, session_id, owner_id, customer_id, invoice_id, message_type, phone, content, status,
                                        error_message, wa_message_id, sent_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [context.random.uuid(), item.sessionId, item.ownerId, item.customerId, item.invoiceId, item.messageType,
                             item.phone, item.content, status, error, messageId, context.clock.now()])
    }

    // MARK: - Direct sends

    /// Logs a direct send (receipt, isolation notice, a message composed to one customer).
    @discardableResult
    public func logDirect(_ m: ComposedMessage, status: String, error: String?, messageId: String?, context: StoreContext) throws -> String {
        try write { db in
            let session = try Self.ensureSession(db, ownerId: m.ownerId, context: context)
            let id = context.random.uuid()
            // the log's message types predate "overdue": it is a reminder after the due date
            let type = m.kind == .custom ? "manual" : m.kind == .overdue ? "reminder" : m.kind.rawValue
            try db.execute(sql: """
                INSERT INTO wa_message_logs(id, session_id, owner_id, customer_id, invoice_id, message_type, phone, content, status,
                                            error_message, wa_message_id, sent_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, session.id, m.ownerId, m.customerId, m.invoiceId, type, m.phone, m.text, status, error, messageId,
                                 context.clock.now()])
            if status == "sent", let inv = m.invoiceId {
                let col = m.kind == .receipt ? "receipt_sent_at" : m.kind == .isolation ? "isolir_sent_at" : "reminder_sent_at"
                try db.execute(sql: "UPDATE invoices SET \(col) = ? WHERE id = ?", arguments: [context.clock.now(), inv])
            }
            // Direct sends are sends too: their failures count towards the session's breaker (issue 18).
            if status == "failed" { try Self.tripBreakerIfNeeded(db, sessionId: session.id, context: context) }
            return id
        }
    }

    /// A delivery acknowledgement from the gateway (WAHA `message.ack`): 2 delivered, 3/4 read,
    /// -1 failed (counts towards the breaker, issue 18).
    @discardableResult
    public func recordAck(messageId: String, ack: Int, context: StoreContext? = nil) throws -> Int {
        let status: String
        if ack == -1 { return try recordStatus(messageId: messageId, status: "failed", error: "WhatsApp reported an error (ack -1)", context: context) }
        switch ack {
        case 2: status = "delivered"
        case 3, 4: status = "read"
        default: return 0
        }
        return try write { db in
            try db.execute(sql: """
                UPDATE wa_message_logs SET status = ? WHERE wa_message_id = ? AND status IN ('sent','delivered') AND status != ?
                """, arguments: [status, messageId, status])
            return db.changesCount
        }
    }

    // MARK: - What people see

    static func scopeClause(_ actor: Actor, alias: String) -> (String, [DatabaseValueConvertible?]) {
        actor.can(.viewAllOwners) ? ("1", []) : ("\(alias).owner_id = ?", [actor.userId])
    }

    /// Queue counts by status in the actor's scope.
    public func queueCounts(actor: Actor) throws -> QueueCounts {
        try read { db in
            let (w, args) = Self.scopeClause(actor, alias: "q")
            var out = QueueCounts()
            for row in try Row.fetchAll(db, sql: "SELECT q.status, count(*) FROM wa_message_queue q WHERE \(w) GROUP BY q.status",
                                        arguments: StatementArguments(args)!) {
                let n: Int = row[1]
                switch row[0] as String {
                case "pending": out.pending = n
                case "held": out.held = n
                case "sending": out.sending = n
                case "sent": out.sent = n
                case "failed": out.failed = n
                default: out.cancelled = n
                }
            }
            return out
        }
    }

    /// Queued messages in the actor's scope, soonest first (failed ones newest first).
    public func queueItems(actor: Actor, status: String? = nil, limit: Int = 200) throws -> [QueueItem] {
        try read { db in
            var (w, args) = Self.scopeClause(actor, alias: "q")
            if let status { w += " AND q.status = ?"; args.append(status) }
            return try QueueItem.fetchAll(db, sql: QueueItem.select + " WHERE \(w) ORDER BY q.scheduled_at, q.id LIMIT \(max(1, limit))",
                                          arguments: StatementArguments(args)!)
        }
    }

    static func queueItem(_ db: Database, _ id: String, actor: Actor) throws -> QueueItem {
        guard let item = try QueueItem.fetchOne(db, sql: QueueItem.select + " WHERE q.id = ?", arguments: [id]) else {
            throw StoreError.notFound(what: "message \(id)")
        }
        guard actor.can(.sendWhatsApp), actor.canAccess(ownerId: item.ownerId ?? "") else { throw StoreError.notPermitted }
        return item
    }

    /// A failed or cancelled message back to the queue with fresh tries.
    @discardableResult
    public func retryMessage(_ id: String, actor: Actor, context: StoreContext) throws -> QueueItem {
        try write { db in
            let item = try Self.queueItem(db, id, actor: actor)
            guard ["failed", "cancelled"].contains(item.status) else { throw StoreError.invalid(field: "status", reason: .notOneOf(["failed", "cancelled"])) }
            let now = context.clock.now()
            let at = try Self.settings(db).sendPolicy.nextAllowed(from: now)
            try db.execute(sql: """
                UPDATE wa_message_queue SET status = 'pending', retry_count = 0, scheduled_at = ?, error_message = NULL, claimed_at = NULL,
                       updated_at = ? WHERE id = ?
                """, arguments: [at, now, id])
            try Audit.record(db, actor: actor, action: "wa.queue.retry", resource: "wa_message_queue", resourceId: id,
                             metadata: ["before": ["status": item.status], "after": ["status": "pending"]], context: context)
            return try Self.queueItem(db, id, actor: actor)
        }
    }

    /// Cancels a waiting (or failed) message.
    @discardableResult
    public func cancelMessage(_ id: String, actor: Actor, context: StoreContext) throws -> QueueItem {
        try write { db in
            let item = try Self.queueItem(db, id, actor: actor)
            guard ["pending", "held", "failed"].contains(item.status) else {
                throw StoreError.invalid(field: "status", reason: .notOneOf(["pending", "held", "failed"]))
            }
            let now = context.clock.now()
            try db.execute(sql: "UPDATE wa_message_queue SET status = 'cancelled', updated_at = ? WHERE id = ? AND status = ?",
                           arguments: [now, id, item.status])
            guard db.changesCount == 1 else { throw StoreError.changedByOther }
            try Audit.record(db, actor: actor, action: "wa.queue.cancel", resource: "wa_message_queue", resourceId: id,
                             metadata: ["before": ["status": item.status], "after": ["status": "cancelled"]], context: context)
            return try Self.queueItem(db, id, actor: actor)
        }
    }

    /// The message log in the actor's scope, newest first.
    public func messageLog(actor: Actor, filter: MessageLogFilter = MessageLogFilter(), timeZone: TimeZone, limit: Int = 200) throws -> [MessageLogEntry] {
        try read { db in
            var (w, args) = Self.scopeClause(actor, alias: "l")
            if let t = filter.type { w += " AND l.message_type = ?"; args.append(t) }
            if let s = filter.status { w += " AND l.status = ?"; args.append(s) }
            if let f = filter.from { w += " AND l.sent_at >= ?"; args.append(f.startOfDay(in: timeZone)) }
            if let t = filter.to { w += " AND l.sent_at < ?"; args.append(t.adding(days: 1).startOfDay(in: timeZone)) }
            return try MessageLogEntry.fetchAll(db, sql: """
                SELECT l.id, l.session_id, l.owner_id, l.customer_id, l.invoice_id, l.message_type, l.phone, l.content, l.status,
                       l.error_message, l.wa_message_id, l.sent_at, c.name AS customer_name
                FROM wa_message_logs l LEFT JOIN customers c ON c.id = l.customer_id
                WHERE \(w) ORDER BY l.sent_at DESC, l.id LIMIT \(max(1, limit))
                """, arguments: StatementArguments(args)!)
        }
    }

    /// How many of the newest log entries in scope failed in a row (the pane alerts on many).
    public func failureStreak(actor: Actor) throws -> Int {
        try read { db in
            let (w, args) = Self.scopeClause(actor, alias: "l")
            let statuses = try String.fetchAll(db, sql: "SELECT l.status FROM wa_message_logs l WHERE \(w) ORDER BY l.sent_at DESC, l.rowid DESC LIMIT 50",
                                               arguments: StatementArguments(args)!)
            return statuses.prefix { $0 == "failed" }.count
        }
    }
}
