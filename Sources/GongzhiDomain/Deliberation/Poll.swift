import Foundation

/// The decision kinds of consultations and polls, as Loomio has them. Raw values name the locale keys
/// (`poll_kind_<raw>`).
public enum PollKind: String, CaseIterable, Codable, Sendable {
    /// A proposal: yes, no or abstain; passes by its threshold of the ballots cast.
    case proposal
    /// One option out of several.
    case singleChoice
    /// Between `choices.lowerBound` and `choices.upperBound` options.
    case multipleChoice
    /// A score for every option, in `scores`.
    case score
    /// Consent: passes when nobody objects.
    case consent
    /// A meeting-time poll: for each proposed time, yes, if need be, or no.
    case meetingTime
}

/// A proposal's answer.
public enum ProposalChoice: String, CaseIterable, Codable, Sendable { case yes, no, abstain }
/// A consent answer: an objection blocks.
public enum ConsentChoice: String, CaseIterable, Codable, Sendable { case consent, abstain, object }
/// A meeting-time answer for one proposed time.
public enum Availability: String, CaseIterable, Codable, Sendable { case yes, ifNeedBe, no }

/// One voter's answer to a poll.
public enum PollBallot: Sendable, Equatable, Codable {
    case proposal(ProposalChoice)
    /// Option indexes (single and multiple choice).
    case choices([Int])
    /// One score per option, in option order.
    case scores([Int])
    case consent(ConsentChoice)
    /// One answer per proposed time, in option order.
    case times([Availability])
}

/// A poll's question as data: its kind, options and limits.
public struct PollSpec: Sendable, Equatable, Codable {
    public var kind: PollKind
    /// The options (choices, scored items, proposed times); proposals and consents have their fixed answers.
    public var options: [String]
    /// How many options a multiple-choice ballot marks.
    public var choices: ClosedRange<Int>
    public var scores: ClosedRange<Int>
    /// What a proposal needs out of the ballots cast (void, blank and abstentions count as not yes).
    public var passes: Threshold

    /// Refuses a poll with fewer than two options where it needs options (`poll_options_required`), an option
    /// named twice or empty (`poll_option_invalid`), choice limits outside 1…options (`poll_choices_invalid`) and
    /// negative scores (`poll_scores_invalid`).
    public init(
        kind: PollKind, options: [String] = [], choices: ClosedRange<Int> = 1...1, scores: ClosedRange<Int> = 0...5,
        passes: Threshold = .moreThan(.half)
    ) throws(DomainError) {
        let options = options.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        switch kind {
        case .proposal, .consent:
            self.options = []
        case .singleChoice, .multipleChoice, .score, .meetingTime:
            guard options.count >= 2 else { throw .invalid("poll_options_required", field: "options") }
            guard !options.contains(where: \.isEmpty), Set(options).count == options.count else {
                throw .invalid("poll_option_invalid", field: "options")
            }
            self.options = options
        }
        if kind == .multipleChoice, choices.lowerBound < 1 || choices.upperBound > options.count {
            throw .invalid("poll_choices_invalid", field: "choices")
        }
        guard scores.lowerBound >= 0 else { throw .invalid("poll_scores_invalid", field: "scores") }
        self.kind = kind
        self.choices = kind == .singleChoice ? 1...1 : choices
        self.scores = scores
        self.passes = passes
    }

    /// The answers counted: the options, or a proposal's yes/no/abstain and a consent's consent/abstain/object.
    public var labels: [String] {
        switch kind {
        case .proposal: ProposalChoice.allCases.map(\.rawValue)
        case .consent: ConsentChoice.allCases.map(\.rawValue)
        default: options
        }
    }

    /// Refuses a ballot that does not fit the poll (`poll_ballot_invalid`): another kind's answer, an option that
    /// does not exist or is marked twice, too few or too many marks, a score out of range, a missing answer.
    public func validate(_ ballot: PollBallot) throws(DomainError) {
        let fits: Bool
        switch (kind, ballot) {
        case (.proposal, .proposal), (.consent, .consent): fits = true
        case (.singleChoice, .choices(let picked)), (.multipleChoice, .choices(let picked)):
            fits =
                choices.contains(picked.count) && Set(picked).count == picked.count
                && picked.allSatisfy { options.indices.contains($0) }
        case (.score, .scores(let given)): fits = given.count == options.count && given.allSatisfy(scores.contains)
        case (.meetingTime, .times(let given)): fits = given.count == options.count
        default: fits = false
        }
        guard fits else { throw .invalid("poll_ballot_invalid", field: "ballot") }
    }
}

/// One answer's count: marks (or yes for a time), `ifNeedBe` for a time, the score total for a scored option.
public struct OptionTally: Sendable, Equatable, Codable {
    public var label: String
    public var count: Int
    public var ifNeedBe: Int
    public var scoreTotal: Int
}

/// A poll's result: the ballots counted (with void and blank paper ballots), each answer's count, the leading
/// options (several on a tie), and for proposals and consents the decision with its arithmetic.
public struct PollResult: Sendable, Equatable, Codable {
    public var kind: PollKind
    public var ballots: Int
    public var void: Int
    public var blank: Int
    public var options: [OptionTally]
    /// Indexes of the options in the lead: most marks, highest score total, most yes (then most yes or if need be)
    /// for times; empty for proposals and consents and when nothing was marked.
    public var leading: [Int]
    public var outcome: DecisionOutcome?

    /// A scored option's average as an exact fraction of the ballots (nil without ballots).
    public func averageScore(_ option: Int) -> Fraction? {
        let valid = ballots - void - blank
        return valid > 0 ? Fraction(Int64(options[option].scoreTotal), Int64(valid)) : nil
    }
}

/// Counts a poll.
public enum PollTally {
    /// Counts online ballots and checked paper box totals together (paper is for proposals, consents and choices,
    /// `poll_paper_not_for_kind` otherwise). Every ballot is validated (`poll_ballot_invalid`) and every box
    /// checked (`PaperBoxTotals.check`) before anything is counted, so the tally is exact or refused whole.
    public static func tally(
        _ spec: PollSpec, online: [PollBallot], paper: [PaperBoxTotals] = [], ruleSetID: String = "poll"
    ) throws(DomainError) -> PollResult {
        for ballot in online { try spec.validate(ballot) }
        if !paper.isEmpty, [.score, .meetingTime].contains(spec.kind) {
            throw .invalid("poll_paper_not_for_kind", field: "box")
        }
        for box in paper { try box.check(optionCount: spec.labels.count, marksPerBallot: spec.choices) }
        var options = spec.labels.map { OptionTally(label: $0, count: 0, ifNeedBe: 0, scoreTotal: 0) }
        for ballot in online {
            switch ballot {
            case .proposal(let c): options[ProposalChoice.allCases.firstIndex(of: c)!].count += 1
            case .consent(let c): options[ConsentChoice.allCases.firstIndex(of: c)!].count += 1
            case .choices(let picked): for i in picked { options[i].count += 1 }
            case .scores(let given): for (i, s) in given.enumerated() { options[i].scoreTotal += s }
            case .times(let given):
                for (i, a) in given.enumerated() {
                    if a == .yes { options[i].count += 1 }
                    if a == .ifNeedBe { options[i].ifNeedBe += 1 }
                }
            }
        }
        for box in paper { for (i, m) in box.marks.enumerated() { options[i].count += m } }
        let void = paper.reduce(0) { $0 + $1.void }
        let blank = paper.reduce(0) { $0 + $1.blank }
        let ballots = online.count + paper.reduce(0) { $0 + $1.returned }
        var result = PollResult(
            kind: spec.kind, ballots: ballots, void: void, blank: blank, options: options, leading: [], outcome: nil)
        switch spec.kind {
        case .proposal:
            result.outcome = DecisionOutcome(
                ruleSetID: ruleSetID, basis: [],
                checks: [
                    ThresholdCheck(.majority, part: Int64(options[0].count), of: Int64(ballots), threshold: spec.passes)
                ])
        case .consent:
            let answered = options.reduce(0) { $0 + $1.count }
            result.outcome = DecisionOutcome(
                ruleSetID: ruleSetID, basis: [],
                checks: [
                    ThresholdCheck(
                        .noObjection, part: Int64(answered - options[2].count), of: Int64(answered),
                        threshold: .atLeast(.whole))
                ])
        case .singleChoice, .multipleChoice: result.leading = leaders(options.map { ($0.count, 0) })
        case .score: result.leading = leaders(options.map { ($0.scoreTotal, 0) })
        case .meetingTime: result.leading = leaders(options.map { ($0.count, $0.count + $0.ifNeedBe) })
        }
        return result
    }

    static func leaders(_ keys: [(Int, Int)]) -> [Int] {
        guard let best = keys.max(by: { $0 < $1 }), best > (0, 0) else { return [] }
        return keys.indices.filter { keys[$0] == best }
    }
}
