import Foundation
import GongzhiStore
import Logging
import ServiceLifecycle

/// Deletes expired sessions, old log-in failures and old idempotency entries once an hour (and at start-up).
/// Every instance may run it: each pass is a few idempotent DELETEs by time.
public struct HousekeepingService: Service {
    let housekeeping: Housekeeping
    let interval: Duration
    let logger = Logger(label: "gongzhi.housekeeping")

    public init(housekeeping: Housekeeping, interval: Duration = .seconds(3600)) {
        self.housekeeping = housekeeping
        self.interval = interval
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown { try await loop() }
    }

    func loop() async throws {
        while !Task.isCancelled {
            do {
                let purged = try await housekeeping.purge()
                if purged.total > 0 {
                    logger.info(
                        "purged expired rows",
                        metadata: [
                            "sessions": "\(purged.sessions)", "login_failures": "\(purged.loginFailures)",
                            "idempotency_entries": "\(purged.idempotencyEntries)",
                        ])
                }
            } catch {
                logger.error("housekeeping failed", metadata: ["error_type": "\(type(of: error))"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
