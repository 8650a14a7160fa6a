import Foundation
import GongzhiDomain
import SQLKit

/// The writing steps the body commands share with the importer and the demo builder.
enum BodyWrites {
    static func insertBody(
        _ sql: any SQLDatabase, community: Node, kind: BodyKind, name: String, at: Date
    ) async throws -> Body {
        guard community.kind.isCommunityLevel, community.isOpen else {
            throw DomainError.invalid("body_needs_community")
        }
        if kind.isSingleton {
            let existing = try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM bodies WHERE community_id = \(bind: community.id) AND kind = \(bind: kind.rawValue)
                AND closed_at IS NULL
                """
            ).first()!.decode(column: "n", as: Int.self)
            guard existing == 0 else {
                throw DomainError(.conflict, "body_singleton_exists", field: "kind", args: [kind.rawValue])
            }
        }
        let position = try await sql.raw(
            "SELECT COALESCE(MAX(position), 0) + 1 AS p FROM bodies WHERE community_id = \(bind: community.id)"
        ).first()!.decode(column: "p", as: Int.self)
        let id = try await uniqueName(sql) {
            try await sql.raw(
                """
                INSERT INTO bodies (community_id, kind, name, position, created_at)
                VALUES (\(bind: community.id), \(bind: kind.rawValue), \(bind: name), \(bind: position), \(bind: at.epochMillis))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
        }
        return Body(id: id, communityID: community.id, kind: kind, name: name, position: position)
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
