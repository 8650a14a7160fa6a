import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct MeetingCommandsTests {
    static let day: TimeInterval = 86400

    @Test func aResidentsMeetingNeedsTenDaysNoticeOrAReason() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await DeliberationWorld.make(db)
            let meetings = MeetingCommands(db: db, clock: .fixed(DeliberationWorld.t0))
            var plan = MeetingPlan(
                communityID: w.tree.community.id, kind: .residentsMeeting, title: "加装电梯居民会议", place: "党群服务中心",
                startsAt: DeliberationWorld.t0.addingTimeInterval(5 * Self.day))
            // when / then
            await #expect(
                throws: DomainError.invalid("meeting_notice_too_short", field: "notice_reason", args: ["10", "5"])
            ) {
                _ = try await meetings.schedule(w.worker, plan)
            }
            await #expect(throws: DomainError.forbidden) { _ = try await meetings.schedule(w.resident, plan) }
            plan.noticeReason = "台风过后需紧急商议"
            let short = try await meetings.schedule(w.worker, plan)
            #expect(short.noticeReason == "台风过后需紧急商议" && short.ruleSetID == "national-2026")
            plan.noticeReason = ""
            plan.startsAt = DeliberationWorld.t0.addingTimeInterval(10 * Self.day)
            let inTime = try await meetings.schedule(w.worker, plan)
            #expect(inTime.noticeReason == nil && inTime.number.hasPrefix("HY20261118-"))
        }
    }

    @Test func aMeetingTakesTopicsUpRecordsItsQuorumAndPublishesMinutesOnlyAmendedAfter() async throws {
        try await withTestDatabase { db in
            // given: a topic on the agenda and a council meeting tomorrow
            let w = try await DeliberationWorld.make(db)
            let topic = try await w.topic()
            _ = try await w.commands().perform(w.worker, topic.id, .placeOnAgenda(note: ""))
            let start = DeliberationWorld.t0.addingTimeInterval(Self.day)
            let m = try await MeetingCommands(db: db, clock: .fixed(DeliberationWorld.t0)).schedule(
                w.worker,
                MeetingPlan(
                    communityID: w.tree.community.id, kind: .residentsMeeting, title: "居民会议", place: "活动室",
                    startsAt: start, noticeReason: "紧急"))
            let before = MeetingCommands(db: db, clock: .fixed(DeliberationWorld.t0))
            let after = MeetingCommands(db: db, clock: .fixed(start.addingTimeInterval(3600)))
            // when: the topic is taken up, the meeting held with 51 of 100 households, the minutes published
            _ = try await before.perform(w.worker, m.id, .addTopic(topicID: topic.id))
            await #expect(throws: DomainError(.conflict, "meeting_not_started")) {
                _ = try await before.perform(
                    w.worker, m.id, .hold(basis: .householdRepresentatives, entitled: 100, present: 51))
            }
            await #expect(throws: DomainError.invalid("meeting_basis_not_allowed", field: "basis", args: ["members"])) {
                _ = try await after.perform(w.worker, m.id, .hold(basis: .members, entitled: 100, present: 51))
            }
            let held = try await after.perform(
                w.worker, m.id, .hold(basis: .householdRepresentatives, entitled: 100, present: 50))
            _ = try await after.perform(w.worker, m.id, .editMinutes(text: "会议讨论了加装电梯。"))
            _ = try await after.perform(w.worker, m.id, .publishMinutes(summary: "同意推进加装电梯。"))
            // then: exactly half is not more than half
            #expect(held.quorate == false && held.present == 50)
            await #expect(throws: DomainError(.conflict, "meeting_step_out_of_order", args: ["edit_minutes", "held"])) {
                _ = try await after.perform(w.worker, m.id, .editMinutes(text: "改写"))
            }
            await #expect(throws: DomainError.invalid("minutes_amendment_reason_required", field: "reason")) {
                _ = try await after.perform(w.worker, m.id, .amendMinutes(text: "改写", reason: ""))
            }
            let amended = try await after.perform(
                w.worker, m.id, .amendMinutes(text: "会议讨论了加装电梯和费用分摊。", reason: "补记费用分摊"))
            #expect(amended.minutes.currentText == "会议讨论了加装电梯和费用分摊。")
            #expect(amended.minutes.amendments.first?.previousText == "会议讨论了加装电梯。")
            let record = try await MeetingStore(db: db).record(m.id, for: w.neighbours[0], now: start)
            #expect(record.topics.map(\.id) == [topic.id] && record.topics[0].state == .inMeeting)
            #expect(record.quorum?.isMet == false && record.rules.notice?.minimumDays == 10)
            #expect(record.capabilities == [.read])
            // and the meeting decides the topic on the topic's own page
            let decided = try await w.commands(at: start).perform(
                w.worker, topic.id, .decide(resolutionID: nil, summary: "同意"))
            #expect(decided.state == .decided && decided.meetingID == m.id)
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await MeetingStore(db: db).record(m.id, for: w.outsider, now: start)
            }
        }
    }

    @Test func cancellingPutsItsTopicsBackOnTheAgenda() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await DeliberationWorld.make(db)
            let topic = try await w.topic()
            _ = try await w.commands().perform(w.worker, topic.id, .placeOnAgenda(note: ""))
            let meetings = MeetingCommands(db: db, clock: .fixed(DeliberationWorld.t0))
            let m = try await meetings.schedule(
                w.worker,
                MeetingPlan(
                    communityID: w.tree.community.id, kind: .council, title: "议事会", place: "活动室",
                    startsAt: DeliberationWorld.t0.addingTimeInterval(Self.day)))
            _ = try await meetings.perform(w.worker, m.id, .addTopic(topicID: topic.id))
            // when
            await #expect(throws: DomainError(.conflict, "meeting_changed_meanwhile")) {
                _ = try await meetings.perform(w.worker, m.id, .cancel(reason: "场地冲突"), expectedVersion: 1)
            }
            let cancelled = try await meetings.perform(w.worker, m.id, .cancel(reason: "场地冲突"), expectedVersion: 2)
            // then
            #expect(cancelled.state == .cancelled)
            let back = try await TopicStore(db: db).record(topic.id, for: w.worker, now: DeliberationWorld.t0).topic
            #expect(back.state == .onAgenda && back.meetingID == nil)
        }
    }
}
