import Foundation

/// The totals of one paper ballot box (or polling station) as the scrutineers sign them off: ballots issued against
/// signatures, returned, void and blank, and the marks per option. Void and blank ballots count among the ballots
/// cast (四川 居委会选举条例 art. 30), so they weigh against "more than half of the ballots".
public struct PaperBoxTotals: Sendable, Equatable, Codable {
    public var box: String
    public var issued: Int
    public var returned: Int
    public var void: Int
    public var blank: Int
    /// Marks per option in the poll's order (a proposal: yes, no, abstain; a consent: consent, abstain, object).
    public var marks: [Int]
    /// Who signed the totals off: at least two scrutineers.
    public var scrutineers: [String]
    /// The photo of the paper tally sheet.
    public var tallySheetPhoto: String?

    public init(
        box: String, issued: Int, returned: Int, void: Int = 0, blank: Int = 0, marks: [Int], scrutineers: [String],
        tallySheetPhoto: String?
    ) {
        self.box = box
        self.issued = issued
        self.returned = returned
        self.void = void
        self.blank = blank
        self.marks = marks
        self.scrutineers = scrutineers
        self.tallySheetPhoto = tallySheetPhoto
    }

    /// The ballots that were neither void nor blank.
    public var valid: Int { returned - void - blank }

    public static let minimumScrutineers = 2

    /// Checks the totals before they are merged, on the `box` field, in this order: `paper_count_negative`;
    /// `paper_returned_exceeds_issued` (args: returned, issued: the round is void if more come back than went
    /// out); `paper_void_blank_exceed_returned`; `paper_issued_mismatch` when the roll's signatures for this box
    /// differ from the ballots issued (args: issued, signatures); `paper_marks_options` for a list of marks not
    /// one per option; `paper_marks_mismatch` when the marks do not add up for ballots with `marksPerBallot` marks
    /// each (args: the marks, the valid ballots); `paper_scrutineers_required` (fewer than two different names);
    /// `paper_photo_required`.
    public func check(
        optionCount: Int, marksPerBallot: ClosedRange<Int> = 1...1, signatures: Int? = nil
    )
        throws(DomainError)
    {
        func refuse(_ key: String, _ args: [String] = []) -> DomainError { .invalid(key, field: "box", args: args) }
        guard issued >= 0, returned >= 0, void >= 0, blank >= 0, marks.allSatisfy({ $0 >= 0 }) else {
            throw refuse("paper_count_negative")
        }
        guard returned <= issued else { throw refuse("paper_returned_exceeds_issued", ["\(returned)", "\(issued)"]) }
        guard void + blank <= returned else { throw refuse("paper_void_blank_exceed_returned") }
        if let signatures, signatures != issued {
            throw refuse("paper_issued_mismatch", ["\(issued)", "\(signatures)"])
        }
        guard marks.count == optionCount else { throw refuse("paper_marks_options") }
        let sum = marks.reduce(0, +)
        let fits =
            sum >= valid * marksPerBallot.lowerBound && sum <= valid * marksPerBallot.upperBound
            && marks.allSatisfy { $0 <= valid }
        guard fits else { throw refuse("paper_marks_mismatch", ["\(sum)", "\(valid)"]) }
        let names = Set(scrutineers.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        guard names.count >= Self.minimumScrutineers else { throw refuse("paper_scrutineers_required") }
        guard let photo = tallySheetPhoto, !photo.isEmpty else { throw refuse("paper_photo_required") }
    }
}
