import Foundation
import GongzhiDomain
import Testing

@testable import GongzhiStore
@testable import GongzhiWeb

/// Page models are pure: built from read models and words, they can be checked without a server.
@Suite struct CaseViewsTests {
    let words: CaseViews.Words = { "«\($0)»" }

    @Test func anAutomaticEscalationNamesItsLevelNotItsKey() {
        // given
        let event = CaseEvent(
            at: Date(timeIntervalSince1970: 0), actorUserID: nil, actorName: nil, action: "escalate",
            fromStatus: .handling,
            toStatus: .handling, note: "auto:2")
        // when
        let line = CaseViews.timeline([event], language: .zh, words: words)[0]
        // then
        #expect(line.note == "«case_escalation_2»")
        #expect(line.hasNote)
    }

    @Test func aRowWithoutADeadlineSaysSoItself() {
        let c = Case(
            id: 1, number: "GZ1", kind: .appeal, channel: .web, status: .submitted, title: "t", description: "d",
            communityID: 3,
            nodeID: 9, createdAt: Date(timeIntervalSince1970: 0))
        let row = CaseViews.row(c, now: Date(), language: .zh, words: words)
        #expect(!row.hasDue && !row.overdue && !row.isEscalated)
    }
}
