import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

/// Records what it was asked to deliver; fails the first `failures` times.
actor RecordingChannel {
    var delivered: [Int64] = []
    var failures: Int
    init(failures: Int = 0) { self.failures = failures }
    func take(_ id: Int64) throws {
        if failures > 0 {
            failures -= 1
            throw CancellationError()
        }
        delivered.append(id)
    }
}

struct TestChannel: OutboundChannel {
    let name = "sms"
    let recorder: RecordingChannel
    func deliver(_ notice: Notice) async throws { try await recorder.take(notice.id) }
}

@Suite struct NotificationsTests {
    @Test func theReporterAndTheUnitHearOfTheStepsThatConcernThem() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let c = CaseCommands(db: db, clock: .fixed(CaseWorld.t0), channels: ["sms"])
            let s = try await c.submit(
                w.resident,
                CaseSubmission(
                    title: "路灯", description: "坏了", categoryID: w.category.id,
                    nodeID: w.tree.buildings[0].id))
            #expect(try await Notifications.list(db, userID: w.worker.userID).map(\.kind) == ["case.submit"])
            _ = try await c.perform(w.worker, s.id, .file(categoryID: nil))
            _ = try await c.perform(w.worker, s.id, .dispatch(unitID: nil))
            #expect(
                try await Notifications.list(db, userID: w.resident.userID).map(\.kind) == [
                    "case.dispatch", "case.file",
                ])
            #expect(try await Notifications.list(db, userID: w.handler.userID).map(\.kind) == ["case.dispatch"])
            #expect(try await Notifications.unreadCount(db, userID: w.resident.userID) == 2)
            try await Notifications.markAllRead(db, userID: w.resident.userID, at: CaseWorld.t0)
            #expect(try await Notifications.unreadCount(db, userID: w.resident.userID) == 0)
        }
    }

    @Test func outboxDeliversAfterCommitAndRetriesFailures() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let c = CaseCommands(db: db, clock: .fixed(CaseWorld.t0), channels: ["sms"])
            _ = try await c.submit(
                w.resident, CaseSubmission(title: "路灯", description: "坏了", nodeID: w.tree.buildings[0].id))
            let recorder = RecordingChannel(failures: 1)
            let dispatcher = OutboxDispatcher(
                db: db, clock: .fixed(CaseWorld.t0), channels: [TestChannel(recorder: recorder)])
            #expect(try await dispatcher.deliverDue() == 0)  // the first attempt fails
            #expect(try await dispatcher.deliverDue() == 0)  // and waits before the next
            let later = OutboxDispatcher(
                db: db, clock: .fixed(CaseWorld.t0.addingTimeInterval(120)), channels: [TestChannel(recorder: recorder)]
            )
            #expect(try await later.deliverDue() == 1)
            #expect(try await later.deliverDue() == 0)  // sent once, never again
            #expect(await recorder.delivered.count == 1)
        }
    }

    @Test func aRefusedStepQueuesNothing() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let c = CaseCommands(db: db, clock: .fixed(CaseWorld.t0), channels: ["sms"])
            let s = try await c.submit(
                w.resident, CaseSubmission(title: "路灯", description: "坏了", nodeID: w.tree.buildings[0].id))
            await #expect(throws: DomainError.self) {
                _ = try await c.perform(w.worker, s.id, .reportBack(result: "x"))
            }
            #expect(try await Notifications.list(db, userID: w.resident.userID).isEmpty)
        }
    }
}
