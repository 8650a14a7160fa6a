import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct RegistryPlacesTests {
    /// The world plus a house in the second grid's building (3栋 1单元 301) and two households: H001 in 1栋 1单元-101,
    /// H002 in 3栋 1单元-301.
    func world(_ db: Database) async throws -> RegistryWorld {
        let w = try await RegistryWorld.make(db)
        try await w.commands.registerHouse(
            w.communityWorker,
            try HouseForm(building: "\(w.tree.buildings[2].id)", unit: "1单元", room: "301", use: "rented").draft())
        try await w.register(w.form("王秀英", household: "H001", relation: "户主"))
        try await w.register(w.form("王小明", sequence: 13, household: "H001", relation: "子女"))
        try await w.register(
            w.form("李建国", sequence: 14, room: "301", household: "H002", relation: "户主", building: w.tree.buildings[2]),
            by: w.communityWorker)
        return w
    }

    func houses(_ w: RegistryWorld, _ q: String, _ actor: Actor, use: HouseUse? = nil) async throws -> [String] {
        var f = PlaceFilter()
        f.query = q
        f.use = use
        return try await w.store.houses(f, for: actor).items.map { "\($0.building) \($0.house.label)" }.sorted()
    }

    func households(_ w: RegistryWorld, _ q: String, _ actor: Actor) async throws -> [String] {
        var f = PlaceFilter()
        f.query = q
        return try await w.store.households(f, for: actor).items.map(\.number).sorted()
    }

    @Test func housesAreFoundByAddressWordsInsideTheReadersGrid() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await world(db)
            // then: every word narrows (part of the building's name, unit, room, unit-room)
            #expect(try await houses(w, "", w.gridWorker).count == 4)
            #expect(try await houses(w, "1栋 101", w.gridWorker) == ["1栋 1单元-101", "1栋 2单元-101"])
            #expect(try await houses(w, "1单元-101", w.gridWorker) == ["1栋 1单元-101"])
            #expect(try await houses(w, "１栋　２单元", w.gridWorker) == ["1栋 2单元-101"])
            #expect(try await houses(w, "301", w.gridWorker) == [])
            #expect(try await houses(w, "301", w.communityWorker) == ["3栋 1单元-301"])
            #expect(try await houses(w, "", w.communityWorker, use: .rented) == ["3栋 1单元-301"])
            #expect(try await houses(w, "", w.otherCommunityWorker) == [])
            // and the residents are counted
            let counted = try await w.store.houses(PlaceFilter(), for: w.gridWorker).items
            #expect(counted.first { $0.house.label == "1单元-101" }?.residents == 2)
        }
    }

    @Test func householdsAreFoundByNumberOrAddressInsideTheReadersGrid() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await world(db)
            // then
            #expect(try await households(w, "", w.gridWorker) == ["H001"])
            #expect(try await households(w, "h00", w.communityWorker) == ["H001", "H002"])
            #expect(try await households(w, "H002", w.gridWorker) == [])
            #expect(try await households(w, "3栋 301", w.communityWorker) == ["H002"])
            #expect(try await households(w, "", w.otherCommunityWorker) == [])
            let listed = try #require(try await w.store.households(PlaceFilter(), for: w.gridWorker).items.first)
            #expect(listed.head == "王秀英" && listed.members == 2 && listed.house == "1单元-101")
        }
    }

    @Test func theListsPageByCursor() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await world(db)
            var f = PlaceFilter()
            f.limit = 3
            // when
            let first = try await w.store.houses(f, for: w.communityWorker)
            f.before = first.nextCursor.flatMap { Int64($0) }
            let second = try await w.store.houses(f, for: w.communityWorker)
            // then
            #expect(first.items.count == 3 && first.nextCursor != nil)
            #expect(second.items.count == 2 && second.nextCursor == nil)
            #expect(Set((first.items + second.items).map(\.house.id)).count == 5)
        }
    }

    @Test func aReaderWithoutRegistryGrantsIsRefused() async throws {
        try await withTestDatabase { db in
            let w = try await world(db)
            await #expect(throws: DomainError.self) {
                try await w.store.households(PlaceFilter(), for: .resident(at: w.tree.buildings[0]))
            }
        }
    }
}
