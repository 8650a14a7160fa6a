import Foundation
import GongzhiDomain
import Testing

@Suite struct MeetingWorkflowTests {
    // 2026-03-01 12:00 in Asia/Shanghai.
    static let now = Date(timeIntervalSince1970: 1_772_337_600)
    static let day: TimeInterval = 86400
    static let rules2026 = try! DecisionRuleCatalogue.national.inForce(on: CalendarDate(year: 2026, month: 3, day: 1)!)

    static func rules(_ kind: MeetingKind) -> MeetingRules { try! rules2026.rules(for: kind) }

    @Test(arguments: [
        // A residents' meeting: announced 1 March, 10 days allows 11 March; 9 days needs a reason.
        (MeetingKind.residentsMeeting, 10.0, "", true),
        (.residentsMeeting, 9.0, "", false),
        (.residentsMeeting, 9.0, "汛期", true),
        (.council, 1.0, "", true),
    ])
    func noticeIsTheKindsRule(_ kind: MeetingKind, _ days: Double, _ reason: String, _ allowed: Bool) {
        let checked = try? MeetingWorkflow.checkSchedule(
            title: "会议", place: "活动室", startsAt: Self.now.addingTimeInterval(days * Self.day), noticeReason: reason,
            now: Self.now, rules: Self.rules(kind))
        #expect((checked != nil) == allowed)
        if let checked { #expect(checked.reason == (reason.isEmpty ? nil : reason)) }
    }

    func meeting(_ kind: MeetingKind) -> Meeting {
        Meeting(
            id: 1, number: "HY1", communityID: 5, kind: kind, title: "会议", place: "活动室", startsAt: Self.now,
            announcedAt: Self.now - 20 * Self.day, ruleSetID: Self.rules2026.id)
    }

    func context(_ kind: MeetingKind) -> MeetingContext {
        MeetingContext(now: Self.now, path: "/1/5/", actorInCommunity: false, rules: Self.rules(kind))
    }

    static let worker = Actor(
        userID: 7, username: "worker",
        grants: [RoleGrant(id: 7, userID: 7, role: .communityWorker, nodeID: 5, nodePath: "/1/5/")])

    @Test(arguments: [
        // More than half of the households: exactly half is not enough.
        (MeetingKind.residentsMeeting, CountBasis.householdRepresentatives, 100, 50, false),
        (.residentsMeeting, .householdRepresentatives, 100, 51, true),
        (.residentsMeeting, .adultResidents, 3, 2, true),
        // Representatives: at least two thirds of the members; exactly two thirds is enough.
        (.representativesAssembly, .members, 30, 20, true),
        (.representativesAssembly, .members, 30, 19, false),
    ])
    func quorumIsTheKindsRule(
        _ kind: MeetingKind, _ basis: CountBasis, _ entitled: Int, _ present: Int, _ quorate: Bool
    )
        throws
    {
        let held = try MeetingWorkflow.transition(
            .hold(basis: basis, entitled: entitled, present: present), of: meeting(kind), by: Self.worker,
            in: context(kind)
        ).next
        #expect(held.quorate == quorate && held.state == .held)
        #expect(MeetingWorkflow.quorumCheck(held, rules: Self.rules(kind))?.isMet == quorate)
    }

    @Test func aConsultationHasNoQuorumAndCountsMustBePossible() throws {
        let held = try MeetingWorkflow.transition(
            .hold(basis: nil, entitled: 40, present: 3), of: meeting(.dialogue), by: Self.worker,
            in: context(.dialogue)
        ).next
        #expect(held.quorate == true)
        #expect(throws: DomainError.invalid("meeting_count_invalid", field: "present")) {
            try MeetingWorkflow.transition(
                .hold(basis: .householdRepresentatives, entitled: 10, present: 11), of: meeting(.residentsMeeting),
                by: Self.worker, in: context(.residentsMeeting))
        }
        #expect(throws: DomainError.invalid("meeting_basis_not_allowed", field: "basis", args: [""])) {
            try MeetingWorkflow.transition(
                .hold(basis: nil, entitled: 10, present: 6), of: meeting(.residentsMeeting), by: Self.worker,
                in: context(.residentsMeeting))
        }
    }

    @Test func onlyOrganisersRunAMeetingAndResidentsOfTheCommunityReadIt() {
        let m = meeting(.council)
        let resident = Actor(
            userID: 42, username: "r",
            grants: [RoleGrant(id: 1, userID: 42, role: .resident, nodeID: 9, nodePath: "/1/5/9/")])
        var inside = context(.council)
        inside.actorInCommunity = true
        #expect(MeetingPolicy.capabilities(of: resident, on: m, in: inside) == [.read])
        #expect(MeetingPolicy.capabilities(of: resident, on: m, in: context(.council)).isEmpty)
        #expect(
            MeetingPolicy.capabilities(of: Self.worker, on: m, in: context(.council)) == [
                .read, .addTopic, .hold, .cancel, .signIn, .removeSignature, .attach, .removeAttachment,
            ])
        #expect(throws: DomainError.forbidden) {
            try MeetingPolicy.require(.hold, of: resident, on: m, in: inside)
        }
    }
}
