import Foundation
import GongzhiDomain
import SQLKit

extension VoterKey {
    /// The key as stored: its label (`person:7`, `household:3`, `owner:12`, `developer`).
    var stored: String { label }

    /// Reads a stored key back; nil for anything else.
    init?(stored text: String) {
        if text == "developer" {
            self = .ownerHead(.developerUnsold)
            return
        }
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let id = Int64(parts[1]) else { return nil }
        switch parts[0] {
        case "person": self = .person(id)
        case "household": self = .household(id)
        case "owner": self = .ownerHead(.owner(id))
        default: return nil
        }
    }
}

/// Builds a vote's roll from the registry when the vote is scheduled, inside its transaction, so the roll is the
/// registry as it stood at that instant. It reads the registry's people, households and owners directly: the
/// registry store's reads are scoped to a reader's grants and run outside a transaction, and a roll must be frozen
/// atomically with the vote's change of state.
enum VoteRollBuilder {
    /// Adults who may vote: 18 or over on the day (城市居民委员会组织法 2025 art. 16), living in the scope (moved
    /// out and anonymised records are left off), not foreign nationals.
    static let votingAge = 18

    struct Built {
        var roll: VoterRoll
        var areas: [VoterKey: Area]
    }

    static func build(
        _ sql: any SQLDatabase, basis: VotingBasis, communityID: Int64, scopePath: String, on day: CalendarDate
    ) async throws -> Built {
        let inside: SQLQueryString =
            "b.path >= \(bind: scopePath) AND b.path < \(bind: NodePath.upperBound(scopePath))"
        switch basis {
        case .persons, .households:
            let rows = try await sql.raw(
                """
                SELECT p.id, p.household_id, p.birth_date FROM registry_people p JOIN nodes b ON b.id = p.building_id
                WHERE p.community_id = \(bind: communityID) AND \(inside) AND p.moved_out_on IS NULL
                  AND p.anonymised_at IS NULL AND p.residence <> 'foreign'
                ORDER BY p.id
                """
            ).all()
            var adults: [(id: Int64, household: Int64?)] = []
            for row in rows {
                guard let born = CalendarDate(try row.decode(column: "birth_date", as: String.self)),
                    born.age(on: day) >= votingAge
                else { continue }
                adults.append(
                    (
                        try row.decode(column: "id", as: Int64.self),
                        try row.decode(column: "household_id", as: Int64?.self)
                    ))
            }
            if basis == .persons { return Built(roll: try VoterRoll.persons(adults.map(\.id)), areas: [:]) }
            var order: [Int64] = []
            var members: [Int64: Set<Int64>] = [:]
            for adult in adults {
                guard let household = adult.household else { continue }
                if members[household] == nil { order.append(household) }
                members[household, default: []].insert(adult.id)
            }
            return Built(roll: try VoterRoll.households(order.map { ($0, members[$0]!) }), areas: [:])
        case .owners:
            let rows = try await sql.raw(
                """
                SELECT o.id, o.house_id, o.owner_key, o.person_id, h.area_centi FROM registry_house_owners o
                JOIN registry_houses h ON h.id = o.house_id JOIN nodes b ON b.id = o.building_id
                WHERE o.community_id = \(bind: communityID) AND o.removed_at IS NULL AND \(inside)
                ORDER BY o.house_id, o.id
                """
            ).all()
            // One exclusive part is one head, whoever shares it (JI art. 9): co-owners hold it together, and a
            // holder (one owner, or one set of co-owners) with several parts is one head with their areas added.
            // The developer's unsold parts (owner key `developer`) are all one head, with their full area.
            struct House {
                var keys: Set<String> = []
                var rowIDs: [Int64] = []
                var people: Set<Int64> = []
                var area: Int64 = 0
            }
            var houses: [Int64: House] = [:]
            var houseOrder: [Int64] = []
            for row in rows {
                let house = try row.decode(column: "house_id", as: Int64.self)
                if houses[house] == nil { houseOrder.append(house) }
                houses[house, default: House()].keys.insert(try row.decode(column: "owner_key", as: String.self))
                houses[house]!.rowIDs.append(try row.decode(column: "id", as: Int64.self))
                if let person = try row.decode(column: "person_id", as: Int64?.self) {
                    houses[house]!.people.insert(person)
                }
                houses[house]!.area = try row.decode(column: "area_centi", as: Int64?.self) ?? 0
            }
            var holderID: [Set<String>: Int64] = [:]
            for house in houseOrder.map({ houses[$0]! }) {
                holderID[house.keys] = min(holderID[house.keys] ?? .max, house.rowIDs.min()!)
            }
            var casters: [PartHolder: Set<Int64>] = [:]
            let parts = houseOrder.map { id in
                let house = houses[id]!
                let holder =
                    house.keys.contains(RegistryStore.developerKey)
                    ? PartHolder.developerUnsold : PartHolder.owner(holderID[house.keys]!)
                casters[holder, default: []].formUnion(house.people)
                return ExclusivePart(id: id, holder: holder, area: Area(hundredths: house.area))
            }
            let owners = try OwnersRoll(parts: parts)
            var areas: [VoterKey: Area] = [:]
            for head in owners.heads { areas[.ownerHead(head.holder)] = head.area }
            return Built(roll: try VoterRoll.owners(owners, casters: casters), areas: areas)
        }
    }

    /// Writes the frozen roll in batches (a community's roll may hold 50,000 entries).
    static func save(_ sql: any SQLDatabase, voteID: Int64, communityID: Int64, _ built: Built) async throws {
        let entries = built.roll.entries
        for start in stride(from: 0, to: entries.count, by: 400) {
            let chunk = entries[start..<min(entries.count, start + 400)]
            var q = SQLQueryString("INSERT INTO vote_roll (vote_id, community_id, voter_key, area_centi) VALUES ")
            for (i, entry) in chunk.enumerated() {
                q =
                    q + (i == 0 ? "" : ", ")
                    + "(\(bind: voteID), \(bind: communityID), \(bind: entry.key.stored), \(bind: built.areas[entry.key]?.hundredths))"
            }
            try await sql.raw(q).run()
        }
        let casters = entries.flatMap { e in e.casters.sorted().map { (e.key, $0) } }
        for start in stride(from: 0, to: casters.count, by: 400) {
            let chunk = casters[start..<min(casters.count, start + 400)]
            var q = SQLQueryString(
                "INSERT INTO vote_roll_casters (vote_id, community_id, person_id, voter_key) VALUES ")
            for (i, (key, person)) in chunk.enumerated() {
                q =
                    q + (i == 0 ? "" : ", ")
                    + "(\(bind: voteID), \(bind: communityID), \(bind: person), \(bind: key.stored))"
            }
            try await sql.raw(q).run()
        }
    }
}
