import Foundation
import GongzhiDomain
import SQLKit

/// The case set-up's fast path for seeding and imports: categories, handling units, their members and routing rules.
///
/// It skips what `CaseSetup` does per row (the policy check and one audit entry each), so it is for the command line
/// and importers only: it opens only on a transaction of `Actor.commandLine` (`db.command(.commandLine, clock:)`)
/// and refuses any other with `forbidden`. The caller writes one audit entry for the whole batch. Names and a
/// rule's hours are still checked.
public struct CaseSetupBulk: Sendable {
    let tx: Transaction

    public init(_ tx: Transaction) throws(DomainError) {
        try tx.requireCommandLine()
        self.tx = tx
    }

    /// Adds a category at `node` (usually the district), under `parentID` for a sub-category.
    public func addCategory(
        _ rawName: String, at node: Node, under parentID: Int64? = nil, position: Int = 0
    ) async throws -> CaseCategory {
        let name = try TreeRules.validName(rawName)
        let id = try await uniqueName(tx.sql) {
            try await tx.sql.raw(
                """
                INSERT INTO case_categories (node_id, parent_id, name, position)
                VALUES (\(bind: node.id), \(bind: parentID), \(bind: name), \(bind: position)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
        }
        return CaseCategory(id: id, nodeID: node.id, parentID: parentID, name: name)
    }

    /// Adds a handling unit at `node`: cases placed at or below it may be dispatched to it.
    public func addUnit(_ rawName: String, at node: Node, bodyID: Int64? = nil) async throws -> HandlingUnit {
        let name = try TreeRules.validName(rawName)
        let id = try await uniqueName(tx.sql) {
            try await tx.sql.raw(
                """
                INSERT INTO units (node_id, community_id, body_id, name, created_at)
                VALUES (\(bind: node.id), \(bind: node.communityID), \(bind: bodyID), \(bind: name), \(bind: tx.now.epochMillis))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
        }
        return HandlingUnit(id: id, nodeID: node.id, communityID: node.communityID, bodyID: bodyID, name: name)
    }

    /// Makes a user one of the unit's handlers.
    public func addMember(_ userID: Int64, to unitID: Int64) async throws {
        do {
            try await tx.sql.raw(
                "INSERT INTO unit_members (unit_id, user_id) VALUES (\(bind: unitID), \(bind: userID))"
            )
            .run()
        } catch  where isUniqueViolation(error) {
            throw DomainError(.conflict, "unit_member_exists")
        }
    }

    /// Sets the rule that sends a category's cases placed at or below `node` to a unit, with its deadlines.
    public func setRule(
        at node: Node, categoryID: Int64, unitID: Int64, respondHours: Int, resolveHours: Int, workingTime: Bool = true
    ) async throws -> RoutingRule {
        try CaseSetup.checkHours(respond: respondHours, resolve: resolveHours)
        try await tx.sql.raw(
            "DELETE FROM routing_rules WHERE node_id = \(bind: node.id) AND category_id = \(bind: categoryID)"
        ).run()
        let id = try await tx.sql.raw(
            """
            INSERT INTO routing_rules (node_id, category_id, unit_id, respond_hours, resolve_hours, working_time)
            VALUES (\(bind: node.id), \(bind: categoryID), \(bind: unitID), \(bind: respondHours), \(bind: resolveHours),
              \(bind: workingTime ? 1 : 0))
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        return RoutingRule(
            id: id, nodeID: node.id, categoryID: categoryID, unitID: unitID, respondHours: respondHours,
            resolveHours: resolveHours, workingTime: workingTime)
    }
}
