import Foundation
import Logging
import FiberNodeDomain
import FiberNodeStore

/// A flag set from a signal handler; sleeps wake early when it is set.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private let wake = DispatchSemaphore(value: 0)
    public init() {}
    public var isSet: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
    public func set() { lock.lock(); stopped = true; lock.unlock(); wake.signal() }
    /// Sleeps up to `seconds`; returns early when stopped.
    public func sleep(_ seconds: TimeInterval) {
        guard !isSet, seconds > 0 else { return }
        if wake.wait(timeout: .now() + seconds) == .success { wake.signal() }
    }
}

/// Drains the queue: each session independently (its own thread), sending what is due,
/// following the planned times, quiet hours and the gateway's answers.
public final class QueueWorker: @unchecked Sendable {
    public let db: AppDatabase
    public let context: StoreContext
    let service: WhatsAppService
    let logger: Logger
    /// A claim older than this is taken to be from a crashed worker.
    public var lease: TimeInterval = 300
    /// How long a session waits after "gateway not ready" (401/404/422, none configured).
    public var notReadyWait: TimeInterval = 60
    /// How long a session's other due messages wait after a failed try (5xx, timeout).
    public var failureBackoff: TimeInterval = 30
    /// An owed receipt / notice younger than this is left to its direct sender (issue 12 item 9).
    public var outboxGrace: TimeInterval = 60
    /// Called on every loop of `run`: the place where scheduled backups will hook in.
    public var onTick: (() -> Void)?

    public init(db: AppDatabase, context: StoreContext, service: WhatsAppService, logger: Logger = Logger(label: "fibernode.worker")) {
        self.db = db; self.context = context; self.service = service; self.logger = logger
    }

    public struct Summary: Sendable, Equatable {
        public var sent = 0, failedTries = 0, waiting = 0, held = 0
        public init() {}
        mutating func add(_ o: Summary) { sent += o.sent; failedTries += o.failedTries; waiting += o.waiting; held += o.held }
    }

    /// Sends every due message of one session, in order; stops early when the gateway is not
    /// ready (the rest wait) or on `stop`.
    public func drain(sessionId: String, ownerId: String, stop: StopFlag? = nil) -> Summary {
        var out = Summary()
        let policy: SendPolicy
        do { policy = try db.settings().sendPolicy } catch { logger.error("settings: \(error)"); return out }
        var gateway: WhatsAppGateway?
        var gatewayError: GatewayError?
        do { gateway = try service.gateway(ownerId: ownerId) } catch let e as GatewayError { gatewayError = e } catch { gatewayError = .notConfigured }
        // The plan is re-checked at send time against what this session really sent: a backlog
        // (gateway down for hours, a retried batch) still keeps the spacing and the caps.
        let startedAt = context.clock.now()
        var planner = SendPlanner(policy: policy,
                                  history: (try? db.sentTimes(sessionId: sessionId, since: startedAt.addingTimeInterval(-86400))) ?? [])
        while stop?.isSet != true {
            // The breaker (issue 18): a paused session's messages wait for the owner; no try is burned.
            if (try? db.isPaused(sessionId: sessionId)) == true { break }
            let item: QueueItem?
            do { item = try db.claimNext(sessionId: sessionId, context: context) } catch {
                logger.error("claim failed: \(error)"); break
            }
            guard var item else { break }
            let now = context.clock.now()
            // Queued in the evening, sent in the morning: the greeting fits the hour it goes out (issue 18).
            let part = DayPart.at(now, in: policy.timeZone)
            item.content = part.retime(item.content)
            if !policy.isAllowed(now) {
                // Quiet hours or a held weekend: the whole session waits for the morning.
                try? db.postpone(sessionId: sessionId, claimed: item, until: policy.nextAllowed(from: now), held: true, context: context)
                out.held += 1
                break
            }
            var probe = planner
            let slot = probe.next(notBefore: now) { $0.lowerBound }      // the earliest the rules allow
            if slot.at.timeIntervalSince(now) > 0.5 {
                // Too soon after the last send, or a cap is reached: back in the queue at that time.
                try? db.postpone(sessionId: sessionId, claimed: item, until: slot.at, held: slot.held, context: context)
                out.held += slot.held ? 1 : 0
                break
            }
            let contact = (try? db.contact(ownerId: item.ownerId ?? "", phone: item.phone)) ?? .none
            if contact.optedOutAt != nil, AppDatabase.optOutStops.contains(item.messageType) {
                // The customer replied BERHENTI after this was queued.
                try? db.cancelOptedOut(item, context: context)
                logger.info("opted out; cancelled", metadata: ["queue_id": "\(item.id)"])
                continue
            }
            let outcome: SendOutcome
            var blocked: GatewayError?
            if let gateway {
                do {
                    let chat = try PhoneNumber.normalize(item.phone).chatId
                    var values = item.values
                    if let g = values["greeting"] { values["greeting"] = part.fit(g) }
                    if values["time_greeting"] != nil { values["time_greeting"] = part.greeting; values["day_part"] = part.rawValue }
                    let message = OutgoingMessage(chatId: chat, text: item.content, kind: Self.templateKind(item), values: values,
                                                  windowOpen: CustomerWindow.isOpen(lastInbound: contact.lastInboundAt, now: now))
                    outcome = .sent(messageId: try gateway.send(message))
                } catch let e as GatewayError {
                    if case .numberBlocked = e { blocked = e }
                    outcome = e.outcome
                } catch {
                    outcome = .permanent("invalid phone number")
                }
            } else {
                outcome = (gatewayError ?? .notConfigured).outcome
            }
            do { try db.finish(item, outcome: outcome, policy: policy, context: context, notReadyWait: notReadyWait) } catch {
                logger.error("finish failed: \(error)")
            }
            if case .numberBlocked(let why)? = blocked {
                try? db.pauseSession(ownerId: item.ownerId ?? ownerId, reason: .blocked(why), context: context)
                logger.warning("number blocked; session paused", metadata: ["session": "\(sessionId)"])
                out.waiting += 1
                return out
            }
            if (try? db.isPaused(sessionId: sessionId)) == true {
                logger.warning("breaker: session paused after repeated failures", metadata: ["session": "\(sessionId)"])
                switch outcome {
                case .sent: out.sent += 1
                case .notReady: out.waiting += 1
                case .permanent, .failedTry: out.failedTries += 1
                }
                return out
            }
            if case .sent = outcome {
                let sentAt = context.clock.now()
                _ = planner.next(notBefore: sentAt) { $0.lowerBound }      // records the send itself
                // The gap to the next message is drawn now, from [min, max] + jitter (and a batch
                // rest, the caps), and the session's waiting messages move to it: a backlog due in
                // the past no longer drains at exactly the minimum spacing like a metronome.
                var draw = planner
                let gap = draw.next(notBefore: sentAt, random: context.random.int(in:))
                if gap.at > sentAt {
                    try? db.postpone(sessionId: sessionId, claimed: nil, until: gap.at, held: gap.held, context: context)
                }
            }
            switch outcome {
            case .sent: out.sent += 1
                logger.info("message sent", metadata: ["queue_id": "\(item.id)", "type": "\(item.messageType)"])
            case .notReady(let r):
                out.waiting += 1
                logger.warning("gateway not ready; session waits", metadata: ["session": "\(sessionId)", "reason": "\(r)"])
                // The whole session waits (tries kept) instead of asking a down gateway once per message.
                try? db.postpone(sessionId: sessionId, claimed: nil,
                                 until: policy.nextAllowed(from: context.clock.now().addingTimeInterval(notReadyWait)), held: false,
                                 context: context)
                return out
            case .permanent(let r):
                out.failedTries += 1
                logger.warning("send refused", metadata: ["queue_id": "\(item.id)", "reason": "\(r)"])
            case .failedTry(let r):
                out.failedTries += 1
                logger.warning("send failed", metadata: ["queue_id": "\(item.id)", "reason": "\(r)"])
                // A failing engine is not hammered: the session's other due messages wait a little.
                try? db.postpone(sessionId: sessionId, claimed: nil,
                                 until: policy.nextAllowed(from: context.clock.now().addingTimeInterval(failureBackoff)), held: false,
                                 context: context)
                return out
            }
        }
        return out
    }

    /// The Cloud template kind of a queued message: a reminder stage after the due date
    /// (negative `wa.reminder_days`, queued as `reminder`) is the `overdue` notice.
    static func templateKind(_ item: QueueItem) -> String {
        item.messageType == "reminder" && (item.stage ?? 0) < 0 ? "overdue" : item.messageType
    }

    /// What is due now, every session in parallel; then returns (`worker --once`).
    public func runOnce(stop: StopFlag? = nil) -> Summary {
        do {
            let n = try db.releaseStaleClaims(lease: lease, context: context)
            if n > 0 { logger.warning("released stale claims", metadata: ["count": "\(n)"]) }
        } catch { logger.error("release: \(error)") }
        deliverOwed()
        let sessions = (try? db.sessionsWithDueMessages(now: context.clock.now())) ?? []
        let total = Locked(Summary())
        DispatchQueue.concurrentPerform(iterations: sessions.count) { i in
            let r = drain(sessionId: sessions[i].sessionId, ownerId: sessions[i].ownerId, stop: stop)
            total.mutate { $0.add(r) }
        }
        return total.value
    }

    /// Receipts and isolation notices owed by a commit whose direct send never happened.
    func deliverOwed() {
        let r = service.deliverOutbox(olderThan: outboxGrace)
        if r.sent + r.failed > 0 { logger.info("outbox", metadata: ["sent": "\(r.sent)", "failed": "\(r.failed)"]) }
    }

    // MARK: - Long-running

    /// The daily job for every business day from the last run (at most a week back) to today,
    /// once `jobs.daily_time` has passed: catches up after downtime; idempotent.
    public func runDailyJobIfDue(lastRun: inout LocalDate?) {
        guard let s = try? db.settings() else { return }
        let now = context.clock.now()
        let today = LocalDate.from(now, in: s.timeZone)
        let minutes = SendPolicy.minutes(s["jobs.daily_time"]) ?? 360
        let dueAt = today.startOfDay(in: s.timeZone).addingTimeInterval(TimeInterval(minutes * 60))
        let latest = now >= dueAt ? today : today.adding(days: -1)
        var day = lastRun.map { $0.adding(days: 1) } ?? latest
        if day.days(to: latest) > 7 { day = latest.adding(days: -7) }
        while day <= latest {
            do {
                let r = try DailyJob.run(db: db, businessDate: day, context: context)
                logger.info("daily job", metadata: ["date": "\(day)", "created": "\(r.created)", "queued": "\(r.queued)"])
            } catch { logger.error("daily job \(day) failed: \(error)") }
            lastRun = day
            day = day.adding(days: 1)
        }
    }

    /// Runs until `stop`: the daily job when due, each session drained on its own thread, and
    /// sleeps until the next planned message (at most `idle` seconds).
    public func run(stop: StopFlag, idle: TimeInterval = 5, dailyJob: Bool = true) {
        var lastRun: LocalDate? = try? db.lastDailyJobDate()
        let busy = Locked(Set<String>())
        let group = DispatchGroup()
        logger.info("worker started")
        while !stop.isSet {
            if dailyJob { runDailyJobIfDue(lastRun: &lastRun) }
            // HOOK(backup): scheduled backups (`backup.time`, retention) are called here by the
            // backup feature; the worker only provides the tick.
            onTick?()
            deliverOwed()
            _ = try? db.releaseStaleClaims(lease: lease, context: context)
            let sessions = (try? db.sessionsWithDueMessages(now: context.clock.now())) ?? []
            for s in sessions {
                var start = false
                busy.mutate { if !$0.contains(s.sessionId) { $0.insert(s.sessionId); start = true } }
                guard start else { continue }
                group.enter()
                Thread.detachNewThread { [self] in
                    _ = drain(sessionId: s.sessionId, ownerId: s.ownerId, stop: stop)
                    busy.mutate { $0.remove(s.sessionId) }
                    group.leave()
                }
            }
            let next = (try? db.nextScheduled())?.timeIntervalSince(context.clock.now()) ?? idle
            stop.sleep(min(idle, max(0.2, next)))
        }
        group.wait()
        logger.info("worker stopped")
    }
}

/// A value shared between threads.
final class Locked<T>: @unchecked Sendable {
    private var v: T
    private let lock = NSLock()
    init(_ v: T) { self.v = v }
    var value: T { lock.lock(); defer { lock.unlock() }; return v }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); f(&v); lock.unlock() }
}
