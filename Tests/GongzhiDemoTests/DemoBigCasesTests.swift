import Foundation
import GongzhiDemo
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct DemoBigCasesTests {
    @Test func extraCasesSpreadOverThreeYearsInEveryStateWithTimelinesAndTheirEscalation() async throws {
        try await withTestDatabase { db in
            // when
            let now = Date(timeIntervalSince1970: 1_796_000_000)
            let summary = try await DemoBuilder(db: db, clock: .fixed(now), bcryptCost: 4).build(
                scale: 0.03, peoplePerBuilding: 0, cases: 6_000)
            // then
            let facts = try await db.read { sql in
                let row = try await sql.raw(
                    """
                    SELECT COUNT(*) AS n, MIN(created_at) AS oldest, COUNT(DISTINCT status) AS statuses,
                      SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = cases.id) THEN 1 ELSE 0 END) AS bare
                    FROM cases
                    """
                ).first()!
                return (
                    try row.decode(column: "n", as: Int.self), try row.decode(column: "oldest", as: Int64.self),
                    try row.decode(column: "statuses", as: Int.self), try row.decode(column: "bare", as: Int.self)
                )
            }
            #expect(facts.0 >= summary.cases)
            #expect(summary.cases >= 6_000)
            #expect(now.epochMillis - facts.1 > 2 * 365 * 86_400_000)
            #expect(facts.2 == CaseStatus.allCases.count)
            #expect(facts.3 == 0)
            // every case's last timeline line ends in its state
            let mismatched = try await db.read { sql in
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM cases c WHERE c.status <> (SELECT e.to_status FROM case_events e
                      WHERE e.case_id = c.id ORDER BY e.at DESC, e.id DESC LIMIT 1)
                    """
                ).first()!.decode(column: "n", as: Int.self)
            }
            #expect(mismatched == 0)
            // numbered like cases filed on their day, each with its own id
            let sample = try await CaseStore(db: db).list(CaseFilter(scope: .area), for: .root)
            #expect(sample.allSatisfy { $0.number.hasSuffix(String(format: "-%06d", $0.id)) })
            // stuck cases already stand where their deadline puts them: the escalation tick finds at most the small
            // demo's own 90 cases to move (about 200 of the 6,000 are stuck past their deadline)
            #expect(try await CaseCommands(db: db, clock: .fixed(now)).escalateOverdue() <= 90)
            let escalated = try await CaseStore(db: db).counts(
                {
                    var f = CaseFilter(scope: .area); f.minEscalation = 1; return f
                }(), for: .root)
            #expect(escalated.values.reduce(0, +) > 0)
        }
    }
}
