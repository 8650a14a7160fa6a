import Foundation
import GongzhiDomain
import Testing

@Suite struct TopicRaiseTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    typealias Who = TopicPolicyTests.Who

    @Test(arguments: [
        // Residents and party members raise where they live; organisers anywhere in their subtree.
        (Who.proposer, TopicOrigin.resident, true, Role?.some(.resident)),
        (.proposer, .partyMember, true, .resident),
        (.outsider, .resident, false, nil),
        (.worker, .resident, false, .communityWorker),
        (.worker, .governanceBody(bodyID: 3), false, .communityWorker),
        (.proposer, .governanceBody(bodyID: 3), true, nil),
        (.workerElsewhere, .governanceBody(bodyID: 3), false, nil),
        (.worker, .fromCase(caseID: 9), false, nil),
        (.system, .resident, false, nil),
    ])
    func whoRaisesWhat(_ who: Who, _ origin: TopicOrigin, _ inScope: Bool, _ expected: Role?) {
        let role = try? TopicRaise.require(who.actor, origin: origin, scopePath: "/1/5/", actorInScope: inScope)
        #expect(role == expected)
    }

    @Test func refusalsSayWhy() {
        #expect(throws: DomainError(.forbidden, "topic_raise_outside_scope", field: "scope")) {
            try TopicRaise.require(Who.outsider.actor, origin: .resident, scopePath: "/1/5/", actorInScope: false)
        }
        #expect(throws: DomainError(.forbidden, "topic_body_not_organiser", field: "origin")) {
            try TopicRaise.require(
                Who.proposer.actor, origin: .governanceBody(bodyID: 3), scopePath: "/1/5/", actorInScope: true)
        }
        #expect(throws: DomainError.invalid("topic_origin_invalid", field: "origin")) {
            try TopicRaise.require(
                Who.worker.actor, origin: .fromCase(caseID: 1), scopePath: "/1/5/", actorInScope: false)
        }
        #expect(TopicRaise.number(day: "2026-11-24", id: 7) == "YT20261124-000007")
    }

    @Test(arguments: [
        (CoSignatureRule(threshold: 0, windowDays: 1), true),
        (CoSignatureRule(threshold: 30, windowDays: 365), true),
        (CoSignatureRule(threshold: -1, windowDays: 30), false),
        (CoSignatureRule(threshold: 10, windowDays: 0), false),
        (CoSignatureRule(threshold: 10, windowDays: 366), false),
    ])
    func rulesAreSetByOrganisersWithinBounds(_ rule: CoSignatureRule, _ valid: Bool) {
        #expect(
            ((try? TopicRaise.requireSetRules(Who.worker.actor, communityPath: "/1/5/", rule: rule)) != nil) == valid)
        #expect(throws: DomainError.forbidden) {
            try TopicRaise.requireSetRules(Who.proposer.actor, communityPath: "/1/5/", rule: rule)
        }
        #expect(throws: DomainError.forbidden) {
            try TopicRaise.requireSetRules(Who.workerElsewhere.actor, communityPath: "/1/5/", rule: rule)
        }
    }

    func topic(_ state: TopicState) -> Topic {
        var t = Topic(
            id: 1, number: "YT1", scope: TopicScope(communityID: 5), origin: .resident, proposerUserID: 42,
            title: "加装电梯", body: "三栋老人多。", createdAt: Self.t0, coSignatureThreshold: 10,
            collectUntil: Self.t0 + 86400)
        t.state = state
        return t
    }

    func context(_ who: Who) -> TopicContext {
        TopicContext(now: Self.t0, path: "/1/5/", actorInScope: who.inScope)
    }

    @Test(arguments: [
        (Who.neighbour, TopicState.collecting, true),
        (.neighbour, .draft, false),  // nobody discusses a draft, not even its proposer
        (.proposer, .draft, false),
        (.worker, .onAgenda, true),
        (.neighbour, .archived, false),
        (.outsider, .collecting, false),
        (.auditor, .collecting, false),
    ])
    func whoComments(_ who: Who, _ state: TopicState, _ may: Bool) {
        let t = topic(state)
        #expect(((try? TopicCommentPolicy.requireComment(who.actor, on: t, in: context(who))) != nil) == may)
    }

    @Test func moderationIsTheOrganisersAndReportsAreOthers() {
        let t = topic(.archived)
        let comment = TopicComment(id: 1, topicID: 1, authorUserID: 43, body: "广告", createdAt: Self.t0)
        // Organisers still moderate an archived topic's discussion; residents may not.
        #expect(TopicCommentPolicy.mayModerate(Who.worker.actor, on: t, in: context(.worker)))
        #expect(!TopicCommentPolicy.mayModerate(Who.neighbour.actor, on: t, in: context(.neighbour)))
        #expect(throws: DomainError.invalid("topic_text_required", field: "reason")) {
            try TopicCommentPolicy.requireHide(Who.worker.actor, comment, on: t, in: context(.worker), reason: " ")
        }
        var hidden = comment
        hidden.hiddenAt = Self.t0
        #expect(throws: DomainError(.conflict, "topic_comment_hidden_already")) {
            try TopicCommentPolicy.requireHide(Who.worker.actor, hidden, on: t, in: context(.worker), reason: "广告")
        }
        let open = topic(.collecting)
        #expect(throws: DomainError(.conflict, "topic_comment_report_own")) {
            try TopicCommentPolicy.requireReport(Who.neighbour.actor, comment, on: open, in: context(.neighbour))
        }
        #expect(
            (try? TopicCommentPolicy.requireReport(Who.proposer.actor, comment, on: open, in: context(.proposer)))
                != nil)
        #expect(throws: DomainError.invalid("topic_comment_too_long", field: "comment", args: ["1000"])) {
            try TopicComment.validate(String(repeating: "字", count: 1001))
        }
    }
}
