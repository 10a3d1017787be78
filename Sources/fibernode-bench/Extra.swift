import Foundation
import FiberNodeDomain
import FiberNodeStore

/// Benchmarks of later features measured in the same run: the WhatsApp queue (planning
/// 2,500 reminders; claim + send 1,000 to the fake gateway), on their own small databases.
func extraBenchmarks(db path: String, database: AppDatabase, admin: Actor, context: StoreContext, reps: Int) throws -> [Row] {
    try benchWhatsApp(reps: min(reps, 3))
}
