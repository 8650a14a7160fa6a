import Foundation
import GongzhiDomain
import GongzhiTestSupport
import SQLKit
import Testing

@testable import GongzhiStore

/// The parts of the case lists that keep them fast at a million cases (issue 11): counts kept per community and grid,
/// community-scoped lists, and the full-text search read newest first. Each is checked against counting or
/// filtering the cases themselves.
@Suite struct CaseListScaleTests {
    /// Counts straight from the cases, per status, inside a path: what the kept counts must equal.
    static func counted(_ db: Database, inside path: String) async throws -> [CaseStatus: Int] {
        try await db.read { sql in
            var out: [CaseStatus: Int] = [:]
            for row in try await sql.raw(
                """
                SELECT status, COUNT(*) AS n FROM cases
                WHERE node_path >= \(bind: path) AND node_path < \(bind: NodePath.upperBound(path)) GROUP BY status
                """
            ).all() {
                out[CaseStatus(rawValue: try row.decode(column: "status", as: String.self))!] = try row.decode(
                    column: "n", as: Int.self)
            }
            return out
        }
    }

    /// The kept table against a GROUP BY over the cases, row by row (zero rows left by moves ignored).
    static func keptTableMatches(_ db: Database) async throws -> Bool {
        try await db.read { sql in
            func rows(_ q: SQLQueryString) async throws -> Set<String> {
                Set(
                    try await sql.raw(q).all().map { row in
                        "\(try row.decode(column: "c", as: Int64.self))/\(try row.decode(column: "g", as: Int64.self))/"
                            + "\(try row.decode(column: "s", as: String.self))=\(try row.decode(column: "n", as: Int.self))"
                    })
            }
            let kept = try await rows(
                "SELECT community_id AS c, grid_id AS g, status AS s, n FROM case_counts WHERE n <> 0")
            let counted = try await rows(
                """
                SELECT community_id AS c, COALESCE(grid_id, 0) AS g, status AS s, COUNT(*) AS n FROM cases
                GROUP BY community_id, COALESCE(grid_id, 0), status
                """)
            return kept == counted
        }
    }

    /// Deletes one case with its side rows, as a purge would: the `pick` (MIN or MAX) id among the cases `where`.
    static func deleteCase(_ db: Database, where condition: String, pick: String) async throws {
        try await db.transaction { sql in
            let id = try await sql.raw(
                "SELECT \(unsafeRaw: pick)(id) AS id FROM cases WHERE \(unsafeRaw: condition)"
            ).first()!.decode(column: "id", as: Int64.self)
            for table in ["case_events", "notifications", "case_followers", "open311_tokens", "case_grid_steps"] {
                if table == "notifications" {
                    try await sql.raw(
                        "DELETE FROM outbox WHERE notification_id IN (SELECT id FROM notifications WHERE case_id = \(bind: id))"
                    ).run()
                }
                try await sql.raw("DELETE FROM \(unsafeRaw: table) WHERE case_id = \(bind: id)").run()
            }
            try await sql.raw("DELETE FROM cases WHERE id = \(bind: id)").run()
        }
    }

    @Test func keptCountsFollowEveryStepMoveAndDeleteOfACase() async throws {
        try await withTestDatabase { db in
            // given: cases in every status, in both grids
            let w = try await CaseWorld.make(db)
            for status in [CaseStatus.submitted, .filed, .dispatched, .handling, .reportedBack, .closed, .rejected] {
                _ = try await w.case(in: status)
            }
            _ = try await w.commands().submit(
                w.resident, CaseSubmission(title: "楼道堆物", description: "3栋楼道堆满纸箱", nodeID: w.tree.buildings[2].id))
            #expect(try await Self.keptTableMatches(db))
            // then: each reader's tabs equal counting their cases
            let community = try await Self.counted(db, inside: w.tree.community.path)
            #expect(community.values.reduce(0, +) == 8)
            #expect(try await CaseStore(db: db).counts(CaseFilter(scope: .area), for: w.worker) == community)
            #expect(try await CaseStore(db: db).counts(CaseFilter(scope: .area), for: .root) == community)
            #expect(
                try await CaseStore(db: db).counts(CaseFilter(scope: .area), for: w.gridWorker)
                    == (try await Self.counted(db, inside: w.tree.grid1.path)))
            // when: a grid moves to the other community, taking its cases
            _ = try await JurisdictionCommands(db: db).perform(
                .root, w.tree.grid2.id, .move(to: w.tree.otherCommunity.id))
            #expect(try await Self.keptTableMatches(db))
            #expect(
                try await CaseStore(db: db).counts(CaseFilter(scope: .area), for: w.worker)
                    == (try await Self.counted(db, inside: w.tree.community.path)))
            #expect(try await CaseStore(db: db).counts(CaseFilter(scope: .area), for: .root).values.reduce(0, +) == 8)
            // when: rows are deleted (as a purge would)
            try await Self.deleteCase(db, where: "1 = 1", pick: "MIN")
            #expect(try await Self.keptTableMatches(db))
            #expect(try await CaseStore(db: db).counts(CaseFilter(scope: .area), for: .root).values.reduce(0, +) == 7)
        }
    }

    @Test func aTownsTabsAndMeasuresCountItsVillages() async throws {
        try await withTestDatabase { db in
            // given: a town beside the sub-district, with a village, a grid and a building, and cases there
            let w = try await CaseWorld.make(db)
            let tree = JurisdictionCommands(db: db)
            let town = try await tree.add(.root, .town, "西丽镇", under: w.tree.district.id)
            let village = try await tree.add(.root, .village, "麻磡村", under: town.id)
            let grid = try await tree.add(.root, .grid, "一组", under: village.id)
            let building = try await tree.add(.root, .building, "12号", under: grid.id)
            for title in ["村道路灯不亮", "井盖缺失"] {
                _ = try await w.commands().submit(
                    .root, CaseSubmission(title: title, description: "村口", nodeID: building.id))
            }
            let admin = Actor(
                userID: 99, username: "town-admin",
                grants: [RoleGrant(id: 0, userID: 99, role: .subdistrictAdmin, nodeID: town.id, nodePath: town.path)])
            // then: the kept counts and the measures both see the village's cases
            let counted = try await Self.counted(db, inside: town.path)
            #expect(counted.values.reduce(0, +) == 2)
            #expect(try await CaseStore(db: db).counts(CaseFilter(scope: .area), for: admin) == counted)
            let measures = try await CaseStore(db: db).measures(
                scopePath: town.path, from: CaseWorld.t0.addingTimeInterval(-86400 * 3),
                to: CaseWorld.t0.addingTimeInterval(86400 * 3), groupBy: .community)
            #expect(measures.map(\.key) == [village.id])
            #expect(measures.first?.total == 2)
        }
    }

    @Test func theGridViewFromKeptCountsEqualsCountingTheCases() async throws {
        try await withTestDatabase { db in
            // given: cases in every status in both grids, one escalated by hand, seen a month later (all overdue)
            let w = try await CaseWorld.make(db)
            for status in [CaseStatus.submitted, .filed, .dispatched, .handling, .reportedBack, .closed, .rejected] {
                _ = try await w.case(in: status)
            }
            let escalated = try await w.case(in: .handling)
            _ = try await w.commands().perform(w.worker, escalated.id, .escalate(reason: "居民多次反映"))
            let other = try await w.commands().submit(
                w.resident,
                CaseSubmission(
                    title: "楼道堆物", description: "3栋楼道堆满纸箱", categoryID: w.category.id, nodeID: w.tree.buildings[2].id))
            _ = try await w.advance(other, to: .dispatched)
            let store = CaseStore(db: db)
            let admin = Actor(
                userID: 99, username: "admin",
                grants: [
                    RoleGrant(id: 0, userID: 99, role: .districtAdmin, nodeID: w.tree.district.id, nodePath: "/")
                ])
            for now in [CaseWorld.t0, CaseWorld.t0.addingTimeInterval(30 * 86400)] {
                for actor in [w.worker, admin, w.gridWorker] {
                    let kept = try await store.openByGrid(for: actor, now: now).sorted { $0.gridID < $1.gridID }
                    let counted = try await store.openByGridFromCases(for: actor, now: now).sorted {
                        $0.gridID < $1.gridID
                    }
                    #expect(kept == counted)
                }
            }
            let late = try await store.openByGrid(for: w.worker, now: CaseWorld.t0.addingTimeInterval(30 * 86400))
            #expect(late.map(\.open).reduce(0, +) == 7)
            #expect(late.map(\.overdue).reduce(0, +) == 5)
            #expect(late.map(\.escalated).reduce(0, +) == 1)
        }
    }

    @Test func theTreePagesCountsFromKeptCountsEqualCountingTheCases() async throws {
        try await withTestDatabase { db in
            // given: cases in every status, some in the other community, and one closed this month
            let w = try await CaseWorld.make(db)
            for status in [CaseStatus.submitted, .filed, .dispatched, .handling, .reportedBack, .closed, .rejected] {
                _ = try await w.case(in: status)
            }
            _ = try await w.commands().submit(
                .root, CaseSubmission(title: "路面塌陷", description: "小区门口", nodeID: w.tree.otherCommunity.id))
            _ = try await w.commands().submit(
                .root, CaseSubmission(title: "垃圾满溢", description: "2号楼下", nodeID: w.tree.buildings[1].id))
            let store = CaseStore(db: db)
            let admin = Actor(
                userID: 99, username: "admin",
                grants: [
                    RoleGrant(id: 0, userID: 99, role: .districtAdmin, nodeID: w.tree.district.id, nodePath: "/")
                ])
            let nodes = [w.tree.district, w.tree.subdistrict, w.tree.community, w.tree.otherCommunity, w.tree.grid1]
            // then: at every node, now and a month on (everything in units' hands overdue), from the start of the
            // month before and from after the closing, the kept counts equal the cases counted
            for now in [CaseWorld.t0, CaseWorld.t0.addingTimeInterval(30 * 86400)] {
                for since in [CaseWorld.t0.addingTimeInterval(-30 * 86400), CaseWorld.t0.addingTimeInterval(86400)] {
                    for actor in [w.worker, admin] {
                        for node in nodes
                        where actor.areas.contains(where: { NodePath.isInside(node.path, $0.nodePath) }) {
                            let kept = try await store.counts(
                                inside: node.path, kind: node.kind, for: actor, now: now, closedSince: since)
                            let counted = try await store.countsFromCases(
                                inside: node.path, for: actor, now: now, closedSince: since)
                            #expect(kept == counted, "\(node.name) as \(actor.username)")
                        }
                    }
                }
            }
            let district = try await store.counts(
                inside: "/", kind: .district, for: admin, now: CaseWorld.t0.addingTimeInterval(30 * 86400),
                closedSince: CaseWorld.t0.addingTimeInterval(-30 * 86400))
            #expect(district?.open == 7)
            #expect(district?.overdue == 3)
            #expect(district?.closedSince == 1)
        }
    }

    @Test func aFilteredListIsCountedFromItsCases() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            _ = try await w.case(in: .filed)
            _ = try await w.commands().submit(
                w.resident, CaseSubmission(title: "噪音扰民", description: "夜里施工", nodeID: w.tree.buildings[0].id))
            var filter = CaseFilter(scope: .area)
            filter.search = "噪音"
            #expect(try await CaseStore(db: db).counts(filter, for: w.worker) == [.submitted: 1])
            filter.search = nil
            filter.categoryID = w.category.id
            #expect(try await CaseStore(db: db).counts(filter, for: w.worker) == [.filed: 1])
        }
    }

    @Test func aSearchOfThreeCharactersListsTheNewestMatchesInTheScopeAndFindsANumber() async throws {
        try await withTestDatabase { db in
            // given: five lamp cases in the community, one elsewhere in the title of another kind of case
            let w = try await CaseWorld.make(db)
            var lamps: [Int64] = []
            for i in 0..<5 {
                let c = try await w.commands().submit(
                    w.resident,
                    CaseSubmission(
                        title: "路灯不亮 \(i)", description: "门口的灯", nodeID: w.tree.buildings[i % 4].id))
                lamps.append(c.id)
            }
            let noise = try await w.commands().submit(
                w.resident, CaseSubmission(title: "噪音扰民", description: "楼上装修", nodeID: w.tree.buildings[0].id))
            let store = CaseStore(db: db)
            // when / then: newest first, cut at the page, the cursor continues
            var filter = CaseFilter(scope: .area)
            filter.search = "路灯不亮"
            filter.limit = 3
            #expect(try await store.list(filter, for: w.worker).map(\.id) == Array(lamps.reversed().prefix(3)))
            filter.beforeID = lamps[2]
            #expect(try await store.list(filter, for: w.worker).map(\.id) == [lamps[1], lamps[0]])
            // the grid worker sees only the lamps of their grid
            filter.beforeID = nil
            filter.limit = 50
            let grid1 = lamps.enumerated().filter { $0.offset % 4 < 2 }.map(\.element)
            #expect(try await store.list(filter, for: w.gridWorker).map(\.id) == grid1.reversed())
            // a status filter applies to the matches
            filter.statuses = [.filed]
            #expect(try await store.list(filter, for: w.worker).isEmpty)
            // a case number is found by the same box
            filter.statuses = []
            filter.search = noise.number
            #expect(try await store.list(filter, for: w.worker).map(\.id) == [noise.id])
        }
    }
}
