import Foundation
import GongzhiDomain
import GongzhiStore

/// Demo cases: a category tree, the units that handle each category with two handlers each, the routing rules
/// between them, and about thirty cases per community in every state of the loop, each with the timeline it would
/// have had.
enum DemoCases {
    static let categories: [(String, [String])] = [
        ("环境卫生", ["垃圾清运", "乱堆乱放", "污水油烟"]),
        ("物业管理", ["电梯故障", "漏水渗水", "停车管理"]),
        ("公共设施", ["路灯照明", "道路破损", "井盖缺失"]),
        ("治安安全", ["消防隐患", "可疑人员", "电动车充电"]),
        ("邻里纠纷", ["噪音扰民", "宠物扰民", "房屋漏水纠纷"]),
    ]

    /// A handling unit and the accounts that share its work.
    struct Unit: Sendable {
        let name: String
        /// Usernames of its handlers; `department` is the demo's one department-handler account per role.
        let handlers: [String]
        /// What the unit's handlers are called, followed by their number.
        let handlerTitle: String
    }

    static let units: [Unit] = [
        Unit(name: "街道城市管理办公室", handlers: ["department", "chengguan2"], handlerTitle: "城管办经办人"),
        Unit(name: "街道城建办", handlers: ["chengjian1", "chengjian2"], handlerTitle: "城建办经办人"),
        Unit(name: "街道环卫所", handlers: ["huanwei1", "huanwei2"], handlerTitle: "环卫所经办人"),
        Unit(name: "辖区派出所", handlers: ["police1", "police2"], handlerTitle: "派出所民警"),
        Unit(name: "街道应急管理办公室", handlers: ["yingji1", "yingji2"], handlerTitle: "应急办经办人"),
        Unit(name: "街道综治中心", handlers: ["zongzhi1", "zongzhi2"], handlerTitle: "综治中心调解员"),
        Unit(name: "物业服务中心", handlers: ["wuye1", "wuye2"], handlerTitle: "物业客服"),
    ]

    /// Where each category goes and how soon (working hours to respond and to resolve): lamps, roads and manholes to
    /// city management and construction, refuse to sanitation, order and noise to the police, fire risks to
    /// emergency management, disputes to the mediation centre, building matters to the property service (issue 10).
    static let routes: [String: (unit: String, respond: Int, resolve: Int)] = [
        "垃圾清运": ("街道环卫所", 4, 24), "乱堆乱放": ("街道城市管理办公室", 4, 48),
        "污水油烟": ("街道城市管理办公室", 4, 72),
        "电梯故障": ("物业服务中心", 2, 24), "漏水渗水": ("物业服务中心", 4, 72), "停车管理": ("物业服务中心", 4, 24),
        "路灯照明": ("街道城市管理办公室", 4, 48), "道路破损": ("街道城建办", 4, 72), "井盖缺失": ("街道城建办", 2, 24),
        "消防隐患": ("街道应急管理办公室", 2, 24), "可疑人员": ("辖区派出所", 1, 8),
        "电动车充电": ("街道应急管理办公室", 2, 24),
        "噪音扰民": ("辖区派出所", 2, 24), "宠物扰民": ("辖区派出所", 4, 72), "房屋漏水纠纷": ("街道综治中心", 4, 120),
    ]

    static let titles: [String: [String]] = [
        "垃圾清运": ["垃圾桶满了没人清", "小区门口垃圾堆积"], "乱堆乱放": ["楼道堆满杂物", "单车乱停堵路"],
        "污水油烟": ["餐馆油烟太大", "下水道返味"], "电梯故障": ["电梯经常停运", "电梯按钮失灵"],
        "漏水渗水": ["楼顶漏水", "外墙渗水"], "停车管理": ["消防通道被占", "车位被长期占用"],
        "路灯照明": ["路灯不亮", "楼道灯坏了"], "道路破损": ["人行道砖松动", "路面坑洼积水"],
        "井盖缺失": ["井盖破损有危险", "雨水箅子丢失"], "消防隐患": ["灭火器过期", "楼道私拉电线"],
        "可疑人员": ["夜间有陌生人徘徊"], "电动车充电": ["电动车在楼道充电", "飞线充电"],
        "噪音扰民": ["深夜装修噪音", "广场舞音响太大"], "宠物扰民": ["狗整夜叫", "遛狗不牵绳"],
        "房屋漏水纠纷": ["楼上漏水到我家协商不成"],
    ]

    static let disputes: Set<String> = ["噪音扰民", "宠物扰民", "房屋漏水纠纷"]

    /// A leaf category with the rule that routes it.
    struct Route {
        let categoryID: Int64
        let name: String
        let rule: RoutingRule
    }

    /// Categories, units with their members (user ids by username) and one rule per leaf category, at the district.
    static func setUp(_ setup: CaseSetupBulk, district: Node, userIDs: [String: Int64]) async throws -> [Route] {
        var unitIDs: [String: Int64] = [:]
        for unit in units {
            let id = try await setup.addUnit(unit.name, at: district).id
            unitIDs[unit.name] = id
            for handler in unit.handlers {
                if let user = userIDs[handler] { try await setup.addMember(user, to: id) }
            }
        }
        var out: [Route] = []
        for (index, (major, minors)) in categories.enumerated() {
            let parent = try await setup.addCategory(major, at: district, position: index)
            for (i, minor) in minors.enumerated() {
                let category = try await setup.addCategory(minor, at: district, under: parent.id, position: i)
                guard let route = routes[minor], let unitID = unitIDs[route.unit] else { continue }
                let rule = try await setup.setRule(
                    at: district, categoryID: category.id, unitID: unitID, respondHours: route.respond,
                    resolveHours: route.resolve)
                out.append(Route(categoryID: category.id, name: minor, rule: rule))
            }
        }
        return out
    }

    /// A community and its buildings with their points, as the demo placed them.
    struct Place {
        let community: Node
        let buildings: [(node: Node, latitude: Double, longitude: Double)]
    }

    static func build(
        _ bulk: CaseBulk, places: [Place], routes: [Route], reporterID: Int64?, workerID: Int64?, now: Date,
        rng: inout SplitMix64
    ) async throws -> Int {
        let statuses: [(CaseStatus, Int)] = [
            (.submitted, 2), (.filed, 1), (.rejected, 1), (.dispatched, 2), (.handling, 3), (.reportedBack, 2),
            (.closed, 12),
        ]
        let bag = statuses.flatMap { Array(repeating: $0.0, count: $0.1) }
        var count = 0
        for (placeIndex, place) in places.enumerated() where !place.buildings.isEmpty {
            // The demo's resident and grid worker live and work in the first community: their cases are theirs.
            let first = placeIndex == 0
            for _ in 0..<30 {
                let route = routes.randomElement(using: &rng)!
                let status = bag.randomElement(using: &rng)!
                let created = now.addingTimeInterval(-Double(Int.random(in: 3600...(90 * 86400), using: &rng)))
                var seed = Self.seed(
                    place: place, route: route, status: status, created: created, now: now, mediation: true,
                    rng: &rng)
                seed.reporterUserID = first ? (seed.kind == .appeal ? reporterID : workerID) : nil
                try await bulk.add(seed)
                count += 1
            }
        }
        return count
    }

    /// One case of `route`'s category at a random building of `place`, in `status`, reported at `created`, with the
    /// timeline, deadlines and rating it would have had by `now`. Without `mediation` it is never a dispute (disputes
    /// carry mediation sessions, which the multi-row writer leaves to the one-by-one path).
    static func seed(
        place: Place, route: Route, status: CaseStatus, created: Date, now: Date, mediation: Bool,
        rng: inout SplitMix64
    ) -> CaseSeed {
        let calendar = WorkCalendar()
        let community = place.community
        let building = place.buildings.randomElement(using: &rng)!
        let dispatched = [.dispatched, .handling, .reportedBack, .closed].contains(status)
        let closedAt =
            status == .closed || status == .rejected
            ? min(now, created.addingTimeInterval(Double(Int.random(in: 7200...(12 * 86400), using: &rng))))
            : nil
        let rating: CaseRating? =
            status == .closed && Bool.random(using: &rng)
            ? [.satisfied, .satisfied, .satisfied, .basicallySatisfied, .dissatisfied].randomElement(
                using: &rng) : nil
        let isDispute = mediation && disputes.contains(route.name) && Bool.random(using: &rng)
        let kind: CaseKind = isDispute ? .dispute : Int.random(in: 0..<4, using: &rng) == 0 ? .event : .appeal
        let grade: DisputeGrade? =
            isDispute ? (Int.random(in: 0..<6, using: &rng) == 0 ? .serious : .ordinary) : nil
        let title = titles[route.name]?.randomElement(using: &rng) ?? route.name
        let isPublic = Int.random(in: 0..<3, using: &rng) == 0
        let respondedAt =
            [.handling, .reportedBack, .closed].contains(status)
            ? created.addingTimeInterval(Double(Int.random(in: 1800...30000, using: &rng))) : nil

        var steps: [(String, CaseStatus, String)] = [("submit", .submitted, "")]
        var sessions: [MediationSession] = []
        switch status {
        case .submitted: break
        case .rejected: steps.append(("reject", .rejected, "不属于社区受理范围，已告知居民向有关部门反映"))
        default:
            steps.append(("file", .filed, ""))
            if dispatched { steps.append(("dispatch", .dispatched, "")) }
            if [.handling, .reportedBack, .closed].contains(status) {
                steps.append(("accept_handling", .handling, ""))
            }
            if isDispute, [.reportedBack, .closed].contains(status) {
                sessions.append(
                    MediationSession(
                        at: created.addingTimeInterval(86400), method: .people, mediator: "社区人民调解委员会",
                        parties: "相邻两户居民", summary: "到场听取双方意见，讲解相关规定", agreement: "双方同意各让一步，按约定时段和方式处理",
                        outcome: .agreed))
                steps.append(("mediate", .handling, "people/agreed"))
            }
            if [.reportedBack, .closed].contains(status) {
                steps.append(("report_back", .reportedBack, "已安排人员现场处理完毕"))
            }
            if status == .closed { steps.append(("verify", .closed, "现场核查已解决")) }
            if let rating { steps.append(("rate", .closed, rating.rawValue)) }
        }
        var events: [CaseSeed.Event] = []
        var previous: CaseStatus? = nil
        for (i, step) in steps.enumerated() {
            let at =
                closedAt.map {
                    created.addingTimeInterval(
                        $0.timeIntervalSince(created) * Double(i) / Double(max(1, steps.count - 1)))
                }
                ?? created.addingTimeInterval(Double(i) * 1800)
            events.append(
                CaseSeed.Event(action: step.0, from: previous, to: step.1, at: min(at, now), note: step.2))
            previous = step.1
        }

        var seed = CaseSeed(
            kind: kind, channel: kind == .event ? .patrol : kind == .dispute ? .hotline : .web, status: status,
            title: title, description: "\(community.name)居民反映：\(title)，希望尽快处理。",
            categoryID: status == .submitted ? nil : route.categoryID, place: building.node, createdAt: created,
            events: events)
        seed.latitude = building.latitude
        seed.longitude = building.longitude
        seed.isPublic = isPublic
        seed.disputeGrade = grade
        seed.mediations = sessions
        seed.closedAt = closedAt
        seed.rating = rating
        seed.respondedAt = respondedAt
        if dispatched {
            // Sent where the category's rule sends it, with the rule's deadlines from an hour after filing.
            let rule = route.rule
            seed.unitID = rule.unitID
            seed.respondBy = calendar.deadline(
                from: created.addingTimeInterval(3600), hours: rule.respondHours, working: rule.workingTime)
            seed.resolveBy = calendar.deadline(
                from: created.addingTimeInterval(3600), hours: rule.resolveHours, working: rule.workingTime)
        }
        return seed
    }
}
