import Foundation

/// Things a user may ask to do at a node.
public enum Action: Sendable, Equatable {
    /// Create accounts, reset passwords, list users.
    case manageUsers
    /// Grant or revoke this role at the node.
    case grantRole(Role)
    /// Read the audit log.
    case readAudit
    /// Maintain case categories, handling units, routing rules and the holiday calendar.
    case configureCases
}

/// The one permission check every route, page, API call and CLI command goes through.
public enum AccessPolicy {
    public static func allows(_ actor: Actor, _ action: Action, at path: String) -> Bool {
        actor.grants.contains { allows($0, action, at: path) }
    }

    /// Whether the actor may create, reset, disable or grant auditor accounts: the command line only (三员分立).
    public static func mayHandleAuditors(_ actor: Actor) -> Bool { actor.isCommandLine }

    public static func allows(_ grant: RoleGrant, _ action: Action, at path: String) -> Bool {
        let inside = NodePath.isInside(path, grant.nodePath)
        switch action {
        case .manageUsers:
            return inside && [.communityWorker, .subdistrictAdmin, .districtAdmin, .systemAdmin].contains(grant.role)
        case .grantRole(let role):
            // No grant, not even a system administrator's, reaches auditors: only the command line does.
            guard inside, role != .auditor else { return false }
            switch grant.role {
            case .systemAdmin: return true
            case .auditor: return false
            case .districtAdmin, .subdistrictAdmin, .communityWorker:
                return role != .systemAdmin && role.rank < grant.role.rank
            default: return false
            }
        case .readAudit:
            return inside && grant.role == .auditor
        case .configureCases:
            return inside && [.subdistrictAdmin, .districtAdmin, .systemAdmin].contains(grant.role)
        }
    }
}
