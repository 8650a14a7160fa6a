import Foundation
import GongzhiDomain
import Testing

/// Paper ballots of owners' votes (issue 13): each recorded against its owner, once across channels, in the box the
/// owner signed at; a box's totals must be what its ballots say; the close merges paper and online into art. 278's
/// four numbers and two fractions.
@Suite struct PaperOwnerBallotsTests {
    let owner1 = VoterKey.ownerHead(.owner(1))
    let t = Date(timeIntervalSince1970: 1_800_000_000)

    func mark(_ voter: VoterKey, _ channel: BallotChannel, box: String? = nil) -> ParticipationRecord {
        ParticipationRecord(voter: voter, channel: channel, castBy: 0, byProxy: false, box: box, at: t)
    }

    @Test func aCorrectionNeedsARecordedBallotInThatBoxAnotherMarkAndAReason() throws {
        let recorded = PaperOwnerBallot(voter: owner1, box: "A", mark: .no)
        let fixed = PaperOwnerBallot(voter: owner1, box: "A", mark: .yes)
        #expect(try PaperOwnerBallots.correct(fixed, recorded: recorded, reason: "  看错行 ") == "看错行")
        #expect(throws: DomainError.invalid("vote_paper_ballot_not_recorded", field: "voter", args: ["owner:1"])) {
            try PaperOwnerBallots.correct(fixed, recorded: nil, reason: "看错行")
        }
        #expect(throws: DomainError.invalid("vote_paper_ballot_other_box", field: "box", args: ["owner:1", "A"])) {
            try PaperOwnerBallots.correct(
                PaperOwnerBallot(voter: owner1, box: "B", mark: .yes), recorded: recorded, reason: "看错行")
        }
        #expect(throws: DomainError.invalid("vote_paper_ballot_same_mark", field: "mark")) {
            try PaperOwnerBallots.correct(recorded, recorded: recorded, reason: "看错行")
        }
        #expect(throws: DomainError.invalid("vote_paper_correction_reason_required", field: "reason")) {
            try PaperOwnerBallots.correct(fixed, recorded: recorded, reason: " \n")
        }
        #expect(throws: DomainError.invalid("vote_paper_correction_reason_too_long", field: "reason", args: ["200"])) {
            try PaperOwnerBallots.correct(fixed, recorded: recorded, reason: String(repeating: "字", count: 201))
        }
    }

    @Test func aPaperBallotBelongsToAnOwnerWhoSignedForItInThatBoxOnce() throws {
        let ballot = PaperOwnerBallot(voter: owner1, box: "A", mark: .yes)
        // signed for at box A, nothing recorded yet: accepted
        try PaperOwnerBallots.admit(
            ballot, secrecy: .open, participation: mark(owner1, .paper, box: "A"), recorded: nil)
        // each refusal with its reason
        #expect(throws: DomainError.invalid("vote_paper_ballot_not_issued", field: "voter", args: ["owner:1"])) {
            try PaperOwnerBallots.admit(ballot, secrecy: .open, participation: nil, recorded: nil)
        }
        #expect(throws: DomainError(.conflict, "vote_paper_ballot_voted_online", field: "voter", args: ["owner:1"])) {
            try PaperOwnerBallots.admit(ballot, secrecy: .open, participation: mark(owner1, .online), recorded: nil)
        }
        #expect(throws: DomainError.invalid("vote_paper_ballot_other_box", field: "box", args: ["owner:1", "B"])) {
            try PaperOwnerBallots.admit(
                ballot, secrecy: .open, participation: mark(owner1, .paper, box: "B"), recorded: nil)
        }
        #expect(throws: DomainError(.conflict, "vote_paper_ballot_twice", field: "voter", args: ["owner:1"])) {
            try PaperOwnerBallots.admit(
                ballot, secrecy: .open, participation: mark(owner1, .paper, box: "A"), recorded: ballot)
        }
        // and a secret ballot never names its voter beside a choice
        #expect(throws: DomainError.invalid("vote_paper_ballot_secret", field: "voter")) {
            try PaperOwnerBallots.admit(
                ballot, secrecy: .secret, participation: mark(owner1, .paper, box: "A"), recorded: nil)
        }
    }

    @Test(arguments: [
        // returned, void, blank, marks (yes, no, abstain); agrees with 3 yes, 1 no, 1 blank, 1 void
        (6, 1, 1, [3, 1, 0], true),
        (5, 1, 1, [3, 1, 0], false),
        (6, 0, 2, [3, 1, 0], false),
        (6, 1, 1, [3, 0, 1], false),
        (6, 1, 1, [4, 0, 0], false),
    ])
    func aBoxsTotalsMustBeWhatItsBallotsSay(returned: Int, void: Int, blank: Int, marks: [Int], agrees: Bool) {
        let totals = PaperBoxTotals(
            box: "A", issued: 6, returned: returned, void: void, blank: blank, marks: marks, scrutineers: ["甲", "乙"],
            tallySheetPhoto: "image/jpeg")
        let ballots: [PaperMark: Int] = [.yes: 3, .no: 1, .blank: 1, .void: 1]
        let accepted = (try? PaperOwnerBallots.check(totals, against: ballots)) != nil
        #expect(accepted == agrees)
    }

    @Test func theCloseMergesPaperAndOnlineIntoTheFourNumbersAndTwoFractions() throws {
        // given four owners: 1 (100 m²) and 2 (50 m²) vote online, 3 (90 m²) and 4 (60 m²) on paper at box A
        let owners = [(1, "100"), (2, "50"), (3, "90"), (4, "60")].map {
            VoteCount.OwnerEntry(key: .ownerHead(.owner(Int64($0.0))), area: Area($0.1)!)
        }
        let key = { (i: Int64) in VoterKey.ownerHead(.owner(i)) }
        let participation = [
            mark(key(1), .online), mark(key(2), .online), mark(key(3), .paper, box: "A"),
            mark(key(4), .paper, box: "A"),
        ]
        let choices = [
            ChoiceRecord(
                ballot: .proposal(.yes), channel: .online,
                receipt: try ReceiptCode(randomBytes: Array(repeating: 1, count: 10)), voter: key(1)),
            ChoiceRecord(
                ballot: .proposal(.no), channel: .online,
                receipt: try ReceiptCode(randomBytes: Array(repeating: 2, count: 10)), voter: key(2)),
        ]
        let paper = [
            PaperOwnerBallot(voter: key(3), box: "A", mark: .yes),
            PaperOwnerBallot(voter: key(4), box: "A", mark: .void),
        ]
        let box = PaperBoxTotals(
            box: "A", issued: 2, returned: 2, void: 1, marks: [1, 0, 0], scrutineers: ["甲", "乙"],
            tallySheetPhoto: "image/jpeg")
        // when
        let result = try VoteCount.result(
            spec: try PollSpec(kind: .proposal), basis: .owners, matter: .propertyManager, rollSize: 4, owners: owners,
            participation: participation, choices: choices, paperBallots: paper, boxes: [box],
            ruleSetID: "national-2026")
        // then all four took part (300 m²), yes is owners 1 and 3: 190 m² and 2 heads of 4
        let outcome = try #require(result.outcome)
        #expect(
            outcome.checks.map(\.arithmetic) == [
                "300/300 m² = 100.0%", "4/4 = 100.0%", "190/300 m² = 63.3%", "2/4 = 50.0%",
            ])
        #expect(!outcome.passed && outcome.failures.map(\.kind) == [.consentHeads])
        #expect(result.online == 2 && result.paper == 2 && result.poll.options.map(\.count) == [2, 1, 0])
        // and an owner with a ballot on both channels is refused whole
        #expect(throws: DomainError(.conflict, "vote_already_cast", args: ["owner:1", "paper"])) {
            try VoteCount.totals(
                participation: participation, choices: choices, owners: owners,
                paperBallots: paper + [PaperOwnerBallot(voter: key(1), box: "A", mark: .yes)])
        }
        // and a box whose totals disagree with its ballots stops the count
        var wrong = box
        wrong.marks = [0, 0, 1]
        #expect(throws: DomainError.self) {
            try VoteCount.result(
                spec: try PollSpec(kind: .proposal), basis: .owners, matter: .propertyManager, rollSize: 4,
                owners: owners, participation: participation, choices: choices, paperBallots: paper, boxes: [wrong],
                ruleSetID: "national-2026")
        }
    }
}
