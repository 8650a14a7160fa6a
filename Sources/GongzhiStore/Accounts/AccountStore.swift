import Foundation
import GongzhiDomain
import SQLKit

/// An account as administration sees it: the user, their roles and the path of their home node.
public struct AccountRecord: Sendable, Equatable {
    public var user: User
    public var grants: [RoleGrant]
    public var homePath: String?
    public init(user: User, grants: [RoleGrant], homePath: String? = nil) {
        self.user = user
        self.grants = grants
        self.homePath = homePath
    }

    /// What `AccountPolicy` needs to know about the account.
    public var context: AccountContext { AccountContext(grants: grants, homePath: homePath) }
}

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
            SELECT g.id, g.user_id, g.role, g.node_id, n.path, n.name, n.community_id AS node_community FROM role_grants g JOIN nodes n ON n.id = g.node_id
            WHERE g.user_id = \(bind: userID) ORDER BY g.id
            """
        ).all().map(decodeGrant)
    }

    static func decodeGrant(_ row: any SQLRow) throws -> RoleGrant {
        RoleGrant(
            id: try row.decode(column: "id", as: Int64.self),
            userID: try row.decode(column: "user_id", as: Int64.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .resident,
            nodeID: try row.decode(column: "node_id", as: Int64.self),
            nodePath: try row.decode(column: "path", as: String.self),
            nodeName: try row.decode(column: "name", as: String.self),
            communityID: try row.decode(column: "node_community", as: Int64?.self))
    }

    public func actor(for userID: Int64) async throws -> Actor? {
        try await db.read { sql in try await Self.actor(sql, userID) }
    }

    static func actor(_ sql: any SQLDatabase, _ userID: Int64) async throws -> Actor? {
        guard let user = try await user(sql, userID), user.disabledAt == nil else { return nil }
        return Actor(userID: user.id, username: user.username, grants: try await grants(sql, userID))
    }

    /// The user with their roles, when inside the actor's jurisdiction (`AccountPolicy`); outside users answer
    /// exactly like missing ones. Other modules check a user id they are given through it.
    static func userInside(_ sql: any SQLDatabase, _ actor: Actor, _ userID: Int64) async throws -> (User, [RoleGrant])
    {
        guard let record = try await record(sql, userID) else { throw DomainError.notFound }
        try AccountPolicy.require(.view, of: actor, on: record.user, in: record.context)
        return (record.user, record.grants)
    }

    /// An account with its roles and home, as the policy and the pages need it.
    static func record(_ sql: any SQLDatabase, _ id: Int64) async throws -> AccountRecord? {
        guard
            let row = try await sql.raw(
                """
                SELECT u.*, h.path AS home_path FROM users u LEFT JOIN nodes h ON h.id = u.home_node_id
                WHERE u.id = \(bind: id)
                """
            ).first()
        else { return nil }
        return AccountRecord(
            user: try decodeUser(row), grants: try await grants(sql, id),
            homePath: try row.decode(column: "home_path", as: String?.self))
    }

    /// The account, when the actor may see it (`AccountPolicy.require(.view)`): "not found" for a missing id and for
    /// one outside the actor's jurisdiction alike.
    public func user(_ id: Int64, for actor: Actor) async throws -> AccountRecord {
        try await db.read { sql in
            guard let record = try await Self.record(sql, id) else { throw DomainError.notFound }
            try AccountPolicy.require(.view, of: actor, on: record.user, in: record.context)
            return record
        }
    }

    /// The accounts holding a role, or living (their home building), inside the actor's jurisdiction (narrowed to
    /// `node`'s subtree when given), with their roles, by username: two queries whatever the page size. Residents are
    /// listed so that their community's workers find them, to reset a forgotten password.
    public func users(
        for actor: Actor, inside node: Node? = nil, search: String? = nil, limit: Int = 50, offset: Int = 0
    ) async throws -> [AccountRecord] {
        var paths = actor.isCommandLine ? ["/"] : AccountPolicy.managingGrants(actor).map(\.nodePath)
        if let node {
            // Only where the actor manages users: a node outside answers like a missing one.
            guard actor.isCommandLine || AccountPolicy.manager(actor, at: node.path) != nil else {
                throw AccountPolicy.sees(actor, node.path) ? DomainError.forbidden : DomainError.outsideJurisdiction
            }
            paths = [node.path]
        }
        guard !paths.isEmpty else { throw DomainError.forbidden }
        let scope = paths
        let users = try await db.read { sql in
            var q = SQLQueryString(
                """
                SELECT u.*, h.path AS home_path FROM users u LEFT JOIN nodes h ON h.id = u.home_node_id
                WHERE (EXISTS (SELECT 1 FROM role_grants g JOIN nodes n ON n.id = g.node_id WHERE g.user_id = u.id AND (
                """)
            for (i, path) in scope.enumerated() {
                q = q + (i == 0 ? "" : " OR ")
                q = q + "(n.path >= \(bind: path) AND n.path < \(bind: NodePath.upperBound(path)))"
            }
            q = q + ")) OR EXISTS (SELECT 1 FROM nodes hn WHERE hn.id = u.home_node_id AND ("
            for (i, path) in scope.enumerated() {
                q = q + (i == 0 ? "" : " OR ")
                q = q + "(hn.path >= \(bind: path) AND hn.path < \(bind: NodePath.upperBound(path)))"
            }
            q = q + ")))"
            if let search, !search.isEmpty {
                let like = "%" + search.lowercased().replacingOccurrences(of: "%", with: "") + "%"
                q = q + " AND (u.username LIKE \(bind: like) OR u.display_name LIKE \(bind: like))"
            }
            q = q + " ORDER BY u.username LIMIT \(bind: limit) OFFSET \(bind: offset)"
            return try await sql.raw(q).all().map {
                (try Self.decodeUser($0), try $0.decode(column: "home_path", as: String?.self))
            }
        }
        guard !users.isEmpty else { return [] }
        let all = try await db.read { sql in
            try await sql.raw(
                SQLQueryString(
                    """
                    SELECT g.id, g.user_id, g.role, g.node_id, n.path, n.name, n.community_id AS node_community FROM role_grants g JOIN nodes n ON n.id = g.node_id
                    WHERE g.user_id IN (\(unsafeRaw: users.map { String($0.0.id) }.joined(separator: ","))) ORDER BY g.id
                    """)
            ).all().map(Self.decodeGrant)
        }
        let byUser = Dictionary(grouping: all, by: \.userID)
        return users.map { AccountRecord(user: $0.0, grants: byUser[$0.0.id] ?? [], homePath: $0.1) }
    }

    /// How many active accounts have their home inside the subtree at `path`: residents who signed up there (there is
    /// no people registry yet, so this counts accounts, not people). One query.
    public func residentAccounts(inside path: String) async throws -> Int {
        try await db.read { sql in
            try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM users u JOIN nodes h ON h.id = u.home_node_id
                WHERE u.disabled_at IS NULL AND h.path >= \(bind: path) AND h.path < \(bind: NodePath.upperBound(path))
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        }
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
        user.version = try row.decode(column: "version", as: Int.self)
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
