import Foundation

/// Who may do what with a topic, in one place, as `CasePolicy` does for cases: `capabilities` for pages (buttons are
/// drawn from it), `require` for commands (the returned role goes into the audit entry). Both combine who the actor
/// is (roles at nodes, being the proposer, living in the scope) with what the state allows (`TopicWorkflow`).
public enum TopicPolicy {
    /// Those who organise deliberation: the community's workers and the administrators above, inside their subtree.
    public static let organiserRoles: Set<Role> = [.communityWorker, .subdistrictAdmin, .districtAdmin]

    public static func capabilities(of actor: Actor, on topic: Topic, in context: TopicContext) -> Set<TopicCapability>
    {
        Set(
            TopicCapability.allCases.filter {
                role(for: $0, actor, topic, context) != nil && TopicWorkflow.isAvailable($0, topic, context)
            })
    }

    /// The role that allows the step, or the refusal: "not found" when the actor may not even read the topic,
    /// "forbidden" when they may read it but not do this, `topic_step_out_of_order` when the state does not allow
    /// it now.
    @discardableResult
    public static func require(
        _ capability: TopicCapability, of actor: Actor, on topic: Topic, in context: TopicContext
    )
        throws(DomainError) -> Role
    {
        guard let role = role(for: capability, actor, topic, context) else {
            throw role(for: .read, actor, topic, context) != nil ? DomainError.forbidden : .outsideJurisdiction
        }
        guard TopicWorkflow.isAvailable(capability, topic, context) || capability == .coSign else {
            throw DomainError(.conflict, "topic_step_out_of_order", args: [capability.rawValue, topic.state.rawValue])
        }
        return role
    }

    /// The role that lets the actor take this step on this topic, whatever its state.
    static func role(for capability: TopicCapability, _ actor: Actor, _ topic: Topic, _ context: TopicContext) -> Role?
    {
        if actor.principal == .system { return [.read, .expire].contains(capability) ? .systemAdmin : nil }
        // The command line drafts votes and seeds their resolutions as the system administrator; a vote drafted on a
        // topic puts the topic to it, and the vote's resolution decides it. It takes no other step: seeded topics are
        // written with their history.
        if actor.principal == .commandLine { return [.putToVote, .decide].contains(capability) ? .systemAdmin : nil }
        guard actor.principal == .user else { return nil }
        let organiser = actor.grants.first {
            organiserRoles.contains($0.role) && NodePath.isInside(context.path, $0.nodePath)
        }?.role
        // Staff who may read their area's topics: everyone but department handlers and auditors.
        let areaReader = actor.grants.first {
            $0.role.isStaff && $0.role != .departmentHandler && $0.role != .auditor
                && NodePath.isInside(context.path, $0.nodePath)
        }?.role
        let ownRole = actor.grants.first?.role ?? .resident
        let isProposer = topic.proposerUserID != nil && topic.proposerUserID == actor.userID
        let proposer: Role? = isProposer ? ownRole : nil
        // A draft is its proposer's alone; once submitted the scope's residents see it.
        let neighbour: Role? = context.actorInScope && topic.state != .draft ? ownRole : nil
        switch capability {
        case .read: return areaReader ?? proposer ?? neighbour
        case .edit, .submit, .withdraw: return proposer
        // Own topics and second signatures are refused by the workflow with their own reasons.
        case .coSign: return context.actorInScope ? ownRole : nil
        case .placeOnAgenda, .takeUp, .putToVote, .postpone, .decide, .archive, .linkCase: return organiser
        case .expire: return nil
        }
    }
}
