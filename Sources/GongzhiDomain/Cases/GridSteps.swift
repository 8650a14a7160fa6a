import Foundation

/// The six grid steps (网格六事) beyond the loop itself: party members' questions come in as a channel; simple
/// matters are resolved at once (`CaseAction.resolveAtOnce`); the rest are notes staff add to a case.
public enum GridStep: String, CaseIterable, Codable, Sendable {
    /// 民主议事: the matter needs a community decision and goes to deliberation.
    case referToDeliberation
    /// 定期评事: a handled case is looked at again in the periodic review.
    case review
    /// 追踪督事: follow-up after closing, to see that the fix holds.
    case followUp

    /// The states in which the step makes sense.
    public func allowed(in status: CaseStatus) -> Bool {
        switch self {
        case .referToDeliberation: [.submitted, .filed].contains(status)
        case .review, .followUp: status == .closed
        }
    }
}
