import Foundation

/// Things a user may ask to do at a node.
public enum Action: Sendable, Equatable {
    /// Read the node, its children, bodies and duty lists.
    case viewTree
    /// Create, rename, move or close a node of this kind (or split and merge grids).
    case manageNode(NodeKind)
    /// Add and edit governance bodies, estates and duty lists.
    case manageBodies
    /// Read the audit log.
    case readAudit
    /// Maintain case categories, handling units, routing rules and the holiday calendar.
    case configureCases
    /// Export a subtree (tree or bodies CSV): staff, and only inside their own jurisdiction — never an ancestor's
    /// whole subtree, which `viewTree` shows only as the way up.
    case exportTree
}

/// The one permission check every route, page, API call and CLI command goes through.
public enum AccessPolicy {
    public static func allows(_ actor: Actor, _ action: Action, at path: String) -> Bool {
        actor.grants.contains { allows($0, action, at: path) }
    }

    public static func allows(_ grant: RoleGrant, _ action: Action, at path: String) -> Bool {
        let inside = NodePath.isInside(path, grant.nodePath)
        switch action {
        case .viewTree:
            // Everyone sees their own subtree and the way up to it.
            return inside || NodePath.isInside(grant.nodePath, path)
        case .manageNode(let kind):
            guard inside else { return false }
            switch grant.role {
            case .systemAdmin, .districtAdmin: return true
            case .subdistrictAdmin: return kind != .district && kind != .subdistrict && kind != .town
            case .communityWorker: return kind == .grid || kind == .building
            default: return false
            }
        case .manageBodies:
            return inside && [.communityWorker, .subdistrictAdmin, .districtAdmin, .systemAdmin].contains(grant.role)
        case .readAudit:
            return inside && grant.role == .auditor
        case .configureCases:
            return inside && [.subdistrictAdmin, .districtAdmin, .systemAdmin].contains(grant.role)
        case .exportTree:
            return inside && grant.role.isStaff
        }
    }
}
