import Foundation
import GongzhiDemo
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct DemoResolutionsTests {
    @Test func theDemoHoldsResolutionsInEveryStateOfTheirFollowUp() async throws {
        try await withTestDatabase { db in
            // when
            _ = try await DemoBuilder(db: db, bcryptCost: 4).build(scale: 0.03, peoplePerBuilding: 0)
            // then
            let accounts = AccountStore(db: db)
            func actor(_ name: String) async throws -> Actor {
                let user = try #require(try await accounts.user(username: name))
                return try #require(try await accounts.actor(for: user.id))
            }
            let now = Date()
            let store = ResolutionStore(db: db)
            let all = try await store.list(ResolutionFilter(), for: try await actor("worker"), now: now)
            #expect(all.count == 5)
            #expect(all.contains { $0.state == .completed })
            #expect(all.contains { $0.state == .inProgress && !$0.overdue })
            #expect(Set(all.filter(\.overdue).map(\.escalationLevel)) == [1, 2])
            // The sub-district and the district see what was escalated to them on their home pages.
            #expect(try await store.overdue(for: try await actor("subdistrict"), now: now).count == 2)
            #expect(try await store.overdue(for: try await actor("district"), now: now).count == 1)
            // The department carries two out; the resident reads them all, rated and with progress.
            #expect(
                try await store.list(ResolutionFilter(mine: true), for: try await actor("department"), now: now).count
                    == 2)
            let resident = try await actor("resident")
            let lamps = try #require(all.first { $0.state == .completed && $0.text.contains("路灯") })
            let record = try await store.record(lamps.id, for: resident, now: now)
            #expect(record.rounds.count == 2 && record.progress.count == 3 && record.rounds[0].summary.total == 5)
            // The public face shows them without anyone's name.
            let community = try #require(try await actor("worker").grants.first?.nodeID)
            let face = try await DeliberationPublic(db: db).community(community, now: now)
            #expect(face.resolutions.count == 5 && face.meetings.count >= 3)
            // The residents' convention has two versions, the second adopted by the revision and acknowledged.
            let conventions = try await ConventionStore(db: db).list(for: resident)
            let convention = try #require(conventions.first)
            #expect(conventions.count == 1 && convention.versions.count == 2)
            #expect(convention.versions[1].resolutionID != nil && convention.versions[1].acknowledgedAt != nil)
            #expect(convention.inForce(on: CalendarDate(now))?.number == 2)
        }
    }
}
