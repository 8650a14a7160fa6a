import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct DemoBuilderTests {
    @Test func smallDemoHasEveryLevelBodiesAndAWorkingAccountPerRole() async throws {
        try await withTestDatabase { db in
            // when
            let summary = try await DemoBuilder(db: db, bcryptCost: 4).build(scale: 0.03)
            // then
            #expect(summary.counts[.district] == 1)
            #expect(summary.counts[.community] == 3)
            #expect((summary.counts[.grid] ?? 0) >= 18)
            #expect((summary.counts[.building] ?? 0) >= 18 * 8)
            #expect(summary.accounts.count == Role.allCases.count)
            #expect(summary.cases == 90)
            var closed = CaseFilter()
            closed.statuses = [.closed]
            #expect(try await CaseStore(db: db).all(closed).isEmpty == false)
            let communities = try await JurisdictionStore(db: db).descendants(of: "/", kind: .community)
            let bodies = try await JurisdictionStore(db: db).bodies(of: communities[0].id)
            #expect(
                Set(bodies.map(\.kind)).isSuperset(of: [
                    .partyCommittee, .residentsCommittee, .workstation, .serviceCenter, .supervisionCommittee,
                ]))
            let party = try #require(bodies.first { $0.kind == .partyCommittee })
            let duties = try await JurisdictionStore(db: db).duties(of: party.id)
            #expect(duties.reduce(0) { $0 + $1.minors.count } == 34)
            let worker = try #require(summary.accounts.first { $0.role == .communityWorker })
            let signIn = try await AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4))
                .logIn(username: worker.username, password: worker.password, address: "test")
            #expect(signIn.user.username == "worker")
            #expect(try await AuditLog.verify(db) == .intact(entries: 2))
        }
    }

    @Test func demoRefusesADatabaseThatHoldsATree() async throws {
        try await withTestDatabase { db in
            _ = try await SmallTree.make(db)
            await #expect(throws: DomainError(.conflict, "demo_database_not_empty")) {
                _ = try await DemoBuilder(db: db, bcryptCost: 4).build(scale: 0.01)
            }
        }
    }
}
