import Foundation
import GongzhiDomain
import SQLKit

extension AccountStore {
    /// The active accounts holding `role` at the node itself (a building's heads, 楼长), by display name: one query.
    /// The caller has already checked that the reader may see the node (the registry's building page does).
    public func holders(of role: Role, at nodeID: Int64) async throws -> [User] {
        try await db.read { sql in
            try await sql.raw(
                """
                SELECT u.* FROM users u JOIN role_grants g ON g.user_id = u.id
                WHERE g.node_id = \(bind: nodeID) AND g.role = \(bind: role.rawValue) AND u.disabled_at IS NULL
                ORDER BY u.display_name, u.id
                """
            ).all().map(Self.decodeUser)
        }
    }
}
