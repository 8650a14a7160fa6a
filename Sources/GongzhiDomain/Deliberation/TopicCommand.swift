import Foundation

/// What someone may do with a topic. Raw values name the steps in URLs, timelines, audit entries and locale keys
/// (`topic_step_<raw>`).
public enum TopicCapability: String, CaseIterable, Codable, Sendable {
    case read, edit, submit
    case coSign = "co_sign"
    case placeOnAgenda = "place_on_agenda"
    case expire
    case takeUp = "take_up"
    /// An online vote is drafted on the topic (taken by the vote's draft, not a step of its own).
    case putToVote = "put_to_vote"
    case postpone, decide, archive
    /// The proposer withdraws the topic (archived as `withdrawn`).
    case withdraw
    case linkCase = "link_case"
}

/// Everything anyone can do to an existing topic. Each goes through the policy and `TopicWorkflow.transition`; the
/// store's one `perform` writes what the transition says.
public enum TopicCommand: Sendable, Equatable {
    /// Change a draft's text.
    case edit(title: String, body: String)
    /// Send the draft out for co-signatures (or straight onto the agenda when the scope needs none).
    case submit
    /// The actor co-signs (联名); reaching the threshold puts the topic on the agenda.
    case coSign
    /// The organiser places the topic on the agenda directly.
    case placeOnAgenda(note: String)
    /// The server's scan: the window ended below the threshold, so the topic is archived.
    case expire
    /// A meeting takes the topic up.
    case takeUp(meetingID: Int64)
    /// An online vote with no meeting is drafted on the topic: the vote decides it instead of a meeting.
    case putToVote(voteID: Int64)
    /// The meeting did not reach it or put it off, or the online vote failed: back on the agenda.
    case postpone(reason: String)
    /// The meeting or the online vote decided, with the resolution when one was made.
    case decide(resolutionID: Int64?, summary: String)
    /// Archive with a reason (not `expired`, which is the scan's).
    case archive(TopicArchiveReason, note: String)
    /// Link another case that raises the same matter.
    case linkCase(caseID: Int64)

    public var capability: TopicCapability {
        switch self {
        case .edit: .edit
        case .submit: .submit
        case .coSign: .coSign
        case .placeOnAgenda: .placeOnAgenda
        case .expire: .expire
        case .takeUp: .takeUp
        case .putToVote: .putToVote
        case .postpone: .postpone
        case .decide: .decide
        case .archive(let reason, _): reason == .withdrawn ? .withdraw : .archive
        case .linkCase: .linkCase
        }
    }
}

/// Facts about a topic the workflow needs but cannot read itself; the store loads them.
public struct TopicContext: Sendable, Equatable {
    public var now: Date
    /// The path of the topic's scope node (building, estate or community), for the policy.
    public var path: String
    /// The co-signature rule of the topic's scope kind (`CoSignatureRules.rule(for:)`).
    public var coSignatureRule: CoSignatureRule
    /// The actor has co-signed already.
    public var hasCoSigned: Bool
    /// The actor lives in (or owns in) the topic's scope.
    public var actorInScope: Bool
    /// Cases already linked to the topic.
    public var linkedCaseIDs: Set<Int64>

    public init(
        now: Date, path: String, coSignatureRule: CoSignatureRule = CoSignatureRules.projectDefault.community,
        hasCoSigned: Bool = false, actorInScope: Bool = true, linkedCaseIDs: Set<Int64> = []
    ) {
        self.now = now
        self.path = path
        self.coSignatureRule = coSignatureRule
        self.hasCoSigned = hasCoSigned
        self.actorInScope = actorInScope
        self.linkedCaseIDs = linkedCaseIDs
    }
}

/// Who hears of a topic's step. The store turns each into users.
public enum TopicAudience: Hashable, Sendable {
    case proposer
    case coSigners
    /// The community workers who organise deliberation.
    case organisers
    /// The residents of the topic's scope (a topic going on the agenda is news to them).
    case scopeResidents
    /// The reporters of the linked cases.
    case caseReporters
}

/// What a step writes besides the topic row.
public enum TopicEffect: Sendable, Equatable {
    /// The actor's co-signature (one per user and topic).
    case coSignature(userID: Int64)
    /// A case linked to the topic; the case shows the topic.
    case linkCase(caseID: Int64)
}

/// What a command does to a topic: the next state, its timeline line, who hears of it, what the audit log says.
public struct TopicTransition: Sendable, Equatable {
    public var next: Topic
    /// The step's name on the timeline and in the audit log (`topic.<action>`).
    public var action: String
    public var note: String
    public var audience: Set<TopicAudience>
    public var auditBefore: String?
    public var auditAfter: String?
    public var auditResult: String
    public var effects: [TopicEffect]

    public init(
        next: Topic, action: String, note: String = "", audience: Set<TopicAudience> = [], auditBefore: String? = nil,
        auditAfter: String? = nil, auditResult: String = "ok", effects: [TopicEffect] = []
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
