import Foundation
import GongzhiDomain
import GongzhiStore

extension JurisdictionCommands {
    /// A node of `kind` under `parentID` through the children step, or a district at the top when there is none.
    public func add(
        _ actor: Actor, _ kind: NodeKind, _ name: String, code: String? = nil, under parentID: Int64?
    ) async throws -> Node {
        guard let parentID else { return try await createRoot(actor, name: name, code: code) }
        return try await perform(actor, parentID, .createChild(kind: kind, name: name, code: code)).landing
    }
}

extension JurisdictionOutcome {
    /// The two grids a split made.
    public var halves: (Node, Node) { (created[0], created[1]) }
}
