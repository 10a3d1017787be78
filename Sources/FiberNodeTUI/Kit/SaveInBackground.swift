import Foundation
import TerminalUI
import FiberNodeStore

extension SaveDialog {
    /// `save` for a long write (issue 13 item 7): the name is checked and a replace confirmed
    /// on the UI thread, then `write` runs off the loop with a progress dialog; one job of
    /// `kind` at a time; the result (and the download link) lands when it ends, even if the
    /// dialog was closed early; on success the dialog closes and the status line says it (as
    /// a quick save does). Returns an error message to keep the form open, or nil.
    static func saveInBackground(_ session: Session, name: String, extensions: [String], kind: String, label: String,
                                 write: @escaping (_ path: String, _ force: Bool, _ job: BackgroundJob) throws -> String) -> String? {
        let s = session.strings
        if BackgroundJobs.running(kind) != nil { return s.f(.prgBusy, label) }
        let policy = session.db.outputPolicy(for: session.actor)
        func start(_ path: String, force: Bool) {
            guard let job = BackgroundJobs.start(kind: kind, label: label, { job in try write(path, force, job) }) else {
                session.error(text: s.f(.prgBusy, label)); return
            }
            job.onFinish = { [weak session] r in
                guard let session else { return }
                switch r {
                case .success(let m): session.info(m); offerDownload(session, path: path)
                case .failure(let e): session.error(text: s.message(for: e, timeZone: session.settings.timeZone))
                }
            }
            session.present(ProgressModal(job: job, strings: s, closeWhenDone: true))
        }
        do {
            start(try policy.resolve(name, extensions: extensions, force: false), force: false)
            return nil
        } catch OutputError.exists(let path) {
            session.present(ConfirmModal(title: s[.outReplaceTitle], message: s.f(.outReplaceConfirm, path), yes: s[.yes], no: s[.no],
                                         ascii: session.ascii) {
                do { start(try policy.resolve(name, extensions: extensions, force: true), force: true) } catch { session.error(error) }
            })
            return nil
        } catch {
            return s.message(for: error, timeZone: session.settings.timeZone)
        }
    }
}
