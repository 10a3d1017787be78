import Foundation
import FiberNodeDomain
import FiberNodeStore

extension WhatsAppService {
    /// Sends the receipts and isolation notices still owed (issue 12 item 9): rows pending for
    /// more than `olderThan` seconds, i.e. whose direct send never happened (the process died
    /// right after the commit). Each row is claimed first, so it goes out once.
    @discardableResult
    public func deliverOutbox(olderThan: TimeInterval = 60) -> (sent: Int, failed: Int) {
        var sent = 0, failed = 0
        for item in (try? db.pendingOutbox(olderThan: olderThan, context: context)) ?? [] {
            guard let claimed = try? db.claimOutbox(id: item.id, context: context) else { continue }
            do {
                let m = try db.composeOutbox(claimed, context: context)
                let r = send(m)
                try db.finishOutbox(claimed.id, sent: r.sent, error: r.failure?.description, context: context)
                if r.sent { sent += 1 } else { failed += 1 }
            } catch {
                try? db.finishOutbox(claimed.id, sent: false, error: "\(error)", context: context)
                failed += 1
            }
        }
        return (sent, failed)
    }
}
