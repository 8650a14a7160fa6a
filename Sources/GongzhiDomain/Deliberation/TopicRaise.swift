import Foundation

/// Raising a topic (议题): who may raise one, as whom, where. A resident or party member (党员问事) raises in the scope
/// they live in; the organisers of deliberation (community workers and the administrators above) raise anywhere in
/// their subtree, for themselves or for a governance body of the community; a case becomes a topic only through the
/// case's "send to deliberation" step.
public enum TopicRaise {
    /// The role that lets the actor raise a topic from `origin` in the scope at `scopePath`, or the refusal:
    /// `forbidden` when the actor may neither raise in the scope (not living there, not organising it),
    /// `topic_origin_invalid` for a case origin (the case's step raises those) and `topic_body_not_organiser` when a
    /// governance body's topic is raised by someone who does not organise the community.
    public static func require(
        _ actor: Actor, origin: TopicOrigin, scopePath: String, actorInScope: Bool
    ) throws(DomainError) -> Role {
        guard actor.principal == .user else { throw DomainError.forbidden }
        let organiser = actor.grants.first {
            TopicPolicy.organiserRoles.contains($0.role) && NodePath.isInside(scopePath, $0.nodePath)
        }?.role
        switch origin {
        case .fromCase: throw .invalid("topic_origin_invalid", field: "origin")
        case .governanceBody:
            guard let organiser else { throw DomainError(.forbidden, "topic_body_not_organiser", field: "origin") }
            return organiser
        case .resident, .partyMember:
            if let organiser { return organiser }
            guard actorInScope else { throw DomainError(.forbidden, "topic_raise_outside_scope", field: "scope") }
            return actor.grants.first?.role ?? .resident
        }
    }

    /// Setting a community's co-signature rules: its organisers (community workers and the administrators above).
    /// Thresholds are at least 0, windows 1 to 365 days (`topic_cosign_rule_invalid`).
    public static func requireSetRules(
        _ actor: Actor, communityPath: String, rule: CoSignatureRule
    ) throws(DomainError) -> Role {
        guard actor.principal == .user,
            let role = actor.grants.first(where: {
                TopicPolicy.organiserRoles.contains($0.role) && NodePath.isInside(communityPath, $0.nodePath)
            })?.role
        else { throw DomainError.forbidden }
        guard rule.threshold >= 0, rule.threshold <= 100_000, (1...365).contains(rule.windowDays) else {
            throw .invalid("topic_cosign_rule_invalid", field: "threshold")
        }
        return role
    }

    /// The topic's number: the day it was raised and its id, e.g. "YT20261124-000007".
    public static func number(day: String, id: Int64) -> String {
        "YT" + day.replacingOccurrences(of: "-", with: "") + String(format: "-%06d", id)
    }
}
