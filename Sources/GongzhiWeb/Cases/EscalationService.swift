import Foundation
import GongzhiStore
import Logging

/// Raises overdue cases once a minute. Every instance may run it: `escalateOverdue` moves each case once.
public struct EscalationService: Sendable {
    static func make(_ commands: CaseCommands, every interval: Duration = .seconds(60)) -> PeriodicService {
        PeriodicService(label: "gongzhi.escalation", every: interval) { logger in
            let moved = try await commands.escalateOverdue()
            if moved > 0 { logger.info("escalated overdue cases", metadata: ["count": "\(moved)"]) }
        }
    }
}
