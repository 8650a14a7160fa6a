import Foundation
import GongzhiDomain
import Testing

@Suite struct TopicPolicyTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// The people around a topic of the community at "/1/5/".
    enum Who: String, CaseIterable, Sendable {
        case proposer, neighbour, outsider, worker, workerElsewhere, auditor, system
        var actor: Actor {
            func at(_ id: Int64, _ role: Role, _ path: String) -> Actor {
                Actor(
                    userID: id, username: rawValue,
                    grants: [RoleGrant(id: id, userID: id, role: role, nodeID: 1, nodePath: path)])
            }
            switch self {
            case .proposer: return at(42, .resident, "/1/5/23/")
            case .neighbour: return at(43, .resident, "/1/5/24/")
            case .outsider: return at(44, .resident, "/1/50/")
            case .worker: return at(7, .communityWorker, "/1/5/")
            case .workerElsewhere: return at(8, .communityWorker, "/1/50/")
            case .auditor: return at(9, .auditor, "/1/")
            case .system: return .system
            }
        }
        var inScope: Bool { [.proposer, .neighbour].contains(self) }
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
        (Who.proposer, TopicState.draft, [TopicCapability.read, .edit, .submit, .withdraw]),
        (.neighbour, .draft, []),  // a draft is its proposer's alone
        (.neighbour, .collecting, [.read, .coSign]),
        (.proposer, .collecting, [.read, .coSign, .withdraw]),  // the workflow refuses co-signing one's own
        (.worker, .collecting, [.read, .placeOnAgenda, .archive, .linkCase]),
        (.worker, .onAgenda, [.read, .takeUp, .putToVote, .archive, .linkCase]),
        (.worker, .inMeeting, [.read, .postpone, .decide, .archive, .linkCase]),
        (.worker, .inVote, [.read, .postpone, .decide, .archive, .linkCase]),
        (.neighbour, .onAgenda, [.read]),
        (.neighbour, .inVote, [.read]),
        (.workerElsewhere, .collecting, []),
        (.outsider, .collecting, []),
        (.auditor, .collecting, []),
        (.system, .collecting, [.read]),
    ])
    func eachPersonSeesTheStepsTheirPlaceAllows(who: Who, state: TopicState, expected: [TopicCapability]) {
        // when
        let capabilities = TopicPolicy.capabilities(of: who.actor, on: topic(state), in: context(who))
        // then
        #expect(capabilities == Set(expected))
    }

    @Test func refusalsSayNotFoundToThoseWhoCannotReadAndForbiddenToThoseWhoCan() throws {
        // given a topic collecting co-signatures
        let t = topic(.collecting)
        // when / then
        #expect(throws: DomainError.outsideJurisdiction) {
            try TopicPolicy.require(.placeOnAgenda, of: Who.workerElsewhere.actor, on: t, in: context(.workerElsewhere))
        }
        #expect(throws: DomainError.forbidden) {
            try TopicPolicy.require(.placeOnAgenda, of: Who.neighbour.actor, on: t, in: context(.neighbour))
        }
        #expect(throws: DomainError(.conflict, "topic_step_out_of_order", args: ["decide", "collecting"])) {
            try TopicPolicy.require(.decide, of: Who.worker.actor, on: t, in: context(.worker))
        }
        #expect(
            try TopicPolicy.require(.placeOnAgenda, of: Who.worker.actor, on: t, in: context(.worker))
                == .communityWorker)
    }

    @Test func theCommandLinePutsATopicToTheVoteItDraftsDecidesItAndTakesNoOtherStep() throws {
        // given a topic on the agenda
        let t = topic(.onAgenda)
        let c = TopicContext(now: Self.t0, path: "/1/5/")
        // when / then
        #expect(try TopicPolicy.require(.putToVote, of: .commandLine, on: t, in: c) == .systemAdmin)
        #expect(TopicPolicy.capabilities(of: .commandLine, on: t, in: c) == [.putToVote])
        #expect(throws: DomainError.outsideJurisdiction) {
            try TopicPolicy.require(.takeUp, of: .commandLine, on: t, in: c)
        }
        #expect(TopicPolicy.capabilities(of: .commandLine, on: topic(.inVote), in: c) == [.decide])
        #expect(throws: DomainError.forbidden) {
            try TopicPolicy.require(.putToVote, of: Who.neighbour.actor, on: t, in: context(.neighbour))
        }
    }

    @Test func onlyTheServerExpiresATopic() throws {
        // given a topic whose window has ended below the threshold
        let t = topic(.collecting)
        let late = TopicContext(now: Self.t0 + 86400, path: "/1/5/")
        // when / then
        #expect(try TopicPolicy.require(.expire, of: .system, on: t, in: late) == .systemAdmin)
        #expect(throws: DomainError.forbidden) {
            try TopicPolicy.require(.expire, of: Who.worker.actor, on: t, in: late)
        }
    }
}
