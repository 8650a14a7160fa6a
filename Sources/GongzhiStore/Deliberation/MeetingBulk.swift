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
        let id = try await tx.sql.raw(
            """
            INSERT INTO meetings (number, community_id, kind, title, place, starts_at, announced_at, notice_reason,
              rule_set_id, state, basis, entitled, present, quorate, held_at, minutes, summary, updated_at, version)
            VALUES (\(bind: "tmp-\(UUID().uuidString)"), \(bind: m.communityID), \(bind: m.kind.rawValue), \(bind: m.title),
              \(bind: m.place), \(bind: m.startsAt.epochMillis), \(bind: m.announcedAt.epochMillis), \(bind: m.noticeReason),
              \(bind: m.ruleSetID), \(bind: m.state.rawValue), \(bind: m.basis?.rawValue), \(bind: m.entitled), \(bind: m.present),
              \(bind: m.quorate.map { $0 ? 1 : 0 }), \(bind: m.heldAt?.epochMillis), \(bind: MeetingStore.encodeMinutes(m.minutes)),
              \(bind: m.summary), \(bind: (events.last?.1 ?? m.announcedAt).epochMillis), 1)
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
}
