import Foundation
import GongzhiDomain
import Testing

@Suite struct PollTallyTests {
    func box(_ marks: [Int], issued: Int, returned: Int, void: Int = 0, blank: Int = 0) -> PaperBoxTotals {
        PaperBoxTotals(
            box: "A", issued: issued, returned: returned, void: void, blank: blank, marks: marks,
            scrutineers: ["王芳", "李强"], tallySheetPhoto: "photo-1")
    }

    @Test(arguments: [
        (5, 4, 1, false),  // exactly half of the ballots is not more than half
        (6, 3, 1, true),
        (5, 0, 5, false),  // abstentions count as not yes
    ])
    func aProposalPassesWithMoreThanHalfOfTheBallots(yes: Int, no: Int, abstain: Int, passed: Bool) throws {
        // given
        let spec = try PollSpec(kind: .proposal)
        let online =
            Array(repeating: PollBallot.proposal(.yes), count: yes) + Array(repeating: .proposal(.no), count: no)
            + Array(repeating: .proposal(.abstain), count: abstain)
        // when
        let result = try PollTally.tally(spec, online: online)
        // then
        #expect(result.outcome?.passed == passed)
        #expect(result.ballots == 10)
        #expect(result.options.map(\.count) == [yes, no, abstain])
    }

    @Test(arguments: [
        ([ConsentChoice.consent, .consent, .abstain], true),
        ([.consent, .consent, .consent, .object], false),  // one objection blocks
        ([], false),  // nobody answered
    ])
    func aConsentFailsOnAnyObjection(answers: [ConsentChoice], passed: Bool) throws {
        let result = try PollTally.tally(PollSpec(kind: .consent), online: answers.map { .consent($0) })
        #expect(result.outcome?.passed == passed)
        #expect(result.outcome?.checks.first?.kind == .noObjection)
    }

    @Test func singleChoiceLeadsWithTheMostMarksAndShowsTies() throws {
        // given
        let spec = try PollSpec(kind: .singleChoice, options: ["东门", "西门", "南门"])
        // when
        let clear = try PollTally.tally(spec, online: [.choices([0]), .choices([0]), .choices([1])])
        let tie = try PollTally.tally(spec, online: [.choices([0]), .choices([1])])
        // then
        #expect(clear.leading == [0])
        #expect(tie.leading == [0, 1])
        #expect(throws: DomainError.invalid("poll_ballot_invalid", field: "ballot")) {
            try PollTally.tally(spec, online: [.choices([0, 1])])
        }
    }

    @Test(arguments: [
        ([Int](), false), ([0], true), ([0, 2], true), ([0, 1, 2], false), ([1, 1], false), ([3], false),
    ])
    func multipleChoiceBallotsStayWithinTheirLimits(picked: [Int], valid: Bool) throws {
        // given a choice of one or two out of three
        let spec = try PollSpec(kind: .multipleChoice, options: ["健身器材", "儿童滑梯", "休息长椅"], choices: 1...2)
        // when / then
        if valid {
            try spec.validate(.choices(picked))
        } else {
            #expect(throws: DomainError.invalid("poll_ballot_invalid", field: "ballot")) {
                try spec.validate(.choices(picked))
            }
        }
    }

    @Test func scoresAddUpAndAverageExactly() throws {
        // given
        let spec = try PollSpec(kind: .score, options: ["方案一", "方案二"], scores: 0...5)
        // when
        let result = try PollTally.tally(spec, online: [.scores([5, 2]), .scores([4, 3]), .scores([4, 5])])
        // then
        #expect(result.options.map(\.scoreTotal) == [13, 10])
        #expect(result.averageScore(0) == Fraction(13, 3))
        #expect(result.leading == [0])
        #expect(throws: DomainError.invalid("poll_ballot_invalid", field: "ballot")) {
            try PollTally.tally(spec, online: [.scores([6, 0])])
        }
    }

    @Test func aMeetingTimePicksMostYesThenIfNeedBe() throws {
        // given two times with the same yes count
        let spec = try PollSpec(kind: .meetingTime, options: ["周六 9:00", "周日 15:00", "周五 19:30"])
        // when
        let result = try PollTally.tally(
            spec,
            online: [
                .times([.yes, .yes, .no]), .times([.ifNeedBe, .yes, .no]), .times([.yes, .no, .no]),
                .times([.no, .ifNeedBe, .no]),
            ])
        // then
        #expect(result.options.map(\.count) == [2, 2, 0])
        #expect(result.options.map(\.ifNeedBe) == [1, 1, 0])
        #expect(result.leading == [0, 1])
    }

    @Test func paperBoxesMergeWithOnlineBallotsAndVoidOnesCountAmongTheBallots() throws {
        // given 3 online yes and a box of 10 issued, 9 returned, 1 void, 1 blank, marks 4 yes 2 no 1 abstain
        let spec = try PollSpec(kind: .proposal)
        // when
        let result = try PollTally.tally(
            spec, online: Array(repeating: .proposal(.yes), count: 3),
            paper: [box([4, 2, 1], issued: 10, returned: 9, void: 1, blank: 1)])
        // then 7 yes out of 12 ballots
        #expect(result.ballots == 12)
        #expect(result.void == 1)
        #expect(result.blank == 1)
        #expect(result.outcome?.check(.majority)?.arithmetic == "7/12 = 58.3%")
        #expect(result.outcome?.passed == true)
    }

    @Test func aBoxThatDoesNotAddUpStopsTheWholeTally() throws {
        let spec = try PollSpec(kind: .proposal)
        #expect(throws: DomainError.invalid("paper_returned_exceeds_issued", field: "box", args: ["11", "10"])) {
            try PollTally.tally(spec, online: [.proposal(.yes)], paper: [box([11, 0, 0], issued: 10, returned: 11)])
        }
        #expect(throws: DomainError.invalid("poll_paper_not_for_kind", field: "box")) {
            try PollTally.tally(
                PollSpec(kind: .score, options: ["a", "b"]), online: [], paper: [box([1, 1], issued: 1, returned: 1)])
        }
    }

    @Test func pollsNeedDistinctOptions() {
        #expect(throws: DomainError.invalid("poll_options_required", field: "options")) {
            try PollSpec(kind: .singleChoice, options: ["唯一"])
        }
        #expect(throws: DomainError.invalid("poll_option_invalid", field: "options")) {
            try PollSpec(kind: .singleChoice, options: ["甲", "甲 "])
        }
        #expect(throws: DomainError.invalid("poll_choices_invalid", field: "choices")) {
            try PollSpec(kind: .multipleChoice, options: ["甲", "乙"], choices: 1...3)
        }
    }
}
