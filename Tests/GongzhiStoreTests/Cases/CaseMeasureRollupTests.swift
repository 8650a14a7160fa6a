import Foundation
import GongzhiDomain
import GongzhiTestSupport
import SQLKit
import Testing

@testable import GongzhiStore

/// The measures kept per day and block (issue 11): the kept rows follow every step, move and delete of a case, and
/// measures read through them equal measures counted from the cases, for every grouping, scope and kind of range.
@Suite struct CaseMeasureRollupTests {
    /// The kept rows (zero rows left by moves ignored) against the same rows rebuilt from the cases.
    static func keptRowsMatch(_ db: Database) async throws -> Bool {
        func rows() async throws -> Set<String> {
            try await db.read { sql in
                let columns = CaseMeasureRollups.shares.map(\.column)
                return Set(
                    try await sql.raw(
                        "SELECT * FROM case_measure_rollups WHERE total <> 0"
                    ).all().map { row in
                        let key = [
                            try row.decode(column: "community_id", as: Int64.self),
                            try row.decode(column: "member_id", as: Int64.self),
                            try row.decode(column: "span", as: Int64.self),
                            try row.decode(column: "bucket", as: Int64.self),
                        ].map(String.init).joined(separator: "/")
                        let values = try columns.map { String(try row.decode(column: $0, as: Int64.self)) }
                        return "\(try row.decode(column: "dimension", as: String.self))/\(key)="
                            + values.joined(separator: ",")
                    })
            }
        }
        let kept = try await rows()
        try await db.transaction { sql in
            for statement in CaseMeasureRollups.rebuild() { try await sql.raw(SQLQueryString(statement)).run() }
        }
        let rebuilt = try await rows()
        return !kept.isEmpty && kept == rebuilt
    }

    /// Cases in every state across both grids, the other community (no grid) and a building, then spread over
    /// 45 days before t0 (their times shifted together, so durations stay).
    static func spreadWorld(_ db: Database) async throws -> CaseWorld {
        let w = try await CaseWorld.make(db)
        let statuses: [CaseStatus] = [.submitted, .filed, .dispatched, .handling, .reportedBack, .closed, .rejected]
        let places = [w.tree.buildings[0], w.tree.buildings[2], w.tree.otherCommunity, w.tree.buildings[3]]
        for i in 0..<21 {
            let c = try await w.commands().submit(
                i % places.count == 2 ? .root : w.resident,
                CaseSubmission(
                    title: "路灯不亮\(i)", description: "门口的路灯坏了",
                    categoryID: [0, 6].contains(i % 7) ? nil : w.category.id,
                    nodeID: places[i % places.count].id))
            // The community worker reaches only the first community: the other's cases stay submitted.
            guard i % places.count != 2 else { continue }
            // Only the first grid's worker verifies: the second grid's cases stop at reported back.
            let target = statuses[i % statuses.count]
            _ = try await w.advance(
                c, to: target == .closed && i % 2 == 1 ? .reportedBack : target,
                at: CaseWorld.t0.addingTimeInterval(Double(i) * 3000))
        }
        _ = try await w.ratedCase(.satisfied)
        _ = try await w.ratedCase(.dissatisfied)
        _ = try await w.ratedCase(.basicallySatisfied, at: CaseWorld.t0.addingTimeInterval(100 * 3600))
        try await db.transaction { sql in
            let ids = try await sql.raw("SELECT id FROM cases ORDER BY id").all().map {
                try $0.decode(column: "id", as: Int64.self)
            }
            for id in ids {
                let shift = (id * 7 % 45) * 86_400_000 + (id * 3_100_000 % 86_400_000)
                try await sql.raw(
                    """
                    UPDATE cases SET created_at = created_at - \(bind: shift), closed_at = closed_at - \(bind: shift),
                      responded_at = responded_at - \(bind: shift) WHERE id = \(bind: id)
                    """
                ).run()
            }
        }
        return w
    }

    @Test func keptRowsFollowEveryStepMoveAndDeleteOfACase() async throws {
        try await withTestDatabase { db in
            let w = try await Self.spreadWorld(db)
            #expect(try await Self.keptRowsMatch(db))
            // when: a case moves on and is rated, a grid moves to the other community, a case is deleted
            let open = try await w.case(in: .reportedBack)
            _ = try await w.advance(open, to: .closed)
            #expect(try await Self.keptRowsMatch(db))
            _ = try await JurisdictionCommands(db: db).perform(
                .root, w.tree.grid2.id, .move(to: w.tree.otherCommunity.id))
            #expect(try await Self.keptRowsMatch(db))
            try await CaseListScaleTests.deleteCase(db, where: "status = 'submitted'", pick: "MAX")
            #expect(try await Self.keptRowsMatch(db))
        }
    }

    @Test func measuresThroughTheRollupsEqualMeasuresCountedFromTheCases() async throws {
        try await withTestDatabase { db in
            let w = try await Self.spreadWorld(db)
            let store = CaseStore(db: db)
            let today = CaseMeasureRollups.day(holding: CaseWorld.t0)
            func days(_ from: Int64, _ to: Int64) -> (Date, Date) {
                (CaseMeasureRollups.start(ofDay: today + from), CaseMeasureRollups.start(ofDay: today + to))
            }
            let ranges: [(Date, Date)] = [
                days(-50, 2), days(-20, -3), days(-33, -1), days(0, 1), days(-16, 0),
                (CaseWorld.t0.addingTimeInterval(-30 * 86400 + 5 * 3600), CaseWorld.t0.addingTimeInterval(3600)),
                (CaseWorld.t0.addingTimeInterval(-60), CaseWorld.t0.addingTimeInterval(60)),
            ]
            let scopes = [
                w.tree.district, w.tree.subdistrict, w.tree.community, w.tree.otherCommunity, w.tree.grid1,
                w.tree.grid2, w.tree.buildings[0],
            ]
            var compared = 0
            for (from, to) in ranges {
                for scope in scopes.map(\.path) + ["/"] {
                    for grouping in [nil] + CaseMeasureGrouping.allCases {
                        let kept = try await store.measures(
                            scopePath: scope, from: from, to: to, groupBy: grouping)
                        let counted = try await store.measuresFromCases(
                            scopePath: scope, from: from, to: to, groupBy: grouping)
                        #expect(kept == counted, "\(scope) \(from)–\(to) by \(grouping?.rawValue ?? "none")")
                        compared += counted.map(\.total).reduce(0, +)
                    }
                }
            }
            #expect(compared > 100)
            // The widest range over the district holds every case, grouped by grid or overall.
            let (from, to) = days(-60, 2)
            let all = try await store.measures(scopePath: w.tree.district.path, from: from, to: to, groupBy: nil)
            let count = try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM cases").first()!.decode(column: "n", as: Int.self)
            }
            #expect(all.first?.total == count)
            #expect(all.first?.rated == 3)
            #expect(all.first?.satisfied == 2)
        }
    }

    @Test func aRangeOfWholeDaysSplitsIntoBlocksAndDays() {
        #expect(CaseMeasureRollups.segments(firstDay: 3, endDay: 3).isEmpty)
        #expect(CaseMeasureRollups.segments(firstDay: 3, endDay: 10).map(\.span) == [1])
        let split = CaseMeasureRollups.segments(firstDay: 10, endDay: 70)
        #expect(split.map(\.span) == [1, 16, 1])
        #expect(split.map(\.from) == [10, 1, 64])
        #expect(split.map(\.to) == [16, 4, 70])
        #expect(CaseMeasureRollups.segments(firstDay: 16, endDay: 32).map(\.span) == [16])
        #expect(CaseMeasureRollups.day(onOrAfter: CaseMeasureRollups.start(ofDay: 20_000)) == 20_000)
        #expect(
            CaseMeasureRollups.day(holding: CaseMeasureRollups.start(ofDay: 20_000).addingTimeInterval(-1)) == 19_999)
        #expect(
            CaseMeasureRollups.day(onOrAfter: CaseMeasureRollups.start(ofDay: 20_000).addingTimeInterval(1)) == 20_001)
    }
}
