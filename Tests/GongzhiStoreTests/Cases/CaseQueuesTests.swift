import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct CaseQueuesTests {
    @Test func eachQueueCountsExactlyTheListItLinksTo() async throws {
        try await withTestDatabase { db in
            // given: cases at every stage, one of them overdue, one closed and not yet rated
            let w = try await CaseWorld.make(db)
            _ = try await w.submit()
            _ = try await w.case(in: .dispatched)
            _ = try await w.case(in: .handling)
            _ = try await w.case(in: .reportedBack)
            _ = try await w.case(in: .closed)
            _ = try await w.ratedCase()
            let later = CaseWorld.t0.addingTimeInterval(30 * 24 * 3600)
            let store = CaseStore(db: db)
            func count(_ actor: Actor, _ scope: CaseScope, _ edit: (inout CaseFilter) -> Void) async throws -> Int {
                var f = CaseFilter(scope: scope)
                f.limit = 1000
                edit(&f)
                return try await store.list(f, for: actor, now: later).count
            }
            // when
            let worker = try await store.queues(for: w.worker, now: later)
            let handler = try await store.queues(for: w.handler, now: later)
            let resident = try await store.queues(for: w.resident, now: later)
            // then
            #expect(worker.toFile == 1)
            #expect(worker.toFile == (try await count(w.worker, .area) { $0.statuses = [.submitted] }))
            #expect(worker.toVerify == (try await count(w.worker, .area) { $0.statuses = [.reportedBack] }))
            #expect(worker.overdue == 3, "dispatched, handling and reported back are past their deadline a month on")
            #expect(worker.overdue == (try await count(w.worker, .area) { $0.overdueAt = later }))
            #expect(worker.toReview == (try await count(w.worker, .area) { $0.awaitingReview = true }))
            #expect(handler.toAccept == 1)
            #expect(handler.toAccept == (try await count(w.handler, .unit) { $0.statuses = [.dispatched] }))
            #expect(handler.inHand == (try await count(w.handler, .unit) { $0.statuses = [.handling] }))
            #expect(resident.mineOpen == 4)
            #expect(resident.mineToRate == 1)
            #expect(resident.mineToRate == (try await count(w.resident, .mine) { $0.awaitingRating = true }))
            #expect(resident.toFile == 0 && resident.toAccept == 0, "a resident has no staff queues")
        }
    }
}
