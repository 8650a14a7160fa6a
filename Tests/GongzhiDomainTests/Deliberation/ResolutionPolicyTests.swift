import Foundation
import GongzhiDomain
import Testing

@Suite struct ResolutionPolicyTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// The people around a resolution of the community at "/1/5/".
    enum Who: String, CaseIterable, Sendable {
        case neighbour, outsider, worker, workerElsewhere, executor, handler, subdistrict, auditor, system
        var actor: Actor {
            func at(_ id: Int64, _ role: Role, _ path: String) -> Actor {
                Actor(
                    userID: id, username: rawValue,
                    grants: [RoleGrant(id: id, userID: id, role: role, nodeID: 1, nodePath: path)])
            }
            switch self {
            case .neighbour: return at(43, .resident, "/1/5/24/")
            case .outsider: return at(44, .resident, "/1/50/")
            case .worker: return at(7, .communityWorker, "/1/5/")
            case .workerElsewhere: return at(8, .communityWorker, "/1/50/")
            case .executor: return at(60, .resident, "/1/5/24/")
            case .handler: return at(61, .departmentHandler, "/1/")
            case .subdistrict: return at(62, .subdistrictAdmin, "/1/")
            case .auditor: return at(9, .auditor, "/1/")
            case .system: return .system
            }
        }
        var inCommunity: Bool { [.neighbour, .executor].contains(self) }
        var isExecutor: Bool { self == .executor }
    }

    func resolution(_ state: ResolutionState = .inProgress, round: Int = 1) -> Resolution {
        var r = Resolution(
            id: 1, number: "JY1", communityID: 5, topicID: nil, text: "加装电梯", source: .consultation(meetingID: 2),
            outcome: nil, executors: [.person(60)], adoptedOn: CalendarDate("2026-03-01")!,
            deadline: CalendarDate("2026-06-30")!, state: state)
        r.reviewRound = round
        return r
    }

    func context(_ who: Who, rated: Bool = false, today: String = "2026-05-01") -> ResolutionContext {
        ResolutionContext(
            now: Self.t0, today: CalendarDate(today)!, hasRatedThisRound: rated, path: "/1/5/",
            actorInCommunity: who.inCommunity, actorIsExecutor: who.isExecutor)
    }

    @Test(arguments: [
        (Who.neighbour, [ResolutionCapability.read, .rate]),
        (.outsider, []),
        (.worker, [.read, .reportProgress, .complete, .openReview, .escalate]),
        (.workerElsewhere, []),
        (.executor, [.read, .reportProgress, .complete]),
        (.handler, []),
        (.subdistrict, [.read, .reportProgress, .complete, .openReview, .escalate]),
        (.auditor, []),
        (.system, [.read, .openReview]),
    ])
    func whoMayDoWhatWithAnOpenResolution(_ who: Who, _ expected: [ResolutionCapability]) {
        #expect(ResolutionPolicy.capabilities(of: who.actor, on: resolution(), in: context(who)) == Set(expected))
    }

    @Test func refusalsSayNotFoundToStrangersAndForbiddenToReaders() {
        let r = resolution()
        #expect(throws: DomainError.outsideJurisdiction) {
            try ResolutionPolicy.require(.read, of: Who.outsider.actor, on: r, in: context(.outsider))
        }
        #expect(throws: DomainError.forbidden) {
            try ResolutionPolicy.require(.escalate, of: Who.neighbour.actor, on: r, in: context(.neighbour))
        }
        // Executors do not rate their own work.
        #expect(throws: DomainError.forbidden) {
            try ResolutionPolicy.require(.rate, of: Who.executor.actor, on: r, in: context(.executor))
        }
    }

    @Test func buttonsFollowTheState() {
        // A resident who rated this round sees no rating button; a completed resolution takes no progress.
        #expect(
            !ResolutionPolicy.capabilities(
                of: Who.neighbour.actor, on: resolution(), in: context(.neighbour, rated: true)
            )
            .contains(.rate))
        #expect(
            !ResolutionPolicy.capabilities(of: Who.neighbour.actor, on: resolution(round: 0), in: context(.neighbour))
                .contains(.rate))
        let done = ResolutionPolicy.capabilities(of: Who.worker.actor, on: resolution(.completed), in: context(.worker))
        #expect(done == [.read, .openReview])
        // The server escalates only what is overdue beyond its level.
        let overdue = context(.system, today: "2026-07-01")
        #expect(ResolutionPolicy.capabilities(of: .system, on: resolution(), in: overdue).contains(.escalateOverdue))
    }

    @Test func aResolutionComesFromAHeldQuorateMeetingOfItsCommunity() throws {
        var m = Meeting(
            id: 2, number: "HY1", communityID: 5, kind: .council, title: "议事会", place: "活动室", startsAt: Self.t0,
            announcedAt: Self.t0, ruleSetID: "national-2026")
        #expect(throws: DomainError.invalid("resolution_meeting_not_held", field: "meeting")) {
            try ResolutionPolicy.checkSource(
                .vote(voteID: 3, meetingID: 2), meeting: m, quorum: nil, communityID: 5)
        }
        #expect(throws: DomainError.invalid("resolution_meeting_not_held", field: "meeting")) {
            try ResolutionPolicy.checkSource(.consultation(meetingID: 2), meeting: m, quorum: nil, communityID: 5)
        }
        m.state = .held
        m.quorate = false
        let check = ThresholdCheck(.attendance, part: 50, of: 100, threshold: .moreThan(.half))
        #expect(throws: DomainError(.conflict, "resolution_meeting_not_quorate", args: ["50/100 = 50.0%"])) {
            try ResolutionPolicy.checkSource(.consultation(meetingID: 2), meeting: m, quorum: check, communityID: 5)
        }
        #expect(throws: DomainError.invalid("resolution_meeting_not_held", field: "meeting")) {
            try ResolutionPolicy.checkSource(.consultation(meetingID: 2), meeting: m, quorum: nil, communityID: 6)
        }
        m.quorate = true
        try ResolutionPolicy.checkSource(.consultation(meetingID: 2), meeting: m, quorum: nil, communityID: 5)
    }

    @Test func oneReviewRoundLooksBackAfterCompletionAndThenReviewsStop() throws {
        var r = resolution(.completed, round: 1)
        r.completedOn = CalendarDate("2026-06-01")!
        r.lastReviewOn = CalendarDate("2026-05-01")!
        let ctx = context(.worker, today: "2026-09-01")
        let t = try ResolutionWorkflow.transition(.openReview, of: r, by: Who.worker.actor, in: ctx)
        #expect(t.next.reviewRound == 2)
        #expect(throws: DomainError(.conflict, "resolution_review_closed")) {
            try ResolutionWorkflow.transition(.openReview, of: t.next, by: Who.worker.actor, in: ctx)
        }
        #expect(!ResolutionPolicy.capabilities(of: Who.worker.actor, on: t.next, in: ctx).contains(.openReview))
    }
}
