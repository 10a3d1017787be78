import Foundation
import FiberNodeDomain
import FiberNodeStore

/// Benchmarks of later features (WhatsApp queue planning, claim and send) plug in here.
func extraBenchmarks(db path: String, database: AppDatabase, admin: Actor, context: StoreContext, reps: Int) throws -> [Row] {
    []
}
