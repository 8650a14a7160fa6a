import Foundation
import GongzhiDomain
import SQLKit

/// A meeting to seed as it stands after its history: announced, and held with its attendance and published minutes
/// when `present` is given.
public struct MeetingSeed: Sendable {
    public var communityID: Int64
    public var kind: MeetingKind
    public var title: String
    public var place: String
    public var startsAt: Date
    public var announcedAt: Date
    public var noticeReason: String?
    public var basis: CountBasis?
    public var entitled: Int?
    public var present: Int?
    public var minutes = ""
    public var summary = ""
    /// Cancelled (after its notice, before it met) with this reason, when given.
    public var cancelReason: String?

    public init(
        communityID: Int64, kind: MeetingKind, title: String, place: String, startsAt: Date, announcedAt: Date
    ) {
        self.communityID = communityID
        self.kind = kind
        self.title = title
        self.place = place
        self.startsAt = startsAt
        self.announcedAt = announcedAt
    }
}

/// The meetings' fast path for seeding: command line only (`forbidden` otherwise), no per-row policy or audit;
/// the notice, quorum and minutes still go through the domain's rules.
public struct MeetingBulk: Sendable {
    let tx: Transaction

    public init(_ tx: Transaction) throws(DomainError) {
        try tx.requireCommandLine()
        self.tx = tx
    }

    @discardableResult
    public func add(_ seed: MeetingSeed) async throws -> (id: Int64, number: String) {
        let set = try DecisionRuleCatalogue.national.inForce(on: CalendarDate(seed.announcedAt))
        let rules = try set.rules(for: seed.kind)
        let (title, place, reason) = try MeetingWorkflow.checkSchedule(
            title: seed.title, place: seed.place, startsAt: seed.startsAt, noticeReason: seed.noticeReason ?? "",
            now: seed.announcedAt, rules: rules)
        var m = Meeting(
            id: 0, number: "", communityID: seed.communityID, kind: seed.kind, title: title, place: place,
            startsAt: seed.startsAt, announcedAt: seed.announcedAt, noticeReason: reason, ruleSetID: set.id)
        var events: [(String, Date, String)] = [("schedule", seed.announcedAt, reason ?? "")]
        if let present = seed.present, let entitled = seed.entitled {
            let at = seed.startsAt.addingTimeInterval(7200)
            let context = MeetingContext(now: at, path: "", actorInCommunity: false, rules: rules)
            m = try MeetingWorkflow.transition(
                .hold(basis: seed.basis, entitled: entitled, present: present), of: m, by: tx.actor, in: context
            ).next
            m.minutes = try m.minutes.edited(seed.minutes)
            m = try MeetingWorkflow.transition(
                .publishMinutes(summary: seed.summary), of: m, by: tx.actor,
                in: MeetingContext(now: at.addingTimeInterval(86400), path: "", actorInCommunity: false, rules: rules)
            ).next
            events += [
                ("hold", at, "\(present)/\(entitled)"), ("edit_minutes", at, ""),
                ("publish_minutes", at.addingTimeInterval(86400), ""),
            ]
        }
        if let reason = seed.cancelReason, seed.present == nil {
            let at = seed.announcedAt.addingTimeInterval(3600)
            let (next, _, note) = try MeetingWorkflow.transition(
                .cancel(reason: reason), of: m, by: tx.actor,
                in: MeetingContext(now: at, path: "", actorInCommunity: false, rules: rules))
            m = next
            events.append(("cancel", at, note))
        }
        let id = try await tx.sql.raw(
            """
            INSERT INTO meetings (number, community_id, kind, title, place, starts_at, announced_at, notice_reason,
              rule_set_id, state, basis, entitled, present, quorate, held_at, minutes, summary, cancel_reason, updated_at,
              version)
            VALUES (\(bind: "tmp-\(UUID().uuidString)"), \(bind: m.communityID), \(bind: m.kind.rawValue), \(bind: m.title),
              \(bind: m.place), \(bind: m.startsAt.epochMillis), \(bind: m.announcedAt.epochMillis), \(bind: m.noticeReason),
              \(bind: m.ruleSetID), \(bind: m.state.rawValue), \(bind: m.basis?.rawValue), \(bind: m.entitled), \(bind: m.present),
              \(bind: m.quorate.map { $0 ? 1 : 0 }), \(bind: m.heldAt?.epochMillis), \(bind: MeetingStore.encodeMinutes(m.minutes)),
              \(bind: m.summary), \(bind: m.cancelReason), \(bind: (events.last?.1 ?? m.announcedAt).epochMillis), 1)
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        let number = Meeting.number(day: WorkCalendar.dayKey(seed.announcedAt), id: id)
        try await tx.sql.raw("UPDATE meetings SET number = \(bind: number) WHERE id = \(bind: id)").run()
        for (action, at, note) in events {
            try await tx.sql.raw(
                """
                INSERT INTO meeting_events (meeting_id, community_id, at, actor_user_id, action, note)
                VALUES (\(bind: id), \(bind: m.communityID), \(bind: at.epochMillis), NULL, \(bind: action), \(bind: note))
                """
            ).run()
        }
        return (id, number)
    }

    /// Signs in the first `count` households of the meeting's community, one adult living there each, on the
    /// household basis, a minute apart from `from`: each signature through the sheet's own rules.
    @discardableResult
    public func signInHouseholds(_ meetingID: Int64, count: Int, from: Date) async throws -> Int {
        guard
            let meeting = try await tx.sql.raw(
                "SELECT community_id, kind, rule_set_id, state FROM meetings WHERE id = \(bind: meetingID)"
            ).first()
        else { throw DomainError.notFound }
        let communityID = try meeting.decode(column: "community_id", as: Int64.self)
        let kind = try meeting.decode(column: "kind", as: String.self)
        let state = MeetingState(rawValue: try meeting.decode(column: "state", as: String.self)) ?? .scheduled
        let rules = try MeetingStore.rules(
            MeetingKind(rawValue: kind) ?? .residentsMeeting,
            ruleSetID: try meeting.decode(column: "rule_set_id", as: String.self))
        let today = CalendarDate(from)
        let rows = try await tx.sql.raw(
            """
            SELECT id, household_id, birth_date FROM registry_people
            WHERE community_id = \(bind: communityID) AND household_id IS NOT NULL AND moved_out_on IS NULL
              AND anonymised_at IS NULL
            ORDER BY household_id, id
            """
        ).all()
        var sheet: AttendanceSheet?
        var seen: Set<Int64> = []
        for row in rows where (sheet?.present ?? 0) < count {
            let household = try row.decode(column: "household_id", as: Int64.self)
            let age = CalendarDate(try row.decode(column: "birth_date", as: String.self))?.age(on: today) ?? 0
            guard age >= AttendanceSheet.adultAge, seen.insert(household).inserted else { continue }
            let person = try row.decode(column: "id", as: Int64.self)
            let at = from.addingTimeInterval(Double(sheet?.present ?? 0) * 60)
            sheet = try AttendanceSheet.signIn(
                AttendanceSigner(
                    personID: person, householdID: household, inScope: true, age: age),
                basis: .householdRepresentatives, on: sheet, state: state, rules: rules, at: at)
            try await tx.sql.raw(
                """
                INSERT INTO meeting_attendance (meeting_id, community_id, person_id, household_id, household_key,
                  signed_at, recorded_by)
                VALUES (\(bind: meetingID), \(bind: communityID), \(bind: person), \(bind: household), \(bind: household),
                  \(bind: at.epochMillis), NULL)
                """
            ).run()
        }
        guard let sheet else { return 0 }
        try await tx.sql.raw(
            "UPDATE meetings SET attendance_basis = \(bind: sheet.basis.rawValue) WHERE id = \(bind: meetingID)"
        ).run()
        return sheet.present
    }
}
