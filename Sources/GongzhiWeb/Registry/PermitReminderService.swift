import Foundation
import GongzhiStore
import Logging

/// Tells grid workers of residence permits ending within 30 days, once an hour. Every instance may run it: each
/// reminder is claimed by its row (`PermitReminders`).
enum PermitReminderService {
    static func make(_ services: AppServices, every interval: Duration = .seconds(3600)) -> PeriodicService {
        let reminders = PermitReminders(db: services.db, clock: services.clock, channels: services.channels.map(\.name))
        return PeriodicService(label: "gongzhi.permit_reminders", every: interval) { logger in
            let sent = try await reminders.remind()
            if sent > 0 {
                logger.info("told grid workers of expiring residence permits", metadata: ["count": "\(sent)"])
            }
        }
    }
}
