import Foundation
import GongzhiDomain
import Testing

@Suite struct ResolutionTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let worker = Actor(userID: 7, username: "worker", grants: [])
    let resident = Actor(userID: 42, username: "resident", grants: [])
    static let residents = try! DecisionRuleSet.national2026.rules(for: .residentsMeeting)

    func outcome(present: Int, yes: Int) throws -> DecisionOutcome {
        try Self.residents.decide(
            on: .adultResidents, entitled: 100, present: present, yes: yes, ruleSetID: "national-2026")
    }

    func adopt(
        outcome: DecisionOutcome?, source: ResolutionSource = .vote(voteID: 3, meetingID: 9),
        executors: [Executor] = [.body(4)], deadline: String = "2026-06-30"
    ) throws -> Resolution {
        try Resolution.adopt(
            id: 1, number: "JY1", communityID: 3, topicID: 1, caseIDs: [500], text: "三栋加装电梯，由物业公司实施。", source: source,
            outcome: outcome, executors: executors, adoptedOn: CalendarDate("2026-03-01")!,
            deadline: CalendarDate(deadline)!)
    }

    @Test func aResolutionComesOnlyFromAQuorateVoteThatPassed() throws {
        // given a meeting without quorum, one that voted no, and one that passed
        #expect(throws: DomainError(.conflict, "resolution_meeting_not_quorate", args: ["50/100 = 50.0%"])) {
            try adopt(outcome: outcome(present: 50, yes: 50))
        }
        #expect(throws: DomainError(.conflict, "resolution_vote_not_passed")) {
            try adopt(outcome: outcome(present: 60, yes: 30))
        }
        let r = try adopt(outcome: outcome(present: 60, yes: 31), executors: [.body(4), .person(8), .body(4)])
        // then
        #expect(r.state == .inProgress)
        #expect(r.executors == [.body(4), .person(8)])
        #expect(r.outcome?.passed == true)
    }

    @Test func aConsultationsAgreedResultNeedsNoVote() throws {
        let r = try adopt(outcome: nil, source: .consultation(meetingID: 9))
        #expect(r.source == .consultation(meetingID: 9))
        #expect(throws: DomainError.invalid("resolution_outcome_required", field: "vote")) { try adopt(outcome: nil) }
    }

    @Test func aResolutionNeedsExecutorsAndAFairDeadline() throws {
        let passed = try outcome(present: 60, yes: 40)
        #expect(throws: DomainError.invalid("resolution_executor_required", field: "executors")) {
            try adopt(outcome: passed, executors: [])
        }
        #expect(throws: DomainError.invalid("resolution_deadline_invalid", field: "deadline")) {
            try adopt(outcome: passed, deadline: "2026-02-28")
        }
    }

    @Test(arguments: [
        ("2026-06-30", false, 0),  // on the deadline it is still in time
        ("2026-07-01", true, 1),
        ("2026-07-07", true, 1),
        ("2026-07-08", true, 2),  // more than 7 days late
    ])
    func anOverdueResolutionIsChasedLikeACase(today: String, overdue: Bool, level: Int) throws {
        // given
        let r = try adopt(outcome: outcome(present: 60, yes: 40))
        // then
        #expect(r.isOverdue(on: CalendarDate(today)!) == overdue)
        #expect(ResolutionFollowUp.automaticLevel(r, on: CalendarDate(today)!) == level)
    }

    @Test func theScanRaisesAnOverdueResolutionAndRefusesAnInTimeOne() throws {
        // given
        let r = try adopt(outcome: outcome(present: 60, yes: 40))
        let late = ResolutionContext(now: t0, today: CalendarDate("2026-07-10")!)
        // when
        let raised = try ResolutionWorkflow.transition(.escalateOverdue, of: r, by: .system, in: late)
        // then
        #expect(raised.next.escalationLevel == 2)
        #expect(raised.audience.contains(.watchers(level: 2)))
        #expect(raised.auditResult == "automatic")
        #expect(throws: DomainError(.conflict, "resolution_not_overdue")) {
            try ResolutionWorkflow.transition(
                .escalateOverdue, of: r, by: .system, in: ResolutionContext(now: t0, today: CalendarDate("2026-06-30")!)
            )
        }
    }

    @Test func progressGoesForwardAndCompletionNeedsEvidence() throws {
        // given
        let r = try adopt(outcome: outcome(present: 60, yes: 40))
        let context = ResolutionContext(now: t0, today: CalendarDate("2026-04-01")!)
        // when
        let half = try ResolutionWorkflow.transition(
            .reportProgress(note: "已完成设计", evidence: ["photo-1"], percentDone: 50), of: r, by: worker, in: context)
        // then
        #expect(half.next.percentDone == 50)
        #expect(half.auditBefore == "0")
        #expect(half.auditAfter == "50")
        #expect(throws: DomainError.invalid("resolution_percent_invalid", field: "percent_done")) {
            try ResolutionWorkflow.transition(
                .reportProgress(note: "回退", evidence: [], percentDone: 40), of: half.next, by: worker, in: context)
        }
        #expect(throws: DomainError.invalid("resolution_evidence_required", field: "evidence")) {
            try ResolutionWorkflow.transition(
                .complete(note: "完工", evidence: []), of: half.next, by: worker, in: context)
        }
        let done = try ResolutionWorkflow.transition(
            .complete(note: "电梯已投用", evidence: ["acceptance.pdf"]), of: half.next, by: worker, in: context)
        #expect(done.next.state == .completed)
        #expect(done.next.completedOn == CalendarDate("2026-04-01"))
        #expect(done.audience.contains(.caseReporters))
        #expect(!done.next.isOverdue(on: CalendarDate("2027-01-01")!))
        #expect(throws: DomainError(.conflict, "resolution_completed")) {
            try ResolutionWorkflow.transition(
                .reportProgress(note: "x", evidence: [], percentDone: 100), of: done.next, by: worker, in: context)
        }
    }

    @Test func residentsRateEachReviewRoundOnce() throws {
        // given a resolution whose first review round is open
        let r = try adopt(outcome: outcome(present: 60, yes: 40))
        let context = ResolutionContext(now: t0, today: CalendarDate("2026-06-01")!)
        #expect(throws: DomainError(.conflict, "resolution_review_not_open")) {
            try ResolutionWorkflow.transition(.rate(.satisfied, comment: ""), of: r, by: resident, in: context)
        }
        #expect(ResolutionFollowUp.nextReviewDue(r) == CalendarDate("2026-06-01"))
        #expect(ResolutionFollowUp.isReviewDue(r, on: CalendarDate("2026-06-01")!))
        let open = try ResolutionWorkflow.transition(.openReview, of: r, by: .system, in: context).next
        #expect(!ResolutionFollowUp.isReviewDue(open, on: CalendarDate("2026-08-31")!))
        // when
        let rated = try ResolutionWorkflow.transition(
            .rate(.basicallySatisfied, comment: "进度慢"), of: open, by: resident, in: context)
        // then
        #expect(
            rated.effects == [
                .rating(ReviewRating(round: 1, raterUserID: 42, rating: .basicallySatisfied, comment: "进度慢", at: t0))
            ])
        #expect(throws: DomainError(.conflict, "resolution_rated_twice")) {
            try ResolutionWorkflow.transition(
                .rate(.satisfied, comment: ""), of: open, by: resident,
                in: ResolutionContext(now: t0, hasRatedThisRound: true))
        }
    }

    @Test func aReviewRoundSummarisesItsRatings() {
        // given
        let ratings = [CaseRating.satisfied, .satisfied, .basicallySatisfied, .dissatisfied].enumerated().map {
            ReviewRating(round: 1, raterUserID: Int64($0.offset), rating: $0.element, comment: "", at: t0)
        }
        // when
        let summary = ReviewSummary(ratings)
        // then
        #expect(summary.total == 4)
        #expect(summary.satisfaction == Fraction(3, 4))
        #expect(summary.arithmetic == "3/4 = 75.0%")
        #expect(ReviewSummary([]).satisfaction == nil)
    }

    @Test func manualEscalationStopsAtTheDistrict() throws {
        var r = try adopt(outcome: outcome(present: 60, yes: 40))
        let context = ResolutionContext(now: t0)
        r = try ResolutionWorkflow.transition(.escalate(reason: "居民投诉"), of: r, by: worker, in: context).next
        r = try ResolutionWorkflow.transition(.escalate(reason: "仍无进展"), of: r, by: worker, in: context).next
        #expect(r.escalationLevel == 2)
        #expect(throws: DomainError(.conflict, "resolution_escalation_max")) {
            try ResolutionWorkflow.transition(.escalate(reason: "再次"), of: r, by: worker, in: context)
        }
    }
}
