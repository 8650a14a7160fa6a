import Foundation
import GongzhiDomain
import GongzhiStore

/// Demo votes (表决) in the first community, one in each state, all made up: a draft, one scheduled to open in three
/// days (on the topic of the parcel lockers, which it puts to the online vote), a secret proposal and an open single-choice poll with running counts both taking ballots now, a secret
/// household vote closed and published with a paper box signed off by two workers beside the online ballots, an
/// owners' vote by exclusive-part area (art. 278, the developer's unsold houses one head voting on paper) published
/// with its four numbers and two fractions (on the topic of the lift, which its resolution decides), and a poll
/// closed and counted but not yet published. Rolls are frozen from the demo registry; ballots go through
/// `VoteBulk`, so each voter is counted once and secret choices carry no voter.
enum DemoVotes {
    /// A 1×1 white JPEG standing in for the photo of the paper tally sheet.
    static let tallySheet: [UInt8] = Array(
        Data(
            base64Encoded:
                "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA="
        ) ?? Data([0xFF, 0xD8, 0xFF]))

    /// Writes the votes; returns how many, and the owners' vote on the maintenance fund (put to by `fundTopicID`).
    static func build(
        _ bulk: VoteBulk, community: Node, topicID: Int64?, fundTopicID: Int64? = nil, meetingID: Int64?,
        scrutineers: (Int64, Int64)?, now: Date
    ) async throws -> (count: Int, fund: Vote) {
        let day: TimeInterval = 86400
        func plan(
            _ title: String, _ spec: PollSpec, _ basis: VotingBasis, opens: Double, closes: Double,
            secrecy: BallotSecrecy, matter: OwnersMatter? = nil, results: Bool = false, topic: Int64? = nil,
            meeting: Int64? = nil
        ) -> VotePlan {
            VotePlan(
                communityID: community.id, topicID: topic, meetingID: meeting, title: title, spec: spec, basis: basis,
                matter: matter, opensAt: now.addingTimeInterval(opens * day),
                closesAt: now.addingTimeInterval(closes * day), secrecy: secrecy, resultsBeforeClose: results,
                proxies: ProxyRules(allowed: true, maxMandatesPerProxy: 3))
        }
        let proposal = try PollSpec(kind: .proposal)
        // A draft, and one scheduled to open in three days: the online vote the parcel-locker topic was put to.
        _ = try await bulk.draft(
            plan(
                "社区健身器材更新选址", try PollSpec(kind: .singleChoice, options: ["中心花园", "3栋北侧空地", "社区广场东角"]),
                .persons, opens: 10, closes: 17, secrecy: .secret),
            at: now.addingTimeInterval(-1 * day))
        let soon = try await bulk.draft(
            plan("是否同意在小区东门加装快递柜", proposal, .households, opens: 3, closes: 10, secrecy: .secret, topic: topicID),
            at: now.addingTimeInterval(-2 * day))
        try await bulk.step(soon, .schedule, at: now.addingTimeInterval(-1 * day))
        // Two taking ballots now: a secret proposal, and an open poll that shows its running count.
        let open = try await bulk.draft(
            plan("是否同意调整垃圾分类投放点位置", proposal, .persons, opens: -2, closes: 5, secrecy: .secret, meeting: meetingID),
            at: now.addingTimeInterval(-4 * day))
        try await bulk.step(open, .schedule, at: now.addingTimeInterval(-3 * day))
        try await bulk.cast(open) { i in i % 3 == 0 ? (i % 9 == 0 ? .proposal(.no) : .proposal(.yes)) : nil }
        let poll = try await bulk.draft(
            plan(
                "社区活动室开放时间征求意见", try PollSpec(kind: .singleChoice, options: ["工作日晚上", "周末全天", "每天上午"]),
                .persons, opens: -1, closes: 6, secrecy: .open, results: true),
            at: now.addingTimeInterval(-3 * day))
        try await bulk.step(poll, .schedule, at: now.addingTimeInterval(-2 * day))
        try await bulk.cast(poll) { i in i % 4 == 0 ? .choices([i % 3 == 0 ? 1 : 0]) : nil }
        // A household vote closed and published: paper ballots at the meeting beside the online ones.
        let parking = try await bulk.draft(
            plan("小区停车位重新规划方案", proposal, .households, opens: -15, closes: -8, secrecy: .secret),
            at: now.addingTimeInterval(-20 * day))
        try await bulk.step(parking, .schedule, at: now.addingTimeInterval(-16 * day))
        let keys = try await bulk.rollKeys(parking)
        let onPaper = Array(keys.prefix(6))
        for key in onPaper {
            try await bulk.step(
                parking, .issuePaper(voter: key, box: "一号票箱"), at: now.addingTimeInterval(-10 * day))
        }
        try await bulk.cast(parking) { i in i % 2 == 0 ? (i % 8 == 0 ? .proposal(.no) : .proposal(.yes)) : nil }
        if onPaper.count == 6, let (first, second) = scrutineers {
            try await bulk.step(
                parking,
                .enterBox(
                    PaperBoxTotals(
                        box: "一号票箱", issued: 6, returned: 6, void: 1, marks: [4, 1, 0], scrutineers: ["陈建国", "林秀英"],
                        tallySheetPhoto: nil)), at: now.addingTimeInterval(-8 * day + 3600), photo: tallySheet)
            try await bulk.signBox(
                parking, box: "一号票箱", by: first, and: second, at: now.addingTimeInterval(-8 * day + 4000))
        }
        var closed = try await bulk.step(parking, .close, at: now.addingTimeInterval(-8 * day + 5000))
        closed = try await bulk.step(closed, .publish, at: now.addingTimeInterval(-7 * day))
        // An owners' vote by area and heads, published with its arithmetic.
        let fund = try await bulk.draft(
            plan(
                "使用专项维修资金更换 1 号楼电梯", proposal, .owners, opens: -30, closes: -16, secrecy: .open,
                matter: .useMaintenanceFund, topic: fundTopicID),
            at: now.addingTimeInterval(-35 * day))
        try await bulk.step(fund, .schedule, at: now.addingTimeInterval(-31 * day))
        // The developer, holding the unsold houses as one head, votes on paper at the owners' assembly: its ballot
        // is read into its entry, and the box's totals carry the photo and two sign-offs.
        let developer = VoterKey.ownerHead(.developerUnsold)
        let onPaperToo = try await bulk.rollKeys(fund).contains(developer)
        if onPaperToo {
            try await bulk.step(
                fund, .issuePaper(voter: developer, box: "业主大会票箱"), at: now.addingTimeInterval(-20 * day))
        }
        // Nine owners in ten vote, so the vote meets art. 278's two-thirds participation and passes.
        try await bulk.cast(fund) { i in
            i % 10 == 9 ? nil : .proposal(i % 6 == 0 ? .no : i % 13 == 0 ? .abstain : .yes)
        }
        if onPaperToo, let (first, second) = scrutineers {
            try await bulk.step(
                fund, .paperBallot(PaperOwnerBallot(voter: developer, box: "业主大会票箱", mark: .yes)),
                at: now.addingTimeInterval(-16 * day + 600))
            try await bulk.step(
                fund,
                .enterBox(
                    PaperBoxTotals(
                        box: "业主大会票箱", issued: 1, returned: 1, marks: [1, 0, 0], scrutineers: ["陈建国", "林秀英"],
                        tallySheetPhoto: nil)), at: now.addingTimeInterval(-16 * day + 1200), photo: tallySheet)
            try await bulk.signBox(
                fund, box: "业主大会票箱", by: first, and: second, at: now.addingTimeInterval(-16 * day + 1800))
        }
        let counted = try await bulk.step(fund, .close, at: now.addingTimeInterval(-16 * day + 3600))
        let published = try await bulk.step(counted, .publish, at: now.addingTimeInterval(-15 * day))
        // A poll counted yesterday, its result not yet published.
        let festival = try await bulk.draft(
            plan(
                "中秋社区活动形式", try PollSpec(kind: .singleChoice, options: ["邻里百家宴", "游园猜灯谜", "文艺汇演"]),
                .persons, opens: -8, closes: -1, secrecy: .secret),
            at: now.addingTimeInterval(-9 * day))
        try await bulk.step(festival, .schedule, at: now.addingTimeInterval(-8.5 * day))
        try await bulk.cast(festival) { i in i % 3 == 1 ? .choices([i % 3]) : (i % 5 == 0 ? .choices([2]) : nil) }
        try await bulk.step(festival, .close, at: now.addingTimeInterval(-1 * day + 3600))
        return (7, published)
    }
}
