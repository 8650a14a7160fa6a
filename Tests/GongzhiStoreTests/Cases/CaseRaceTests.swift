import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

/// Two people take different steps on one case at the same version, really at once: exactly one step goes
/// through, the other is told the case changed meanwhile, and the timeline holds one line.
@Suite struct CaseRaceTests {
    enum Outcome: Sendable {
        case done(String)
        case refused(DomainError)
    }

    /// Pairs of steps that are each allowed from the case's state: (state, first step, second step). Both people can
    /// still read the case after either step (a return takes it away from the unit, whose handler would then be told
    /// "not found", as for any case outside their reach).
    static func pairs(_ w: CaseWorld) -> [(CaseStatus, (Actor, CaseCommand), (Actor, CaseCommand))] {
        [
            (.filed, (w.worker, .dispatch(unitID: nil)), (w.worker, .reject(reason: "重复反映"))),
            (.dispatched, (w.handler, .acceptHandling), (w.worker, .escalate(reason: "居民多次反映"))),
            (.handling, (w.handler, .reportBack(result: "已修好")), (w.worker, .escalate(reason: "仍未办结"))),
        ]
    }

    @Test func twoStepsAtTheSameVersionAtOnceLetExactlyOneThrough() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let store = CaseStore(db: db)
            for round in 0..<20 {
                // given
                let (status, first, second) = Self.pairs(w)[round % 3]
                let c = try await w.case(in: status)
                let before = try await store.events(of: c.id).count
                let commands = w.commands()
                // when
                let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
                    for (actor, command) in [first, second] {
                        group.addTask {
                            do {
                                _ = try await commands.perform(actor, c.id, command, expectedVersion: c.version)
                                return .done(command.capability.rawValue)
                            } catch let error as DomainError {
                                return .refused(error)
                            }
                        }
                    }
                    var all: [Outcome] = []
                    for try await outcome in group { all.append(outcome) }
                    return all
                }
                // then
                let winners = outcomes.compactMap { if case .done(let step) = $0 { step } else { nil } }
                let refusals = outcomes.compactMap { if case .refused(let error) = $0 { error } else { nil } }
                #expect(winners.count == 1, "round \(round): \(outcomes)")
                #expect(refusals == [DomainError(.conflict, "case_changed_meanwhile")], "round \(round): \(outcomes)")
                let timeline = try await store.events(of: c.id)
                #expect(timeline.count == before + 1, "round \(round)")
                #expect(timeline.last?.action == winners.first, "round \(round)")
                #expect(try await store.find(c.id)?.version == c.version + 1, "round \(round)")
            }
            let chain = try await AuditLog.verify(db)
            #expect({ if case .intact = chain { true } else { false } }())
        }
    }
}
