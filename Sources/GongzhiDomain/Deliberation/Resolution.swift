import Foundation

/// Who carries a resolution out: a person, a governance body or a department.
public enum Executor: Sendable, Hashable, Codable {
    case person(Int64)
    case body(Int64)
    case department(Int64)
}

/// What made a resolution: a vote (in a meeting or online) with its result, or the agreed result of a
/// consultation (协商结果, 居委会组织法 2025 art. 32).
public enum ResolutionSource: Sendable, Equatable, Codable {
    case vote(voteID: Int64, meetingID: Int64?)
    case consultation(meetingID: Int64)
}

/// Where a resolution stands. Raw values name the locale keys (`resolution_state_<raw>`).
public enum ResolutionState: String, CaseIterable, Codable, Sendable {
    case inProgress, completed

    public var isOpen: Bool { self == .inProgress }
}

/// A resolution (决议): what was decided, by which vote, who carries it out by when, and how it is going.
public struct Resolution: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var number: String
    public var communityID: Int64
    public var topicID: Int64?
    /// The cases the topic came from or was linked to: closing the loop back to them.
    public var caseIDs: [Int64]
    public var text: String
    public var source: ResolutionSource
    /// The vote's result with its arithmetic, as published.
    public var outcome: DecisionOutcome?
    public var executors: [Executor]
    public var adoptedOn: CalendarDate
    public var deadline: CalendarDate
    public var state: ResolutionState
    /// The latest progress reported, 0–100.
    public var percentDone: Int
    public var lastProgressAt: Date?
    public var completedOn: CalendarDate?
    /// The periodic review (定期评事) round now open for ratings; 0 before the first.
    public var reviewRound: Int
    public var lastReviewOn: CalendarDate?
    /// 0: watched by the community; 1: by the sub-district; 2: by the district (追踪督事).
    public var escalationLevel: Int
    /// Goes up by one with every change; a step taken against an older version is refused.
    public var version: Int

    public init(
        id: Int64, number: String, communityID: Int64, topicID: Int64?, caseIDs: [Int64] = [], text: String,
        source: ResolutionSource, outcome: DecisionOutcome?, executors: [Executor], adoptedOn: CalendarDate,
        deadline: CalendarDate, state: ResolutionState = .inProgress, version: Int = 1
    ) {
        self.id = id
        self.number = number
        self.communityID = communityID
        self.topicID = topicID
        self.caseIDs = caseIDs
        self.text = text
        self.source = source
        self.outcome = outcome
        self.executors = executors
        self.adoptedOn = adoptedOn
        self.deadline = deadline
        self.state = state
        self.percentDone = 0
        self.reviewRound = 0
        self.escalationLevel = 0
        self.version = version
    }

    public static let maxText = 4000

    /// A new resolution, refused when: its text is empty or too long (`resolution_text_required`,
    /// `resolution_text_too_long`); nobody carries it out (`resolution_executor_required`); the deadline is
    /// before the day of adoption (`resolution_deadline_invalid`); it comes from a vote without its result
    /// (`resolution_outcome_required`), from a meeting without quorum (`resolution_meeting_not_quorate`, with the
    /// arithmetic) or from a vote that did not pass (`resolution_vote_not_passed`).
    public static func adopt(
        id: Int64, number: String, communityID: Int64, topicID: Int64?, caseIDs: [Int64] = [], text rawText: String,
        source: ResolutionSource, outcome: DecisionOutcome?, executors: [Executor], adoptedOn: CalendarDate,
        deadline: CalendarDate
    ) throws(DomainError) -> Resolution {
        let text = rawText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .invalid("resolution_text_required", field: "text") }
        guard text.count <= maxText else {
            throw .invalid("resolution_text_too_long", field: "text", args: ["\(maxText)"])
        }
        guard !executors.isEmpty else { throw .invalid("resolution_executor_required", field: "executors") }
        guard deadline >= adoptedOn else { throw .invalid("resolution_deadline_invalid", field: "deadline") }
        if case .vote = source, outcome == nil { throw .invalid("resolution_outcome_required", field: "vote") }
        if let outcome {
            guard outcome.isQuorate else {
                let failed = outcome.failures.first
                // A vote taken online with no meeting fails on its own participation rule, not a meeting's quorum.
                let key =
                    if case .vote(_, nil) = source { "resolution_vote_not_quorate" } else {
                        "resolution_meeting_not_quorate"
                    }
                throw DomainError(.conflict, key, args: failed.map { [$0.arithmetic] } ?? [])
            }
            guard outcome.passed else { throw DomainError(.conflict, "resolution_vote_not_passed") }
        }
        var seen: Set<Executor> = []
        return Resolution(
            id: id, number: number, communityID: communityID, topicID: topicID, caseIDs: caseIDs, text: text,
            source: source, outcome: outcome, executors: executors.filter { seen.insert($0).inserted },
            adoptedOn: adoptedOn, deadline: deadline)
    }

    /// Past its deadline and not completed on `today` (on the deadline itself it is still in time).
    public func isOverdue(on today: CalendarDate) -> Bool { state.isOpen && today > deadline }
}

/// A progress report on a resolution, with its evidence (attachment ids).
public struct ProgressUpdate: Sendable, Equatable, Codable {
    public var at: Date
    public var byUserID: Int64?
    public var note: String
    public var evidence: [String]
    public var percentDone: Int

    public init(at: Date, byUserID: Int64?, note: String, evidence: [String] = [], percentDone: Int) {
        self.at = at
        self.byUserID = byUserID
        self.note = note
        self.evidence = evidence
        self.percentDone = percentDone
    }
}

/// A resident's rating of how a resolution is going, in one review round (定期评事). It reuses the cases'
/// three grades.
public struct ReviewRating: Sendable, Equatable, Codable {
    public var round: Int
    public var raterUserID: Int64
    public var rating: CaseRating
    public var comment: String
    public var at: Date

    public init(round: Int, raterUserID: Int64, rating: CaseRating, comment: String, at: Date) {
        self.round = round
        self.raterUserID = raterUserID
        self.rating = rating
        self.comment = comment
        self.at = at
    }
}

/// A review round's ratings counted: how many of each grade, and the share satisfied or basically satisfied.
public struct ReviewSummary: Sendable, Equatable, Codable {
    public var satisfied: Int
    public var basicallySatisfied: Int
    public var dissatisfied: Int

    public init(_ ratings: [ReviewRating]) {
        satisfied = ratings.filter { $0.rating == .satisfied }.count
        basicallySatisfied = ratings.filter { $0.rating == .basicallySatisfied }.count
        dissatisfied = ratings.filter { $0.rating == .dissatisfied }.count
    }

    public var total: Int { satisfied + basicallySatisfied + dissatisfied }

    /// Satisfied or basically satisfied out of all ratings (`82/100 = 82.0%`); nil without ratings.
    public var satisfaction: Fraction? {
        total > 0 ? Fraction(Int64(satisfied + basicallySatisfied), Int64(total)) : nil
    }

    /// `82/100 = 82.0%`.
    public var arithmetic: String {
        "\(satisfied + basicallySatisfied)/\(total) = \(Fraction.percentText(Int64(satisfied + basicallySatisfied), of: Int64(total)))"
    }
}
