import Foundation

/// What one paper ballot of an owners' vote says, as the counters read it. A blank ballot is an abstention in
/// effect and a void one says nothing, but both owners took part: they signed for their ballot (四川省物业管理条例
/// art. 31). Raw values name the locale keys (`paper_mark_<raw>`).
public enum PaperMark: String, CaseIterable, Codable, Sendable {
    case yes, no, abstain, blank, void

    /// The proposal choice a valid mark stands for; nil for a blank or void ballot.
    public var choice: ProposalChoice? {
        switch self {
        case .yes: .yes
        case .no: .no
        case .abstain: .abstain
        case .blank, .void: nil
        }
    }
}

/// One paper ballot of an owners' vote, recorded against its roll entry: art. 278 counts each owner's area and
/// head, which a box's totals alone cannot give (issue 13). Owners sign their ballots, so an owners' vote is open
/// (`vote_owners_secret_not_offered`) and the ballot names its owner like an open online ballot does.
public struct PaperOwnerBallot: Sendable, Equatable, Codable {
    public var voter: VoterKey
    public var box: String
    public var mark: PaperMark

    public init(voter: VoterKey, box: String, mark: PaperMark) {
        self.voter = voter
        self.box = box
        self.mark = mark
    }
}

/// The rules of paper ballots in an owners' vote: each one belongs to an owner who signed for it in that box, once,
/// and a box's totals must be what its ballots say.
public enum PaperOwnerBallots {
    /// Checks a ballot before it is recorded, on the `voter` field: only on an open ballot
    /// (`vote_paper_ballot_secret`: a secret ballot never links a voter to a choice); the owner must have signed for
    /// a paper ballot (`vote_paper_ballot_not_issued`), not voted online (`vote_paper_ballot_voted_online`: each
    /// owner is counted once across channels), in this box (`vote_paper_ballot_other_box`, args: the box they
    /// signed at), and not have a ballot recorded already (`vote_paper_ballot_twice`).
    public static func admit(
        _ ballot: PaperOwnerBallot, secrecy: BallotSecrecy, participation: ParticipationRecord?,
        recorded: PaperOwnerBallot?
    ) throws(DomainError) {
        guard secrecy == .open else { throw .invalid("vote_paper_ballot_secret", field: "voter") }
        guard let participation else {
            throw .invalid("vote_paper_ballot_not_issued", field: "voter", args: [ballot.voter.label])
        }
        guard participation.channel == .paper else {
            throw DomainError(.conflict, "vote_paper_ballot_voted_online", field: "voter", args: [ballot.voter.label])
        }
        guard (participation.box ?? "") == ballot.box else {
            throw .invalid(
                "vote_paper_ballot_other_box", field: "box", args: [ballot.voter.label, participation.box ?? ""])
        }
        guard recorded == nil else {
            throw DomainError(.conflict, "vote_paper_ballot_twice", field: "voter", args: [ballot.voter.label])
        }
    }

    public static let maxCorrectionReason = 200

    /// Checks a correction of a ballot read in wrongly, returning the reason trimmed: the owner's ballot must have
    /// been recorded (`vote_paper_ballot_not_recorded`), in this box (`vote_paper_ballot_other_box`, args: the box it
    /// was read in), with another mark (`vote_paper_ballot_same_mark`), and the reason said
    /// (`vote_paper_correction_reason_required`, `vote_paper_correction_reason_too_long`). A box signed off is
    /// refused by the store (`vote_box_signed`): its totals were checked against these ballots.
    public static func correct(
        _ ballot: PaperOwnerBallot, recorded: PaperOwnerBallot?, reason: String
    ) throws(DomainError) -> String {
        guard let recorded else {
            throw .invalid("vote_paper_ballot_not_recorded", field: "voter", args: [ballot.voter.label])
        }
        guard recorded.box == ballot.box else {
            throw .invalid("vote_paper_ballot_other_box", field: "box", args: [ballot.voter.label, recorded.box])
        }
        guard recorded.mark != ballot.mark else { throw .invalid("vote_paper_ballot_same_mark", field: "mark") }
        let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .invalid("vote_paper_correction_reason_required", field: "reason") }
        guard text.count <= maxCorrectionReason else {
            throw .invalid(
                "vote_paper_correction_reason_too_long", field: "reason", args: ["\(maxCorrectionReason)"])
        }
        return text
    }

    /// A box's counts from its ballots: returned, void, blank and the marks per proposal choice (yes, no, abstain).
    public static func counts(_ marks: [PaperMark: Int]) -> (returned: Int, void: Int, blank: Int, marks: [Int]) {
        (
            marks.values.reduce(0, +), marks[.void] ?? 0, marks[.blank] ?? 0,
            [marks[.yes] ?? 0, marks[.no] ?? 0, marks[.abstain] ?? 0]
        )
    }

    /// Checks a box's totals against the ballots recorded in it (`paper_owner_box_mismatch`, on the `box` field,
    /// args: the box, then returned, void, blank and marks as the ballots give them).
    public static func check(_ totals: PaperBoxTotals, against marks: [PaperMark: Int]) throws(DomainError) {
        let c = counts(marks)
        guard totals.returned == c.returned, totals.void == c.void, totals.blank == c.blank, totals.marks == c.marks
        else {
            throw .invalid(
                "paper_owner_box_mismatch", field: "box",
                args: [
                    totals.box, "\(c.returned)", "\(c.void)", "\(c.blank)",
                    c.marks.map(String.init).joined(separator: ", "),
                ])
        }
    }
}
