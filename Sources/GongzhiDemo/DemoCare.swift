import Foundation
import GongzhiDomain
import GongzhiStore

/// The demo's care visits, all made up: the first community's care groups drawn from the tags (with their default
/// frequencies), every tagged resident in them, each visited by their grid's worker, and visits over the last weeks
/// for most members, so that some are on time and some overdue. Written through `CareBulk`, no SQL here.
enum DemoCare {
    static let groups: [(String, PersonTag)] = [
        ("独居老人", .elderlyLivingAlone), ("残疾人", .disabled), ("低保户", .lowIncome), ("留守儿童", .leftBehindChild),
        ("退役军人", .veteran),
    ]
    static let findings: [(VisitMethod, String)] = [
        (.home, "老人精神状态好，屋里整洁，常用药充足。"), (.home, "血压有些偏高，已提醒按时服药，下周再来看看。"),
        (.phone, "电话联系，说身体还好，女儿周末回来。"), (.home, "厨房燃气软管老化，已提醒更换。"),
        (.elsewhere, "在社区活动室碰到，参加了健康讲座。"), (.home, "家里楼道灯坏了，行动不便，需要帮忙报修。"),
        (.phone, "孩子功课跟得上，爷爷奶奶照顾得好。"), (.home, "低保年审材料已经备齐，下月送到社区。"),
    ]

    /// How many groups, members and visits were made.
    struct Summary {
        var groups = 0
        var members = 0
        var visits = 0
    }

    static func build(
        _ bulk: CareBulk, community: Node, today: CalendarDate, rng: inout SplitMix64
    ) async throws -> Summary {
        var summary = Summary()
        for (name, tag) in groups {
            let group = try await bulk.group(
                community: community.id, try CareGroupDraft(name: name, tag: tag, frequencyDays: nil))
            summary.groups += 1
            summary.members += try await bulk.addTagged(group: group)
            let frequency = CareFrequency.defaultDays(for: tag) ?? 30
            for (person, visitor) in try await bulk.members(group: group) {
                // Four in five have been visited, some of them longer ago than their frequency.
                guard Int.random(in: 0..<5, using: &rng) > 0 else { continue }
                let (method, text) = findings[Int.random(in: 0..<findings.count, using: &rng)]
                let day = today.adding(days: -Int.random(in: 0...(frequency + frequency / 2), using: &rng))
                try await bulk.visit(
                    person: person, by: visitor,
                    try CareVisitDraft(
                        visitedOn: day, method: method, findings: text, followUp: text.contains("需要"), today: today))
                summary.visits += 1
            }
        }
        return summary
    }
}
