import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

/// Grid boundaries through the tree's one writer, the placement rule and the GeoJSON exchange.
@Suite struct BoundaryStoreTests {
    /// A rectangle (lng, lat) as a boundary.
    static func box(_ minLng: Double, _ minLat: Double, _ maxLng: Double, _ maxLat: Double) -> Boundary {
        let ring = [(minLng, minLat), (maxLng, minLat), (maxLng, maxLat), (minLng, maxLat), (minLng, minLat)].map {
            GeoPoint(lat: $0.1, lng: $0.0)
        }
        return Boundary(polygons: [GeoPolygon(outer: ring)])
    }

    /// grid1 covers 113.920–113.930, grid2 113.930–113.940 (latitudes 22.520–22.530); buildings 1 and 2 stand in
    /// grid1, 3 and 4 in grid2, building 3 just across the line from grid1.
    static func placed(_ db: Database, _ tree: SmallTree) async throws {
        let points: [(Double, Double)] = [(22.525, 113.922), (22.525, 113.926), (22.525, 113.9305), (22.525, 113.938)]
        try await db.read { sql in
            for (building, p) in zip(tree.buildings, points) {
                try await sql.raw(
                    "UPDATE nodes SET latitude = \(bind: p.0), longitude = \(bind: p.1) WHERE id = \(bind: building.id)"
                ).run()
            }
        }
    }

    @Test func setBoundaryWritesHistoryAuditAndVersionAndOnlyOnGrids() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let commands = JurisdictionCommands(db: db)
            let store = JurisdictionStore(db: db)
            let worker = Actor.communityWorker(at: tree.community)
            let version = try #require(try await store.node(tree.grid1.id)).version
            // when
            try await commands.perform(worker, tree.grid1.id, .setBoundary(Self.box(113.92, 22.52, 113.93, 22.53)))
            // then
            let (_, boundary) = try await store.boundary(of: tree.grid1.id, for: worker)
            #expect(boundary == Self.box(113.92, 22.52, 113.93, 22.53))
            #expect(try #require(try await store.node(tree.grid1.id)).version == version + 1)
            #expect(try await store.history(of: tree.grid1.id).last?.action == "boundary_set")
            let last = try await JurisdictionPerformTests.lastAudit(db)
            #expect(last.action == "node.boundary")
            #expect(last.role == Role.communityWorker.rawValue)
            // a resident may not; a building has no boundary
            await #expect(throws: DomainError.forbidden) {
                try await commands.perform(
                    Actor.resident(at: tree.grid1), tree.grid1.id, .setBoundary(Self.box(0, 0, 1, 1)))
            }
            await #expect(throws: DomainError.invalid("boundary_needs_grid", field: "geojson")) {
                try await commands.perform(worker, tree.buildings[0].id, .setBoundary(Self.box(0, 0, 1, 1)))
            }
            // when cleared
            try await commands.perform(worker, tree.grid1.id, .clearBoundary)
            #expect(try await store.boundary(of: tree.grid1.id, for: worker).boundary == nil)
            #expect(try await JurisdictionPerformTests.lastAudit(db).action == "node.boundary_clear")
        }
    }

    @Test func aPointIsPlacedInTheGridWhosePolygonHoldsIt() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            try await Self.placed(db, tree)
            let commands = JurisdictionCommands(db: db)
            let store = JurisdictionStore(db: db)
            // when no boundary exists: the nearest building, whichever grid it is in
            let nearLine = GeoPoint(lat: 22.525, lng: 113.9295)
            #expect(try await store.place(nearLine, within: 500)?.id == tree.buildings[2].id)
            // when grid1 has its boundary: the point is in grid1, so grid1's nearest building (2), not building 3
            try await commands.perform(.root, tree.grid1.id, .setBoundary(Self.box(113.92, 22.52, 113.93, 22.53)))
            try await commands.perform(.root, tree.grid2.id, .setBoundary(Self.box(113.93, 22.52, 113.94, 22.53)))
            #expect(try await store.grid(holding: nearLine)?.id == tree.grid1.id)
            #expect(try await store.place(nearLine, within: 500)?.id == tree.buildings[1].id)
            // a point in grid1 farther than the snap distance from its buildings is placed on the grid itself
            let corner = GeoPoint(lat: 22.5295, lng: 113.9205)
            #expect(try await store.place(corner, within: 50)?.id == tree.grid1.id)
            // outside every polygon: the nearest building again, or nothing
            #expect(
                try await store.place(GeoPoint(lat: 22.525, lng: 113.9405), within: 500)?.id == tree.buildings[3].id)
            #expect(try await store.place(GeoPoint(lat: 23.5, lng: 113.938), within: 500) == nil)
            // only inside the subtree asked for
            #expect(try await store.place(nearLine, within: 500, inside: tree.otherCommunity.path) == nil)
        }
    }

    @Test func importIsAllOrNothingWithEveryProblemAndExportRoundTrips() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let commands = JurisdictionCommands(db: db)
            let store = JurisdictionStore(db: db)
            let worker = Actor.communityWorker(at: tree.community)
            let g1 = Self.box(113.92, 22.52, 113.93, 22.53).geoJSON
            let g2 = Self.box(113.93, 22.52, 113.94, 22.53).geoJSON
            let bad = """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"id":\(tree.grid1.id)},"geometry":\(g1)},
                 {"type":"Feature","properties":{"id":\(tree.buildings[0].id)},"geometry":\(g2)},
                 {"type":"Feature","properties":{"code":"NOPE"},"geometry":\(g2)},
                 {"type":"Feature","properties":{"id":\(tree.grid2.id)},"geometry":{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,1.5]]]}}]}
                """
            // when
            let error = await #expect(throws: BoundaryImportError.self) {
                try await commands.importBoundaries(worker, geoJSON: bad)
            }
            // then: three problems, each with its feature, and nothing written
            #expect(error?.problems.map(\.feature) == [2, 3, 4])
            #expect(
                error?.problems.map(\.error.key) == [
                    "boundary_needs_grid", "boundary_grid_unknown", "boundary_ring_not_closed",
                ])
            #expect(try await store.boundaries(inside: tree.district.path).isEmpty)
            // when the file is right
            let good = """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"id":\(tree.grid1.id)},"geometry":\(g1)},
                 {"type":"Feature","properties":{"id":"\(tree.grid2.id)"},"geometry":\(g2)}]}
                """
            #expect(try await commands.importBoundaries(worker, geoJSON: good) == 2)
            // then the export carries both with their names and paths, and imports back unchanged
            let exported = try await commands.exportBoundaries(worker, rootID: tree.community.id)
            #expect(exported.contains("南山区 › 南头街道 › 同乐社区 › 第一网格"))
            let features = try BoundaryCollection.parse(exported)
            #expect(features.map(\.id) == [tree.grid1.id, tree.grid2.id])
            #expect(try features[0].geometry.get() == Self.box(113.92, 22.52, 113.93, 22.53))
            #expect(try await commands.importBoundaries(worker, geoJSON: exported) == 2)
            // a worker of another community learns nothing of these grids
            let other = Actor.communityWorker(at: tree.otherCommunity)
            let refused = await #expect(throws: BoundaryImportError.self) {
                try await commands.importBoundaries(other, geoJSON: good)
            }
            #expect(refused?.problems.map(\.error.key) == ["boundary_grid_unknown", "boundary_grid_unknown"])
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await commands.exportBoundaries(other, rootID: tree.community.id)
            }
        }
    }
}
