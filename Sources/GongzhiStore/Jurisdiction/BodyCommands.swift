import Foundation
import GongzhiDomain
import SQLKit

/// Governance bodies, their duty lists, and estates of a community.
public struct BodyCommands: Sendable {
    let db: Database
    let clock: Clock
    public init(db: Database, clock: Clock = .system) {
        self.db = db
        self.clock = clock
    }

    public func createBody(
        _ actor: Actor, communityID: Int64, kind: BodyKind, name rawName: String
    ) async throws -> Body {
        let name = try TreeRules.validName(rawName)
        let now = clock.now()
        return try await db.transaction { sql in
            let community = try await loadNode(sql, communityID)
            let role = try Authorize.check(actor, .manageBodies, at: community.path)
            let body = try await Self.insertBody(sql, community: community, kind: kind, name: name, at: now)
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "body.create", objectType: "body", objectID: "\(body.id)", communityID: community.id,
                    nodeID: community.id, after: AuditJSON.encode(body)))
            return body
        }
    }

    /// Adds a major item (no parent) or a minor item under a major one, at the end of the list.
    public func addDuty(
        _ actor: Actor, bodyID: Int64, parentID: Int64?, title rawTitle: String
    ) async throws -> DutyItem {
        let title = rawTitle.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, title.count <= 200 else {
            throw DomainError.invalid("duty_title_invalid", field: "title")
        }
        let now = clock.now()
        return try await db.transaction { sql in
            guard let body = try await JurisdictionStore.body(sql, bodyID) else { throw DomainError.notFound }
            let community = try await loadNode(sql, body.communityID)
            let role = try Authorize.check(actor, .manageBodies, at: community.path)
            if let parentID {
                guard
                    let parent = try await sql.raw(
                        "SELECT parent_id FROM duty_items WHERE id = \(bind: parentID) AND body_id = \(bind: bodyID)"
                    ).first(),
                    try parent.decode(column: "parent_id", as: Int64?.self) == nil
                else { throw DomainError.invalid("duty_parent_invalid", field: "parent") }
            }
            let item = try await Self.insertDuty(sql, body: body, parentID: parentID, title: title)
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "duty.add", objectType: "body", objectID: "\(bodyID)", communityID: body.communityID,
                    nodeID: body.communityID, after: AuditJSON.encode(item)))
            return item
        }
    }

    public func createEstate(_ actor: Actor, communityID: Int64, name rawName: String) async throws -> Estate {
        let name = try TreeRules.validName(rawName)
        let now = clock.now()
        return try await db.transaction { sql in
            let community = try await loadNode(sql, communityID)
            guard community.kind.isCommunityLevel else { throw DomainError.invalid("estate_needs_community") }
            let role = try Authorize.check(actor, .manageBodies, at: community.path)
            let estate = try await Self.insertEstate(sql, communityID: communityID, name: name, at: now)
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "estate.create", objectType: "estate", objectID: "\(estate.id)", communityID: communityID,
                    nodeID: communityID, after: AuditJSON.encode(estate)))
            return estate
        }
    }

    /// Puts a building in an estate of its own community (or takes it out with nil).
    public func assignEstate(_ actor: Actor, buildingID: Int64, estateID: Int64?) async throws {
        let now = clock.now()
        try await db.transaction { sql in
            let building = try await loadNode(sql, buildingID)
            guard building.kind == .building else { throw DomainError.invalid("estate_needs_building") }
            let role = try Authorize.check(actor, .manageNode(.building), at: building.path)
            if let estateID {
                guard
                    let row = try await sql.raw("SELECT community_id FROM estates WHERE id = \(bind: estateID)")
                        .first(),
                    try row.decode(column: "community_id", as: Int64.self) == building.communityID
                else { throw DomainError.invalid("estate_other_community", field: "estate") }
            }
            try await sql.raw("UPDATE nodes SET estate_id = \(bind: estateID) WHERE id = \(bind: buildingID)").run()
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "building.estate", objectType: "node", objectID: "\(buildingID)",
                    communityID: building.communityID,
                    nodeID: buildingID, before: building.estateID.map { "\($0)" }, after: estateID.map { "\($0)" }))
        }
    }

    // MARK: - Shared steps

    static func insertBody(
        _ sql: any SQLDatabase, community: Node, kind: BodyKind, name: String, at: Date
    ) async throws -> Body {
        guard community.kind.isCommunityLevel, community.isOpen else {
            throw DomainError.invalid("body_needs_community")
        }
        if kind.isSingleton {
            let existing = try await sql.raw(
                "SELECT COUNT(*) AS n FROM bodies WHERE community_id = \(bind: community.id) AND kind = \(bind: kind.rawValue)"
            ).first()!.decode(column: "n", as: Int.self)
            guard existing == 0 else {
                throw DomainError(.conflict, "body_singleton_exists", field: "kind", args: [kind.rawValue])
            }
        }
        let id = try await uniqueName(sql) {
            try await sql.raw(
                """
                INSERT INTO bodies (community_id, kind, name, created_at)
                VALUES (\(bind: community.id), \(bind: kind.rawValue), \(bind: name), \(bind: at.epochMillis)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
        }
        return Body(id: id, communityID: community.id, kind: kind, name: name)
    }

    static func insertDuty(_ sql: any SQLDatabase, body: Body, parentID: Int64?, title: String) async throws -> DutyItem
    {
        let position = try await sql.raw(
            "SELECT COALESCE(MAX(position), 0) + 1 AS p FROM duty_items WHERE body_id = \(bind: body.id)"
        ).first()!.decode(column: "p", as: Int.self)
        let id = try await sql.raw(
            """
            INSERT INTO duty_items (body_id, community_id, parent_id, title, position)
            VALUES (\(bind: body.id), \(bind: body.communityID), \(bind: parentID), \(bind: title), \(bind: position)) RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        return DutyItem(id: id, bodyID: body.id, parentID: parentID, title: title, position: position)
    }

    static func insertEstate(_ sql: any SQLDatabase, communityID: Int64, name: String, at: Date) async throws -> Estate
    {
        let id = try await uniqueName(sql) {
            try await sql.raw(
                """
                INSERT INTO estates (community_id, name, created_at) VALUES (\(bind: communityID), \(bind: name), \(bind: at.epochMillis))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
        }
        return Estate(id: id, communityID: communityID, name: name)
    }
}
