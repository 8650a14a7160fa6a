import Foundation
import GongzhiDomain
import Testing

@Suite struct VoteWorkflowTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let hour: TimeInterval = 3600

    static func vote(
        _ state: VoteState, basis: VotingBasis = .persons, secrecy: BallotSecrecy = .secret, results: Bool = false
    ) -> Vote {
        Vote(
            id: 1, number: "TP1", communityID: 5, scopeNodeID: 5, title: "加装电梯",
            spec: try! PollSpec(kind: .proposal), basis: basis, matter: basis == .owners ? .rebuild : nil,
            window: try! VoteWindow(opensAt: t0, closesAt: t0 + 2 * hour),
            secrecy: SecrecySetting(secrecy: secrecy, resultsBeforeClose: results), ruleSetID: "national-2026",
            state: state, createdAt: t0 - hour)
    }

    enum Who: String, CaseIterable, Sendable {
        case worker, workerElsewhere, neighbour, neighbourWithRecord, outsider, auditor
        var actor: Actor {
            func at(_ id: Int64, _ role: Role, _ path: String) -> Actor {
                Actor(
                    userID: id, username: rawValue,
                    grants: [RoleGrant(id: id, userID: id, role: role, nodeID: 1, nodePath: path)])
            }
            switch self {
            case .worker: return at(7, .communityWorker, "/1/5/")
            case .workerElsewhere: return at(8, .communityWorker, "/1/50/")
            case .neighbour, .neighbourWithRecord: return at(43, .resident, "/1/5/24/")
            case .outsider: return at(44, .resident, "/1/50/")
            case .auditor: return at(9, .auditor, "/1/")
            }
        }
        var context: VoteContext {
            VoteContext(
                now: VoteWorkflowTests.t0 + 60, path: "/1/5/",
                actorInCommunity: [.neighbour, .neighbourWithRecord].contains(self),
                personID: self == .neighbourWithRecord ? 1001 : nil)
        }
    }

    static let policyCases: [(Who, VoteState, Set<VoteCapability>)] = [
        (Who.worker, VoteState.draft, Set<VoteCapability>([.read, .schedule, .secrecy])),
        (.worker, .scheduled, [.read, .proxy, .issuePaper, .enterBox, .signBox, .secrecy]),
        (.neighbour, .draft, []),
        (.neighbour, .scheduled, [.read]),
        (.neighbourWithRecord, .scheduled, [.read, .cast]),
        (.workerElsewhere, .scheduled, []),
        (.outsider, .published, []),
        (.auditor, .scheduled, []),
    ]

    @Test(arguments: policyCases)
    func whoMayDoWhatWhileTheVoteRuns(who: Who, state: VoteState, expected: Set<VoteCapability>) {
        // The window opened a minute ago: scheduling is over, closing not yet due.
        #expect(VotePolicy.capabilities(of: who.actor, on: Self.vote(state), in: who.context) == expected)
    }

    @Test func aDraftIsScheduledBeforeItsWindowEndsAndClosedOnlyAfter() throws {
        let draft = Self.vote(.draft)
        let scheduled = Self.vote(.scheduled)
        #expect(VoteWorkflow.isAvailable(.schedule, draft, at: Self.t0 + Self.hour))
        #expect(!VoteWorkflow.isAvailable(.schedule, draft, at: Self.t0 + 2 * Self.hour))
        #expect(!VoteWorkflow.isAvailable(.close, scheduled, at: Self.t0 + 2 * Self.hour - 0.001))
        #expect(VoteWorkflow.isAvailable(.close, scheduled, at: Self.t0 + 2 * Self.hour))
        #expect(VoteWorkflow.isAvailable(.publish, Self.vote(.closed), at: Self.t0))
        #expect(scheduled.phase(at: Self.t0 - 1) == .scheduled && scheduled.phase(at: Self.t0) == .open)
        #expect(scheduled.phase(at: Self.t0 + 2 * Self.hour) == .counting)
        // Paper boxes serve every basis; only owners' votes read their paper ballots one by one (art. 278 needs
        // each owner's area and head).
        let owners = Self.vote(.scheduled, basis: .owners, secrecy: .open)
        #expect(VoteWorkflow.isAvailable(.enterBox, owners, at: Self.t0))
        #expect(VoteWorkflow.isAvailable(.paperBallot, owners, at: Self.t0 + 3 * Self.hour))
        #expect(!VoteWorkflow.isAvailable(.paperBallot, scheduled, at: Self.t0))
        #expect(throws: DomainError(.conflict, "vote_step_out_of_order", args: ["close", "scheduled"])) {
            try VotePolicy.require(.close, of: Who.worker.actor, on: scheduled, in: Who.worker.context)
        }
        #expect(throws: DomainError.outsideJurisdiction) {
            try VotePolicy.require(.read, of: Who.outsider.actor, on: scheduled, in: Who.outsider.context)
        }
        #expect(throws: DomainError.forbidden) {
            try VotePolicy.require(.close, of: Who.neighbour.actor, on: scheduled, in: Who.neighbour.context)
        }
    }

    struct DraftCase: Sendable, CustomTestStringConvertible {
        var title = "加装电梯"
        var basis = VotingBasis.persons
        var kind = PollKind.proposal
        var matter: OwnersMatter?
        var secrecy = BallotSecrecy.secret
        var closesIn = 2.0
        var key: String
        var testDescription: String { key }
    }

    static let draftCases: [DraftCase] = [
        DraftCase(title: "", key: "vote_title_required"),
        DraftCase(title: String(repeating: "长", count: 81), key: "vote_title_too_long"),
        DraftCase(closesIn: -1, key: "vote_window_past"),
        DraftCase(basis: .owners, kind: .consent, matter: .rebuild, secrecy: .open, key: "vote_owners_proposal_only"),
        DraftCase(basis: .owners, secrecy: .open, key: "vote_owners_matter_required"),
        DraftCase(basis: .owners, matter: .rebuild, key: "vote_owners_secret_not_offered"),
    ]

    @Test(arguments: draftCases)
    func aDraftIsRefusedWithItsReason(_ c: DraftCase) throws {
        let (title, basis, kind, matter, secrecy, closesIn, key) = (
            c.title, c.basis, c.kind, c.matter, c.secrecy, c.closesIn, c.key
        )
        let now = Self.t0
        let window = try VoteWindow(opensAt: now - 3 * Self.hour, closesAt: now + closesIn * Self.hour)
        #expect(throws: DomainError.self) {
            _ = try VoteWorkflow.checkDraft(
                title: title, spec: try PollSpec(kind: kind), basis: basis, matter: matter, window: window,
                secrecy: SecrecySetting(secrecy: secrecy), proxies: .none, now: now)
        }
        do {
            _ = try VoteWorkflow.checkDraft(
                title: title, spec: try PollSpec(kind: kind), basis: basis, matter: matter, window: window,
                secrecy: SecrecySetting(secrecy: secrecy), proxies: .none, now: now)
        } catch { #expect(error.key == key) }
    }

    @Test func secretResultsStayHiddenUntilTheCloseAndThenFromResidentsUntilPublished() {
        let running = Self.vote(.scheduled, secrecy: .open, results: true)
        #expect(VoteWorkflow.resultsVisible(running, at: Self.t0 + 60, organiser: false))
        #expect(!VoteWorkflow.resultsVisible(Self.vote(.scheduled, results: true), at: Self.t0 + 60, organiser: true))
        #expect(!VoteWorkflow.resultsVisible(Self.vote(.closed), at: Self.t0, organiser: false))
        #expect(VoteWorkflow.resultsVisible(Self.vote(.closed), at: Self.t0, organiser: true))
        #expect(VoteWorkflow.resultsVisible(Self.vote(.published), at: Self.t0, organiser: false))
        #expect(throws: DomainError.invalid("vote_owners_secret_not_offered", field: "secrecy")) {
            _ = try VoteWorkflow.changedSecrecy(
                Self.vote(.scheduled, basis: .owners, secrecy: .open), to: .secret, resultsBeforeClose: false)
        }
        #expect(throws: DomainError(.conflict, "secrecy_one_way")) {
            _ = try VoteWorkflow.changedSecrecy(Self.vote(.scheduled), to: .open, resultsBeforeClose: false)
        }
    }

    static func mark(_ key: VoterKey, _ channel: BallotChannel = .online, box: String? = nil) -> ParticipationRecord {
        ParticipationRecord(voter: key, channel: channel, castBy: 1, byProxy: false, box: box, at: t0)
    }

    static func choice(_ c: ProposalChoice, _ voter: VoterKey? = nil, _ n: UInt8 = 0) -> ChoiceRecord {
        ChoiceRecord(
            ballot: .proposal(c), channel: .online,
            receipt: try! ReceiptCode(randomBytes: [n, 1, 2, 3, 4, 5, 6, 7, 8, 9]), voter: voter)
    }

    @Test func onlineAndSignedPaperBallotsAreCountedTogetherEachVoterOnce() throws {
        // given two online ballots and box A with three paper ballots issued against three signatures
        let spec = try PollSpec(kind: .proposal)
        let marks = [
            Self.mark(.person(1)), Self.mark(.person(2)), Self.mark(.person(3), .paper, box: "A"),
            Self.mark(.person(4), .paper, box: "A"), Self.mark(.person(5), .paper, box: "A"),
        ]
        let box = PaperBoxTotals(
            box: "A", issued: 3, returned: 3, void: 1, marks: [2, 0, 0], scrutineers: ["甲", "乙"],
            tallySheetPhoto: "p")
        // when
        let result = try VoteCount.result(
            spec: spec, basis: .persons, matter: nil, rollSize: 9, owners: [], participation: marks,
            choices: [Self.choice(.yes, nil, 1), Self.choice(.no, nil, 2)], boxes: [box], ruleSetID: "r")
        // then: 5 ballots, 3 yes: more than half of the ballots cast, void counting against
        #expect(result.participants == 5 && result.online == 2 && result.paper == 3)
        #expect(result.poll.ballots == 5 && result.poll.void == 1 && result.poll.options[0].count == 3)
        #expect(result.outcome?.passed == true && result.outcome?.checks.first?.arithmetic == "3/5 = 60.0%")
        // and a box whose issued ballots differ from its signatures is refused, as is a ballot without its mark
        var short = box
        short.issued = 4
        short.returned = 4
        short.marks = [3, 0, 0]
        #expect(throws: DomainError.invalid("paper_issued_mismatch", field: "box", args: ["4", "3"])) {
            _ = try VoteCount.result(
                spec: spec, basis: .persons, matter: nil, rollSize: 9, owners: [], participation: marks,
                choices: [Self.choice(.yes, nil, 1), Self.choice(.no, nil, 2)], boxes: [short], ruleSetID: "r")
        }
        #expect(throws: DomainError(.conflict, "vote_count_mismatch", args: ["1", "2"])) {
            _ = try VoteCount.result(
                spec: spec, basis: .persons, matter: nil, rollSize: 9, owners: [], participation: marks,
                choices: [Self.choice(.yes, nil, 1)], boxes: [box], ruleSetID: "r")
        }
        #expect(throws: DomainError(.conflict, "vote_paper_unboxed", args: ["3", "0"])) {
            _ = try VoteCount.result(
                spec: spec, basis: .persons, matter: nil, rollSize: 9, owners: [], participation: marks,
                choices: [Self.choice(.yes, nil, 1), Self.choice(.no, nil, 2)], boxes: [], ruleSetID: "r")
        }
    }

    @Test func anOwnersVoteShowsItsFourNumbersAndTwoFractions() throws {
        // given three owners of 100, 50 and 50 m²; the first two vote yes on a rebuild (3/4 needed)
        let owners = [(1, 10_000), (2, 5_000), (3, 5_000)].map {
            VoteCount.OwnerEntry(key: .ownerHead(.owner(Int64($0.0))), area: Area(hundredths: Int64($0.1)))
        }
        let keys = owners.map(\.key)
        let result = try VoteCount.result(
            spec: try PollSpec(kind: .proposal), basis: .owners, matter: .rebuild, rollSize: 3, owners: owners,
            participation: [Self.mark(keys[0]), Self.mark(keys[1]), Self.mark(keys[2])],
            choices: [Self.choice(.yes, keys[0], 1), Self.choice(.yes, keys[1], 2), Self.choice(.no, keys[2], 3)],
            boxes: [], ruleSetID: "national-2026")
        let outcome = try #require(result.outcome)
        #expect(outcome.checks.map(\.kind) == [.participationArea, .participationHeads, .consentArea, .consentHeads])
        #expect(
            outcome.checks.map(\.arithmetic) == [
                "200/200 m² = 100.0%", "3/3 = 100.0%", "150/200 m² = 75.0%", "2/3 = 66.7%",
            ])
        // 3/4 of the area but only 2/3 of the heads: not passed
        #expect(!outcome.passed && outcome.failures.map(\.kind) == [.consentHeads])
    }
}
