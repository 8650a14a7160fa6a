import Foundation
import GongzhiStore
import Logging
import ServiceLifecycle

/// Raises overdue cases once a minute. Every instance may run it: `escalateOverdue` moves each case once.
public struct EscalationService: Service {
    let commands: CaseCommands
    let interval: Duration
    let logger = Logger(label: "gongzhi.escalation")

    public init(commands: CaseCommands, interval: Duration = .seconds(60)) {
        self.commands = commands
        self.interval = interval
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown { try await loop() }
    }

    func loop() async throws {
        while !Task.isCancelled {
            do {
                let moved = try await commands.escalateOverdue()
                if moved > 0 { logger.info("escalated overdue cases", metadata: ["count": "\(moved)"]) }
            } catch {
                logger.error("escalation failed", metadata: ["error": "\(String(describing: error).prefix(300))"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
