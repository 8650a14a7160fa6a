import Foundation
import GongzhiDomain
import GongzhiStore

/// Demo resolutions (决议) of the first community, one in every state the follow-up knows: in progress with progress
/// reports and a review round rated by residents; overdue and escalated to the sub-district; overdue long enough to
/// be escalated to the district; and carried out with evidence and a review after completion. They come from two
/// council meetings held (and quorate) months ago, whose summaries are published. The community's residents'
/// convention has two versions, the second adopted by a resolution of the later meeting, filed with the sub-district
/// and acknowledged.
enum DemoResolutions {
    static let raterNames = ["何阿姨", "黄先生", "林女士", "马大爷", "罗老师"]

    /// Writes the meetings, the residents who rate and the resolutions; returns how many resolutions it wrote.
    static func build(
        _ bulk: ResolutionBulk, conventions: ConventionBulk, meetings: MeetingBulk, people: AccountBulk,
        community: Node, building: Node,
        bodyID: Int64?, departmentID: Int64?, workerID: Int64?, departmentUserID: Int64?, residentID: Int64?,
        raterHash: String, now: Date
    ) async throws -> Int {
        let day: TimeInterval = 86400
        var raters: [Int64] = residentID.map { [$0] } ?? []
        for (n, name) in raterNames.enumerated() {
            raters.append(
                try await people.addUser(
                    username: "rater\(n + 1)", displayName: name, passwordHash: raterHash, home: building
                ).id)
        }
        func meeting(_ title: String, heldDaysAgo: Double, summary: String) async throws -> Int64 {
            var seed = MeetingSeed(
                communityID: community.id, kind: .council, title: title, place: "社区党群服务中心二楼会议室",
                startsAt: now.addingTimeInterval(-heldDaysAgo * day),
                announcedAt: now.addingTimeInterval(-(heldDaysAgo + 7) * day))
            seed.entitled = 45
            seed.present = 33
            seed.minutes = "议事会成员 45 人，到会 33 人。" + summary
            seed.summary = summary
            return try await meetings.add(seed).id
        }
        let spring = try await meeting(
            "第二季度居民议事会", heldDaysAgo: 150, summary: "同意维修 3 号楼外墙渗水、整治楼道堆物，并更换小区路灯。")
        let summer = try await meeting(
            "第三季度居民议事会", heldDaysAgo: 70, summary: "同意改造小区儿童游乐场，增设无障碍坡道。")
        let organisers: [Executor] = [bodyID.map(Executor.body), workerID.map(Executor.person)].compactMap { $0 }
        let department: [Executor] = departmentID.map { [.department($0)] } ?? organisers
        func ratings(
            _ grades: [CaseRating], comments: [String] = []
        ) -> [(
            userID: Int64, rating: CaseRating, comment: String
        )] {
            zip(raters, grades).enumerated().map { (n, pair) in
                (pair.0, pair.1, n < comments.count ? comments[n] : "")
            }
        }
        var seeds: [ResolutionSeed] = []

        // Carried out: the lamps, with evidence, reviewed during the work and once after it.
        var lamps = ResolutionSeed(
            communityID: community.id, meetingID: spring, text: "更换小区主干道 18 盏老旧路灯为节能灯，由街道城管办组织实施，费用由街道市政维护经费列支。",
            executors: department, adoptedAt: now.addingTimeInterval(-150 * day + 7200),
            deadline: CalendarDate(now.addingTimeInterval(-60 * day)))
        lamps.progress = [
            (now.addingTimeInterval(-120 * day), departmentUserID, "已完成现场勘查和灯具采购。", ["采购合同 CG-2026-031"], 40),
            (now.addingTimeInterval(-95 * day), departmentUserID, "已更换 12 盏，剩余 6 盏待电力部门配合停电。", [], 70),
        ]
        lamps.completed = (
            now.addingTimeInterval(-66 * day), departmentUserID, "18 盏路灯全部更换完毕，经社区和居民代表验收合格。",
            ["验收单 YS-2026-0815", "更换前后照片已存档"]
        )
        lamps.reviews = [
            (
                now.addingTimeInterval(-100 * day),
                ratings([.satisfied, .basicallySatisfied, .dissatisfied, .satisfied])
            ),
            (
                now.addingTimeInterval(-40 * day),
                ratings([.satisfied, .satisfied, .basicallySatisfied, .satisfied, .satisfied], comments: ["晚上亮多了，谢谢。"])
            ),
        ]
        seeds.append(lamps)

        // Overdue for weeks: the wall, escalated to the district.
        var wall = ResolutionSeed(
            communityID: community.id, meetingID: spring, text: "维修 3 号楼外墙渗水，由物业公司申请维修资金后实施，社区跟踪进度。",
            executors: organisers, adoptedAt: now.addingTimeInterval(-150 * day + 7200),
            deadline: CalendarDate(now.addingTimeInterval(-30 * day)))
        wall.progress = [
            (now.addingTimeInterval(-110 * day), workerID, "维修资金使用方案已公示，等待业主表决。", ["公示编号 GS-2026-12"], 30),
            (now.addingTimeInterval(-50 * day), workerID, "施工单位已进场搭设脚手架。", [], 60),
        ]
        wall.reviews = [
            (
                now.addingTimeInterval(-60 * day),
                ratings([.basicallySatisfied, .dissatisfied, .dissatisfied], comments: ["拖得太久了。"])
            )
        ]
        wall.followUpAt = now.addingTimeInterval(-1 * day)
        seeds.append(wall)

        // Just overdue: the stairwells, escalated to the sub-district.
        var stairs = ResolutionSeed(
            communityID: community.id, meetingID: spring, text: "开展楼道堆物集中清理，由网格员逐栋通知，社区志愿者协助清运。",
            executors: organisers, adoptedAt: now.addingTimeInterval(-150 * day + 7200),
            deadline: CalendarDate(now.addingTimeInterval(-3 * day)))
        stairs.progress = [(now.addingTimeInterval(-20 * day), workerID, "已清理 1 至 6 栋，7 至 9 栋待清理。", [], 65)]
        stairs.followUpAt = now.addingTimeInterval(-1 * day)
        seeds.append(stairs)

        // In time: the playground, with a review round under way.
        var playground = ResolutionSeed(
            communityID: community.id, meetingID: summer, text: "改造小区儿童游乐场，更换破损设施并铺设塑胶地面，同时在主入口增设无障碍坡道。",
            executors: department + organisers.prefix(1), adoptedAt: now.addingTimeInterval(-70 * day + 7200),
            deadline: CalendarDate(now.addingTimeInterval(45 * day)))
        playground.progress = [
            (now.addingTimeInterval(-40 * day), departmentUserID, "设计方案已征求居民意见并定稿。", ["方案公示照片"], 20),
            (now.addingTimeInterval(-10 * day), departmentUserID, "旧设施已拆除，塑胶地面施工中。", [], 45),
        ]
        playground.reviews = [
            (now.addingTimeInterval(-5 * day), ratings([.satisfied, .basicallySatisfied], comments: ["施工期间请注意围挡安全。"]))
        ]
        seeds.append(playground)
        // Carried out: the convention's revision, which the convention's second version names.
        var revision = ResolutionSeed(
            communityID: community.id, meetingID: summer, text: "修订《居民公约》：第二条改为“邻里互助”，新增第五条“文明养犬”，自下月起施行并报街道备案。",
            executors: organisers, adoptedAt: now.addingTimeInterval(-70 * day + 7200),
            deadline: CalendarDate(now.addingTimeInterval(-40 * day)))
        revision.completed = (
            now.addingTimeInterval(-55 * day), workerID, "修订稿已张贴公示并报街道备案。", ["公示照片", "备案回执"]
        )
        seeds.append(revision)
        var ids: [Int64] = []
        for seed in seeds { ids.append(try await bulk.add(seed).id) }
        let v1 = """
            一、爱护公共环境，不乱扔垃圾，不在楼道堆放杂物。
            二、邻里和睦相处，遇到矛盾先协商。
            三、保持消防通道畅通，不占道停车。
            四、积极参加社区议事，关心公共事务。
            """
        let v2 = """
            一、爱护公共环境，不乱扔垃圾，不在楼道堆放杂物。
            二、邻里互助，遇到矛盾先协商，协商不成可申请社区调解。
            三、保持消防通道畅通，不占道停车。
            四、积极参加社区议事，关心公共事务。
            五、文明养犬，出门拴绳，及时清理犬只粪便。
            """
        try await conventions.add(
            communityID: community.id, kind: .residentsConvention, title: "\(community.name)居民公约",
            versions: [
                (
                    v1, nil, CalendarDate(now.addingTimeInterval(-400 * day)), now.addingTimeInterval(-410 * day),
                    now.addingTimeInterval(-405 * day), now.addingTimeInterval(-400 * day)
                ),
                (
                    v2, ids.last, CalendarDate(now.addingTimeInterval(-40 * day)), now.addingTimeInterval(-60 * day),
                    now.addingTimeInterval(-55 * day), now.addingTimeInterval(-50 * day)
                ),
            ])
        return seeds.count
    }

    /// The resolution of the owners' online vote on the maintenance fund, adopted the day after its result was
    /// published: it decides the topic the vote was put to, and the lift's replacement is under way.
    static func fromVote(
        _ bulk: ResolutionBulk, vote: Vote, bodyID: Int64?, workerID: Int64?, now: Date
    ) async throws {
        let day: TimeInterval = 86400
        let adoptedAt = (vote.publishedAt ?? now).addingTimeInterval(day)
        var seed = ResolutionSeed(
            communityID: vote.communityID, voteID: vote.id,
            text: "依业主共同表决结果，使用专项维修资金整体更换 1 号楼电梯，由物业公司组织招标实施，社区和业委会监督。",
            executors: [bodyID.map(Executor.body), workerID.map(Executor.person)].compactMap { $0 },
            adoptedAt: adoptedAt, deadline: CalendarDate(now.addingTimeInterval(75 * day)))
        seed.progress = [(adoptedAt.addingTimeInterval(6 * day), workerID, "招标公告已发布，报名截至下周五。", ["公告编号 ZB-2026-07"], 15)]
        try await bulk.add(seed)
    }
}
