import Foundation
import GongzhiDomain
import SQLKit

/// Every change to the jurisdiction tree: one transaction each that loads, checks the actor's right and the
/// tree rules, writes, keeps the node's history and appends the audit entry.
public struct JurisdictionCommands: Sendable {
    let db: Database
    let clock: Clock
    public init(db: Database, clock: Clock = .system) {
        self.db = db
        self.clock = clock
    }

    public func createNode(
        _ actor: Actor, kind: NodeKind, name rawName: String, code rawCode: String? = nil, parentID: Int64?
    ) async throws -> Node {
        let name = try TreeRules.validName(rawName)
        let code = try TreeRules.validCode(rawCode, kind: kind)
        let now = clock.now()
        return try await db.transaction { sql in
            let parent = try await parentID.asyncMap { try await loadNode(sql, $0) }
            // Creating a root district is a system administrator's job at the top.
            let role: Role
            if let parent {
                role = try Authorize.check(actor, .manageNode(kind), at: parent.path)
            } else {
                guard actor.holds(.systemAdmin) else { throw DomainError.forbidden }
                role = .systemAdmin
            }
            try TreeRules.checkPlacement(kind, under: parent)
            let node = try await Self.insertNode(sql, kind: kind, name: name, code: code, parent: parent, at: now)
            try await Self.history(sql, node, at: now, action: "created", detail: name, actor: actor)
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "node.create", objectType: "node", objectID: "\(node.id)", communityID: node.communityID,
                    nodeID: node.id, after: AuditJSON.encode(node)))
            return node
        }
    }

    public func rename(_ actor: Actor, nodeID: Int64, name rawName: String) async throws -> Node {
        let name = try TreeRules.validName(rawName)
        let now = clock.now()
        return try await db.transaction { sql in
            let before = try await loadNode(sql, nodeID)
            let role = try Authorize.check(actor, .manageNode(before.kind), at: before.path)
            guard before.isOpen else { throw DomainError(.conflict, "node_already_closed") }
            try await uniqueName(sql) {
                try await sql.raw("UPDATE nodes SET name = \(bind: name) WHERE id = \(bind: nodeID)").run()
            }
            var after = before
            after.name = name
            try await Self.history(
                sql, after, at: now, action: "renamed", detail: "\(before.name) → \(name)", actor: actor)
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "node.rename", objectType: "node", objectID: "\(nodeID)", communityID: after.communityID,
                    nodeID: nodeID, before: AuditJSON.encode(before), after: AuditJSON.encode(after)))
            return after
        }
    }

    /// Moves a node and its whole subtree under another parent, with everything hung on it: the cases placed inside
    /// take their new path and grid. Grids and buildings that change community take the new community with them (and
    /// a building leaves its estate), and so do their cases' side rows, the residents living there and the grants and
    /// units held there.
    public func move(_ actor: Actor, nodeID: Int64, to newParentID: Int64) async throws -> Node {
        let now = clock.now()
        return try await db.transaction { sql in
            let node = try await loadNode(sql, nodeID)
            let newParent = try await loadNode(sql, newParentID)
            let role = try Authorize.check(actor, .manageNode(node.kind), at: node.path)
            try Authorize.check(actor, .manageNode(node.kind), at: newParent.path)
            guard node.isOpen else { throw DomainError(.conflict, "node_already_closed") }
            try TreeRules.checkMove(node, to: newParent)
            let newPath = NodePath.child(of: newParent.path, id: node.id)
            let oldParent = try await node.parentID.asyncMap { try await loadNode(sql, $0) }
            try await uniqueName(sql) {
                try await sql.raw("UPDATE nodes SET parent_id = \(bind: newParent.id) WHERE id = \(bind: node.id)")
                    .run()
            }
            try await sql.raw(
                """
                UPDATE nodes SET path = CAST(\(bind: newPath) AS TEXT) || substr(path, CAST(\(bind: node.path.utf8.count + 1) AS INTEGER))
                WHERE path >= \(bind: node.path) AND path < \(bind: NodePath.upperBound(node.path))
                """
            ).run()
            let changesCommunity = !node.kind.isCommunityLevel && node.communityID != newParent.communityID
            if changesCommunity {
                try await sql.raw(
                    """
                    UPDATE nodes SET community_id = \(bind: newParent.communityID), estate_id = NULL
                    WHERE path >= \(bind: newPath) AND path < \(bind: NodePath.upperBound(newPath))
                    """
                ).run()
            }
            try await Self.carryCases(sql, from: node.path)
            if changesCommunity { try await Self.carryCommunity(sql, inside: newPath) }
            let after = try await loadNode(sql, node.id)
            try await Self.history(
                sql, after, at: now, action: "moved",
                detail: "\(oldParent?.name ?? "-") → \(newParent.name)", actor: actor)
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "node.move", objectType: "node", objectID: "\(node.id)", communityID: after.communityID,
                    nodeID: node.id, before: AuditJSON.encode(node), after: AuditJSON.encode(after)))
            return after
        }
    }

    public func close(_ actor: Actor, nodeID: Int64) async throws -> Node {
        let now = clock.now()
        return try await db.transaction { sql in
            let node = try await loadNode(sql, nodeID)
            let role = try Authorize.check(actor, .manageNode(node.kind), at: node.path)
            let open = try await sql.raw(
                "SELECT COUNT(*) AS n FROM nodes WHERE parent_id = \(bind: nodeID) AND closed_at IS NULL"
            ).first()!.decode(column: "n", as: Int.self)
            try TreeRules.checkClose(node, openChildren: open)
            try await sql.raw("UPDATE nodes SET closed_at = \(bind: now.epochMillis) WHERE id = \(bind: nodeID)").run()
            var after = node
            after.closedAt = Date(epochMillis: now.epochMillis)
            try await Self.history(sql, after, at: now, action: "closed", detail: "", actor: actor)
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "node.close", objectType: "node", objectID: "\(nodeID)", communityID: node.communityID,
                    nodeID: nodeID, before: AuditJSON.encode(node), after: AuditJSON.encode(after)))
            return after
        }
    }

    /// Splits a grid into two new grids. Every building goes to one of them with its cases (which take its new
    /// grid); cases and homes placed on the grid itself go up to the community, and the roles held at the grid end.
    /// The old grid is closed and its history says where its buildings went and whose roles ended.
    public func splitGrid(
        _ actor: Actor, gridID: Int64, names: (String, String), assignment: [Int64: GridChange.Side]
    ) async throws -> (Node, Node) {
        let now = clock.now()
        return try await db.transaction { sql in
            let grid = try await loadNode(sql, gridID)
            let role = try Authorize.check(actor, .manageNode(.grid), at: grid.path)
            let buildings = try await Self.openChildIDs(sql, gridID)
            try GridChange.checkSplit(grid: grid, buildings: Set(buildings), assignment: assignment, names: names)
            let parent = try await loadNode(sql, grid.parentID!)
            try await sql.raw("UPDATE nodes SET closed_at = \(bind: now.epochMillis) WHERE id = \(bind: gridID)").run()
            let first = try await uniqueName(sql) {
                try await Self.insertNode(
                    sql, kind: .grid, name: try TreeRules.validName(names.0), code: nil, parent: parent, at: now)
            }
            let second = try await uniqueName(sql) {
                try await Self.insertNode(
                    sql, kind: .grid, name: try TreeRules.validName(names.1), code: nil, parent: parent, at: now)
            }
            for (building, side) in assignment.sorted(by: { $0.key < $1.key }) {
                try await Self.reparent(sql, buildingID: building, to: side == .first ? first : second)
            }
            // Cases and homes at the grid itself cannot tell which half they belong to: they go up to the community.
            try await Self.replace(sql, closed: grid, by: parent)
            try await Self.carryCases(sql, from: grid.path)
            let detail = "\(grid.name) → \(first.name), \(second.name)"
            try await Self.history(sql, grid, at: now, action: "split", detail: detail, actor: actor)
            try await endOrMoveGrants(sql, at: grid, to: nil, actor: actor, role: role, now: now)
            try await Self.history(sql, first, at: now, action: "split_from", detail: grid.name, actor: actor)
            try await Self.history(sql, second, at: now, action: "split_from", detail: grid.name, actor: actor)
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "grid.split", objectType: "node", objectID: "\(gridID)", communityID: grid.communityID,
                    nodeID: gridID, before: AuditJSON.encode(grid),
                    after: AuditJSON.encode(["first": first.id, "second": second.id])))
            return (first, second)
        }
    }

    /// Merges two grids of one community into a new grid holding all their buildings with their cases; cases, homes
    /// and roles placed on the old grids move to the new one, and both old grids close.
    public func mergeGrids(_ actor: Actor, _ aID: Int64, _ bID: Int64, name: String) async throws -> Node {
        let now = clock.now()
        return try await db.transaction { sql in
            let a = try await loadNode(sql, aID)
            let b = try await loadNode(sql, bID)
            let role = try Authorize.check(actor, .manageNode(.grid), at: a.path)
            try Authorize.check(actor, .manageNode(.grid), at: b.path)
            try GridChange.checkMerge(a, b, name: name)
            let parent = try await loadNode(sql, a.parentID!)
            let buildings = try await Self.openChildIDs(sql, aID) + Self.openChildIDs(sql, bID)
            try await sql.raw(
                "UPDATE nodes SET closed_at = \(bind: now.epochMillis) WHERE id IN (\(bind: aID), \(bind: bID))"
            ).run()
            let merged = try await uniqueName(sql) {
                try await Self.insertNode(
                    sql, kind: .grid, name: try TreeRules.validName(name), code: nil, parent: parent, at: now)
            }
            for building in buildings { try await Self.reparent(sql, buildingID: building, to: merged) }
            for old in [a, b] {
                try await Self.replace(sql, closed: old, by: merged)
                try await Self.carryCases(sql, from: old.path)
                try await Self.history(
                    sql, old, at: now, action: "merged", detail: "\(old.name) → \(merged.name)", actor: actor)
                try await endOrMoveGrants(sql, at: old, to: merged, actor: actor, role: role, now: now)
            }
            try await Self.history(
                sql, merged, at: now, action: "merged_from", detail: "\(a.name), \(b.name)", actor: actor)
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "grid.merge", objectType: "node", objectID: "\(merged.id)", communityID: merged.communityID,
                    nodeID: merged.id, before: AuditJSON.encode([a, b]), after: AuditJSON.encode(merged)))
            return merged
        }
    }

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
        for (table, column) in [("users", "home_node_id"), ("role_grants", "node_id"), ("units", "node_id")] {
            try await sql.raw(
                """
                UPDATE \(unsafeRaw: table) SET community_id = (SELECT n.community_id FROM nodes n WHERE n.id = \(unsafeRaw: table).\(unsafeRaw: column))
                WHERE \(unsafeRaw: column) IN (SELECT id FROM nodes WHERE path >= \(bind: path) AND path < \(bind: upper))
                """
            ).run()
        }
    }

    /// Cases placed on a grid that closes, and residents whose home it was, go to `successor` (the same community).
    static func replace(_ sql: any SQLDatabase, closed grid: Node, by successor: Node) async throws {
        try await sql.raw("UPDATE cases SET node_id = \(bind: successor.id) WHERE node_path = \(bind: grid.path)").run()
        try await sql.raw("UPDATE users SET home_node_id = \(bind: successor.id) WHERE home_node_id = \(bind: grid.id)")
            .run()
    }

    /// Roles held at a grid that closes move to `successor` (a merge) or end (a split, or the holder already has the
    /// role there); each one leaves a line in the old grid's history and an audit entry.
    func endOrMoveGrants(
        _ sql: any SQLDatabase, at grid: Node, to successor: Node?, actor: Actor, role: Role, now: Date
    ) async throws {
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
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: movedTo == nil ? "role.end" : "role.move", objectType: "user", objectID: "\(grant.userID)",
                    communityID: grid.communityID, nodeID: grid.id,
                    before: AuditJSON.encode(["grant": "\(grant.id)", "role": grant.role, "node": "\(grid.id)"]),
                    after: movedTo.map {
                        AuditJSON.encode(["grant": "\(grant.id)", "role": grant.role, "node": "\($0.id)"])
                    }))
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
