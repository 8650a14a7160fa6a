import Foundation
import GongzhiDomain
import SQLKit

/// Demo cases: a category tree, handling units with routing rules, and about thirty cases per community in
/// every state of the loop, each with the timeline it would have had.
enum DemoCases {
    static let categories: [(String, [String])] = [
        ("环境卫生", ["垃圾清运", "乱堆乱放", "污水油烟"]),
        ("物业管理", ["电梯故障", "漏水渗水", "停车管理"]),
        ("公共设施", ["路灯照明", "道路破损", "井盖缺失"]),
        ("治安安全", ["消防隐患", "可疑人员", "电动车充电"]),
        ("邻里纠纷", ["噪音扰民", "宠物扰民", "房屋漏水纠纷"]),
    ]
    static let units = ["街道城市管理办公室", "街道城建办", "辖区派出所", "街道综治中心", "物业服务中心"]
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

    static func build(
        _ sql: any SQLDatabase, district: Node, communities: [Node], handlerID: Int64?, reporterID: Int64?,
        workerID: Int64?, now: Date, rng: inout SplitMix64
    ) async throws -> Int {
        var leaves: [(Int64, String)] = []
        for (index, (major, minors)) in categories.enumerated() {
            let parent = try await sql.raw(
                """
                INSERT INTO case_categories (node_id, parent_id, name, position) VALUES (\(bind: district.id), NULL, \(bind: major), \(bind: index)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            for (i, minor) in minors.enumerated() {
                let id = try await sql.raw(
                    """
                    INSERT INTO case_categories (node_id, parent_id, name, position) VALUES (\(bind: district.id), \(bind: parent), \(bind: minor), \(bind: i)) RETURNING id
                    """
                ).first()!.decode(column: "id", as: Int64.self)
                leaves.append((id, minor))
            }
        }
        var unitIDs: [Int64] = []
        for name in units {
            let id = try await sql.raw(
                """
                INSERT INTO units (node_id, name, created_at) VALUES (\(bind: district.id), \(bind: name), \(bind: now.epochMillis)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            unitIDs.append(id)
            if let handlerID {
                try await sql.raw(
                    "INSERT INTO unit_members (unit_id, user_id) VALUES (\(bind: id), \(bind: handlerID))"
                ).run()
            }
        }
        for (i, leaf) in leaves.enumerated() {
            try await sql.raw(
                """
                INSERT INTO routing_rules (node_id, category_id, unit_id, respond_hours, resolve_hours, working_time)
                VALUES (\(bind: district.id), \(bind: leaf.0), \(bind: unitIDs[i / 3 % unitIDs.count]), 4, \(bind: [24, 40, 72][i % 3]), 1)
                """
            ).run()
        }
        let calendar = WorkCalendar()
        let statuses: [(CaseStatus, Int)] = [
            (.submitted, 2), (.filed, 1), (.rejected, 1), (.dispatched, 2), (.handling, 3), (.reportedBack, 2),
            (.closed, 12),
        ]
        let bag = statuses.flatMap { Array(repeating: $0.0, count: $0.1) }
        var count = 0
        for community in communities {
            let buildings = try await sql.raw(
                """
                SELECT id, path, parent_id, latitude, longitude FROM nodes WHERE path >= \(bind: community.path) AND path < \(bind: NodePath.upperBound(community.path))
                AND kind = 'building' LIMIT 200
                """
            ).all().map {
                (
                    try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "path", as: String.self),
                    try $0.decode(column: "parent_id", as: Int64.self),
                    try $0.decode(column: "latitude", as: Double?.self),
                    try $0.decode(column: "longitude", as: Double?.self)
                )
            }
            guard !buildings.isEmpty else { continue }
            for _ in 0..<30 {
                let (category, minor) = leaves.randomElement(using: &rng)!
                let (nodeID, path, gridID, latitude, longitude) = buildings.randomElement(using: &rng)!
                let status = bag.randomElement(using: &rng)!
                let created = now.addingTimeInterval(-Double(Int.random(in: 3600...(90 * 86400), using: &rng)))
                let unit = unitIDs.randomElement(using: &rng)!
                let resolveBy = calendar.deadline(from: created.addingTimeInterval(3600), hours: 40, working: true)
                let dispatched = [.dispatched, .handling, .reportedBack, .closed].contains(status)
                let closedAt =
                    status == .closed || status == .rejected
                    ? min(now, created.addingTimeInterval(Double(Int.random(in: 7200...(12 * 86400), using: &rng))))
                    : nil
                let rating: CaseRating? =
                    status == .closed && Bool.random(using: &rng)
                    ? [.satisfied, .satisfied, .satisfied, .basicallySatisfied, .dissatisfied].randomElement(
                        using: &rng) : nil
                let isDispute = ["噪音扰民", "宠物扰民", "房屋漏水纠纷"].contains(minor) && Bool.random(using: &rng)
                let kind: CaseKind = isDispute ? .dispute : Int.random(in: 0..<4, using: &rng) == 0 ? .event : .appeal
                let grade: DisputeGrade? =
                    isDispute ? (Int.random(in: 0..<6, using: &rng) == 0 ? .serious : .ordinary) : nil
                let title = titles[minor]?.randomElement(using: &rng) ?? minor
                let id = try await sql.raw(
                    """
                    INSERT INTO cases (number, kind, channel, status, title, description, category_id, community_id, node_id, node_path,
                      reporter_user_id, is_public, unit_id, created_at, respond_by, resolve_by, closed_at, rating, updated_at, grid_id,
                      responded_at, dispute_grade, escalation_level, latitude, longitude)
                    VALUES (\(bind: "tmp-\(UUID().uuidString)"), \(bind: kind.rawValue), \(bind: kind == .event ? "patrol" : kind == .dispute ? "hotline" : "web"),
                      \(bind: status.rawValue), \(bind: title), \(bind: "\(community.name)居民反映：\(title)，希望尽快处理。"),
                      \(bind: status == .submitted ? nil : category), \(bind: community.id), \(bind: nodeID), \(bind: path),
                      \(bind: kind == .appeal ? (community.id == communities.first?.id ? reporterID : nil) : (community.id == communities.first?.id ? workerID : nil)), \(bind: Int.random(in: 0..<3, using: &rng) == 0 ? 1 : 0),
                      \(bind: dispatched ? unit : nil), \(bind: created.epochMillis),
                      \(bind: dispatched ? calendar.deadline(from: created.addingTimeInterval(3600), hours: 4, working: true).epochMillis : nil),
                      \(bind: dispatched ? resolveBy.epochMillis : nil), \(bind: closedAt?.epochMillis), \(bind: rating?.rawValue),
                      \(bind: (closedAt ?? created).epochMillis), \(bind: gridID),
                      \(bind: [.handling, .reportedBack, .closed].contains(status) ? created.addingTimeInterval(Double(Int.random(in: 1800...30000, using: &rng))).epochMillis : nil),
                      \(bind: grade?.rawValue), \(bind: grade?.watchLevel ?? 0), \(bind: latitude), \(bind: longitude))
                    RETURNING id
                    """
                ).first()!.decode(column: "id", as: Int64.self)
                let number =
                    "GZ" + WorkCalendar.dayKey(created).replacingOccurrences(of: "-", with: "")
                    + String(format: "-%06d", id)
                try await sql.raw("UPDATE cases SET number = \(bind: number) WHERE id = \(bind: id)").run()
                var steps: [(String, CaseStatus, String)] = [("submit", .submitted, "")]
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
                        try await sql.raw(
                            """
                            INSERT INTO mediation_sessions (case_id, community_id, at, method, mediator, parties, summary, agreement, outcome)
                            VALUES (\(bind: id), \(bind: community.id), \(bind: created.addingTimeInterval(86400).epochMillis), 'people',
                              '社区人民调解委员会', '相邻两户居民', '到场听取双方意见，讲解相关规定', '双方同意各让一步，按约定时段和方式处理', 'agreed')
                            """
                        ).run()
                        steps.append(("mediate", .handling, "people/agreed"))
                    }
                    if [.reportedBack, .closed].contains(status) {
                        steps.append(("report_back", .reportedBack, "已安排人员现场处理完毕"))
                    }
                    if status == .closed { steps.append(("verify", .closed, "现场核查已解决")) }
                    if let rating { steps.append(("rate", .closed, rating.rawValue)) }
                }
                var previous: CaseStatus? = nil
                for (i, step) in steps.enumerated() {
                    let at =
                        closedAt.map {
                            created.addingTimeInterval(
                                $0.timeIntervalSince(created) * Double(i) / Double(max(1, steps.count - 1)))
                        }
                        ?? created.addingTimeInterval(Double(i) * 1800)
                    try await sql.raw(
                        """
                        INSERT INTO case_events (case_id, community_id, at, actor_user_id, action, from_status, to_status, note)
                        VALUES (\(bind: id), \(bind: community.id), \(bind: min(at, now).epochMillis), NULL, \(bind: step.0),
                          \(bind: previous?.rawValue), \(bind: step.1.rawValue), \(bind: step.2))
                        """
                    ).run()
                    previous = step.1
                }
                count += 1
            }
        }
        return count
    }
}
