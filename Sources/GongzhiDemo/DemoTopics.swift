import Foundation
import GongzhiDomain
import GongzhiStore

/// Demo topics (议题) and meetings in the first community: a draft, topics collecting co-signatures (one of them the
/// demo resident's, so they see how far it is from the threshold, one they may co-sign), a topic placed on the
/// agenda by the organiser, one taken up by an announced residents' meeting, one decided by a council meeting held
/// two weeks ago with its minutes published, two on the agenda that the demo's votes put to online votes, and topics archived as expired and withdrawn, with a discussion in
/// which one comment was hidden. The community's co-signature rules are set as data first (building 3, estate 5,
/// community 8 within 30 days), the way a community would set its own.
enum DemoTopics {
    static let rules: [(TopicScopeKind, CoSignatureRule)] = [
        (.building, CoSignatureRule(threshold: 3, windowDays: 30)),
        (.estate, CoSignatureRule(threshold: 5, windowDays: 30)),
        (.community, CoSignatureRule(threshold: 8, windowDays: 30)),
    ]

    static let neighbourNames = ["陈阿姨", "刘师傅", "赵老师", "孙大姐", "周先生", "吴女士", "郑大爷", "王小妹"]

    /// The topics on the agenda that the demo's votes put to an online vote (`DemoVotes`): one whose vote is yet to
    /// open, and one whose owners' vote passed and whose resolution decides it (`DemoResolutions.fromVote`).
    static let parcelLockers = "小区东门加装快递柜"
    static let liftFund = "使用专项维修资金更换 1 号楼电梯"

    /// Writes the rules, the neighbours who co-sign and the topics; returns how many topics it wrote, and the ids of
    /// the two that online votes are to decide.
    static func build(
        _ bulk: TopicBulk, meetings: MeetingBulk, people: AccountBulk, community: Node, building: Node, bodyID: Int64?,
        residentID: Int64?, workerID: Int64?, neighbourHash: String, now: Date
    ) async throws -> (count: Int, lockers: Int64?, liftFund: Int64?) {
        let day: TimeInterval = 86400
        let start = now.addingTimeInterval(-90 * day)
        for (kind, rule) in rules { try await bulk.setRule(rule, for: kind, in: community.id, from: start) }
        let rule = Dictionary(uniqueKeysWithValues: rules)
        var neighbours: [Int64] = []
        for (n, name) in neighbourNames.enumerated() {
            let user = try await people.addUser(
                username: "neighbour\(n + 1)", displayName: name, passwordHash: neighbourHash, home: building)
            neighbours.append(user.id)
        }
        func signers(_ count: Int, from at: Date, skipping: Int = 0) -> [(userID: Int64, at: Date)] {
            neighbours.dropFirst(skipping).prefix(count).enumerated().map {
                ($0.element, at.addingTimeInterval(Double($0.offset + 1) * 3600 * 7))
            }
        }
        let estatePlace: (TopicScopeKind, Int64) = building.estateID.map { (.estate, $0) } ?? (.community, community.id)
        // A council meeting held two weeks ago, and a residents' meeting announced for twelve days from now.
        var council = MeetingSeed(
            communityID: community.id, kind: .council, title: "第四季度居民议事会", place: "社区党群服务中心二楼会议室",
            startsAt: now.addingTimeInterval(-14 * day), announcedAt: now.addingTimeInterval(-21 * day))
        council.entitled = 45
        council.present = 31
        council.minutes =
            "议事会成员 45 人，到会 31 人。会议审议了“小区停车位重新规划”议题：同意重新施划车位、增设 12 个充电车位，"
            + "外来车辆临时停车收费标准由业委会另行征求意见。"
        council.summary = "同意重新规划小区停车位并增设充电车位，收费标准另行征求意见。"
        let held = try await meetings.add(council)
        // The notice and sign-in summary kept with its record (会议附件), a small PDF built in code.
        try await meetings.attach(
            held.id, name: "第四季度居民议事会会议通知.pdf",
            bytes: DemoPDF.make(lines: [
                "Residents' council, fourth quarter", "Members: 45. Present: 31.",
                "Agenda: re-planning the estate's parking spaces.",
            ]), at: now.addingTimeInterval(-20 * day))
        let assembly = try await meetings.add(
            MeetingSeed(
                communityID: community.id, kind: .residentsMeeting, title: "居民会议：社区消防通道整治方案",
                place: "社区文化广场", startsAt: now.addingTimeInterval(12 * day),
                announcedAt: now.addingTimeInterval(-1 * day)))
        var seeds: [TopicSeed] = []

        // A neighbour's building topic, one co-signature short of its threshold: the demo resident may co-sign it.
        var lift = TopicSeed(
            placeKind: .building, placeID: building.id, proposerUserID: neighbours[0], title: "本楼加装电梯",
            body: "本楼建成已二十多年，七层无电梯，老人上下楼困难。建议申请既有住宅加装电梯，费用按楼层分摊，请各户联名支持。",
            state: .collecting, createdAt: now.addingTimeInterval(-6 * day), rule: rule[.building]!)
        lift.submittedAt = now.addingTimeInterval(-6 * day + 600)
        lift.coSigners = signers(2, from: now.addingTimeInterval(-5 * day), skipping: 1)
        lift.comments = [
            (neighbours[1], "支持！我家在六楼，每天提菜上楼很吃力。", now.addingTimeInterval(-5 * day), nil),
            (neighbours[2], "一楼住户的采光和噪音也要考虑，希望方案里写清楚补偿。", now.addingTimeInterval(-4 * day), nil),
            (neighbours[3], "加微信群领优惠券，代办加装电梯一条龙。", now.addingTimeInterval(-4 * day + 3600), "与议题无关的广告"),
        ]
        seeds.append(lift)

        // The demo resident's community topic, collecting: they see how many co-signatures it still needs.
        var canteen = TopicSeed(
            placeKind: .community, placeID: community.id, proposerUserID: residentID, title: "开办社区长者食堂",
            body: "社区独居老人较多，建议利用党群服务中心一楼开办长者食堂，提供平价午餐和送餐服务。",
            state: .collecting, createdAt: now.addingTimeInterval(-3 * day), rule: rule[.community]!)
        canteen.submittedAt = now.addingTimeInterval(-3 * day + 1200)
        canteen.coSigners = signers(3, from: now.addingTimeInterval(-2 * day))
        seeds.append(canteen)

        // On the agenda by the threshold, then decided by the council: the estate's parking.
        var parking = TopicSeed(
            placeKind: estatePlace.0, placeID: estatePlace.1, proposerUserID: neighbours[4], title: "小区停车位重新规划",
            body: "晚上车辆乱停堵住消防通道。建议重新划线、增设充电车位，并讨论外来车辆临时停车收费。",
            state: .decided, createdAt: now.addingTimeInterval(-20 * day),
            rule: estatePlace.0 == .estate ? rule[.estate]! : rule[.community]!)
        parking.submittedAt = now.addingTimeInterval(-20 * day + 600)
        parking.coSigners = signers(parking.rule.threshold, from: now.addingTimeInterval(-19 * day))
        parking.agendaAt = parking.coSigners.last?.at
        parking.comments = [(neighbours[0], "消防通道一定要保持畅通，赞成。", now.addingTimeInterval(-18 * day), nil)]
        parking.meetingID = held.id
        parking.takenUpAt = now.addingTimeInterval(-16 * day)
        parking.decidedAt = now.addingTimeInterval(-14 * day + 7200)
        parking.decision = council.summary
        seeds.append(parking)

        // On the agenda by the threshold and taken up by the residents' meeting announced yesterday.
        var fireLanes = TopicSeed(
            placeKind: .community, placeID: community.id, proposerUserID: neighbours[6], title: "社区消防通道整治",
            body: "多处消防通道被杂物和车辆占用，建议统一清理并设置禁停标识，由居民会议通过整治方案。",
            state: .inMeeting, createdAt: now.addingTimeInterval(-25 * day), rule: rule[.community]!)
        fireLanes.submittedAt = now.addingTimeInterval(-25 * day + 600)
        fireLanes.coSigners = signers(8, from: now.addingTimeInterval(-24 * day))
        fireLanes.agendaAt = fireLanes.coSigners.last?.at
        fireLanes.meetingID = assembly.id
        fireLanes.takenUpAt = now.addingTimeInterval(-1 * day + 600)
        seeds.append(fireLanes)

        // Placed on the agenda by the organiser, raised for a governance body.
        if let bodyID, let workerID {
            var greening = TopicSeed(
                placeKind: .community, placeID: community.id, origin: .governanceBody(bodyID: bodyID),
                proposerUserID: workerID, title: "社区公园改造方案征求意见",
                body: "区里下达了社区公园改造资金，改造方案需要听取居民意见后报街道审定。", state: .onAgenda,
                createdAt: now.addingTimeInterval(-10 * day), rule: rule[.community]!)
            greening.submittedAt = now.addingTimeInterval(-10 * day + 600)
            greening.coSigners = signers(1, from: now.addingTimeInterval(-9 * day))
            greening.agendaAt = now.addingTimeInterval(-8 * day)
            greening.placedByOrganiser = true
            seeds.append(greening)
        }

        // On the agenda by the threshold, to be decided by an online vote with no meeting (the demo's votes draft it).
        var lockers = TopicSeed(
            placeKind: .community, placeID: community.id, proposerUserID: neighbours[7], title: parcelLockers,
            body: "快递常堆在门岗，丢件和占道时有发生。建议在东门内侧加装智能快递柜，请全体居民网上表决。", state: .onAgenda,
            createdAt: now.addingTimeInterval(-12 * day), rule: rule[.community]!)
        lockers.submittedAt = now.addingTimeInterval(-12 * day + 600)
        lockers.coSigners = signers(8, from: now.addingTimeInterval(-11 * day))
        lockers.agendaAt = lockers.coSigners.last?.at
        seeds.append(lockers)
        // Placed on the agenda by the organiser five weeks ago, then put to the owners' vote on the maintenance fund.
        var fund = TopicSeed(
            placeKind: .community, placeID: community.id, proposerUserID: neighbours[5], title: liftFund,
            body: "1 号楼电梯使用近二十年，近半年多次困人。建议使用专项维修资金整体更换，依法由业主共同表决。", state: .onAgenda,
            createdAt: now.addingTimeInterval(-50 * day), rule: rule[.community]!)
        fund.submittedAt = now.addingTimeInterval(-50 * day + 600)
        fund.coSigners = signers(3, from: now.addingTimeInterval(-48 * day))
        fund.agendaAt = now.addingTimeInterval(-40 * day)
        fund.placedByOrganiser = true
        seeds.append(fund)

        // Archived: the window ended below the threshold.
        var dogs = TopicSeed(
            placeKind: .community, placeID: community.id, proposerUserID: neighbours[5], title: "设立宠物活动区",
            body: "建议在小区空地划出宠物活动区，规范遛狗时间，减少纠纷。", state: .archived,
            createdAt: now.addingTimeInterval(-45 * day), rule: rule[.community]!)
        dogs.submittedAt = now.addingTimeInterval(-45 * day + 600)
        dogs.coSigners = signers(2, from: now.addingTimeInterval(-44 * day))
        dogs.archiveReason = .expired
        dogs.archivedAt = dogs.submittedAt!.addingTimeInterval(30 * day)
        seeds.append(dogs)

        // Withdrawn by its proposer, and a draft the demo resident is still writing.
        var bins = TopicSeed(
            placeKind: .building, placeID: building.id, proposerUserID: residentID, title: "垃圾桶挪到楼后",
            body: "楼门口的垃圾桶夏天有异味，建议挪到楼后空地。", state: .archived,
            createdAt: now.addingTimeInterval(-15 * day), rule: rule[.building]!)
        bins.submittedAt = now.addingTimeInterval(-15 * day + 600)
        bins.archiveReason = .withdrawn
        bins.archivedAt = now.addingTimeInterval(-12 * day)
        seeds.append(bins)
        seeds.append(
            TopicSeed(
                placeKind: .building, placeID: building.id, proposerUserID: residentID, title: "楼道安装感应灯",
                body: "楼道晚上太黑，建议每层安装声控感应灯。", state: .draft, createdAt: now.addingTimeInterval(-1 * day),
                rule: rule[.building]!))

        var ids: [String: Int64] = [:]
        for seed in seeds { ids[seed.title] = try await bulk.add(seed).id }
        return (seeds.count, ids[parcelLockers], ids[liftFund])
    }
}
