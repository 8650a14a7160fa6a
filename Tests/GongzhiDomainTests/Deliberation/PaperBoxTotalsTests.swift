import Foundation
import GongzhiDomain
import Testing

/// A box of 50 issued, 48 returned, 2 void, 1 blank and 45 marks, unless told otherwise.
private func totals(
    issued: Int = 50, returned: Int = 48, void: Int = 2, blank: Int = 1, marks: [Int] = [30, 10, 5],
    scrutineers: [String] = ["王芳", "李强"], photo: String? = "sheet.jpg"
) -> PaperBoxTotals {
    PaperBoxTotals(
        box: "1号箱", issued: issued, returned: returned, void: void, blank: blank, marks: marks,
        scrutineers: scrutineers, tallySheetPhoto: photo)
}

@Suite struct PaperBoxTotalsTests {

    @Test func consistentTotalsPass() throws {
        // given 48 returned, 2 void, 1 blank, 45 marks
        // when / then
        try totals().check(optionCount: 3, signatures: 50)
        #expect(totals().valid == 45)
    }

    @Test(arguments: [
        (totals(returned: 51), "paper_returned_exceeds_issued", ["51", "50"]),
        (totals(returned: 2, void: 2, blank: 1, marks: [0, 0, 0]), "paper_void_blank_exceed_returned", []),
        (totals(issued: -1), "paper_count_negative", []),
        (totals(marks: [30, 10]), "paper_marks_options", []),
        (totals(marks: [30, 10, 6]), "paper_marks_mismatch", ["46", "45"]),
        (totals(marks: [30, 10, 4]), "paper_marks_mismatch", ["44", "45"]),
        (totals(scrutineers: ["王芳", "王芳 "]), "paper_scrutineers_required", []),
        (totals(photo: nil), "paper_photo_required", []),
    ])
    func totalsThatDoNotAddUpAreRefused(totals: PaperBoxTotals, key: String, args: [String]) {
        #expect(throws: DomainError.invalid(key, field: "box", args: args)) {
            try totals.check(optionCount: 3)
        }
    }

    @Test func issuedBallotsMustMatchTheSignaturesOnTheRoll() {
        #expect(throws: DomainError.invalid("paper_issued_mismatch", field: "box", args: ["50", "49"])) {
            try totals().check(optionCount: 3, signatures: 49)
        }
    }

    @Test func multipleChoiceMarksFitBetweenTheLimits() throws {
        // given 10 valid ballots marking one or two options each
        let ok = totals(issued: 10, returned: 10, void: 0, blank: 0, marks: [8, 7, 3])
        let tooMany = totals(issued: 10, returned: 10, void: 0, blank: 0, marks: [10, 10, 1])
        // when / then
        try ok.check(optionCount: 3, marksPerBallot: 1...2)
        #expect(throws: DomainError.invalid("paper_marks_mismatch", field: "box", args: ["21", "10"])) {
            try tooMany.check(optionCount: 3, marksPerBallot: 1...2)
        }
    }
}
