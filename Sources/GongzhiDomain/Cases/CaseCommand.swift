import Foundation

/// Everything anyone can do to an existing case. Each command goes through `CasePolicy.require` and
/// `CaseWorkflow.transition`, and the store's one `perform` writes what the transition says.
public enum CaseCommand: Sendable, Equatable {
    /// Accept and file (受理·立案), with a category.
    case file(categoryID: Int64?)
    /// Refuse to file, with the reason the reporter will read.
    case reject(reason: String)
    /// A simple matter done at once by the community (及时办事): filed and closed in one step.
    case resolveAtOnce(result: String)
    /// Send to a unit. Without deadlines the routing rule's apply (in working time); without a unit, the rule's unit.
    case dispatch(unitID: Int64?, respondBy: Date? = nil, resolveBy: Date? = nil)
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
    /// The unit asks to move the resolution deadline to `until`.
    case requestExtension(until: Date, reason: String)
    /// The community (or above) approves or refuses the pending request.
    case decideExtension(approve: Bool, note: String)
    /// Raise the case one level by hand (督办), with a reason.
    case escalate(reason: String)
    /// Raise an overdue case to the level its deadline calls for (the server's once-a-minute scan).
    case escalateOverdue
    /// One of the six grid steps' notes (民主议事, 定期评事, 追踪督事).
    case gridStep(GridStep, note: String)
    /// A mediation session of a dispute.
    case mediate(MediationSession)
    /// Close this case as a duplicate of another open case of the same community, named by its number.
    case merge(intoNumber: String)
    /// Set or change the public facility (部件) the case is about, by its code in the case's community; an empty code
    /// clears it (issue 12).
    case setFacility(code: String)
    /// Attach a photo (checked by its bytes).
    case addPhoto(bytes: [UInt8])
    /// Hear of the case's steps, as its reporter does (a public case, or one the actor may read).
    case follow
    case unfollow
    /// "This is my problem too": a resident of the case's community counted as a supporter, and a follower.
    case support

    /// The capability the command needs.
    public var capability: CaseCapability {
        switch self {
        case .file: .file
        case .reject: .reject
        case .resolveAtOnce: .resolveAtOnce
        case .dispatch: .dispatch
        case .acceptHandling: .acceptHandling
        case .returnCase: .returnCase
        case .reportBack: .reportBack
        case .verify: .verify
        case .rate: .rate
        case .requestExtension: .requestExtension
        case .decideExtension: .decideExtension
        case .escalate: .escalate
        case .escalateOverdue: .escalateOverdue
        case .gridStep(let step, _): step.capability
        case .mediate: .mediate
        case .merge: .merge
        case .setFacility: .setFacility
        case .addPhoto: .addPhoto
        case .follow: .follow
        case .unfollow: .unfollow
        case .support: .support
        }
    }
}

extension GridStep {
    public var capability: CaseCapability {
        switch self {
        case .referToDeliberation: .referToDeliberation
        case .review: .review
        case .followUp: .followUp
        }
    }
}
