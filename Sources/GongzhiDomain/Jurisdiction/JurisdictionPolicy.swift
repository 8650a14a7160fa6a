import Foundation

/// Who may do what with the tree, its bodies and estates, in one place. `capabilities` is for pages (buttons are
/// drawn from it), `require` for commands (the returned role goes into the audit entry). Both combine the actor's
/// roles at nodes with what the node's kind and state allow.
public enum JurisdictionPolicy {
    /// Those who keep a community's bodies, duty lists and estates.
    static let bodyKeepers: Set<Role> = [.communityWorker, .subdistrictAdmin, .districtAdmin, .systemAdmin]

    public static func capabilities(
        of actor: Actor, on node: Node, in context: JurisdictionContext
    ) -> Set<JurisdictionCapability> {
        Set(
            JurisdictionCapability.all(for: node.kind).filter {
                role(for: $0, actor, node) != nil && (try? check($0, node, context)) != nil
            })
    }

    /// The role that allows the step, or the refusal: "not found" when the actor may not even see the node,
    /// "forbidden" when they may see it but not do this, invalid or conflict when its kind or state does not allow it.
    @discardableResult
    public static func require(
        _ capability: JurisdictionCapability, of actor: Actor, on node: Node, in context: JurisdictionContext
    ) throws(DomainError) -> Role {
        guard let role = role(for: capability, actor, node) else {
            throw mayView(actor, at: node.path) ? DomainError.forbidden : DomainError.outsideJurisdiction
        }
        try check(capability, node, context)
        return role
    }

    /// Only a system administrator creates a tree's top district.
    @discardableResult
    public static func requireCreateRoot(_ actor: Actor) throws(DomainError) -> Role {
        guard actor.holds(.systemAdmin) else { throw DomainError.forbidden }
        return .systemAdmin
    }

    /// Everyone sees their own subtree and the way up to it (never the siblings on the way).
    public static func mayView(_ actor: Actor, at path: String) -> Bool {
        viewer(actor, path) != nil
    }

    // MARK: - Bodies

    /// A body's capabilities: seen with its community, kept by the community's body keepers while it is open.
    public static func capabilities(of actor: Actor, on body: Body, in community: Node) -> Set<JurisdictionCapability> {
        Set(
            [JurisdictionCapability.view, .editBody].filter {
                (try? require($0, of: actor, on: body, in: community)) != nil
            })
    }

    @discardableResult
    public static func require(
        _ capability: JurisdictionCapability, of actor: Actor, on body: Body, in community: Node
    ) throws(DomainError) -> Role {
        switch capability {
        case .view:
            guard let role = viewer(actor, community.path) else { throw DomainError.outsideJurisdiction }
            return role
        case .editBody:
            guard let role = inside(actor, community.path, bodyKeepers.contains) else {
                throw mayView(actor, at: community.path) ? DomainError.forbidden : DomainError.outsideJurisdiction
            }
            guard body.isOpen else { throw DomainError(.conflict, "body_closed") }
            guard community.isOpen else { throw DomainError(.conflict, "node_already_closed") }
            return role
        default:
            throw DomainError.forbidden
        }
    }

    // MARK: - Rules

    /// The role that lets the actor take this step on this node, whatever its kind and state.
    static func role(for capability: JurisdictionCapability, _ actor: Actor, _ node: Node) -> Role? {
        switch capability {
        case .view: viewer(actor, node.path)
        case .export: inside(actor, node.path) { $0.isStaff }
        case .importRows: inside(actor, node.path) { mayManage($0, .building) }
        case .createChild(let kind): inside(actor, node.path) { mayManage($0, kind) }
        case .rename, .move, .close: inside(actor, node.path) { mayManage($0, node.kind) }
        case .splitGrid, .mergeGrids, .editBoundary: inside(actor, node.path) { mayManage($0, .grid) }
        case .assignEstate: inside(actor, node.path) { mayManage($0, .building) }
        case .createBody, .manageEstates: inside(actor, node.path, bodyKeepers.contains)
        case .editBody: nil
        }
    }

    /// What the node's kind and state allow, whoever asks.
    static func check(
        _ capability: JurisdictionCapability, _ node: Node, _ context: JurisdictionContext
    ) throws(DomainError) {
        switch capability {
        case .view, .export: return
        case .importRows, .rename, .move: try requireOpen(node)
        case .createChild(let kind): try TreeRules.checkPlacement(kind, under: node)
        case .close: try TreeRules.checkClose(node, openChildren: context.openChildren)
        case .splitGrid:
            guard node.kind == .grid else { throw .invalid("split_needs_grid") }
            try requireOpen(node)
        case .mergeGrids:
            guard node.kind == .grid else { throw .invalid("merge_needs_grids") }
            try requireOpen(node)
        case .createBody:
            guard node.kind.isCommunityLevel, node.isOpen else { throw .invalid("body_needs_community") }
        case .manageEstates:
            guard node.kind.isCommunityLevel else { throw .invalid("estate_needs_community") }
            try requireOpen(node)
        case .assignEstate:
            guard node.kind == .building else { throw .invalid("estate_needs_building") }
            try requireOpen(node)
        case .editBoundary:
            guard node.kind == .grid else { throw .invalid("boundary_needs_grid", field: "geojson") }
            try requireOpen(node)
        case .editBody: throw .forbidden
        }
    }

    static func requireOpen(_ node: Node) throws(DomainError) {
        guard node.isOpen else { throw DomainError(.conflict, "node_already_closed") }
    }

    /// Which levels a role may create, rename, move and close.
    static func mayManage(_ role: Role, _ kind: NodeKind) -> Bool {
        switch role {
        case .systemAdmin, .districtAdmin: true
        case .subdistrictAdmin: kind != .district && kind != .subdistrict && kind != .town
        case .communityWorker: kind == .grid || kind == .building
        default: false
        }
    }

    static func viewer(_ actor: Actor, _ path: String) -> Role? {
        actor.grants.first { NodePath.isInside(path, $0.nodePath) || NodePath.isInside($0.nodePath, path) }?.role
    }

    static func inside(_ actor: Actor, _ path: String, _ allowed: (Role) -> Bool) -> Role? {
        actor.grants.first { NodePath.isInside(path, $0.nodePath) && allowed($0.role) }?.role
    }
}

/// The checks a step needs on a second node: the destination of a move, the other grid of a merge.
extension JurisdictionPolicy {
    /// Moving `node` under `parent` needs the right to place a node of its kind there, and the tree rules.
    public static func requireMove(_ node: Node, to parent: Node, by actor: Actor) throws(DomainError) {
        guard role(for: .createChild(node.kind), actor, parent) != nil else {
            throw mayView(actor, at: parent.path) ? DomainError.forbidden : DomainError.outsideJurisdiction
        }
        try TreeRules.checkMove(node, to: parent)
    }

    /// Merging `grid` with `other` needs the right to merge at both, and the grid rules.
    public static func requireMerge(_ grid: Node, with other: Node, name: String, by actor: Actor) throws(DomainError) {
        guard role(for: .mergeGrids, actor, other) != nil else {
            throw mayView(actor, at: other.path) ? DomainError.forbidden : DomainError.outsideJurisdiction
        }
        try GridChange.checkMerge(grid, other, name: name)
    }
}
