import Foundation

/// Who hears of a step. The store turns each into users.
public enum CaseAudience: Hashable, Sendable {
    /// The person who reported the case.
    case reporter
    /// The handlers of the unit the case is with.
    case unitMembers
    /// The community workstation's staff.
    case communityWorkers
    /// The administrators watching at an escalation level (1: the sub-district, 2: the district).
    case watchers(level: Int)
}

/// What a step writes besides the case row: rows of the side tables.
public enum CaseEffect: Sendable, Equatable {
    case mediation(MediationSession)
    case photo(contentType: String, bytes: [UInt8])
    case gridStep(GridStep, note: String)
    case extensionRequested(ExtensionRequest)
    case extensionDecided(approved: Bool, note: String)
    /// The case that goes on gets a line on its own timeline too.
    case mergedInto(Case)
    /// The actor follows the case (and, with `support`, counts as having the same problem); or stops following.
    case follow(support: Bool)
    case unfollow
}

/// What a command does to a case: the next state, its timeline line, who hears of it, what the audit log says.
public struct CaseTransition: Sendable, Equatable {
    public var next: Case
    /// The step's name on the timeline and in the audit log (`case.<action>`).
    public var action: String
    public var note: String
    public var audience: Set<CaseAudience>
    public var auditBefore: String?
    public var auditAfter: String?
    public var auditResult: String
    public var effects: [CaseEffect]
    /// Following and supporting leave the case as it was: no new version, no timeline line.
    public var keepsCase = false

    public init(
        next: Case, action: String, note: String = "", audience: Set<CaseAudience> = [], auditBefore: String? = nil,
        auditAfter: String? = nil, auditResult: String = "ok", effects: [CaseEffect] = []
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
