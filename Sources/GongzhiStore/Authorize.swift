import GongzhiDomain

/// The one place a command asks whether the actor may act. Outside what the actor may even see, the
/// answer is "not found", exactly as for a missing id, so ids outside a jurisdiction reveal nothing.
enum Authorize {
    @discardableResult
    static func check(_ actor: Actor, _ action: Action, at path: String) throws(DomainError) -> Role {
        if let grant = actor.grant(for: action, at: path) { return grant.role }
        throw JurisdictionPolicy.mayView(actor, at: path) ? DomainError.forbidden : DomainError.outsideJurisdiction
    }
}

/// Read checks for pages and API routes, with the same not-found answer for missing and out-of-reach ids.
public enum Access {
    @discardableResult
    public static func requireView(_ actor: Actor, _ node: Node?) throws(DomainError) -> Node {
        guard let node else { throw .notFound }
        guard JurisdictionPolicy.mayView(actor, at: node.path) else { throw .outsideJurisdiction }
        return node
    }

    public static func require(_ actor: Actor, _ action: Action, at node: Node) throws(DomainError) {
        _ = try Authorize.check(actor, action, at: node.path)
    }
}
