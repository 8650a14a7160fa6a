import GongzhiDomain

/// The one place a command asks whether the actor may act. Outside what the actor may even see, the
/// answer is "not found", exactly as for a missing id, so ids outside a jurisdiction reveal nothing.
enum Authorize {
    @discardableResult
    static func check(_ actor: Actor, _ action: Action, at path: String) throws(DomainError) -> Role {
        if let grant = actor.grant(for: action, at: path) { return grant.role }
        throw AccessPolicy.allows(actor, .viewTree, at: path) ? DomainError.forbidden : DomainError.notFound
    }
}
