import Foundation

/// Things a user may ask to do at a node.
public enum Action: Sendable, Equatable {
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

    public static func allows(_ grant: RoleGrant, _ action: Action, at path: String) -> Bool {
        let inside = NodePath.isInside(path, grant.nodePath)
        switch action {
        case .readAudit:
            return inside && grant.role == .auditor
        case .configureCases:
            return inside && [.subdistrictAdmin, .districtAdmin, .systemAdmin].contains(grant.role)
        }
    }
}
