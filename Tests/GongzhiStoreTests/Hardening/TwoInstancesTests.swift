import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Synchronization
import Testing

/// Two instances on one database (issue 11): each has its own connections and runs the minute's background work
/// while both take filings. Nothing is done twice (a case rises once per level, a notice is sent once) and nothing
/// is lost (every filing is there, every notice is sent, the audit chain is one chain).
@Suite struct TwoInstancesTests {
    /// A text-message channel that counts what it sends, per notice.
    final class CountingChannel: OutboundChannel {
        let name = "sms"
        let sent = Mutex<[Int64: Int]>([:])
        func deliver(_ notification: Notice) async throws { sent.withLock { $0[notification.id, default: 0] += 1 } }
    }

    @Test func twoInstancesUnderLoadEscalateAndDeliverEachItemOnceAndLoseNothing() async throws {
        try await withTestDatabase { a in
            // given: a second instance (its own pool and, on SQLite, its own writer) on the same database
            let b = try Database.open(url: a.url, connectionsPerLoop: 2, requestTimeoutSeconds: 120)
            try b.useServerSecret(testAuditSecret)
            do {
                let w = try await CaseWorld.make(a)
                var open: [Case] = []
                for i in 0..<24 {
                    open.append(try await w.case(in: .dispatched, at: CaseWorld.t0.addingTimeInterval(Double(i) * 60)))
                }
                let late = try #require(open.last?.resolveBy).addingTimeInterval(3600)
                let before = try await a.read { sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM cases").first()!.decode(column: "n", as: Int.self)
                }
                // when: both instances tick (twice) while both take 20 filings each
                let raised = try await withThrowingTaskGroup(of: Int.self) { group in
                    for db in [a, b] {
                        group.addTask {
                            let commands = CaseCommands(db: db, clock: .fixed(late), channels: ["sms"])
                            return try await commands.escalateOverdue(batch: 5)
                                + commands.escalateOverdue(batch: 5)
                        }
                        group.addTask {
                            let commands = CaseCommands(db: db, clock: .fixed(late), channels: ["sms"])
                            for i in 0..<20 {
                                _ = try await commands.submit(
                                    w.resident,
                                    CaseSubmission(
                                        title: "电梯故障\(i)", description: "电梯停在三楼", nodeID: w.tree.buildings[0].id))
                            }
                            return 0
                        }
                    }
                    return try await group.reduce(0, +)
                }
                // and both deliver the outbox in small claims until neither finds anything
                let channels = [CountingChannel(), CountingChannel()]
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (db, channel) in zip([a, b], channels) {
                        group.addTask {
                            let dispatcher = OutboxDispatcher(db: db, clock: .fixed(late), channels: [channel])
                            while try await dispatcher.deliverDue(limit: 3) > 0 {}
                        }
                    }
                    try await group.waitForAll()
                }
                // then: every overdue case rose once, to its level, with one timeline line
                #expect(raised == open.count)
                for c in open {
                    let now = try await CaseStore(db: a).find(c.id)
                    #expect(now?.escalationLevel == 1)
                    let lines = try await CaseStore(db: a).events(of: c.id).map(\.action).filter { $0 == "escalate" }
                    #expect(lines.count == 1)
                }
                // every filing is there, each with its own number
                let (count, numbers) = try await a.read { sql in
                    (
                        try await sql.raw("SELECT COUNT(*) AS n FROM cases").first()!.decode(column: "n", as: Int.self),
                        try await sql.raw("SELECT COUNT(DISTINCT number) AS n FROM cases").first()!.decode(
                            column: "n", as: Int.self)
                    )
                }
                #expect(count == before + 40)
                #expect(numbers == count)
                // every notice was sent exactly once, by one instance or the other
                let (queued, unsent) = try await a.read { sql in
                    (
                        try await sql.raw("SELECT COUNT(*) AS n FROM outbox WHERE channel = 'sms'").first()!.decode(
                            column: "n", as: Int.self),
                        try await sql.raw("SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL").first()!.decode(
                            column: "n", as: Int.self)
                    )
                }
                let sent = channels.map { $0.sent.withLock { $0 } }
                #expect(queued > 0)
                #expect(unsent == 0)
                #expect(sent[0].count + sent[1].count == queued)
                #expect(Set(sent[0].keys).isDisjoint(with: sent[1].keys))
                #expect(sent.allSatisfy { $0.values.allSatisfy { $0 == 1 } })
                // and the audit chain written by both is one intact chain
                guard case .intact = try await AuditLog.verify(a) else {
                    Issue.record("the audit chain broke")
                    return
                }
            } catch {
                await b.shutdown()
                throw error
            }
            await b.shutdown()
        }
    }
}
