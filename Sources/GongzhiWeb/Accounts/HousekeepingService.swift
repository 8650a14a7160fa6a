import Foundation
import GongzhiStore
import Logging

/// Deletes expired sessions, old log-in failures and old idempotency entries once an hour (and at start-up).
/// Every instance may run it: each pass is a few idempotent DELETEs by time.
public struct HousekeepingService: Sendable {
    static let label = "gongzhi.housekeeping"

    static func make(_ housekeeping: Housekeeping, every interval: Duration = .seconds(3600)) -> PeriodicService {
        PeriodicService(label: label, every: interval) { logger in
            let purged = try await housekeeping.purge()
            if purged.total > 0 {
                logger.info(
                    "purged expired rows",
                    metadata: [
                        "sessions": "\(purged.sessions)", "login_failures": "\(purged.loginFailures)",
                        "idempotency_entries": "\(purged.idempotencyEntries)",
                    ])
            }
        }
    }
}
