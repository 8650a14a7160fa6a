import Foundation
import GongzhiStore
import Logging

/// Raises overdue cases once a minute and asks reporters once more to rate cases closed three days ago. Every
/// instance may run it: `escalateOverdue` moves each case once, `remindToRate` claims each reminder.
public struct EscalationService: Sendable {
    static func make(_ commands: CaseCommands, every interval: Duration = .seconds(60)) -> PeriodicService {
        PeriodicService(label: "gongzhi.escalation", every: interval) { logger in
            let moved = try await commands.escalateOverdue()
            if moved > 0 { logger.info("escalated overdue cases", metadata: ["count": "\(moved)"]) }
            let reminded = try await commands.remindToRate()
            if reminded > 0 { logger.info("asked reporters to rate", metadata: ["count": "\(reminded)"]) }
        }
    }
}
