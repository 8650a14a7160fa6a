import Foundation
import GongzhiDomain
import SQLKit

/// The writing steps the tree's commands share with the importer and the demo builder: inserting nodes, moving
/// buildings between grids, the node history, and carrying what hangs on the tree when it changes.
enum TreeWrites {
    // MARK: - Shared steps

    static func insertNode(
        _ sql: any SQLDatabase, kind: NodeKind, name: String, code: String?, parent: Node?, at: Date
    ) async throws -> Node {
        let temp = "tmp-\(UUID().uuidString)"
        let row = try await sql.raw(
            """
            INSERT INTO nodes (kind, name, code, parent_id, path, community_id, created_at)
            VALUES (\(bind: kind.rawValue), \(bind: name), \(bind: code), \(bind: parent?.id), \(bind: temp),
              \(bind: parent?.communityID), \(bind: at.epochMillis)) RETURNING id
            """
        ).first()
        let id = try row!.decode(column: "id", as: Int64.self)
        let path = NodePath.child(of: parent?.path, id: id)
        let communityID = kind.isCommunityLevel ? id : parent?.communityID
        try await sql.raw(
            "UPDATE nodes SET path = \(bind: path), community_id = \(bind: communityID) WHERE id = \(bind: id)"
        ).run()
        return Node(
            id: id, kind: kind, name: name, code: code, parentID: parent?.id, path: path, communityID: communityID)
    }

    static func openChildIDs(_ sql: any SQLDatabase, _ id: Int64) async throws -> [Int64] {
        try await sql.raw("SELECT id FROM nodes WHERE parent_id = \(bind: id) AND closed_at IS NULL ORDER BY id")
            .all().map { try $0.decode(column: "id", as: Int64.self) }
    }

    /// Moves a leaf building under another grid of the same community.
    static func reparent(_ sql: any SQLDatabase, buildingID: Int64, to grid: Node) async throws {
        try await sql.raw(
            """
            UPDATE nodes SET parent_id = \(bind: grid.id), path = \(bind: grid.path) || CAST(id AS TEXT) || '/'
            WHERE id = \(bind: buildingID)
            """
        ).run()
    }

    // MARK: - What hangs on the tree

    /// Every case placed inside the subtree that stood at `oldPath` takes its node's path, community and grid as the
    /// tree now says (cases keep a copy of them for scoped lists).
    static func carryCases(_ sql: any SQLDatabase, from oldPath: String) async throws {
        try await sql.raw(
            """
            UPDATE cases SET
              node_path = (SELECT n.path FROM nodes n WHERE n.id = cases.node_id),
              community_id = (SELECT n.community_id FROM nodes n WHERE n.id = cases.node_id),
              grid_id = (SELECT CASE n.kind WHEN 'grid' THEN n.id WHEN 'building' THEN n.parent_id END
                         FROM nodes n WHERE n.id = cases.node_id)
            WHERE node_path >= \(bind: oldPath) AND node_path < \(bind: NodePath.upperBound(oldPath))
            """
        ).run()
        // Topics scoped to a node of the subtree keep a copy of its path and community too.
        try await TopicRow.carry(sql, from: oldPath)
    }

    /// The subtree now at `path` changed community: the side rows of its cases take their case's community, and the
    /// residents living there, the grants and the units held there take their node's.
    static func carryCommunity(_ sql: any SQLDatabase, inside path: String) async throws {
        let upper = NodePath.upperBound(path)
        for table in [
            "case_events", "case_photos", "mediation_sessions", "case_extension_requests", "case_grid_steps",
            "case_attributes", "case_callers", "notifications",
        ] {
            try await sql.raw(
                """
                UPDATE \(unsafeRaw: table) SET community_id = (SELECT c.community_id FROM cases c WHERE c.id = \(unsafeRaw: table).case_id)
                WHERE case_id IN (SELECT id FROM cases WHERE node_path >= \(bind: path) AND node_path < \(bind: upper))
                """
            ).run()
        }
        for (table, column) in [
            ("users", "home_node_id"), ("role_grants", "node_id"), ("units", "node_id"),
            ("registry_houses", "building_id"), ("registry_households", "building_id"),
            ("registry_people", "building_id"), ("registry_house_owners", "building_id"),
            ("registry_rentals", "building_id"), ("registry_organisations", "node_id"),
            ("registry_facilities", "node_id"),
        ] {
            try await sql.raw(
                """
                UPDATE \(unsafeRaw: table) SET community_id = (SELECT n.community_id FROM nodes n WHERE n.id = \(unsafeRaw: table).\(unsafeRaw: column))
                WHERE \(unsafeRaw: column) IN (SELECT id FROM nodes WHERE path >= \(bind: path) AND path < \(bind: upper))
                """
            ).run()
        }
    }

    /// The registry's side rows take their person's community (after `carryCommunity` moved the people).
    static func carryRegistrySideRows(_ sql: any SQLDatabase, inside path: String) async throws {
        for table in [
            "registry_person_terms", "registry_person_tags", "registry_moves", "care_visits", "registry_reminders",
            "registry_reviews", "registry_corrections",
        ] {
            try await sql.raw(
                """
                UPDATE \(unsafeRaw: table) SET community_id = (SELECT p.community_id FROM registry_people p WHERE p.id = \(unsafeRaw: table).person_id)
                WHERE person_id IN (SELECT p.id FROM registry_people p JOIN nodes n ON n.id = p.building_id
                  WHERE n.path >= \(bind: path) AND n.path < \(bind: NodePath.upperBound(path)))
                """
            ).run()
        }
        try await sql.raw(
            """
            UPDATE registry_rental_tenants SET community_id = (SELECT r.community_id FROM registry_rentals r WHERE r.id = registry_rental_tenants.rental_id)
            WHERE rental_id IN (SELECT r.id FROM registry_rentals r JOIN nodes n ON n.id = r.building_id
              WHERE n.path >= \(bind: path) AND n.path < \(bind: NodePath.upperBound(path)))
            """
        ).run()
    }

    /// Cases placed on a grid that closes, residents whose home it was, organisations and facilities in it go to `successor`
    /// (the same community).
    static func replace(_ sql: any SQLDatabase, closed grid: Node, by successor: Node) async throws {
        try await sql.raw("UPDATE cases SET node_id = \(bind: successor.id) WHERE node_path = \(bind: grid.path)").run()
        try await sql.raw("UPDATE users SET home_node_id = \(bind: successor.id) WHERE home_node_id = \(bind: grid.id)")
            .run()
        for table in ["registry_organisations", "registry_facilities"] {
            try await sql.raw(
                "UPDATE \(unsafeRaw: table) SET node_id = \(bind: successor.id) WHERE node_id = \(bind: grid.id)"
            ).run()
        }
    }

    /// Roles held at a grid that closes move to `successor` (a merge) or end (a split, or the holder already has the
    /// role there); each one leaves a line in the old grid's history and an audit entry.
    static func endOrMoveGrants(_ tx: Transaction, at grid: Node, to successor: Node?, role: Role) async throws {
        let (sql, now, actor) = (tx.sql, tx.now, tx.actor)
        let grants = try await sql.raw(
            """
            SELECT g.id, g.user_id, g.role, u.display_name FROM role_grants g JOIN users u ON u.id = g.user_id
            WHERE g.node_id = \(bind: grid.id) ORDER BY g.id
            """
        ).all().map { row in
            (
                id: try row.decode(column: "id", as: Int64.self),
                userID: try row.decode(column: "user_id", as: Int64.self),
                role: try row.decode(column: "role", as: String.self),
                name: try row.decode(column: "display_name", as: String.self)
            )
        }
        for grant in grants {
            var movedTo: Node? = nil
            if let successor,
                try await sql.raw(
                    """
                    SELECT id FROM role_grants WHERE user_id = \(bind: grant.userID) AND role = \(bind: grant.role) AND node_id = \(bind: successor.id)
                    """
                ).first() == nil
            {
                try await sql.raw(
                    """
                    UPDATE role_grants SET node_id = \(bind: successor.id), community_id = \(bind: successor.communityID) WHERE id = \(bind: grant.id)
                    """
                ).run()
                movedTo = successor
            } else {
                try await sql.raw("DELETE FROM role_grants WHERE id = \(bind: grant.id)").run()
            }
            let detail = "\(grant.name) \(grant.role)" + (movedTo.map { " → \($0.name)" } ?? "")
            try await Self.history(
                sql, grid, at: now, action: movedTo == nil ? "grant_ended" : "grant_moved", detail: detail, actor: actor
            )
            try await tx.audit(
                AuditRecord(
                    action: movedTo == nil ? "role.end" : "role.move", objectType: "user", objectID: "\(grant.userID)",
                    communityID: grid.communityID, nodeID: grid.id,
                    before: AuditJSON.encode(["grant": "\(grant.id)", "role": grant.role, "node": "\(grid.id)"]),
                    after: movedTo.map {
                        AuditJSON.encode(["grant": "\(grant.id)", "role": grant.role, "node": "\($0.id)"])
                    }),
                role: role)
        }
    }

    static func history(
        _ sql: any SQLDatabase, _ node: Node, at: Date, action: String, detail: String, actor: Actor?
    ) async throws {
        try await sql.raw(
            """
            INSERT INTO node_history (node_id, community_id, at, action, detail, actor_user_id)
            VALUES (\(bind: node.id), \(bind: node.communityID), \(bind: at.epochMillis), \(bind: action), \(bind: detail), \(bind: actor?.userID))
            """
        ).run()
    }
}

func loadNode(_ sql: any SQLDatabase, _ id: Int64) async throws -> Node {
    guard let node = try await JurisdictionStore.node(sql, id) else { throw DomainError.notFound }
    return node
}

/// Turns a unique-index violation into the user-facing "name already used" error.
@discardableResult
func uniqueName<R>(_ sql: any SQLDatabase, field: String = "name", _ body: () async throws -> R) async throws -> R {
    do { return try await body() } catch let error where isUniqueViolation(error) {
        throw DomainError(.conflict, "name_taken", field: field)
    }
}

func isUniqueViolation(_ error: any Error) -> Bool {
    let text = String(reflecting: error)
    return text.contains("UNIQUE constraint failed") || text.contains("23505") || text.contains("duplicate key")
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
