import Foundation

/// What someone may do with a resolution. Raw values name URLs, audit actions and locale keys
/// (`resolution_step_<raw>`).
public enum ResolutionCapability: String, CaseIterable, Codable, Sendable {
    case read
    case reportProgress = "report_progress"
    case complete
    case openReview = "open_review"
    case rate
    case escalate
    case escalateOverdue = "escalate_overdue"
}

extension ResolutionCommand {
    /// The capability the command needs.
    public var capability: ResolutionCapability {
        switch self {
        case .reportProgress: .reportProgress
        case .complete: .complete
        case .openReview: .openReview
        case .rate: .rate
        case .escalate: .escalate
        case .escalateOverdue: .escalateOverdue
        }
    }
}

/// Who may do what with a resolution, in one place: the community's organisers adopt and follow it up, its executors
/// report progress, the community's residents read and rate it, the staff of the area read it, and the server opens
/// review rounds and escalates overdue ones.
public enum ResolutionPolicy {
    public static func capabilities(
        of actor: Actor, on r: Resolution, in context: ResolutionContext
    ) -> Set<ResolutionCapability> {
        Set(
            ResolutionCapability.allCases.filter {
                role(for: $0, actor, context) != nil && isAvailable($0, r, context)
            })
    }

    /// The role that allows the step, or "not found" for who may not read the resolution and "forbidden" for a
    /// reader who may not take it. The state's refusals are the workflow's, each with its own reason.
    @discardableResult
    public static func require(
        _ capability: ResolutionCapability, of actor: Actor, on r: Resolution, in context: ResolutionContext
    ) throws(DomainError) -> Role {
        guard let role = role(for: capability, actor, context) else {
            throw role(for: .read, actor, context) != nil ? DomainError.forbidden : .outsideJurisdiction
        }
        return role
    }

    /// Adopting a resolution: the community's organisers.
    public static func requireAdopt(_ actor: Actor, communityPath: String) throws(DomainError) -> Role {
        guard actor.principal == .user, let role = organiser(actor, communityPath) else { throw DomainError.forbidden }
        return role
    }

    /// Whether the state allows the step now (for the buttons; the workflow refuses with the reason).
    public static func isAvailable(
        _ capability: ResolutionCapability, _ r: Resolution, _ context: ResolutionContext
    ) -> Bool {
        switch capability {
        case .read: true
        case .reportProgress, .complete: r.state.isOpen
        case .escalate: r.state.isOpen && r.escalationLevel < ResolutionFollowUp.maxLevel
        case .openReview:
            if r.state == .completed, let done = r.completedOn, let last = r.lastReviewOn { last < done } else { true }
        case .rate: r.reviewRound > 0 && !context.hasRatedThisRound
        case .escalateOverdue: ResolutionFollowUp.automaticLevel(r, on: context.today) > r.escalationLevel
        }
    }

    /// What a resolution may come from: a held, quorate meeting of its community, by its agreed result or by a vote
    /// taken there, or a vote taken purely online with no meeting, whose own participation and majority rule decide
    /// (`Resolution.adopt` checks the vote's outcome in both cases). Refused: a meeting of another community or not
    /// held (`resolution_meeting_not_held`), a meeting without quorum (`resolution_meeting_not_quorate`, with the
    /// arithmetic), and neither a meeting nor a vote (`resolution_source_required`).
    public static func checkSource(
        _ source: ResolutionSource, meeting: Meeting?, quorum: ThresholdCheck?, communityID: Int64
    ) throws(DomainError) {
        if case .vote(_, nil) = source {
            // An online vote stands on its own: no meeting's quorum applies, only the vote's.
            guard meeting == nil else { throw DomainError.invalid("resolution_meeting_not_held", field: "meeting") }
            return
        }
        guard let meeting, meeting.communityID == communityID, meeting.state == .held else {
            throw DomainError.invalid("resolution_meeting_not_held", field: "meeting")
        }
        guard meeting.quorate != false else {
            throw DomainError(.conflict, "resolution_meeting_not_quorate", args: quorum.map { [$0.arithmetic] } ?? [])
        }
    }

    static func organiser(_ actor: Actor, _ path: String) -> Role? {
        actor.grants.first { TopicPolicy.organiserRoles.contains($0.role) && NodePath.isInside(path, $0.nodePath) }?
            .role
    }

    static func role(
        for capability: ResolutionCapability, _ actor: Actor, _ context: ResolutionContext
    ) -> Role? {
        if actor.principal == .system {
            return [.read, .openReview, .escalateOverdue].contains(capability) ? .systemAdmin : nil
        }
        guard actor.principal == .user else { return nil }
        let organiser = organiser(actor, context.path)
        let areaReader = actor.grants.first {
            $0.role.isStaff && $0.role != .departmentHandler && $0.role != .auditor
                && NodePath.isInside(context.path, $0.nodePath)
        }?.role
        let ownRole = actor.grants.first?.role ?? .resident
        let executor: Role? = context.actorIsExecutor ? ownRole : nil
        let resident: Role? = context.actorInCommunity ? ownRole : nil
        switch capability {
        case .read: return areaReader ?? executor ?? resident
        // The workstation records progress for executors who do not sign in (a property company, say).
        case .reportProgress, .complete: return executor ?? organiser
        case .openReview, .escalate: return organiser
        // Residents judge the work; those who carry it out do not rate themselves.
        case .rate: return context.actorIsExecutor ? nil : resident
        case .escalateOverdue: return nil
        }
    }
}

extension ResolutionSource {
    /// The meeting it came from, when it came from one.
    public var meetingID: Int64? {
        switch self {
        case .vote(_, let meetingID): meetingID
        case .consultation(let meetingID): meetingID
        }
    }
}
