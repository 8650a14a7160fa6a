import Foundation
import GongzhiDomain
import SQLKit

/// Reads of users, their roles and tokens.
public struct AccountStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    public func user(_ id: Int64) async throws -> User? {
        try await db.read { sql in try await Self.user(sql, id) }
    }

    public func user(username: String) async throws -> User? {
        try await db.read { sql in
            try await sql.raw("SELECT * FROM users WHERE username = \(bind: username.lowercased())").first().map(
                Self.decodeUser)
        }
    }

    static func user(_ sql: any SQLDatabase, _ id: Int64) async throws -> User? {
        try await sql.raw("SELECT * FROM users WHERE id = \(bind: id)").first().map(decodeUser)
    }

    public func grants(of userID: Int64) async throws -> [RoleGrant] {
        try await db.read { sql in try await Self.grants(sql, userID) }
    }

    /// A user acting for their own account, with their roles, so that the audit entry names their role.
    static func ownActor(_ sql: any SQLDatabase, userID: Int64, username: String) async throws -> Actor {
        Actor(userID: userID, username: username, grants: try await grants(sql, userID))
    }

    static func grants(_ sql: any SQLDatabase, _ userID: Int64) async throws -> [RoleGrant] {
        try await sql.raw(
            """
            SELECT g.id, g.user_id, g.role, g.node_id, n.path, n.name FROM role_grants g JOIN nodes n ON n.id = g.node_id
            WHERE g.user_id = \(bind: userID) ORDER BY g.id
            """
        ).all().map { row in
            RoleGrant(
                id: try row.decode(column: "id", as: Int64.self),
                userID: try row.decode(column: "user_id", as: Int64.self),
                role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .resident,
                nodeID: try row.decode(column: "node_id", as: Int64.self),
                nodePath: try row.decode(column: "path", as: String.self),
                nodeName: try row.decode(column: "name", as: String.self))
        }
    }

    public func actor(for userID: Int64) async throws -> Actor? {
        try await db.read { sql in try await Self.actor(sql, userID) }
    }

    static func actor(_ sql: any SQLDatabase, _ userID: Int64) async throws -> Actor? {
        guard let user = try await user(sql, userID), user.disabledAt == nil else { return nil }
        return Actor(userID: user.id, username: user.username, grants: try await grants(sql, userID))
    }

    /// The user with their roles, when inside the actor's jurisdiction: one of their grants, or their home node,
    /// lies inside a node where the actor may manage users. Outside users answer exactly like missing ones.
    static func userInside(_ sql: any SQLDatabase, _ actor: Actor, _ userID: Int64) async throws -> (User, [RoleGrant])
    {
        guard let user = try await user(sql, userID) else { throw DomainError.notFound }
        let grants = try await grants(sql, userID)
        var paths = grants.map(\.nodePath)
        if let home = user.homeNodeID, let node = try await JurisdictionStore.node(sql, home) {
            paths.append(node.path)
        }
        guard paths.contains(where: { AccessPolicy.allows(actor, .manageUsers, at: $0) }) else {
            throw DomainError.outsideJurisdiction
        }
        return (user, grants)
    }

    /// Users holding a role, or living, inside the subtree at `path`, with their roles, for administration.
    public func users(
        inside path: String, search: String? = nil, limit: Int = 50, offset: Int = 0
    ) async throws -> [(User, [RoleGrant])] {
        let users = try await db.read { sql in
            var q = SQLQueryString(
                """
                SELECT u.* FROM users u WHERE (EXISTS (SELECT 1 FROM role_grants g JOIN nodes n ON n.id = g.node_id
                  WHERE g.user_id = u.id AND n.path >= \(bind: path) AND n.path < \(bind: NodePath.upperBound(path))))
                """)
            if let search, !search.isEmpty {
                let like = "%" + search.lowercased().replacingOccurrences(of: "%", with: "") + "%"
                q = q + " AND (u.username LIKE \(bind: like) OR u.display_name LIKE \(bind: like))"
            }
            q = q + " ORDER BY u.username LIMIT \(bind: limit) OFFSET \(bind: offset)"
            return try await sql.raw(q).all().map(Self.decodeUser)
        }
        guard !users.isEmpty else { return [] }
        let all = try await db.read { sql in
            try await sql.raw(
                SQLQueryString(
                    """
                    SELECT g.id, g.user_id, g.role, g.node_id, n.path, n.name FROM role_grants g JOIN nodes n ON n.id = g.node_id
                    WHERE g.user_id IN (\(users.map { String($0.id) }.joined(separator: ",")))  ORDER BY g.id
                    """)
            ).all().map { row in
                RoleGrant(
                    id: try row.decode(column: "id", as: Int64.self),
                    userID: try row.decode(column: "user_id", as: Int64.self),
                    role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .resident,
                    nodeID: try row.decode(column: "node_id", as: Int64.self),
                    nodePath: try row.decode(column: "path", as: String.self),
                    nodeName: try row.decode(column: "name", as: String.self))
            }
        }
        let byUser = Dictionary(grouping: all, by: \.userID)
        return users.map { ($0, byUser[$0.id] ?? []) }
    }

    public func tokens(of userID: Int64) async throws -> [APIToken] {
        try await db.read { sql in
            try await sql.raw("SELECT * FROM api_tokens WHERE user_id = \(bind: userID) ORDER BY id DESC").all().map(
                Self.decodeToken)
        }
    }

    public func userCount() async throws -> Int {
        try await db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM users").first()!.decode(column: "n", as: Int.self)
        }
    }

    static func decodeUser(_ row: any SQLRow) throws -> User {
        var user = User(
            id: try row.decode(column: "id", as: Int64.self),
            username: try row.decode(column: "username", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self),
            homeNodeID: try row.decode(column: "home_node_id", as: Int64?.self),
            communityID: try row.decode(column: "community_id", as: Int64?.self),
            createdAt: Date(epochMillis: try row.decode(column: "created_at", as: Int64.self)),
            lastLoginAt: try row.decode(column: "last_login_at", as: Int64?.self).map(Date.init(epochMillis:)),
            lockedUntil: try row.decode(column: "locked_until", as: Int64?.self).map(Date.init(epochMillis:)),
            disabledAt: try row.decode(column: "disabled_at", as: Int64?.self).map(Date.init(epochMillis:)),
            mustChangePassword: try row.decode(column: "must_change_password", as: Int.self) != 0)
        user.secondFactorEnabled = try row.decode(column: "totp_enabled_at", as: Int64?.self) != nil
        return user
    }

    static func decodeToken(_ row: any SQLRow) throws -> APIToken {
        APIToken(
            id: try row.decode(column: "id", as: Int64.self), userID: try row.decode(column: "user_id", as: Int64.self),
            name: try row.decode(column: "name", as: String.self),
            prefix: try row.decode(column: "prefix", as: String.self),
            createdAt: Date(epochMillis: try row.decode(column: "created_at", as: Int64.self)),
            lastUsedAt: try row.decode(column: "last_used_at", as: Int64?.self).map(Date.init(epochMillis:)),
            revokedAt: try row.decode(column: "revoked_at", as: Int64?.self).map(Date.init(epochMillis:)))
    }
}

extension AccountStore {
    /// Display names for a timeline, in one query.
    public func displayNames(_ ids: Set<Int64>) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        return try await db.read { sql in
            var out: [Int64: String] = [:]
            for row in try await sql.select().columns("id", "display_name").from("users").where("id", .in, Array(ids))
                .all()
            {
                out[try row.decode(column: "id", as: Int64.self)] = try row.decode(
                    column: "display_name", as: String.self)
            }
            return out
        }
    }
}
