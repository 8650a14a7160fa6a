import Foundation
import GongzhiDomain
import SQLKit

extension CaseCommands {
    /// Asks reporters once more to rate cases closed three days ago and still unrated (`RatingReminder`). Each case is
    /// claimed by its reminder row in the same transaction as its notice, so several instances never send one twice.
    public func remindToRate(batch: Int = 500) async throws -> Int {
        let now = clock.now()
        let from = now.addingTimeInterval(-RatingReminder.until).epochMillis
        let to = now.addingTimeInterval(-RatingReminder.after).epochMillis
        return try await db.command(.system, clock: clock) { tx in
            let candidates = try await tx.sql.raw(
                """
                SELECT c.* FROM cases c WHERE c.status = 'closed' AND c.rating IS NULL
                  AND c.closed_at BETWEEN \(bind: from) AND \(bind: to)
                  AND NOT EXISTS (SELECT 1 FROM case_reminders r WHERE r.case_id = c.id AND r.kind = 'rate')
                ORDER BY c.closed_at LIMIT \(bind: batch)
                """
            ).all().map { try CaseRow.decode($0).value }.filter { RatingReminder.isDue($0, now: now) }
            var sent = 0
            for c in candidates {
                let claimed = try await tx.sql.raw(
                    """
                    INSERT INTO case_reminders (case_id, community_id, kind, at)
                    VALUES (\(bind: c.id), \(bind: c.communityID), 'rate', \(bind: tx.now.epochMillis))
                    ON CONFLICT (case_id, kind) DO NOTHING RETURNING case_id
                    """
                ).first()
                guard claimed != nil, let reporter = c.reporterUserID else { continue }
                try await Notifications.notify(
                    tx, users: [reporter], subject: CaseNotices.subject(c), kind: "case.rate_reminder",
                    channels: channels)
                sent += 1
            }
            if sent > 0 {
                try await tx.audit(
                    AuditRecord(
                        action: "case.rate_reminder", objectType: "case", objectID: "batch", after: "\(sent)"),
                    role: nil)
            }
            return sent
        }
    }
}
