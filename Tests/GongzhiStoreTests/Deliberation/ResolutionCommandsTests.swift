import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct ResolutionCommandsTests {
    static let day: TimeInterval = 86400

    @Test func aHeldMeetingAdoptsAResolutionThatDecidesTheTopicAndLinksItsCase() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await ResolutionWorld.make(db)
            // when
            await #expect(throws: DomainError.forbidden) {
                _ = try await w.commands().adopt(
                    w.resident,
                    ResolutionDraft(
                        meetingID: w.meeting.id, text: "更换路灯", executors: [.person(w.worker.userID)],
                        deadline: CalendarDate("2027-01-01")!))
            }
            await #expect(throws: DomainError.invalid("resolution_vote_invalid", field: "vote")) {
                _ = try await w.commands().adopt(
                    w.worker,
                    ResolutionDraft(
                        meetingID: w.meeting.id, voteID: 1, text: "更换路灯", executors: [.person(w.worker.userID)],
                        deadline: CalendarDate("2027-01-01")!))
            }
            await #expect(throws: DomainError.invalid("resolution_executor_unknown", field: "executors")) {
                _ = try await w.commands().adopt(
                    w.worker,
                    ResolutionDraft(
                        meetingID: w.meeting.id, text: "更换路灯", executors: [.body(999_999)],
                        deadline: CalendarDate("2027-01-01")!))
            }
            let r = try await w.adopt()
            // then
            #expect(r.number.hasPrefix("JY") && r.caseIDs == [w.referredCase.id] && r.state == .inProgress)
            let topic = try await TopicStore(db: db).record(w.topic.id, for: w.worker, now: w.heldAt).topic
            #expect(topic.state == .decided && topic.resolutionID == r.id)
            // The topic is decided: a second resolution on it is refused.
            await #expect(throws: DomainError.invalid("resolution_topic_invalid", field: "topic")) {
                _ = try await w.adopt()
            }
            let record = try await ResolutionStore(db: db).record(r.id, for: w.handler, now: w.heldAt)
            #expect(record.capabilities.contains(.reportProgress) && !record.capabilities.contains(.escalate))
            #expect(record.meetingNumber == w.meeting.number && record.cases.map(\.id) == [w.referredCase.id])
            let notices = try await Notifications.list(db, userID: w.handler.userID)
            #expect(notices.contains { $0.kind == "resolution.adopt" })
        }
    }

    @Test func aMeetingWithoutQuorumMakesNoResolution() async throws {
        try await withTestDatabase { db in
            let w = try await ResolutionWorld.make(db, quorate: false)
            await #expect(throws: DomainError(.conflict, "resolution_meeting_not_quorate", args: ["50/100 = 50.0%"])) {
                _ = try await w.adopt()
            }
        }
    }

    @Test func progressCompletionAndTheLoopBackToTheCase() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await ResolutionWorld.make(db)
            let r = try await w.adopt()
            let later = w.commands(at: w.heldAt.addingTimeInterval(2 * Self.day))
            // when: the department reports progress with a photo, then tries to go back
            let step = try await later.perform(
                w.handler, r.id, .reportProgress(note: "已采购灯具", evidence: [], percentDone: 40),
                photos: [ResolutionWorld.png], expectedVersion: r.version)
            await #expect(throws: DomainError(.conflict, "resolution_changed_meanwhile")) {
                try await later.perform(
                    w.handler, r.id, .reportProgress(note: "重复", evidence: [], percentDone: 50),
                    expectedVersion: r.version)
            }
            await #expect(throws: DomainError.invalid("resolution_percent_invalid", field: "percent_done")) {
                try await later.perform(w.handler, r.id, .reportProgress(note: "倒退", evidence: [], percentDone: 30))
            }
            await #expect(throws: DomainError.forbidden) {
                try await later.perform(w.resident, r.id, .reportProgress(note: "我来报", evidence: [], percentDone: 50))
            }
            await #expect(throws: DomainError.invalid("resolution_evidence_required", field: "evidence")) {
                try await later.perform(w.handler, r.id, .complete(note: "已完工", evidence: []))
            }
            let done = try await later.perform(
                w.handler, r.id, .complete(note: "路灯已更换并验收", evidence: ["验收单 2026-11-20"]))
            // then
            #expect(step.percentDone == 40 && done.state == .completed && done.percentDone == 100)
            await #expect(throws: DomainError(.conflict, "resolution_completed")) {
                try await later.perform(w.handler, r.id, .reportProgress(note: "补充", evidence: [], percentDone: 100))
            }
            let record = try await ResolutionStore(db: db).record(r.id, for: w.resident, now: w.heldAt)
            #expect(record.progress.count == 2 && record.progress[0].photoIDs.count == 1)
            #expect(record.progress[1].evidence == ["验收单 2026-11-20"])
            // The case sent to deliberation is closed with the resolution as its result, on its own timeline.
            let c = try await CaseStore(db: db).record(w.referredCase.id, for: w.worker, now: w.heldAt)
            #expect(c.case.status == .closed)
            #expect(c.timeline.contains { $0.action == "resolution_completed" && $0.note.hasPrefix(r.number) })
            let reporterNotices = try await Notifications.list(db, userID: w.resident.userID)
            #expect(reporterNotices.contains { $0.kind == "case.resolution_completed" })
        }
    }

    @Test func residentsRateOncePerReviewRound() async throws {
        try await withTestDatabase { db in
            let w = try await ResolutionWorld.make(db)
            let r = try await w.adopt()
            let c = w.commands()
            await #expect(throws: DomainError(.conflict, "resolution_review_not_open")) {
                try await c.perform(w.resident, r.id, .rate(.satisfied, comment: ""))
            }
            _ = try await c.perform(w.worker, r.id, .openReview)
            _ = try await c.perform(w.resident, r.id, .rate(.basicallySatisfied, comment: "进度可以"))
            await #expect(throws: DomainError(.conflict, "resolution_rated_twice")) {
                try await c.perform(w.resident, r.id, .rate(.dissatisfied, comment: ""))
            }
            await #expect(throws: DomainError.forbidden) {
                try await c.perform(w.handler, r.id, .rate(.satisfied, comment: ""))
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await c.perform(w.deliberation.outsider, r.id, .rate(.satisfied, comment: ""))
            }
            // A new round takes a new rating.
            _ = try await c.perform(w.worker, r.id, .openReview)
            _ = try await c.perform(w.resident, r.id, .rate(.satisfied, comment: ""))
            let record = try await ResolutionStore(db: db).record(r.id, for: w.worker, now: w.heldAt)
            #expect(record.rounds.map(\.round) == [2, 1])
            #expect(record.rounds.map(\.summary.total) == [1, 1])
        }
    }

    @Test func overdueResolutionsEscalateOnceAndReviewRoundsOpenWhenDue() async throws {
        try await withTestDatabase { db in
            // given: a resolution due in 10 days
            let w = try await ResolutionWorld.make(db)
            let r = try await w.adopt(days: 10)
            let sub = Actor.subdistrictAdmin(at: w.tree.subdistrict)
            let district = Actor.districtAdmin(at: w.tree.district)
            // when: the scan runs on the deadline, the day after, twice, and eight days later
            let onDeadline = try await w.commands(at: w.heldAt.addingTimeInterval(10 * Self.day)).followUp()
            let dayAfter = w.heldAt.addingTimeInterval(11 * Self.day)
            let first = try await w.commands(at: dayAfter).followUp()
            let again = try await w.commands(at: dayAfter).followUp()
            let overdueForSub = try await ResolutionStore(db: db).overdue(for: sub, now: dayAfter)
            let overdueForDistrict = try await ResolutionStore(db: db).overdue(for: district, now: dayAfter)
            let late = w.heldAt.addingTimeInterval(19 * Self.day)
            let second = try await w.commands(at: late).followUp()
            // then
            #expect(onDeadline.escalated == 0 && first.escalated == 1 && again.escalated == 0 && second.escalated == 1)
            #expect(overdueForSub.map(\.id) == [r.id] && overdueForDistrict.isEmpty)
            #expect(try await ResolutionStore(db: db).overdue(for: district, now: late).map(\.id) == [r.id])
            let record = try await ResolutionStore(db: db).record(r.id, for: w.worker, now: late)
            #expect(record.resolution.escalationLevel == 2)
            #expect(record.timeline.filter { $0.action == "escalate" }.map(\.note) == ["auto:1", "auto:2"])
            // The review round is due three months after adoption, once.
            let review = w.heldAt.addingTimeInterval(95 * Self.day)
            let opened = try await w.commands(at: review).followUp()
            let openedAgain = try await w.commands(at: review).followUp()
            #expect(opened.reviewsOpened == 1 && openedAgain.reviewsOpened == 0)
        }
    }

    @Test func residentsOfTheCommunityReadResolutionsAndOthersFindNothing() async throws {
        try await withTestDatabase { db in
            let w = try await ResolutionWorld.make(db)
            let r = try await w.adopt(withTopic: false)
            let store = ResolutionStore(db: db)
            #expect(try await store.list(ResolutionFilter(), for: w.resident, now: w.heldAt).map(\.id) == [r.id])
            #expect(try await store.list(ResolutionFilter(), for: w.deliberation.outsider, now: w.heldAt).isEmpty)
            #expect(
                try await store.list(ResolutionFilter(mine: true), for: w.handler, now: w.heldAt).map(\.id) == [r.id])
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await store.record(r.id, for: w.deliberation.outsider, now: w.heldAt)
            }
        }
    }
}
