import Foundation
import GongzhiDomain
import SQLKit

/// Tells each floating resident's grid worker once that the residence permit ends within `PermitReminder.days` days.
/// Each person and end date is claimed by its reminder row in the same transaction as the notice (as the cases' rating
/// reminder does), so several instances never send one twice; a renewed permit (a new end date) is told again.
public struct PermitReminders: Sendable {
    let db: Database
    let clock: Clock
    let channels: [String]
    public init(db: Database, clock: Clock, channels: [String] = []) {
        self.db = db
        self.clock = clock
        self.channels = channels
    }

    /// One pass: how many reminders were sent.
    @discardableResult
    public func remind(batch: Int = 500) async throws -> Int {
        let now = clock.now()
        let today = CalendarDate(now)
        return try await db.command(.system, clock: clock) { tx in
            let box = try tx.requirePersonalData()
            let rows = try await tx.sql.raw(
                """
                SELECT p.id, p.community_id, p.name_sealed, p.residence, p.permit_start, p.permit_end, b.path
                FROM registry_people p JOIN nodes b ON b.id = p.building_id
                WHERE p.residence = 'floating' AND p.moved_out_on IS NULL AND p.anonymised_at IS NULL
                  AND p.permit_end >= \(bind: today.description)
                  AND p.permit_end <= \(bind: today.adding(days: PermitReminder.days).description)
                  AND NOT EXISTS (SELECT 1 FROM registry_reminders r WHERE r.person_id = p.id AND r.kind = 'permit'
                    AND r.reminder_key = p.permit_end)
                ORDER BY p.permit_end, p.id LIMIT \(bind: batch)
                """
            ).all()
            var sent = 0
            for row in rows {
                guard let start = CalendarDate(try row.decode(column: "permit_start", as: String.self)),
                    let end = CalendarDate(try row.decode(column: "permit_end", as: String.self)),
                    let permit = try? ResidencePermit(start: start, end: end),
                    PermitReminder.isDue(.floating, permit, now: now)
                else { continue }
                let person = try row.decode(column: "id", as: Int64.self)
                let community = try row.decode(column: "community_id", as: Int64.self)
                let claimed = try await tx.sql.raw(
                    """
                    INSERT INTO registry_reminders (person_id, community_id, kind, reminder_key, at)
                    VALUES (\(bind: person), \(bind: community), 'permit', \(bind: end.description), \(bind: tx.now.epochMillis))
                    ON CONFLICT (person_id, kind, reminder_key) DO NOTHING RETURNING person_id
                    """
                ).first()
                guard claimed != nil else { continue }
                let workers = try await CareStore.gridWorkers(
                    tx.sql, of: try row.decode(column: "path", as: String.self))
                guard !workers.isEmpty else { continue }
                // The notice names the person masked (notices are not sealed) and the day the permit ends.
                let name = PersonalDataMask.name(try box.open(try row.decode(column: "name_sealed", as: String.self)))
                try await Notifications.notify(
                    tx, users: Set(workers),
                    subject: NoticeSubject(kind: "person", id: person, communityID: community, title: "\(name) \(end)"),
                    kind: "registry.permit_expiring", channels: channels)
                sent += 1
            }
            if sent > 0 {
                try await tx.audit(
                    AuditRecord(
                        action: "registry.permit_reminder", objectType: "person", objectID: "batch", after: "\(sent)"),
                    role: nil)
            }
            return sent
        }
    }
}
