import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct JurisdictionCommandsTests {
    @Test func createdNodesCarryPathAndCommunity() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            // then
            #expect(tree.buildings[0].path == tree.grid1.path + "\(tree.buildings[0].id)/")
            #expect(tree.buildings[0].communityID == tree.community.id)
            #expect(tree.community.communityID == tree.community.id)
            #expect(tree.subdistrict.communityID == nil)
            let census = try await JurisdictionStore(db: db).census(of: tree.district.path)
            #expect(census[.building] == 4)
            #expect(census[.grid] == 2)
        }
    }

    @Test func refusesWrongLevelAndChangesNothing() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let c = JurisdictionCommands(db: db)
            await #expect(
                throws: DomainError.invalid("node_kind_not_allowed", field: "parent", args: ["building", "community"])
            ) {
                _ = try await c.add(.root, .building, "5栋", under: tree.community.id)
            }
            let children = try await JurisdictionStore(db: db).children(of: tree.community.id)
            #expect(children.count == 2)
        }
    }

    @Test func moveRefusesCycles() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let c = JurisdictionCommands(db: db)
            await #expect(throws: DomainError.invalid("tree_cycle", field: "parent")) {
                _ = try await c.perform(.root, tree.subdistrict.id, .move(to: tree.community.id)).node
            }
        }
    }

    @Test func moveCarriesSubtreeToOtherCommunity() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let c = JurisdictionCommands(db: db)
            // when
            let moved = try await c.perform(.root, tree.grid2.id, .move(to: tree.otherCommunity.id)).node
            // then
            #expect(moved.path == tree.otherCommunity.path + "\(tree.grid2.id)/")
            let building = try #require(try await JurisdictionStore(db: db).node(tree.buildings[2].id))
            #expect(building.path == moved.path + "\(building.id)/")
            #expect(building.communityID == tree.otherCommunity.id)
        }
    }

    @Test func siblingNamesAreUnique() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            await #expect(throws: DomainError(.conflict, "name_taken", field: "name")) {
                _ = try await JurisdictionCommands(db: db).perform(.root, tree.grid2.id, .rename(name: "第一网格")).node
            }
        }
    }

    @Test func splitReassignsEveryBuildingAndKeepsHistory() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let c = JurisdictionCommands(db: db)
            let store = JurisdictionStore(db: db)
            // when
            let (a, b) = try await c.perform(
                .root, tree.grid1.id,
                .splitGrid(
                    firstName: "第一网格东", secondName: "第一网格西",
                    assignment: [tree.buildings[0].id: .first, tree.buildings[1].id: .second])
            ).halves
            // then
            #expect(try await store.children(of: a.id).map(\.node.id) == [tree.buildings[0].id])
            #expect(try await store.children(of: b.id).map(\.node.id) == [tree.buildings[1].id])
            let old = try #require(try await store.node(tree.grid1.id))
            #expect(!old.isOpen)
            #expect(try await store.history(of: old.id).map(\.action) == ["created", "split"])
        }
    }

    @Test func splitLeavingABuildingUnassignedChangesNothing() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let c = JurisdictionCommands(db: db)
            await #expect(throws: DomainError.invalid("split_building_unassigned", field: "assignment", args: ["1"])) {
                _ = try await c.perform(
                    .root, tree.grid1.id,
                    .splitGrid(firstName: "东", secondName: "西", assignment: [tree.buildings[0].id: .first])
                ).halves
            }
            let grid = try #require(try await JurisdictionStore(db: db).node(tree.grid1.id))
            #expect(grid.isOpen)
            #expect(try await JurisdictionStore(db: db).children(of: tree.community.id).count == 2)
        }
    }

    @Test func mergeMovesAllBuildings() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let merged = try await JurisdictionCommands(db: db).perform(
                .root, tree.grid1.id, .mergeGrids(with: tree.grid2.id, name: "合并网格")
            ).landing
            let store = JurisdictionStore(db: db)
            #expect(Set(try await store.children(of: merged.id).map(\.node.id)) == Set(tree.buildings.map(\.id)))
            #expect(try await store.children(of: tree.community.id).map(\.node.id) == [merged.id])
        }
    }

    @Test func actorOutsideSubtreeSeesNotFound() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let worker = Actor.with(.communityWorker, at: tree.otherCommunity)
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await JurisdictionCommands(db: db).perform(worker, tree.grid1.id, .rename(name: "x网格")).node
            }
            let inside = Actor.with(.communityWorker, at: tree.community)
            let renamed = try await JurisdictionCommands(db: db).perform(inside, tree.grid1.id, .rename(name: "x网格"))
                .node
            #expect(renamed.name == "x网格")
            await #expect(throws: DomainError.forbidden) {
                _ = try await JurisdictionCommands(db: db).perform(inside, tree.community.id, .rename(name: "新社区")).node
            }
        }
    }

    @Test func closeNeedsNoOpenChildren() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let c = JurisdictionCommands(db: db)
            await #expect(throws: DomainError(.conflict, "node_has_open_children", args: ["2"])) {
                _ = try await c.perform(.root, tree.grid1.id, .close).node
            }
            let closed = try await c.perform(.root, tree.buildings[0].id, .close).node
            #expect(!closed.isOpen)
        }
    }
}

@Suite struct TreeCoordinatesTests {
    @Test func buildingsKeepTheirPointsThroughImportAndExport() async throws {
        try await withTestDatabase { db in
            let csv = """
                ref,kind,name,parent_ref,code,estate,latitude,longitude
                440305,district,南山区,,440305,,,
                440305001,subdistrict,南头街道,440305,440305001,,,
                c1,community,同乐社区,440305001,,,,
                g1,grid,第一网格,c1,,,,
                b1,building,1栋,g1,,桂园小区,22.5431,113.9236

                """
            #expect(try await TreeExchange(db: db).importTree(.root, csv: csv) == 5)
            let root = try #require(try await JurisdictionStore(db: db).roots().first)
            let exported = try await TreeExchange(db: db).exportTree(.root, rootID: root.id)
            #expect(exported.contains("1栋,g") || exported.contains("1栋,n"))
            #expect(exported.contains("桂园小区,22.5431,113.9236"))
            let bad = csv.replacingOccurrences(of: "22.5431", with: "north")
            await #expect(throws: DomainError.invalid("csv_point_invalid", args: ["6"])) {
                _ = try await TreeExchange(db: db).importTree(.root, csv: bad)
            }
        }
    }
}
