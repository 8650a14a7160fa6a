import Foundation
import GongzhiDomain
import Testing

@Suite struct TopicWorkflowTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let proposer = Actor(userID: 42, username: "proposer", grants: [])
    let neighbour = Actor(userID: 43, username: "neighbour", grants: [])
    let organiser = Actor(userID: 7, username: "worker", grants: [])
    let rule = CoSignatureRule(threshold: 2, windowDays: 30)

    func draft() -> Topic {
        Topic(
            id: 1, number: "YT1", scope: TopicScope(communityID: 3, estateID: 5), origin: .resident, proposerUserID: 42,
            title: "加装电梯", body: "三栋老人多，希望加装电梯。", createdAt: t0)
    }

    func context(at offset: TimeInterval = 0, cosigned: Bool = false, inScope: Bool = true) -> TopicContext {
        TopicContext(
            now: t0 + offset, path: "/1/5/", coSignatureRule: rule, hasCoSigned: cosigned, actorInScope: inScope)
    }

    func step(
        _ command: TopicCommand, _ t: Topic, by actor: Actor? = nil, _ context: TopicContext? = nil
    ) throws
        -> TopicTransition
    {
        try TopicWorkflow.transition(command, of: t, by: actor ?? organiser, in: context ?? self.context())
    }

    func collecting() throws -> Topic { try step(.submit, draft(), by: proposer).next }

    @Test func submittingFixesTheScopesThresholdAndWindow() throws {
        // when
        let t = try step(.submit, draft(), by: proposer)
        // then
        #expect(t.next.state == .collecting)
        #expect(t.next.coSignatureThreshold == 2)
        #expect(t.next.collectUntil == t0 + 30 * 86400)
        #expect(t.action == "submit")
        #expect(t.auditBefore == "draft")
        #expect(t.auditAfter == "collecting")
        #expect(t.note == "0/2")
    }

    @Test func reachingTheThresholdWithinTheWindowPutsTheTopicOnTheAgenda() throws {
        // given a topic needing two co-signatures
        let t = try collecting()
        // when two neighbours co-sign
        let first = try step(.coSign, t, by: neighbour, context(at: 60))
        let second = try step(.coSign, first.next, by: Actor(userID: 44, username: "b", grants: []), context(at: 120))
        // then
        #expect(first.next.state == .collecting)
        #expect(first.effects == [.coSignature(userID: 43)])
        #expect(second.next.state == .onAgenda)
        #expect(second.next.agendaAt == t0 + 120)
        #expect(second.auditResult == "threshold_reached")
        #expect(second.audience.contains(.scopeResidents))
        #expect(second.note == "2/2")
    }

    @Test func coSignaturesAreRefusedTwiceOwnOutsideTheScopeAndAtTheWindowsEnd() throws {
        let t = try collecting()
        let refusals: [(Actor, TopicContext, DomainError)] = [
            (proposer, context(at: 60), DomainError(.conflict, "topic_cosign_own")),
            (neighbour, context(at: 60, cosigned: true), DomainError(.conflict, "topic_cosign_twice")),
            (neighbour, context(at: 60, inScope: false), DomainError(.forbidden, "topic_cosign_outside_scope")),
            (neighbour, context(at: 30 * 86400), DomainError(.conflict, "topic_cosign_window_closed")),
        ]
        for (actor, context, error) in refusals {
            #expect(throws: error) { try step(.coSign, t, by: actor, context) }
        }
    }

    @Test func anExpiredTopicIsArchivedWithItsReason() throws {
        // given one co-signature of two
        let t = try step(.coSign, collecting(), by: neighbour, context(at: 60)).next
        // when the scan runs before and at the window's end
        #expect(!TopicWorkflow.isAvailable(.expire, t, context(at: 30 * 86400 - 1)))
        let expired = try step(.expire, t, by: .system, context(at: 30 * 86400))
        // then
        #expect(expired.next.state == .archived)
        #expect(expired.next.archiveReason == .expired)
        #expect(expired.auditResult == "expired")
        #expect(expired.note == "1/2")
        #expect(throws: DomainError.invalid("topic_archive_reason_invalid", field: "reason")) {
            try step(.archive(.expired, note: "x"), t)
        }
    }

    @Test func theProposerSeesHowFarTheTopicIsFromTheThreshold() throws {
        // given one co-signature of two, ten and a half days before the end
        let t = try step(.coSign, collecting(), by: neighbour, context(at: 60)).next
        // when
        let progress = t.progress(at: t0 + 19.5 * 86400)
        // then
        #expect(progress.count == 1)
        #expect(progress.remaining == 1)
        #expect(progress.daysLeft == 11)
        #expect(!progress.isReached)
        #expect(t.progress(at: t0 + 40 * 86400).daysLeft == 0)
    }

    @Test func theOrganiserCanPlaceATopicDirectly() throws {
        // when
        let placed = try step(.placeOnAgenda(note: "涉及安全，直接上会"), collecting(), context(at: 10))
        // then
        #expect(placed.next.state == .onAgenda)
        #expect(placed.next.placedByOrganiser)
        #expect(placed.auditResult == "organiser")
        #expect(placed.next.progress(at: t0).remaining == 0)
    }

    @Test func aScopeWithoutThresholdGoesStraightOnTheAgenda() throws {
        let t = try TopicWorkflow.transition(
            .submit, of: draft(), by: proposer,
            in: TopicContext(now: t0, path: "/1/5/", coSignatureRule: CoSignatureRule(threshold: 0, windowDays: 1)))
        #expect(t.next.state == .onAgenda)
    }

    @Test func aTopicGoesThroughAMeetingToItsDecision() throws {
        // given a topic on the agenda
        var t = try step(.placeOnAgenda(note: ""), collecting()).next
        // when a meeting takes it up, puts it off, takes it up again and decides
        t = try step(.takeUp(meetingID: 9), t).next
        #expect(t.state == .inMeeting)
        t = try step(.postpone(reason: "时间不够"), t).next
        #expect(t.state == .onAgenda)
        #expect(t.meetingID == nil)
        t = try step(.takeUp(meetingID: 10), t).next
        let decided = try step(.decide(resolutionID: 77, summary: "同意加装"), t)
        // then
        #expect(decided.next.state == .decided)
        #expect(decided.next.resolutionID == 77)
        #expect(decided.audience.contains(.caseReporters))
        #expect(throws: DomainError(.conflict, "topic_step_out_of_order", args: ["withdraw", "decided"])) {
            try step(.archive(.withdrawn, note: ""), decided.next, by: proposer)
        }
        let concluded = try step(.archive(.concluded, note: ""), decided.next)
        #expect(concluded.next.archiveReason == .concluded)
    }

    @Test func aTopicGoesThroughAnOnlineVoteToItsDecision() throws {
        // given a topic on the agenda
        var t = try step(.placeOnAgenda(note: ""), collecting()).next
        // when it is put to an online vote, the vote fails and it goes back on the agenda
        let put = try step(.putToVote(voteID: 31), t)
        #expect(put.next.state == .inVote)
        #expect(put.next.voteID == 31)
        #expect(put.next.meetingID == nil)
        #expect(put.action == "put_to_vote")
        #expect(put.note == "31")
        #expect(put.auditBefore == "onAgenda")
        #expect(put.auditAfter == "inVote")
        #expect(put.audience == [.proposer, .coSigners])
        t = try step(.postpone(reason: "表决未通过"), put.next).next
        #expect(t.state == .onAgenda)
        #expect(t.voteID == nil)
        // then a second vote decides it with its resolution
        t = try step(.putToVote(voteID: 32), t).next
        let decided = try step(.decide(resolutionID: 78, summary: "同意加装"), t)
        #expect(decided.next.state == .decided)
        #expect(decided.next.voteID == 32)
        #expect(decided.next.resolutionID == 78)
        #expect(decided.audience.contains(.caseReporters))
    }

    @Test func aTopicInAVoteMayBeDeclinedButNotTakenUpOrWithdrawn() throws {
        // given a topic put to an online vote
        let t = try step(.putToVote(voteID: 31), step(.placeOnAgenda(note: ""), collecting()).next).next
        // when / then
        #expect(throws: DomainError(.conflict, "topic_step_out_of_order", args: ["take_up", "inVote"])) {
            try step(.takeUp(meetingID: 9), t)
        }
        #expect(throws: DomainError(.conflict, "topic_step_out_of_order", args: ["put_to_vote", "inVote"])) {
            try step(.putToVote(voteID: 33), t)
        }
        #expect(throws: DomainError(.conflict, "topic_step_out_of_order", args: ["withdraw", "inVote"])) {
            try step(.archive(.withdrawn, note: ""), t, by: proposer)
        }
        #expect(try step(.archive(.declined, note: "表决未通过"), t).next.archiveReason == .declined)
    }

    @Test(arguments: [
        (TopicState.draft, TopicCapability.decide),
        (.collecting, .takeUp),
        (.draft, .putToVote),
        (.collecting, .putToVote),
        (.inMeeting, .putToVote),
        (.decided, .putToVote),
        (.archived, .putToVote),
        (.onAgenda, .postpone),
        (.archived, .archive),
        (.decided, .coSign),
    ])
    func stepsOutOfOrderAreRefused(state: TopicState, capability: TopicCapability) {
        var t = draft()
        t.state = state
        #expect(!TopicWorkflow.isAvailable(capability, t, context()))
    }

    @Test func aDecisionOutOfOrderNamesTheStepAndTheState() {
        #expect(throws: DomainError(.conflict, "topic_step_out_of_order", args: ["decide", "draft"])) {
            try step(.decide(resolutionID: nil, summary: "x"), draft())
        }
        #expect(throws: DomainError(.conflict, "topic_step_out_of_order", args: ["co_sign", "draft"])) {
            try step(.coSign, draft(), by: neighbour)
        }
    }

    @Test func aTopicFromACaseLinksFurtherCasesOnce() throws {
        // given a topic raised from case 500
        var t = draft()
        t.origin = .fromCase(caseID: 500)
        // when / then
        #expect(t.caseID == 500)
        #expect(try step(.linkCase(caseID: 501), t).effects == [.linkCase(caseID: 501)])
        #expect(throws: DomainError(.conflict, "topic_case_linked_already")) { try step(.linkCase(caseID: 500), t) }
        #expect(throws: DomainError(.conflict, "topic_case_linked_already")) {
            try TopicWorkflow.transition(
                .linkCase(caseID: 501), of: t, by: organiser,
                in: TopicContext(now: t0, path: "/1/5/", linkedCaseIDs: [501]))
        }
    }

    @Test(arguments: [
        (TopicScope(communityID: 1), TopicScopeKind.community, 30),
        (TopicScope(communityID: 1, estateID: 2), .estate, 20),
        (TopicScope(communityID: 1, estateID: 2, buildingID: 3), .building, 10),
    ])
    func eachScopeKindHasItsThreshold(scope: TopicScope, kind: TopicScopeKind, threshold: Int) {
        #expect(scope.kind == kind)
        #expect(CoSignatureRules.projectDefault.rule(for: kind).threshold == threshold)
    }

    @Test func aDraftNeedsItsTitleAndText() {
        #expect(throws: DomainError.invalid("topic_title_required", field: "title")) {
            try step(.edit(title: " ", body: "x"), draft(), by: proposer)
        }
        #expect(throws: DomainError.invalid("topic_body_too_long", field: "body", args: ["4000"])) {
            try step(.edit(title: "t", body: String(repeating: "字", count: 4001)), draft(), by: proposer)
        }
    }
}
