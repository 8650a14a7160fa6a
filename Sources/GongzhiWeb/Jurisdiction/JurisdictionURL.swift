import Foundation
import GongzhiDomain

/// Every URL of the jurisdiction module, used by routes and views alike so a link and its route cannot drift apart.
enum JurisdictionURL {
    case tree
    case node(Int64)
    case nodeStep(Int64, NodeStep.Name)
    case importRows(Int64)
    case exportTree(Int64), exportBodies(Int64)
    case body(Int64)
    case importBoundaries(Int64), exportBoundaries(Int64)
    /// The node's area drawn as SVG (the map picker's image).
    case map(Int64)
    case bodyStep(Int64, BodyStep.Name)
    case apiNodes
    case apiNode(Int64)
    case apiNodeStep(Int64, NodeStep.Name)
    case apiBody(Int64)
    case apiBodyStep(Int64, BodyStep.Name)

    var path: String {
        switch self {
        case .tree: "/nodes"
        case .node(let id): "/nodes/\(id)"
        case .nodeStep(let id, let step): "/nodes/\(id)/\(step.rawValue)"
        case .importRows(let id): "/nodes/\(id)/import"
        case .exportTree(let id): "/nodes/\(id)/tree.csv"
        case .exportBodies(let id): "/nodes/\(id)/bodies.csv"
        case .body(let id): "/bodies/\(id)"
        case .importBoundaries(let id): "/nodes/\(id)/boundaries"
        case .exportBoundaries(let id): "/nodes/\(id)/boundaries.geojson"
        case .map(let id): "/nodes/\(id)/map.svg"
        case .bodyStep(let id, let step): "/bodies/\(id)/\(step.rawValue)"
        case .apiNodes: "/api/v1/nodes"
        case .apiNode(let id): "/api/v1/nodes/\(id)"
        case .apiNodeStep(let id, let step): "/api/v1/nodes/\(id)/\(step.rawValue)"
        case .apiBody(let id): "/api/v1/bodies/\(id)"
        case .apiBodyStep(let id, let step): "/api/v1/bodies/\(id)/\(step.rawValue)"
        }
    }

    /// Route patterns for the router, relative to the group (pages at the root, the API under /api/v1).
    static func nodeStepPattern(_ step: NodeStep.Name) -> String { "/nodes/:id/\(step.rawValue)" }
    static func bodyStepPattern(_ step: BodyStep.Name) -> String { "/bodies/:id/\(step.rawValue)" }
}
