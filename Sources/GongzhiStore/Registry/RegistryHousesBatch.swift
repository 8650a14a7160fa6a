import Foundation
import GongzhiDomain
import SQLKit

/// Houses of an import written in batches (issue 12: a two-million-people district has about 720,000 houses, which
/// one insert per row took hours to write). Each row is checked as `RegistryCommands.insertHouse` checks it — an open
/// building in a community, and a room registered once — but against the building's rooms read once and the rooms
/// already queued, and written with multi-row inserts. Used inside the import's one transaction, so a refused row
/// still leaves nothing written.
struct RegistryHousesBatch {
    let tx: Transaction
    /// Rows per insert: 9 binds each, under SQLite's and PostgreSQL's limits.
    static let size = 500

    struct Pending {
        var communityID: Int64
        var draft: HouseDraft
    }

    /// Each building's rooms (unit and room), from the database and from the rows queued so far.
    var rooms: [Int64: Set<String>] = [:]
    var pending: [Pending] = []
    /// Set once any row is refused: from then on rows are checked but not written.
    var failed = false

    init(_ tx: Transaction) { self.tx = tx }

    /// Checks one row and queues it; a refusal is thrown with its field, for the caller's report.
    mutating func add(_ draft: HouseDraft, building: Node) async throws {
        guard building.id == draft.buildingID, building.kind == .building, building.isOpen,
            let communityID = building.communityID
        else { throw DomainError.invalid("building_unknown", field: "building") }
        if rooms[building.id] == nil {
            var known: Set<String> = []
            for row in try await tx.sql.raw(
                // By community too, so the look-up takes the `(community_id, building_id, unit, room)` index.
                """
                SELECT unit, room FROM registry_houses WHERE community_id = \(bind: communityID)
                AND building_id = \(bind: building.id)
                """
            ).all() {
                known.insert(
                    try row.decode(column: "unit", as: String.self) + "\u{1F}"
                        + row.decode(column: "room", as: String.self))
            }
            rooms[building.id] = known
        }
        guard rooms[building.id]!.insert(draft.unit + "\u{1F}" + draft.room).inserted else {
            throw DomainError(.conflict, "house_exists", field: "room")
        }
        guard !failed else { return }
        pending.append(Pending(communityID: communityID, draft: draft))
        if pending.count >= Self.size { try await flush() }
    }

    /// Writes what is queued; once a row has been refused nothing more is written (the import rolls back).
    mutating func flush() async throws {
        defer { pending = [] }
        guard !pending.isEmpty, !failed else { return }
        let now = tx.now.epochMillis
        var q = SQLQueryString(
            "INSERT INTO registry_houses (community_id, building_id, unit, floor, room, house_use, area_centi, created_at, updated_at) VALUES "
        )
        for (i, entry) in pending.enumerated() {
            let d = entry.draft
            q +=
                "\(unsafeRaw: i > 0 ? ", " : "")(\(bind: entry.communityID), \(bind: d.buildingID), \(bind: d.unit), \(bind: d.floor), \(bind: d.room), \(bind: d.use.rawValue), \(bind: d.areaCenti), \(bind: now), \(bind: now))"
        }
        try await tx.sql.raw(q).run()
    }
}
