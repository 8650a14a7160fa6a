import Foundation
import GongzhiDomain
import GongzhiStore

/// The deliberation world with a case sent to deliberation whose topic a residents' meeting took up and held:
/// quorate (60 of 100 households) or not (50 of 100). Builders adopt resolutions from it through the real commands.
public struct ResolutionWorld: Sendable {
    public let deliberation: DeliberationWorld
    /// The filed case sent to deliberation; its topic is `topic`.
    public let referredCase: Case
    public let topic: Topic
    public let meeting: Meeting
    /// When the meeting was held; resolutions are adopted then.
    public let heldAt: Date
    public var db: Database { deliberation.db }
    public var worker: Actor { deliberation.worker }
    public var handler: Actor { deliberation.cases.handler }
    public var resident: Actor { deliberation.resident }
    public var tree: SmallTree { deliberation.tree }

    public static func make(_ db: Database, quorate: Bool = true) async throws -> ResolutionWorld {
        let d = try await DeliberationWorld.make(db)
        let t0 = DeliberationWorld.t0
        let filed = try await d.cases.case(in: .filed)
        let referred = try await d.cases.commands().perform(
            d.worker, filed.id, .gridStep(.referToDeliberation, note: "涉及全楼，需居民议定"))
        guard let summary = try await TopicStore(db: db).topics(ofCase: filed.id, for: d.worker, now: t0).first else {
            throw Missing()
        }
        _ = try await d.commands().perform(d.worker, summary.id, .placeOnAgenda(note: ""))
        let start = t0.addingTimeInterval(86400)
        let meetings = MeetingCommands(db: db, clock: .fixed(t0))
        let m = try await meetings.schedule(
            d.worker,
            MeetingPlan(
                communityID: d.tree.community.id, kind: .residentsMeeting, title: "路灯与照明居民会议", place: "党群服务中心",
                startsAt: start, noticeReason: "夜间照明影响出行安全"))
        _ = try await meetings.perform(d.worker, m.id, .addTopic(topicID: summary.id))
        let heldAt = start.addingTimeInterval(3600)
        let held = try await MeetingCommands(db: db, clock: .fixed(heldAt)).perform(
            d.worker, m.id, .hold(basis: .householdRepresentatives, entitled: 100, present: quorate ? 60 : 50))
        let topic = try await TopicStore(db: db).record(summary.id, for: d.worker, now: heldAt).topic
        return ResolutionWorld(
            deliberation: d, referredCase: referred, topic: topic, meeting: held, heldAt: heldAt)
    }

    struct Missing: Error {}

    public func commands(at date: Date? = nil) -> ResolutionCommands {
        ResolutionCommands(db: db, clock: .fixed(date ?? heldAt))
    }

    /// The meeting's resolution on the topic, carried out by the department (the handler's unit) within 30 days.
    public func adopt(withTopic: Bool = true, days: Int = 30) async throws -> Resolution {
        try await commands().adopt(
            worker,
            ResolutionDraft(
                meetingID: meeting.id, topicID: withTopic ? topic.id : nil, text: "更换1栋门口路灯并加装两盏庭院灯，由城建办实施。",
                executors: [.department(deliberation.cases.unit.id)],
                deadline: CalendarDate(heldAt).adding(days: days)))
    }

    public static let png: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
    ]
}
