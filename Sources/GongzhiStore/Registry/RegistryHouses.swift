import Foundation
import GongzhiDomain
import SQLKit

/// A building's houses as its page lists them, with how many people live in each.
public struct HouseSummary: Sendable, Equatable, Encodable {
    public var house: House
    public var residents: Int
}

extension RegistryStore {
    /// The houses of a building, by unit and room, inside the reader's grants.
    public func houses(in buildingID: Int64, for actor: Actor) async throws -> [HouseSummary] {
        try await db.read { sql in
            guard let building = try await JurisdictionStore.node(sql, buildingID), building.kind == .building else {
                throw DomainError.notFound
            }
            try RegistryPolicy.require(.view, of: actor, at: building.path)
            return try await sql.raw(
                """
                SELECT r.*, (SELECT COUNT(*) FROM registry_people p WHERE p.house_id = r.id AND p.moved_out_on IS NULL) AS residents
                FROM registry_houses r WHERE r.building_id = \(bind: buildingID) ORDER BY r.unit, r.room
                """
            ).all().map { row in
                HouseSummary(house: try Self.house(row), residents: try row.decode(column: "residents", as: Int.self))
            }
        }
    }

    static func house(_ row: any SQLRow) throws -> House {
        House(
            id: try row.decode(column: "id", as: Int64.self),
            communityID: try row.decode(column: "community_id", as: Int64.self),
            buildingID: try row.decode(column: "building_id", as: Int64.self),
            unit: try row.decode(column: "unit", as: String.self),
            floor: try row.decode(column: "floor", as: Int?.self),
            room: try row.decode(column: "room", as: String.self),
            use: HouseUse(rawValue: try row.decode(column: "house_use", as: String.self)) ?? .ownerOccupied,
            areaCenti: try row.decode(column: "area_centi", as: Int?.self),
            version: try row.decode(column: "version", as: Int.self))
    }
}

extension RegistryCommands {
    /// Registers a house of a building: the building's keepers may, and a room is registered once.
    @discardableResult
    public func registerHouse(_ actor: Actor, _ draft: HouseDraft) async throws -> House {
        try await db.command(actor, clock: clock) { tx in
            try await Self.insertHouse(tx, draft, checked: true)
        }
    }

    static func insertHouse(_ tx: Transaction, _ draft: HouseDraft, checked: Bool) async throws -> House {
        let sql = tx.sql
        guard let building = try await JurisdictionStore.node(sql, draft.buildingID), building.kind == .building,
            building.isOpen, let communityID = building.communityID
        else { throw DomainError.invalid("building_unknown", field: "building") }
        let role = checked ? try RegistryPolicy.require(.edit, of: tx.actor, at: building.path) : nil
        if try await sql.raw(
            """
            SELECT id FROM registry_houses WHERE building_id = \(bind: draft.buildingID) AND unit = \(bind: draft.unit)
            AND room = \(bind: draft.room)
            """
        ).first() != nil {
            throw DomainError(.conflict, "house_exists", field: "room")
        }
        let now = tx.now.epochMillis
        let id = try await sql.raw(
            """
            INSERT INTO registry_houses (community_id, building_id, unit, floor, room, house_use, area_centi, created_at, updated_at)
            VALUES (\(bind: communityID), \(bind: draft.buildingID), \(bind: draft.unit), \(bind: draft.floor), \(bind: draft.room),
              \(bind: draft.use.rawValue), \(bind: draft.areaCenti), \(bind: now), \(bind: now))
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        let house = House(
            id: id, communityID: communityID, buildingID: draft.buildingID, unit: draft.unit, floor: draft.floor,
            room: draft.room, use: draft.use, areaCenti: draft.areaCenti)
        guard checked else { return house }
        try await tx.audit(
            AuditRecord(
                action: "registry.house.register", objectType: "house", objectID: "\(id)", communityID: communityID,
                nodeID: draft.buildingID, after: AuditJSON.encode(house)),
            role: role)
        return house
    }
}

/// The command line's registry writes (import, demo): the system's operator skips the per-row policy and the per-row
/// audit entry (the caller records one entry for the whole run, with its counts); every row still goes through the
/// writer's checks, seals and indexes.
public enum RegistryBulk {
    public static func registerHouse(_ tx: Transaction, _ draft: HouseDraft) async throws -> House {
        try tx.requireCommandLine()
        return try await RegistryCommands.insertHouse(tx, draft, checked: false)
    }

    public static func register(_ tx: Transaction, _ draft: PersonDraft) async throws -> PersonOutcome {
        try tx.requireCommandLine()
        return try await RegistryCommands.apply(tx, person: nil, .register(draft), expectedVersion: nil, checked: false)
    }
}
