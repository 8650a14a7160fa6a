import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct BulkTests {
    @Test func bulkHelpersOpenOnlyOnACommandLineTransaction() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            for actor in [Actor.districtAdmin(at: tree.district), .system] {
                // when / then
                try await db.command(actor, clock: .system) { tx in
                    #expect(throws: DomainError.forbidden) { _ = try JurisdictionBulk(tx) }
                    #expect(throws: DomainError.forbidden) { _ = try AccountBulk(tx) }
                    #expect(throws: DomainError.forbidden) { _ = try CaseSetupBulk(tx) }
                    #expect(throws: DomainError.forbidden) { _ = try CaseBulk(tx) }
                }
            }
        }
    }

    @Test func seededCaseIsNumberedLikeAFiledOneAndKeepsItsHistory() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let filed = Date(timeIntervalSince1970: 1_780_000_000)
            let events = [
                CaseSeed.Event(action: "submit", from: nil, to: .submitted, at: filed),
                CaseSeed.Event(action: "file", from: .submitted, to: .filed, at: filed.addingTimeInterval(600)),
            ]
            // when
            let (id, number) = try await db.command(.commandLine, clock: .system) { tx in
                let setup = try CaseSetupBulk(tx)
                let category = try await setup.addCategory("路灯照明", at: tree.district)
                let unit = try await setup.addUnit("街道城市管理办公室", at: tree.district)
                _ = try await setup.setRule(
                    at: tree.district, categoryID: category.id, unitID: unit.id, respondHours: 4, resolveHours: 48)
                let seed = CaseSeed(
                    kind: .appeal, channel: .web, status: .filed, title: "路灯不亮", description: "楼下路灯坏了",
                    categoryID: category.id, place: tree.buildings[0], createdAt: filed, events: events)
                return try await CaseBulk(tx).add(seed)
            }
            // then
            let day = WorkCalendar.dayKey(filed).replacingOccurrences(of: "-", with: "")
            #expect(number == "GZ\(day)-" + String(format: "%06d", id))
            let stored = try #require(try await CaseStore(db: db).find(id))
            #expect(stored.status == .filed)
            #expect(stored.number == number)
            #expect(try await CaseStore(db: db).events(of: id).map(\.action) == ["submit", "file"])
        }
    }

    @Test func seededHistoryMustEndInTheCaseState() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let seed = CaseSeed(
                kind: .appeal, channel: .web, status: .closed, title: "路灯不亮", description: "楼下路灯坏了",
                categoryID: nil, place: tree.buildings[0], createdAt: Date(),
                events: [CaseSeed.Event(action: "submit", from: nil, to: .submitted, at: Date())])
            // when / then
            await #expect(throws: DomainError.invalid("case_seed_history_mismatch", field: "events")) {
                _ = try await db.command(.commandLine, clock: .system) { tx in try await CaseBulk(tx).add(seed) }
            }
        }
    }
}
