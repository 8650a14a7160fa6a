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
            try await AuditLog.append(sql, backend: db.backend, actor: actor, role: role, at: now, AuditRecord(
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
            try await Self.history(sql, after, at: now, action: "renamed", detail: "\(before.name) → \(name)", actor: actor)
            try await AuditLog.append(sql, backend: db.backend, actor: actor, role: role, at: now, AuditRecord(
                action: "node.rename", objectType: "node", objectID: "\(nodeID)", communityID: after.communityID,
                nodeID: nodeID, before: AuditJSON.encode(before), after: AuditJSON.encode(after)))
            return after
        }
    }

    /// Moves a node and its whole subtree under another parent; grids and buildings that change community
    /// take the new community with them (and a building leaves its estate).
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
                try await sql.raw("UPDATE nodes SET parent_id = \(bind: newParent.id) WHERE id = \(bind: node.id)").run()
            }
            try await sql.raw("""
                UPDATE nodes SET path = CAST(\(bind: newPath) AS TEXT) || substr(path, CAST(\(bind: node.path.utf8.count + 1) AS INTEGER))
                WHERE path >= \(bind: node.path) AND path < \(bind: NodePath.upperBound(node.path))
                """).run()
            if !node.kind.isCommunityLevel, node.communityID != newParent.communityID {
                try await sql.raw("""
                    UPDATE nodes SET community_id = \(bind: newParent.communityID), estate_id = NULL
                    WHERE path >= \(bind: newPath) AND path < \(bind: NodePath.upperBound(newPath))
                    """).run()
            }
            let after = try await loadNode(sql, node.id)
            try await Self.history(sql, after, at: now, action: "moved",
                                   detail: "\(oldParent?.name ?? "-") → \(newParent.name)", actor: actor)
            try await AuditLog.append(sql, backend: db.backend, actor: actor, role: role, at: now, AuditRecord(
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
            try await AuditLog.append(sql, backend: db.backend, actor: actor, role: role, at: now, AuditRecord(
                action: "node.close", objectType: "node", objectID: "\(nodeID)", communityID: node.communityID,
                nodeID: nodeID, before: AuditJSON.encode(node), after: AuditJSON.encode(after)))
            return after
        }
    }

    /// Splits a grid into two new grids. Every building goes to one of them; the old grid is closed and its
    /// history says where its buildings went.
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
                try await Self.insertNode(sql, kind: .grid, name: try TreeRules.validName(names.0), code: nil, parent: parent, at: now)
            }
            let second = try await uniqueName(sql) {
                try await Self.insertNode(sql, kind: .grid, name: try TreeRules.validName(names.1), code: nil, parent: parent, at: now)
            }
            for (building, side) in assignment.sorted(by: { $0.key < $1.key }) {
                try await Self.reparent(sql, buildingID: building, to: side == .first ? first : second)
            }
            let detail = "\(grid.name) → \(first.name), \(second.name)"
            try await Self.history(sql, grid, at: now, action: "split", detail: detail, actor: actor)
            try await Self.history(sql, first, at: now, action: "split_from", detail: grid.name, actor: actor)
            try await Self.history(sql, second, at: now, action: "split_from", detail: grid.name, actor: actor)
            try await AuditLog.append(sql, backend: db.backend, actor: actor, role: role, at: now, AuditRecord(
                action: "grid.split", objectType: "node", objectID: "\(gridID)", communityID: grid.communityID,
                nodeID: gridID, before: AuditJSON.encode(grid),
                after: AuditJSON.encode(["first": first.id, "second": second.id])))
            return (first, second)
        }
    }

    /// Merges two grids of one community into a new grid holding all their buildings; both old grids close.
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
            try await sql.raw("UPDATE nodes SET closed_at = \(bind: now.epochMillis) WHERE id IN (\(bind: aID), \(bind: bID))").run()
            let merged = try await uniqueName(sql) {
                try await Self.insertNode(sql, kind: .grid, name: try TreeRules.validName(name), code: nil, parent: parent, at: now)
            }
            for building in buildings { try await Self.reparent(sql, buildingID: building, to: merged) }
            for old in [a, b] {
                try await Self.history(sql, old, at: now, action: "merged", detail: "\(old.name) → \(merged.name)", actor: actor)
            }
            try await Self.history(sql, merged, at: now, action: "merged_from", detail: "\(a.name), \(b.name)", actor: actor)
            try await AuditLog.append(sql, backend: db.backend, actor: actor, role: role, at: now, AuditRecord(
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
        let row = try await sql.raw("""
            INSERT INTO nodes (kind, name, code, parent_id, path, community_id, created_at)
            VALUES (\(bind: kind.rawValue), \(bind: name), \(bind: code), \(bind: parent?.id), \(bind: temp),
              \(bind: parent?.communityID), \(bind: at.epochMillis)) RETURNING id
            """).first()
        let id = try row!.decode(column: "id", as: Int64.self)
        let path = NodePath.child(of: parent?.path, id: id)
        let communityID = kind.isCommunityLevel ? id : parent?.communityID
        try await sql.raw(
            "UPDATE nodes SET path = \(bind: path), community_id = \(bind: communityID) WHERE id = \(bind: id)"
        ).run()
        return Node(id: id, kind: kind, name: name, code: code, parentID: parent?.id, path: path, communityID: communityID)
    }

    static func openChildIDs(_ sql: any SQLDatabase, _ id: Int64) async throws -> [Int64] {
        try await sql.raw("SELECT id FROM nodes WHERE parent_id = \(bind: id) AND closed_at IS NULL ORDER BY id")
            .all().map { try $0.decode(column: "id", as: Int64.self) }
    }

    /// Moves a leaf building under another grid of the same community.
    static func reparent(_ sql: any SQLDatabase, buildingID: Int64, to grid: Node) async throws {
        try await sql.raw("""
            UPDATE nodes SET parent_id = \(bind: grid.id), path = \(bind: grid.path) || CAST(id AS TEXT) || '/'
            WHERE id = \(bind: buildingID)
            """).run()
    }

    static func history(_ sql: any SQLDatabase, _ node: Node, at: Date, action: String, detail: String, actor: Actor?) async throws {
        try await sql.raw("""
            INSERT INTO node_history (node_id, community_id, at, action, detail, actor_user_id)
            VALUES (\(bind: node.id), \(bind: node.communityID), \(bind: at.epochMillis), \(bind: action), \(bind: detail), \(bind: actor?.userID))
            """).run()
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
