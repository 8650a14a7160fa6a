import Foundation

/// Everything anyone can do to a resolution after its adoption.
public enum ResolutionCommand: Sendable, Equatable {
    /// An executor reports progress with evidence.
    case reportProgress(note: String, evidence: [String], percentDone: Int)
    /// An executor reports it carried out, with evidence.
    case complete(note: String, evidence: [String])
    /// Open the next periodic review round (定期评事), on schedule or by hand.
    case openReview
    /// A resident rates how it is going in the open round.
    case rate(CaseRating, comment: String)
    /// Raise it one level by hand (追踪督事), with a reason.
    case escalate(reason: String)
    /// Raise an overdue resolution to the level its deadline calls for (the server's scan).
    case escalateOverdue

    /// The step's name in timelines, audit entries and locale keys (`resolution_step_<raw>`).
    public var action: String {
        switch self {
        case .reportProgress: "report_progress"
        case .complete: "complete"
        case .openReview: "open_review"
        case .rate: "rate"
        case .escalate, .escalateOverdue: "escalate"
        }
    }
}

/// Facts the resolution workflow needs but cannot read itself; the store loads them.
public struct ResolutionContext: Sendable, Equatable {
    public var now: Date
    public var today: CalendarDate
    /// The actor rated the open round already.
    public var hasRatedThisRound: Bool
    /// The community's path, for the policy.
    public var path: String
    /// The actor lives in the resolution's community.
    public var actorInCommunity: Bool
    /// The actor carries it out: named in person, or a member of a named department's or body's unit.
    public var actorIsExecutor: Bool

    public init(
        now: Date, today: CalendarDate? = nil, hasRatedThisRound: Bool = false, path: String = "",
        actorInCommunity: Bool = false, actorIsExecutor: Bool = false
    ) {
        self.now = now
        self.today = today ?? CalendarDate(now)
        self.hasRatedThisRound = hasRatedThisRound
        self.path = path
        self.actorInCommunity = actorInCommunity
        self.actorIsExecutor = actorIsExecutor
    }
}

/// Who hears of a resolution's step.
public enum ResolutionAudience: Hashable, Sendable {
    case executors
    case organisers
    /// The residents of the community (or the topic's scope).
    case residents
    /// The reporters of the cases behind it: the loop closes back to them.
    case caseReporters
    case watchers(level: Int)
}

/// What a resolution's step writes besides its row.
public enum ResolutionEffect: Sendable, Equatable {
    case progress(ProgressUpdate)
    case rating(ReviewRating)
}

/// What a command does to a resolution: the next state, its timeline line, who hears of it, what the audit log says.
public struct ResolutionTransition: Sendable, Equatable {
    public var next: Resolution
    public var action: String
    public var note: String
    public var audience: Set<ResolutionAudience>
    public var auditBefore: String?
    public var auditAfter: String?
    public var auditResult: String
    public var effects: [ResolutionEffect]

    public init(
        next: Resolution, action: String, note: String, audience: Set<ResolutionAudience>, auditBefore: String?,
        auditAfter: String?, auditResult: String = "ok", effects: [ResolutionEffect] = []
    ) {
        self.next = next
        self.action = action
        self.note = note
        self.audience = audience
        self.auditBefore = auditBefore
        self.auditAfter = auditAfter
        self.auditResult = auditResult
        self.effects = effects
    }
}

/// Following resolutions up (追踪督事), like overdue cases: an overdue resolution is watched by the sub-district,
/// and by the district when it stays overdue for `secondLevelAfterDays`; reviews come round every
/// `reviewEveryMonths`. Both are project defaults.
public enum ResolutionFollowUp {
    public static let maxLevel = 2
    public static let secondLevelAfterDays = 7
    public static let reviewEveryMonths = 3

    /// The level a resolution should be at on `today` from its deadline alone.
    public static func automaticLevel(_ r: Resolution, on today: CalendarDate) -> Int {
        guard r.isOverdue(on: today) else { return 0 }
        return DayCount.days(from: r.deadline, to: today) > secondLevelAfterDays ? 2 : 1
    }

    /// The day the next review round is due: `reviewEveryMonths` after the last (or the adoption).
    public static func nextReviewDue(_ r: Resolution) -> CalendarDate {
        DayCount.adding(months: reviewEveryMonths, to: r.lastReviewOn ?? r.adoptedOn)
    }

    /// Whether a review round is due on `today` (never once completed and reviewed after completion).
    public static func isReviewDue(_ r: Resolution, on today: CalendarDate) -> Bool {
        if r.state == .completed, let done = r.completedOn, let last = r.lastReviewOn, last >= done { return false }
        return today >= nextReviewDue(r)
    }
}

/// A resolution's follow-up as a pure function.
public enum ResolutionWorkflow {
    /// The transition a command makes, or its refusal: `resolution_completed` for progress, completion or
    /// escalation of a completed resolution; `resolution_text_required`; `resolution_percent_invalid` (0–100, and
    /// not below the last report); `resolution_evidence_required` to complete; `resolution_review_not_open`;
    /// `resolution_rated_twice`; `resolution_escalation_max`; `resolution_not_overdue`.
    public static func transition(
        _ command: ResolutionCommand, of current: Resolution, by actor: Actor, in context: ResolutionContext
    ) throws(DomainError) -> ResolutionTransition {
        var next = current
        func done(
            _ note: String, _ audience: Set<ResolutionAudience>, before: String?, after: String?, result: String = "ok",
            effects: [ResolutionEffect] = []
        ) -> ResolutionTransition {
            ResolutionTransition(
                next: next, action: command.action, note: note, audience: audience, auditBefore: before,
                auditAfter: after, auditResult: result, effects: effects)
        }
        switch command {
        case .reportProgress(let note, let evidence, let percent):
            guard current.state.isOpen else { throw DomainError(.conflict, "resolution_completed") }
            let text = try requiredText(note)
            guard (current.percentDone...100).contains(percent) else {
                throw .invalid("resolution_percent_invalid", field: "percent_done")
            }
            let update = ProgressUpdate(
                at: context.now, byUserID: actor.storedUserID, note: text, evidence: evidence, percentDone: percent)
            next.percentDone = percent
            next.lastProgressAt = context.now
            return done(
                text, [.organisers, .residents], before: "\(current.percentDone)", after: "\(percent)",
                effects: [.progress(update)])
        case .complete(let note, let evidence):
            guard current.state.isOpen else { throw DomainError(.conflict, "resolution_completed") }
            let text = try requiredText(note)
            guard !evidence.isEmpty else { throw .invalid("resolution_evidence_required", field: "evidence") }
            let update = ProgressUpdate(
                at: context.now, byUserID: actor.storedUserID, note: text, evidence: evidence, percentDone: 100)
            next.state = .completed
            next.percentDone = 100
            next.lastProgressAt = context.now
            next.completedOn = context.today
            return done(
                text, [.organisers, .residents, .caseReporters], before: current.state.rawValue,
                after: next.state.rawValue, effects: [.progress(update)])
        case .openReview:
            // After completion one last round looks back on the result; then reviews stop.
            if current.state == .completed, let done = current.completedOn, let last = current.lastReviewOn,
                last >= done
            {
                throw DomainError(.conflict, "resolution_review_closed")
            }
            next.reviewRound += 1
            next.lastReviewOn = context.today
            return done(
                "\(next.reviewRound)", [.residents, .executors], before: "\(current.reviewRound)",
                after: "\(next.reviewRound)")
        case .rate(let rating, let comment):
            guard current.reviewRound > 0 else { throw DomainError(.conflict, "resolution_review_not_open") }
            guard !context.hasRatedThisRound else { throw DomainError(.conflict, "resolution_rated_twice") }
            let text = comment.trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.count <= 2000 else { throw .invalid("resolution_text_too_long", field: "comment") }
            let entry = ReviewRating(
                round: current.reviewRound, raterUserID: actor.userID, rating: rating, comment: text, at: context.now)
            return done(
                text, [.executors], before: nil, after: rating.rawValue, result: rating.rawValue,
                effects: [.rating(entry)])
        case .escalate(let reason):
            guard current.state.isOpen else { throw DomainError(.conflict, "resolution_completed") }
            let text = try requiredText(reason)
            guard current.escalationLevel < ResolutionFollowUp.maxLevel else {
                throw DomainError(.conflict, "resolution_escalation_max")
            }
            next.escalationLevel += 1
            return done(
                text, [.watchers(level: next.escalationLevel), .executors], before: "\(current.escalationLevel)",
                after: "\(next.escalationLevel)", result: "manual")
        case .escalateOverdue:
            let level = ResolutionFollowUp.automaticLevel(current, on: context.today)
            guard level > current.escalationLevel else { throw DomainError(.conflict, "resolution_not_overdue") }
            next.escalationLevel = level
            return done(
                "auto:\(level)", [.watchers(level: level), .executors, .residents],
                before: "\(current.escalationLevel)",
                after: "\(level)", result: "automatic")
        }
    }

    static func requiredText(_ text: String) throws(DomainError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalid("resolution_text_required", field: "note") }
        guard trimmed.count <= 2000 else { throw .invalid("resolution_text_too_long", field: "note") }
        return trimmed
    }
}
