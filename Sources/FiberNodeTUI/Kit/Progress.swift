import Foundation
import TerminalUI
import FiberNodeDomain

/// Long work off the UI loop (issue 13 item 7): the work runs on its own thread and reports
/// `done` of `total`; the screen repaints on the loop's tick; one job of a kind at a time; the
/// result reaches the UI thread through `BackgroundJobs.finish()` even when its dialog was
/// closed early (the work is never dropped with the dialog).
final class BackgroundJob: @unchecked Sendable {
    let kind: String
    /// What the job is doing, for the dialog and the status line ("Membuat tagihan").
    let label: String
    private let lock = NSLock()
    private var _done = 0, _total = 0
    private var _finished = false
    private var _outcome: Result<String, Error>?
    /// Runs on the UI thread once the work ended (reload the pane, say the result).
    var onFinish: ((Result<String, Error>) -> Void)?
    fileprivate(set) var delivered = false

    init(kind: String, label: String) { self.kind = kind; self.label = label }

    var progress: (done: Int, total: Int) { lock.lock(); defer { lock.unlock() }; return (_done, _total) }
    var finished: Bool { lock.lock(); defer { lock.unlock() }; return _finished }
    var outcome: Result<String, Error>? { lock.lock(); defer { lock.unlock() }; return _outcome }

    /// The store's progress callback (any thread).
    func report(_ done: Int, _ total: Int) { lock.lock(); _done = done; _total = total; lock.unlock() }

    fileprivate func end(_ r: Result<String, Error>) { lock.lock(); _outcome = r; _finished = true; lock.unlock() }

    /// Waits for the work (tests).
    func wait(timeout: TimeInterval = 30) {
        let end = Date().addingTimeInterval(timeout)
        while !finished && Date() < end { Thread.sleep(forTimeInterval: 0.01) }
    }
}

/// The running jobs: at most one per kind.
enum BackgroundJobs {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var jobs: [BackgroundJob] = []

    /// The running (or finished, not yet delivered) job of `kind`, if any.
    static func running(_ kind: String) -> BackgroundJob? {
        lock.lock(); defer { lock.unlock() }
        return jobs.first { $0.kind == kind }
    }

    /// Starts `work` on its own thread unless a job of that kind is still running (nil then).
    /// `work` gets the job to report progress and returns the done message.
    static func start(kind: String, label: String, _ work: @escaping @Sendable (BackgroundJob) throws -> String) -> BackgroundJob? {
        lock.lock()
        if jobs.contains(where: { $0.kind == kind }) { lock.unlock(); return nil }
        let job = BackgroundJob(kind: kind, label: label)
        jobs.append(job)
        lock.unlock()
        Thread.detachNewThread {
            let r: Result<String, Error>
            do { r = .success(try work(job)) } catch { r = .failure(error) }
            job.end(r)
        }
        return job
    }

    /// On the UI thread (the loop's tick): runs the finish handlers of ended jobs and forgets
    /// them; true when one ended (redraw).
    @discardableResult
    static func finish() -> Bool {
        lock.lock()
        let ended = jobs.filter { $0.finished }
        jobs.removeAll { $0.finished }
        lock.unlock()
        for j in ended where !j.delivered {
            j.delivered = true
            if let o = j.outcome { j.onFinish?(o) }
        }
        return !ended.isEmpty
    }

    /// "Membuat tagihan: 4.000 dari 10.000…" for every running job (the status line while the
    /// dialog is closed).
    static func statusText(_ s: Strings) -> String? {
        lock.lock(); let list = jobs.filter { !$0.finished }; lock.unlock()
        guard !list.isEmpty else { return nil }
        return list.map { $0.label + ": " + ProgressModal.count($0, s) }.joined(separator: " · ")
    }
}

/// Shown by a modal that changes without keys (a progress dialog): the loop redraws while true.
protocol TickingModal: Modal {
    func tick() -> Bool
    /// True when the modal is to close by itself (the loop removes it).
    var closed: Bool { get }
}

/// The progress dialog: "4.000 dari 10.000…" and a bar while running, then the result. Esc
/// closes it at any time; the work goes on and its result lands on the status line.
final class ProgressModal: TickingModal {
    let job: BackgroundJob
    let strings: Strings
    var lastShown: (Int, Int, Bool)?
    /// Close by itself on success (a save whose result belongs on the status line, like a
    /// quick one); failures always stay up.
    let closeWhenDone: Bool

    init(job: BackgroundJob, strings: Strings, closeWhenDone: Bool = false) {
        self.job = job; self.strings = strings; self.closeWhenDone = closeWhenDone
    }

    var closed: Bool {
        guard closeWhenDone, job.finished, let o = job.outcome, case .success = o else { return false }
        return job.delivered
    }

    static func count(_ job: BackgroundJob, _ s: Strings) -> String {
        let p = job.progress
        return s.f(.prgRunning, Rupiah(p.done).plain, Rupiah(p.total).plain)
    }

    func handle(_ key: Key) -> Bool {
        switch key {
        case .escape, .char("q"): return false
        case .enter: return !job.finished
        default: return true
        }
    }

    func tick() -> Bool {
        BackgroundJobs.finish()
        let p = job.progress, now = (p.done, p.total, job.finished)
        defer { lastShown = now }
        return lastShown.map { $0 != now } ?? true
    }

    func draw(on screen: Screen, theme: Theme) {
        let s = strings
        let inner = ModalFrame.draw(on: screen, title: job.label, width: 60, height: 7, theme: theme,
                                    hint: job.finished ? s[.helpClose] : s[.prgHint])
        let p = job.progress
        // A dialog that closes when done leaves the result to the status line (drawn once the
        // dialog is gone, so nothing on screen says "done" while a key would still go here).
        if let o = job.outcome, !(closeWhenDone && { if case .success = o { return true }; return false }()) {
            let text: String
            switch o {
            case .success(let m): text = s.f(.prgDone, m)
            case .failure(let e): text = s.f(.prgFailed, s.message(for: e))
            }
            // the count it reached, then what it says
            let lines = (p.total > 0 ? [ProgressModal.count(job, s).replacingOccurrences(of: "…", with: "")] : []) + wrap(text, width: inner.width)
            for (i, l) in lines.prefix(max(1, inner.height)).enumerated() {
                screen.put(TextWidth.truncate(l, to: inner.width), row: inner.row + i, col: inner.col, style: theme.dialog)
            }
            return
        }
        screen.put(TextWidth.truncate(ProgressModal.count(job, s), to: inner.width), row: inner.row, col: inner.col, style: theme.dialog)
        let w = max(1, inner.width)
        let filled = p.total > 0 ? min(w, w * p.done / p.total) : 0
        let ascii = ModalFrame.ascii(theme)
        let bar = String(repeating: ascii ? "#" : "█", count: filled) + String(repeating: ascii ? "." : "░", count: w - filled)
        if inner.height > 1 { screen.put(bar, row: inner.row + 1, col: inner.col, style: theme.dialog) }
    }
}

/// A value handed from a job's thread to the UI thread.
final class Shared<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var v: T
    init(_ v: T) { self.v = v }
    var value: T { lock.lock(); defer { lock.unlock() }; return v }
    func set(_ new: T) { lock.lock(); v = new; lock.unlock() }
}
