import Foundation
import Logging
import ServiceLifecycle

/// Work a module runs every `interval` on every instance (at start-up too), until graceful shutdown. The work must be
/// safe to run on several instances at once; a failing pass is logged by the error's type only and the next pass runs.
struct PeriodicService: Service {
    let logger: Logger
    let interval: Duration
    let work: @Sendable (Logger) async throws -> Void

    init(label: String, every interval: Duration, work: @escaping @Sendable (Logger) async throws -> Void) {
        self.logger = Logger(label: label)
        self.interval = interval
        self.work = work
    }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await work(logger) } catch {
                    logger.error("periodic work failed", metadata: ["error_type": "\(type(of: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
