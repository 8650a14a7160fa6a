import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

/// A topic decided by an online vote with no meeting (issue 13): the vote's draft puts the topic to it, the vote's
/// resolution decides it and links its cases, and carrying the resolution out closes the loop back to them, as a
/// meeting's does.
@Suite struct TopicOnlineVoteTests {
    func plan(_ w: VoteWorld, topic: Int64?) throws -> VotePlan {
        VotePlan(
            communityID: w.tree.community.id, topicID: topic, title: "路灯更换表决", spec: try PollSpec(kind: .proposal),
            basis: .persons, opensAt: VoteWorld.t0 + VoteWorld.hour, closesAt: VoteWorld.closing, secrecy: .secret)
    }

    @Test func aTopicFromACaseIsDecidedByAnOnlineVoteAndItsResolutionClosesTheLoop() async throws {
        try await withTestDatabase { db in
            // given a case sent to deliberation, whose topic collects co-signatures
            let w = try await VoteWorld.make(db)
            let d = w.deliberation
            let t0 = VoteWorld.t0
            let filed = try await d.cases.case(in: .filed)
            let referred = try await d.cases.commands().perform(
                d.worker, filed.id, .gridStep(.referToDeliberation, note: "涉及全楼，需居民议定"))
            guard let summary = try await TopicStore(db: db).topics(ofCase: filed.id, for: d.worker, now: t0).first
            else {
                Issue.record("the case made no topic")
                return
            }
            // when a vote is drafted on it before it is on the agenda: refused, and nothing is written
            await #expect(throws: DomainError.invalid("vote_topic_not_on_agenda", field: "topic")) {
                _ = try await w.commands().draft(w.worker, try plan(w, topic: summary.id))
            }
            #expect(try await w.store.list(for: w.worker, topicID: summary.id, meetingID: nil).isEmpty)
            // when it is placed on the agenda and an online vote is drafted on it
            _ = try await d.commands().perform(d.worker, summary.id, .placeOnAgenda(note: ""))
            let drafted = try await w.commands().draft(w.worker, try plan(w, topic: summary.id))
            let v = try await w.commands().perform(w.worker, drafted.id, .schedule)
            // then the topic is in the vote, with its timeline line, notice and audit entry
            var record = try await TopicStore(db: db).record(summary.id, for: d.worker, now: t0)
            #expect(record.topic.state == .inVote && record.topic.voteID == v.id && record.topic.meetingID == nil)
            #expect(record.timeline.contains { $0.action == "put_to_vote" && $0.note == "\(v.id)" })
            #expect(!record.capabilities.contains(.takeUp) && record.capabilities.contains(.decide))
            let proposer = try #require(record.topic.proposerUserID)
            #expect(try await Notifications.list(db, userID: proposer).contains { $0.kind == "topic.put_to_vote" })
            let audited = try await db.read { sql in
                try await sql.raw(
                    "SELECT action, role FROM audit_log WHERE object_type = 'topic' AND object_id = \(bind: "\(summary.id)") ORDER BY seq"
                ).all().map {
                    (try $0.decode(column: "action", as: String.self), try $0.decode(column: "role", as: String?.self))
                }
            }
            #expect(audited.last?.0 == "topic.put_to_vote" && audited.last?.1 == Role.communityWorker.rawValue)
            // and a second online vote on it is refused: it is in a vote already
            await #expect(throws: DomainError.invalid("vote_topic_not_on_agenda", field: "topic")) {
                _ = try await w.commands().draft(w.worker, try plan(w, topic: summary.id))
            }
            // when three of four voters say yes and the vote closes
            for voter in w.voters.prefix(3) {
                _ = try await w.commands(at: VoteWorld.during).cast(voter, v.id, .proposal(.yes))
            }
            _ = try await w.commands(at: VoteWorld.closing + 60).perform(w.worker, v.id, .close)
            let later = ResolutionCommands(db: db, clock: .fixed(VoteWorld.closing + 120))
            func draft(topic: Int64?) -> ResolutionDraft {
                ResolutionDraft(
                    meetingID: nil, voteID: v.id, topicID: topic, text: "更换1栋门口路灯并加装两盏庭院灯，由城建办实施。",
                    executors: [.department(d.cases.unit.id)], deadline: CalendarDate(t0).adding(days: 30))
            }
            // then a resolution of the vote naming another topic is refused
            let other = try await d.topic()
            await #expect(throws: DomainError.invalid("resolution_topic_invalid", field: "topic")) {
                _ = try await later.adopt(w.worker, draft(topic: other.id))
            }
            // and one naming no topic decides the vote's, linking the case it came from
            let r = try await later.adopt(w.worker, draft(topic: nil))
            #expect(r.topicID == summary.id && r.caseIDs == [referred.id])
            #expect(r.source == .vote(voteID: v.id, meetingID: nil) && r.outcome?.passed == true)
            record = try await TopicStore(db: db).record(summary.id, for: d.worker, now: VoteWorld.closing + 120)
            #expect(record.topic.state == .decided && record.topic.resolutionID == r.id && record.topic.voteID == v.id)
            let stored = try await ResolutionStore(db: db).record(r.id, for: w.worker, now: VoteWorld.closing + 120)
            #expect(stored.cases.map(\.id) == [referred.id] && stored.topic?.id == summary.id)
            // The topic is decided: a second resolution of the vote is refused.
            await #expect(throws: DomainError.invalid("resolution_topic_invalid", field: "topic")) {
                _ = try await later.adopt(w.worker, draft(topic: summary.id))
            }
            // when the department carries it out
            let done = try await ResolutionCommands(db: db, clock: .fixed(VoteWorld.closing + 86400)).perform(
                d.cases.handler, r.id, .complete(note: "路灯已更换并验收", evidence: ["验收单 2026-11-20"]))
            // then the case sent to deliberation is closed with the resolution as its result
            #expect(done.state == .completed)
            let c = try await CaseStore(db: db).record(referred.id, for: d.worker, now: VoteWorld.closing + 86400)
            #expect(c.case.status == .closed)
            #expect(c.timeline.contains { $0.action == "resolution_completed" && $0.note.hasPrefix(r.number) })
            #expect(
                try await Notifications.list(db, userID: d.resident.userID).contains {
                    $0.kind == "case.resolution_completed"
                })
        }
    }

    @Test func aFailedVoteSendsItsTopicBackToTheAgendaAndAMeetingsVoteLeavesItsTopicAlone() async throws {
        try await withTestDatabase { db in
            // given a topic on the agenda put to an online vote
            let w = try await VoteWorld.make(db)
            let d = w.deliberation
            let topic = try await d.topic()
            _ = try await d.commands().perform(d.worker, topic.id, .placeOnAgenda(note: ""))
            let v = try await w.commands().draft(w.worker, try plan(w, topic: topic.id))
            // when the vote fails, the organiser postpones the topic
            let back = try await d.commands().perform(d.worker, topic.id, .postpone(reason: "表决未通过"))
            // then it is on the agenda again, no longer in the vote
            #expect(back.state == .onAgenda && back.voteID == nil && v.topicID == topic.id)
            // when a meeting's vote is drafted on it, the topic stays where it is (the meeting decides)
            let m = try await MeetingCommands(db: db, clock: .fixed(VoteWorld.t0)).schedule(
                w.worker,
                MeetingPlan(
                    communityID: w.tree.community.id, kind: .residentsMeeting, title: "加装电梯居民会议", place: "党群服务中心",
                    startsAt: VoteWorld.t0 + 86400, noticeReason: "电梯停运影响老人出行"))
            var atMeeting = try plan(w, topic: topic.id)
            atMeeting.meetingID = m.id
            _ = try await w.commands().draft(w.worker, atMeeting)
            let after = try await TopicStore(db: db).record(topic.id, for: d.worker, now: VoteWorld.t0).topic
            #expect(after.state == .onAgenda && after.voteID == nil)
        }
    }
}
