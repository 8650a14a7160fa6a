import Foundation
import GongzhiDemo
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct DemoRegistryTests {
    @Test func everyCommunityHasARegistryWithPermitsEndingSoonAndWaitingQueues() async throws {
        try await withTestDatabase { db in
            // when
            let summary = try await DemoBuilder(db: db, bcryptCost: 4).build(scale: 0.03, peoplePerBuilding: 8)
            // then: people in each of the three communities, and organisations and facilities in each
            let today = CalendarDate(Date())
            let (communities, organised, equipped, endingSoon, corrections) = try await db.read { sql in
                func count(_ query: SQLQueryString) async throws -> Int {
                    try await sql.raw(query).first()!.decode(column: "n", as: Int.self)
                }
                return (
                    try await count("SELECT COUNT(DISTINCT community_id) AS n FROM registry_people"),
                    try await count("SELECT COUNT(DISTINCT community_id) AS n FROM registry_organisations"),
                    try await count("SELECT COUNT(DISTINCT community_id) AS n FROM registry_facilities"),
                    try await count(
                        """
                        SELECT COUNT(*) AS n FROM registry_people WHERE permit_end >= \(bind: today.description)
                        AND permit_end <= \(bind: today.adding(days: 30).description)
                        """),
                    try await count("SELECT COUNT(*) AS n FROM registry_corrections WHERE status = 'pending'")
                )
            }
            #expect(communities == 3 && organised == 3 && equipped == 3)
            #expect(summary.people > 0 && endingSoon > 0)
            // and the grid worker's amendments wait in the community worker's review queue
            let worker = try #require(summary.accounts.first { $0.role == .communityWorker })
            let user = try #require(try await AccountStore(db: db).user(username: worker.username))
            let actor = try #require(try await AccountStore(db: db).actor(for: user.id))
            let queue = try await RegistryReviews(db: db, clock: .system).list(ReviewFilter(), for: actor)
            #expect(queue.reviewing && queue.items.count == 4 && queue.items.allSatisfy { $0.status == .pending })
            #expect(queue.items.allSatisfy { $0.changes.contains { $0.field == "phone" } })
            // and the demo resident's claimed record has two corrections waiting
            #expect(corrections == 2)
            let resident = try #require(try await AccountStore(db: db).user(username: "resident"))
            let own = try #require(try await AccountStore(db: db).actor(for: resident.id))
            #expect(try await RegistryCorrections(db: db, clock: .system).mine(for: own).count == 2)
            // and the whole demo is one audit entry
            #expect(try await AuditLog.verify(db) == .intact(entries: 1))
        }
    }
}
