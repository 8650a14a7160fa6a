import Foundation
import GongzhiDomain
import SQLKit

/// What the houses' and households' lists ask for: the search box (an address: each word a part of the building's
/// name, a unit, a room or `unit-room`; for households also the start of the household number), a house use, one
/// building; newest first in pages (`before` is the cursor).
public struct PlaceFilter: Sendable, Equatable, Codable {
    public var query = ""
    public var use: HouseUse?
    public var buildingID: Int64?
    /// One community only (an export's).
    public var communityID: Int64?
    public var before: Int64?
    public var limit = 50
    public init() {}
}

/// A house as the registry's house list shows it: where it is and how many people live in it.
public struct HouseListItem: Sendable, Equatable, Encodable {
    public var house: House
    public var building: String
    public var residents: Int
}

/// One page of houses, with the cursor of the next.
public struct HouseListPage: Sendable, Encodable {
    public var items: [HouseListItem]
    public var nextCursor: String?
    public init(items: [HouseListItem], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// A household (户) as its list shows it: the number, where it lives, the head's name and how many live in it.
public struct HouseholdSummary: Sendable, Equatable, Encodable {
    public var id: Int64
    public var communityID: Int64
    public var number: String
    public var buildingID: Int64?
    public var building: String?
    public var houseID: Int64?
    /// The house as a door reads (`1单元-101`).
    public var house: String?
    public var headID: Int64?
    public var head: String?
    public var members: Int
}

/// One page of households, with the cursor of the next.
public struct HouseholdPage: Sendable, Encodable {
    public var items: [HouseholdSummary]
    public var nextCursor: String?
    public init(items: [HouseholdSummary], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

extension RegistryStore {
    /// Houses newest first, inside the reader's grants (the building's path), found by address.
    public func houses(_ filter: PlaceFilter, for actor: Actor) async throws -> HouseListPage {
        let paths = RegistryPolicy.readablePaths(of: actor)
        guard !paths.isEmpty else { throw DomainError.forbidden }
        let limit = max(1, min(filter.limit, 1000))
        return try await db.read { sql in
            let communities = try await Self.communities(sql, inside: paths)
            guard !communities.isEmpty else { return HouseListPage(items: [], nextCursor: nil) }
            var q = SQLQueryString(
                """
                SELECT r.*, n.name AS building_name, (SELECT COUNT(*) FROM registry_people p WHERE p.house_id = r.id
                AND p.moved_out_on IS NULL) AS residents FROM registry_houses r JOIN nodes n ON n.id = r.building_id WHERE 
                """)
            q = q + Self.inList("r.community_id", communities) + " AND (" + Self.inside("n.path", paths) + ")"
            q = q + Self.placeConditions(filter, row: "r", house: "r", building: "n", number: nil)
            if let use = filter.use { q = q + " AND r.house_use = \(bind: use.rawValue)" }
            q = q + " ORDER BY r.id DESC LIMIT \(bind: limit + 1)"
            let rows = try await sql.raw(q).all()
            let items = try rows.prefix(limit).map { row in
                HouseListItem(
                    house: try Self.house(row), building: try row.decode(column: "building_name", as: String.self),
                    residents: try row.decode(column: "residents", as: Int.self))
            }
            return HouseListPage(
                items: items, nextCursor: rows.count > limit ? items.last.map { "\($0.house.id)" } : nil)
        }
    }

    /// Households newest first, inside the reader's grants (their building's path), found by number or address. The
    /// head's name is opened for the list as people lists show names; nothing else of the members is read.
    public func households(_ filter: PlaceFilter, for actor: Actor) async throws -> HouseholdPage {
        let paths = RegistryPolicy.readablePaths(of: actor)
        guard !paths.isEmpty else { throw DomainError.forbidden }
        let box = try box()
        let limit = max(1, min(filter.limit, 1000))
        return try await db.read { sql in
            let communities = try await Self.communities(sql, inside: paths)
            guard !communities.isEmpty else { return HouseholdPage(items: [], nextCursor: nil) }
            var q = SQLQueryString(
                """
                SELECT h.id, h.community_id, h.number, h.building_id, h.house_id, h.head_person_id, n.name AS building_name,
                r.unit, r.room, hp.name_sealed AS head_sealed, (SELECT COUNT(*) FROM registry_people p
                WHERE p.household_id = h.id AND p.moved_out_on IS NULL) AS members
                FROM registry_households h JOIN nodes n ON n.id = h.building_id
                LEFT JOIN registry_houses r ON r.id = h.house_id LEFT JOIN registry_people hp ON hp.id = h.head_person_id
                WHERE 
                """)
            q = q + Self.inList("h.community_id", communities) + " AND (" + Self.inside("n.path", paths) + ")"
            q = q + Self.placeConditions(filter, row: "h", house: "r", building: "n", number: "h.number")
            if let use = filter.use { q = q + " AND r.house_use = \(bind: use.rawValue)" }
            q = q + " ORDER BY h.id DESC LIMIT \(bind: limit + 1)"
            let rows = try await sql.raw(q).all()
            let items = try rows.prefix(limit).map { row -> HouseholdSummary in
                func text(_ column: String) throws -> String? {
                    try row.decodeNil(column: column) ? nil : row.decode(column: column, as: String.self)
                }
                let unit = try text("unit") ?? ""
                let room = try text("room")
                return HouseholdSummary(
                    id: try row.decode(column: "id", as: Int64.self),
                    communityID: try row.decode(column: "community_id", as: Int64.self),
                    number: try row.decode(column: "number", as: String.self),
                    buildingID: try row.decode(column: "building_id", as: Int64?.self),
                    building: try text("building_name"), houseID: try row.decode(column: "house_id", as: Int64?.self),
                    house: room.map { unit.isEmpty ? $0 : "\(unit)-\($0)" },
                    headID: try row.decode(column: "head_person_id", as: Int64?.self),
                    head: try text("head_sealed").map { try box.open($0) },
                    members: try row.decode(column: "members", as: Int.self))
            }
            return HouseholdPage(items: items, nextCursor: rows.count > limit ? items.last.map { "\($0.id)" } : nil)
        }
    }

    /// The conditions both lists share: community, building, cursor and the search words. Every word must match
    /// somewhere (a part of the building's name, the unit, the room, `unit-room`, or the start of a household's
    /// number), so `3栋 1单元 301` narrows as it is typed.
    static func placeConditions(
        _ filter: PlaceFilter, row: String, house r: String, building n: String, number: String?
    ) -> SQLQueryString {
        var q = SQLQueryString("")
        if let community = filter.communityID { q = q + " AND \(unsafeRaw: row).community_id = \(bind: community)" }
        if let building = filter.buildingID { q = q + " AND \(unsafeRaw: n).id = \(bind: building)" }
        if let before = filter.before { q = q + " AND \(unsafeRaw: row).id < \(bind: before)" }
        for word in placeWords(filter.query) {
            q = q + " AND (\(unsafeRaw: n).name LIKE \(bind: likePattern(word)) ESCAPE '\\'"
            q = q + " OR \(unsafeRaw: r).unit = \(bind: word) OR \(unsafeRaw: r).room = \(bind: word)"
            q = q + " OR (\(unsafeRaw: r).unit || '-' || \(unsafeRaw: r).room) = \(bind: word)"
            if let number {
                q = q + " OR \(unsafeRaw: number) LIKE \(bind: prefixPattern(word.uppercased())) ESCAPE '\\'"
                q = q + " OR \(unsafeRaw: number) LIKE \(bind: prefixPattern(word)) ESCAPE '\\'"
            }
            q = q + ")"
        }
        return q
    }

    /// The search box's words, folded to half width; at most six, each at most 40 characters.
    static func placeWords(_ raw: String) -> [String] {
        HalfWidth.fold(raw).split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "，" }).prefix(6)
            .map { String($0.prefix(40)) }
    }
}
