import Foundation
import GongzhiDomain
import GongzhiStore

/// The home page's model, built without I/O from the actor's queues and own cases: staff see the queues of their
/// roles with counts, each linking to the list it counts; residents see "report a problem" and their own cases.
enum HomeViews {
    typealias Words = @Sendable (String) -> String

    /// One queue: a count and the list it counts.
    struct Queue: Sendable, Equatable {
        var label: String
        var count: Int
        var href: String
        /// Drawn as needing attention (overdue, or something waiting for this person).
        var urgent: Bool
    }

    struct Model: Sendable {
        var isStaff: Bool
        var queues: [Queue]
        var hasQueues: Bool
        var mine: [CaseViews.Row]
        var hasMine: Bool
        var toRate: Int
        var hasToRate: Bool
    }

    static func model(
        _ queues: CaseQueues, isArea: Bool, inUnit: Bool, isStaff: Bool, mine: [CaseViews.Row], words: Words
    ) -> Model {
        var out: [Queue] = []
        func add(_ key: String, _ count: Int, _ href: String, urgent: Bool = false) {
            out.append(Queue(label: words(key), count: count, href: href, urgent: urgent && count > 0))
        }
        if isArea {
            add("queue_to_file", queues.toFile, "/cases?view=area&status=submitted", urgent: true)
            add("queue_to_verify", queues.toVerify, "/cases?view=area&status=reportedBack")
            add("queue_overdue", queues.overdue, "/cases?view=area&overdue=1", urgent: true)
            add("queue_to_review", queues.toReview, "/cases?view=area&review=1")
        }
        if inUnit {
            add("queue_to_accept", queues.toAccept, "/cases?view=unit&status=dispatched", urgent: true)
            add("queue_in_hand", queues.inHand, "/cases?view=unit&status=handling")
        }
        if !isStaff || queues.mineOpen > 0 { add("queue_mine_open", queues.mineOpen, "/cases?view=mine") }
        if queues.mineToRate > 0 {
            add("queue_mine_to_rate", queues.mineToRate, "/cases?view=mine&to_rate=1", urgent: true)
        }
        return Model(
            isStaff: isStaff, queues: out, hasQueues: !out.isEmpty, mine: mine, hasMine: !mine.isEmpty,
            toRate: queues.mineToRate, hasToRate: queues.mineToRate > 0)
    }
}
