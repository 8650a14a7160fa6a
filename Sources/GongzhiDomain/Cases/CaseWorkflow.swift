import Foundation

/// A step someone takes on a case.
public enum CaseAction: Sendable, Equatable {
    /// Accept and file (受理·立案), with a category.
    case file(categoryID: Int64?)
    /// Refuse to file, with the reason the reporter will read.
    case reject(reason: String)
    /// A simple matter done at once by the community (及时办事): filed and closed in one step.
    case resolveAtOnce(result: String)
    /// Send to the responsible unit with its deadlines.
    case dispatch(unitID: Int64, respondBy: Date, resolveBy: Date)
    /// The unit takes the case on.
    case acceptHandling
    /// The unit sends it back: not theirs, with the reason.
    case returnCase(reason: String)
    /// The unit reports what it did.
    case reportBack(result: String)
    /// The grid worker checks on site: passed closes the case, failed sends it back to the unit.
    case verify(passed: Bool, note: String)
    /// The reporter rates the result; dissatisfaction may reopen the case once.
    case rate(CaseRating, comment: String, reopen: Bool)

    public var name: String {
        switch self {
        case .file: "file"
        case .reject: "reject"
        case .resolveAtOnce: "resolve_at_once"
        case .dispatch: "dispatch"
        case .acceptHandling: "accept_handling"
        case .returnCase: "return"
        case .reportBack: "report_back"
        case .verify: "verify"
        case .rate: "rate"
        }
    }
}

/// The closed loop as a state machine. It says whether a step may follow the current state and what the
/// case looks like afterwards; who may take the step is `CasePolicy`'s question.
public enum CaseWorkflow {
    public static let maxReopens = 1

    public static func apply(_ action: CaseAction, to current: Case, at now: Date) throws(DomainError) -> Case {
        var next = current
        switch (current.status, action) {
        case (.submitted, .file(let category)):
            next.status = .filed
            next.categoryID = category ?? current.categoryID
        case (.submitted, .reject(let reason)), (.filed, .reject(let reason)):
            try requireText(reason, field: "reason")
            next.status = .rejected
            next.closedAt = now
        case (.submitted, .resolveAtOnce(let result)), (.filed, .resolveAtOnce(let result)):
            try requireText(result, field: "result")
            next.status = .closed
            next.closedAt = now
        case (.filed, .dispatch(let unit, let respondBy, let resolveBy)):
            guard respondBy > now, resolveBy >= respondBy else { throw .invalid("case_deadline_invalid", field: "resolve_by") }
            next.status = .dispatched
            next.unitID = unit
            next.respondBy = respondBy
            next.resolveBy = resolveBy
        case (.dispatched, .acceptHandling):
            next.status = .handling
        case (.dispatched, .returnCase(let reason)), (.handling, .returnCase(let reason)):
            try requireText(reason, field: "reason")
            next.status = .filed
            next.unitID = nil
            next.respondBy = nil
            next.resolveBy = nil
        case (.handling, .reportBack(let result)):
            try requireText(result, field: "result")
            next.status = .reportedBack
        case (.reportedBack, .verify(let passed, let note)):
            if passed {
                next.status = .closed
                next.closedAt = now
            } else {
                try requireText(note, field: "note")
                next.status = .handling
            }
        case (.closed, .rate(let rating, _, let reopen)):
            guard current.rating == nil else { throw DomainError(.conflict, "case_already_rated") }
            next.rating = rating
            if reopen {
                guard rating == .dissatisfied else { throw .invalid("case_reopen_needs_dissatisfied", field: "reopen") }
                guard current.reopenCount < maxReopens, current.unitID != nil else { throw DomainError(.conflict, "case_reopen_limit") }
                next.status = .handling
                next.closedAt = nil
                next.rating = nil
                next.reopenCount += 1
            }
        default:
            throw DomainError(.conflict, "case_step_out_of_order", args: [action.name, current.status.rawValue])
        }
        return next
    }

    static func requireText(_ text: String, field: String) throws(DomainError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalid("case_text_required", field: field) }
        guard trimmed.count <= 2000 else { throw .invalid("case_text_too_long", field: field) }
    }
}
