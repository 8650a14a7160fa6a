import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct AssemblyOverdueTests {
    @Test func aCommunityWithoutARepresentativesAssemblyInSixMonthsIsListedForItsOrganisers() async throws {
        try await withTestDatabase { db in
            // given: a community that never held one
            let w = try await DeliberationWorld.make(db)
            let t0 = DeliberationWorld.t0
            let store = MeetingStore(db: db)
            let never = try await store.overdueAssemblies(for: w.worker, now: t0)
            #expect(never.map(\.communityID).contains(w.tree.community.id))
            #expect(never.first { $0.communityID == w.tree.community.id }?.lastHeld == nil)
            // residents organise nothing and see nothing
            #expect(try await store.overdueAssemblies(for: w.resident, now: t0).isEmpty)
            // when: it holds one
            let plan = MeetingPlan(
                communityID: w.tree.community.id, kind: .representativesAssembly, title: "居民代表会议",
                place: "党群服务中心", startsAt: t0 + 3600)
            let m = try await MeetingCommands(db: db, clock: .fixed(t0)).schedule(w.worker, plan)
            _ = try await MeetingCommands(db: db, clock: .fixed(t0 + 7200)).perform(
                w.worker, m.id, .hold(basis: .members, entitled: 30, present: 25))
            // then: in time for six months to the day, overdue the day after
            let held = CalendarDate(t0 + 7200)
            let due = AssemblyInterval.due(after: held, months: 6)!
            func listed(on day: CalendarDate) async throws -> AssemblyOverdue? {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = CalendarDate.zone
                let noon = try #require(
                    calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)))
                return try await store.overdueAssemblies(for: w.worker, now: noon).first {
                    $0.communityID == w.tree.community.id
                }
            }
            #expect(try await listed(on: held) == nil)
            #expect(try await listed(on: due) == nil)
            let late = try #require(try await listed(on: due.adding(days: 1)))
            #expect(late.lastHeld == held && late.due == due)
        }
    }
}
