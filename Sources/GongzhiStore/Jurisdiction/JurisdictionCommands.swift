import Foundation
import GongzhiDomain
import SQLKit

/// What a tree command left: the node as it stands now, and what it made.
public struct JurisdictionOutcome: Sendable, Encodable {
    public var node: Node
    /// The child created, the two halves of a split or the merged grid.
    public var created: [Node] = []
    public var body: Body?
    public var estate: Estate?
    /// Where a page goes on to: the first node made, else the node itself.
    public var landing: Node { created.first ?? node }
}

/// The tree's one writer: `perform` takes every step on a node (and `perform(_:body:_:)` every step on a body), each
/// in one transaction that loads, asks `JurisdictionPolicy.require`, checks the tree rules, writes, keeps the node's
/// history and appends the audit entry with the role that allowed it. A step on a version someone else changed
/// meanwhile is refused.
public struct JurisdictionCommands: Sendable {
    let db: Database
    let clock: Clock
    public init(db: Database, clock: Clock = .system) {
        self.db = db
        self.clock = clock
    }

    /// Creates the top district of a new tree: a system administrator's job.
    public func createRoot(_ actor: Actor, name rawName: String, code rawCode: String? = nil) async throws -> Node {
        try await db.command(actor, clock: clock) { tx in
            let role = try JurisdictionPolicy.requireCreateRoot(actor)
            try TreeRules.checkPlacement(.district, under: nil)
            return try await Self.create(tx, .district, rawName, rawCode, under: nil, role: role)
        }
    }

    @discardableResult
    public func perform(
        _ actor: Actor, _ nodeID: Int64, _ command: JurisdictionCommand, expectedVersion: Int? = nil
    ) async throws -> JurisdictionOutcome {
        try await db.command(actor, clock: clock) { tx in
            let before = try await loadNode(tx.sql, nodeID)
            let context = try await JurisdictionStore.context(tx.sql, of: before)
            // Who may not even see the node learns nothing; who acted on an older version is told it changed first.
            try JurisdictionPolicy.require(.view, of: actor, on: before, in: context)
            if let expectedVersion, expectedVersion != before.version {
                throw DomainError(.conflict, "node_changed_meanwhile")
            }
            let role = try JurisdictionPolicy.require(command.capability, of: actor, on: before, in: context)
            guard
                try await tx.sql.raw(
                    """
                    UPDATE nodes SET version = version + 1 WHERE id = \(bind: nodeID) AND version = \(bind: before.version)
                    RETURNING id
                    """
                ).first() != nil
            else { throw DomainError(.conflict, "node_changed_meanwhile") }
            var node = before
            node.version += 1
            return try await apply(command, tx, node, before: before, role: role)
        }
    }

    func apply(
        _ command: JurisdictionCommand, _ tx: Transaction, _ node: Node, before: Node, role: Role
    ) async throws -> JurisdictionOutcome {
        let sql = tx.sql
        switch command {
        case .createChild(let kind, let name, let code):
            let child = try await Self.create(tx, kind, name, code, under: node, role: role)
            return JurisdictionOutcome(node: node, created: [child])
        case .rename(let rawName):
            let name = try TreeRules.validName(rawName)
            try await uniqueName(sql) {
                try await sql.raw("UPDATE nodes SET name = \(bind: name) WHERE id = \(bind: node.id)").run()
            }
            var after = node
            after.name = name
            try await Self.record(
                tx, after, "renamed", "\(before.name) → \(name)", audit: "node.rename", before: before, role: role)
            return JurisdictionOutcome(node: after)
        case .move(let parentID):
            return JurisdictionOutcome(node: try await move(tx, node, before: before, to: parentID, role: role))
        case .close:
            try await sql.raw("UPDATE nodes SET closed_at = \(bind: tx.now.epochMillis) WHERE id = \(bind: node.id)")
                .run()
            var after = node
            after.closedAt = tx.now
            try await Self.record(tx, after, "closed", "", audit: "node.close", before: before, role: role)
            return JurisdictionOutcome(node: after)
        case .splitGrid(let first, let second, let assignment):
            let halves = try await split(tx, node, names: (first, second), assignment: assignment, role: role)
            return JurisdictionOutcome(node: try await loadNode(sql, node.id), created: [halves.0, halves.1])
        case .mergeGrids(let otherID, let name):
            let merged = try await merge(tx, node, with: otherID, name: name, role: role)
            return JurisdictionOutcome(node: try await loadNode(sql, node.id), created: [merged])
        case .createBody(let kind, let rawName):
            let name = try TreeRules.validName(rawName)
            let body = try await BodyWrites.insertBody(sql, community: node, kind: kind, name: name, at: tx.now)
            try await TreeWrites.history(sql, node, at: tx.now, action: "body_created", detail: name, actor: tx.actor)
            try await tx.audit(
                AuditRecord(
                    action: "body.create", objectType: "body", objectID: "\(body.id)", communityID: node.id,
                    nodeID: node.id, after: AuditJSON.encode(body)),
                role: role)
            return JurisdictionOutcome(node: node, body: body)
        case .createEstate(let rawName):
            let name = try TreeRules.validName(rawName)
            let estate = try await BodyWrites.insertEstate(sql, communityID: node.id, name: name, at: tx.now)
            try await TreeWrites.history(
                sql, node, at: tx.now, action: "estate_created", detail: name, actor: tx.actor)
            try await tx.audit(
                AuditRecord(
                    action: "estate.create", objectType: "estate", objectID: "\(estate.id)", communityID: node.id,
                    nodeID: node.id, after: AuditJSON.encode(estate)),
                role: role)
            return JurisdictionOutcome(node: node, estate: estate)
        case .renameEstate(let estateID, let rawName):
            let name = try TreeRules.validName(rawName)
            guard var estate = try await JurisdictionStore.estate(sql, estateID), estate.communityID == node.id else {
                throw DomainError.invalid("estate_unknown", field: "estate")
            }
            let old = estate
            try await uniqueName(sql) {
                try await sql.raw("UPDATE estates SET name = \(bind: name) WHERE id = \(bind: estateID)").run()
            }
            estate.name = name
            try await TreeWrites.history(
                sql, node, at: tx.now, action: "estate_renamed", detail: "\(old.name) → \(name)", actor: tx.actor)
            try await tx.audit(
                AuditRecord(
                    action: "estate.rename", objectType: "estate", objectID: "\(estateID)", communityID: node.id,
                    nodeID: node.id, before: AuditJSON.encode(old), after: AuditJSON.encode(estate)),
                role: role)
            return JurisdictionOutcome(node: node, estate: estate)
        case .assignEstate(let estateID):
            var estate: Estate?
            if let estateID {
                estate = try await JurisdictionStore.estate(sql, estateID)
                guard let estate, estate.communityID == node.communityID else {
                    throw DomainError.invalid("estate_other_community", field: "estate")
                }
            }
            try await sql.raw("UPDATE nodes SET estate_id = \(bind: estateID) WHERE id = \(bind: node.id)").run()
            var after = node
            after.estateID = estateID
            try await TreeWrites.history(
                sql, after, at: tx.now, action: "estate_assigned", detail: estate?.name ?? "-", actor: tx.actor)
            try await tx.audit(
                AuditRecord(
                    action: "building.estate", objectType: "node", objectID: "\(node.id)",
                    communityID: node.communityID, nodeID: node.id, before: before.estateID.map { "\($0)" },
                    after: estateID.map { "\($0)" }),
                role: role)
            return JurisdictionOutcome(node: after, estate: estate)
        case .setBoundary(let boundary):
            let old = try await JurisdictionStore.boundary(sql, of: node.id)
            try await JurisdictionStore.writeBoundary(sql, node.id, boundary)
            try await TreeWrites.history(
                sql, node, at: tx.now, action: "boundary_set", detail: "\(boundary.outerPoints.count)", actor: tx.actor)
            try await tx.audit(
                AuditRecord(
                    action: "node.boundary", objectType: "node", objectID: "\(node.id)", communityID: node.communityID,
                    nodeID: node.id, before: old.map { Self.boundarySummary($0) },
                    after: Self.boundarySummary(boundary)),
                role: role)
            return JurisdictionOutcome(node: node)
        case .clearBoundary:
            let old = try await JurisdictionStore.boundary(sql, of: node.id)
            try await JurisdictionStore.writeBoundary(sql, node.id, nil)
            try await TreeWrites.history(sql, node, at: tx.now, action: "boundary_cleared", detail: "", actor: tx.actor)
            try await tx.audit(
                AuditRecord(
                    action: "node.boundary_clear", objectType: "node", objectID: "\(node.id)",
                    communityID: node.communityID, nodeID: node.id, before: old.map { Self.boundarySummary($0) }),
                role: role)
            return JurisdictionOutcome(node: node)
        }
    }

    /// What the audit keeps of a boundary: its box and size, not the whole geometry (which the node keeps).
    static func boundarySummary(_ boundary: Boundary) -> String {
        let b = boundary.bounds
        return AuditJSON.encode([
            "polygons": "\(boundary.polygons.count)", "points": "\(boundary.outerPoints.count)",
            "box": [b.minLat, b.minLng, b.maxLat, b.maxLng].map { String(format: "%.6f", $0) }.joined(separator: ","),
        ])
    }

    // MARK: - Steps

    /// Inserts a node under `parent` (nil: at the top) with its history line and audit entry.
    static func create(
        _ tx: Transaction, _ kind: NodeKind, _ rawName: String, _ rawCode: String?, under parent: Node?, role: Role
    ) async throws -> Node {
        let name = try TreeRules.validName(rawName)
        let code = try TreeRules.validCode(rawCode, kind: kind)
        let node = try await uniqueName(tx.sql) {
            try await TreeWrites.insertNode(tx.sql, kind: kind, name: name, code: code, parent: parent, at: tx.now)
        }
        try await TreeWrites.history(tx.sql, node, at: tx.now, action: "created", detail: name, actor: tx.actor)
        try await tx.audit(
            AuditRecord(
                action: "node.create", objectType: "node", objectID: "\(node.id)", communityID: node.communityID,
                nodeID: node.id, after: AuditJSON.encode(node)),
            role: role)
        return node
    }

    /// The history line and audit entry of a change to the node itself.
    static func record(
        _ tx: Transaction, _ after: Node, _ action: String, _ detail: String, audit: String, before: Node, role: Role
    ) async throws {
        try await TreeWrites.history(tx.sql, after, at: tx.now, action: action, detail: detail, actor: tx.actor)
        try await tx.audit(
            AuditRecord(
                action: audit, objectType: "node", objectID: "\(after.id)", communityID: after.communityID,
                nodeID: after.id, before: AuditJSON.encode(before), after: AuditJSON.encode(after)),
            role: role)
    }

    /// Moves a node and its whole subtree under another parent, with everything hung on it: the cases placed inside
    /// take their new path and grid. Grids and buildings that change community take the new community with them (and
    /// a building leaves its estate), and so do their cases' side rows, the residents living there and the grants and
    /// units held there.
    func move(_ tx: Transaction, _ node: Node, before: Node, to newParentID: Int64, role: Role) async throws -> Node {
        let sql = tx.sql
        let newParent = try await loadNode(sql, newParentID)
        try JurisdictionPolicy.requireMove(node, to: newParent, by: tx.actor)
        let newPath = NodePath.child(of: newParent.path, id: node.id)
        let oldParent = try await node.parentID.asyncMap { try await loadNode(sql, $0) }
        try await uniqueName(sql) {
            try await sql.raw("UPDATE nodes SET parent_id = \(bind: newParent.id) WHERE id = \(bind: node.id)").run()
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
        try await TreeWrites.carryCases(sql, from: node.path)
        if changesCommunity {
            try await TreeWrites.carryCommunity(sql, inside: newPath)
            try await TreeWrites.carryRegistrySideRows(sql, inside: newPath)
        }
        let after = try await loadNode(sql, node.id)
        try await Self.record(
            tx, after, "moved", "\(oldParent?.name ?? "-") → \(newParent.name)", audit: "node.move", before: before,
            role: role)
        return after
    }

    /// Splits a grid into two new grids. Every building goes to one of them with its cases (which take its new
    /// grid); cases and homes placed on the grid itself go up to the community, and the roles held at the grid end.
    /// The old grid is closed and its history says where its buildings went and whose roles ended.
    func split(
        _ tx: Transaction, _ grid: Node, names: (String, String), assignment: [Int64: GridChange.Side], role: Role
    ) async throws -> (Node, Node) {
        let sql = tx.sql
        let buildings = try await TreeWrites.openChildIDs(sql, grid.id)
        try GridChange.checkSplit(grid: grid, buildings: Set(buildings), assignment: assignment, names: names)
        let parent = try await loadNode(sql, grid.parentID!)
        try await sql.raw("UPDATE nodes SET closed_at = \(bind: tx.now.epochMillis) WHERE id = \(bind: grid.id)").run()
        let first = try await uniqueName(sql) {
            try await TreeWrites.insertNode(
                sql, kind: .grid, name: try TreeRules.validName(names.0), code: nil, parent: parent, at: tx.now)
        }
        let second = try await uniqueName(sql) {
            try await TreeWrites.insertNode(
                sql, kind: .grid, name: try TreeRules.validName(names.1), code: nil, parent: parent, at: tx.now)
        }
        for (building, side) in assignment.sorted(by: { $0.key < $1.key }) {
            try await TreeWrites.reparent(sql, buildingID: building, to: side == .first ? first : second)
        }
        // Cases and homes at the grid itself cannot tell which half they belong to: they go up to the community.
        try await TreeWrites.replace(sql, closed: grid, by: parent)
        try await TreeWrites.carryCases(sql, from: grid.path)
        let detail = "\(grid.name) → \(first.name), \(second.name)"
        try await TreeWrites.history(sql, grid, at: tx.now, action: "split", detail: detail, actor: tx.actor)
        try await TreeWrites.endOrMoveGrants(tx, at: grid, to: nil, role: role)
        for half in [first, second] {
            try await TreeWrites.history(
                sql, half, at: tx.now, action: "split_from", detail: grid.name, actor: tx.actor)
        }
        try await tx.audit(
            AuditRecord(
                action: "grid.split", objectType: "node", objectID: "\(grid.id)", communityID: grid.communityID,
                nodeID: grid.id, before: AuditJSON.encode(grid),
                after: AuditJSON.encode(["first": first.id, "second": second.id])),
            role: role)
        return (first, second)
    }

    /// Merges two grids of one community into a new grid holding all their buildings with their cases; cases, homes
    /// and roles placed on the old grids move to the new one, and both old grids close.
    func merge(_ tx: Transaction, _ a: Node, with bID: Int64, name: String, role: Role) async throws -> Node {
        let sql = tx.sql
        let b = try await loadNode(sql, bID)
        try JurisdictionPolicy.requireMerge(a, with: b, name: name, by: tx.actor)
        let parent = try await loadNode(sql, a.parentID!)
        let buildings = try await TreeWrites.openChildIDs(sql, a.id) + TreeWrites.openChildIDs(sql, b.id)
        try await sql.raw(
            """
            UPDATE nodes SET closed_at = \(bind: tx.now.epochMillis), version = version + 1
            WHERE id IN (\(bind: a.id), \(bind: b.id))
            """
        ).run()
        let merged = try await uniqueName(sql) {
            try await TreeWrites.insertNode(
                sql, kind: .grid, name: try TreeRules.validName(name), code: nil, parent: parent, at: tx.now)
        }
        for building in buildings { try await TreeWrites.reparent(sql, buildingID: building, to: merged) }
        for old in [a, b] {
            try await TreeWrites.replace(sql, closed: old, by: merged)
            try await TreeWrites.carryCases(sql, from: old.path)
            try await TreeWrites.history(
                sql, old, at: tx.now, action: "merged", detail: "\(old.name) → \(merged.name)", actor: tx.actor)
            try await TreeWrites.endOrMoveGrants(tx, at: old, to: merged, role: role)
        }
        try await TreeWrites.history(
            sql, merged, at: tx.now, action: "merged_from", detail: "\(a.name), \(b.name)", actor: tx.actor)
        try await tx.audit(
            AuditRecord(
                action: "grid.merge", objectType: "node", objectID: "\(merged.id)", communityID: merged.communityID,
                nodeID: merged.id, before: AuditJSON.encode([a, b]), after: AuditJSON.encode(merged)),
            role: role)
        return merged
    }
}
