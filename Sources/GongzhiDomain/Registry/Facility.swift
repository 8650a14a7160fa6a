import Foundation

/// The big classes of urban components (城市部件) in GB/T 30428.2 (数字化城市管理信息系统 第2部分：管理部件和事件),
/// two digits each. Raw values are the codes.
public enum ComponentMajorClass: String, CaseIterable, Codable, Sendable {
    case publicUtilities = "01"
    case roadsAndTraffic = "02"
    case cityscape = "03"
    case greenery = "04"
    case buildingsAndLand = "05"
    case other = "06"

    public var chineseName: String {
        switch self {
        case .publicUtilities: "公用设施"
        case .roadsAndTraffic: "道路交通"
        case .cityscape: "市容环境"
        case .greenery: "园林绿化"
        case .buildingsAndLand: "房屋土地"
        case .other: "其他设施"
        }
    }
}

/// A small class of urban component: the four-digit code (big class and small class) and its name as the standard
/// writes it. `ComponentClass.table` holds every small class of GB/T 30428.2-2013, whose codes are those of
/// CJ/T 214-2007, with the names of the 2013 edition, plus a few marked local extensions. It is data, kept in one
/// place, so a deployment's list can grow by adding lines.
public struct ComponentClass: Sendable, Equatable, Hashable, Codable {
    public var code: String
    public var name: String

    public var major: ComponentMajorClass { ComponentMajorClass(rawValue: String(code.prefix(2)))! }

    public static func named(_ code: String) -> ComponentClass? { table.first { $0.code == code } }

    /// The small classes, by big class, in the standard's order. Each name has an English `facility_class_<code>`
    /// in the registry's locale files.
    public static let table: [ComponentClass] = [
        // 01 公用设施
        .init(code: "0101", name: "上水井盖"), .init(code: "0102", name: "污水井盖"), .init(code: "0103", name: "雨水井盖"),
        .init(code: "0104", name: "雨水箅子"), .init(code: "0105", name: "电力井盖"), .init(code: "0106", name: "路灯井盖"),
        .init(code: "0107", name: "通讯井盖"), .init(code: "0108", name: "电视井盖"), .init(code: "0109", name: "网络井盖"),
        .init(code: "0110", name: "热力井盖"), .init(code: "0111", name: "燃气井盖"), .init(code: "0112", name: "公安井盖"),
        .init(code: "0113", name: "消防设施"), .init(code: "0114", name: "无主井盖"), .init(code: "0115", name: "通讯交接箱"),
        .init(code: "0116", name: "电力设施"), .init(code: "0117", name: "立杆"), .init(code: "0118", name: "路灯"),
        .init(code: "0119", name: "地灯"), .init(code: "0120", name: "景观灯"), .init(code: "0121", name: "报刊亭"),
        .init(code: "0122", name: "电话亭"), .init(code: "0123", name: "邮筒"), .init(code: "0124", name: "信息亭"),
        .init(code: "0125", name: "自动售货机"), .init(code: "0126", name: "健身设施"), .init(code: "0127", name: "中水井盖"),
        .init(code: "0128", name: "公交井盖"), .init(code: "0129", name: "输油（气）井盖"), .init(code: "0130", name: "特殊井盖"),
        .init(code: "0131", name: "民用水井"), .init(code: "0132", name: "供水器"), .init(code: "0133", name: "高压线铁塔"),
        .init(code: "0134", name: "变压器（箱）"), .init(code: "0135", name: "燃气调压站（箱）"), .init(code: "0136", name: "监控电子眼"),
        .init(code: "0137", name: "售货亭"), .init(code: "0138", name: "治安岗亭"),
        // Local extension, not in the standard: communities now register charging points, which the standard has no
        // class for. Like local systems (Beijing's, for one), extensions count down from 99 within the big class.
        .init(code: "0199", name: "充电桩"),
        // 02 道路交通
        .init(code: "0201", name: "停车场"), .init(code: "0202", name: "停车咪表"), .init(code: "0203", name: "公交站亭"),
        .init(code: "0204", name: "出租车站牌"), .init(code: "0205", name: "过街天桥"), .init(code: "0206", name: "地下通道"),
        .init(code: "0207", name: "高架立交桥"), .init(code: "0208", name: "跨河桥"), .init(code: "0209", name: "交通标志牌"),
        .init(code: "0210", name: "交通信号灯"), .init(code: "0211", name: "交通护栏"), .init(code: "0212", name: "存车支架"),
        .init(code: "0213", name: "路名牌"), .init(code: "0214", name: "交通信号设施"), .init(code: "0215", name: "道路信息显示屏"),
        .init(code: "0216", name: "道路隔音屏"), .init(code: "0217", name: "交通岗亭"),
        // 03 市容环境
        .init(code: "0301", name: "公共厕所"), .init(code: "0302", name: "化粪池"), .init(code: "0303", name: "公厕指示牌"),
        .init(code: "0304", name: "垃圾间（楼）"), .init(code: "0305", name: "垃圾箱"), .init(code: "0306", name: "灯箱霓虹灯"),
        .init(code: "0307", name: "广告牌匾"), .init(code: "0308", name: "环保监测站"), .init(code: "0309", name: "气象监测站"),
        .init(code: "0310", name: "污水口监测站"),
        // 04 园林绿化 (0407 is 坐椅 in the standard, not the commoner 座椅)
        .init(code: "0401", name: "古树名木"), .init(code: "0402", name: "行道树"), .init(code: "0403", name: "护树设施"),
        .init(code: "0404", name: "花架花钵"), .init(code: "0405", name: "绿地"), .init(code: "0406", name: "雕塑"),
        .init(code: "0407", name: "街头坐椅"), .init(code: "0408", name: "绿地护栏"), .init(code: "0409", name: "绿地维护设施"),
        .init(code: "0410", name: "喷泉"),
        // 05 房屋土地
        .init(code: "0501", name: "宣传栏"), .init(code: "0502", name: "人防工事"), .init(code: "0503", name: "地下室"),
        // Local extension, not in the standard, counted down from 99 like 0199: where facilities registered under an
        // earlier table's "房屋" class went (migration 0065), as the standard has no class for a building as such.
        .init(code: "0599", name: "其他房屋"),
        // 06 其他设施
        .init(code: "0601", name: "重大危险源"), .init(code: "0602", name: "工地"), .init(code: "0603", name: "水域附属设施"),
        .init(code: "0604", name: "水域护栏"), .init(code: "0605", name: "港监设施"), .init(code: "0606", name: "防汛墙"),
    ]
}

/// A facility's state. Raw values name locale keys (`facility_state_<raw>`).
public enum FacilityState: String, CaseIterable, Codable, Sendable {
    case inUse = "in_use"
    case damaged, lost, removed
    case underRepair = "under_repair"

    public var chineseName: String {
        switch self {
        case .inUse: "完好"
        case .damaged: "损坏"
        case .lost: "丢失"
        case .removed: "已拆除"
        case .underRepair: "维修中"
        }
    }
}

/// A public facility (部件) of the registry: its code, class, point and the grid it lies in, and its state.
public struct Facility: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var communityID: Int64
    /// The grid that holds its point, or the community when no grid's boundary does.
    public var nodeID: Int64
    public var code: String
    public var classCode: String
    public var note: String
    public var latitude: Double
    public var longitude: Double
    public var state: FacilityState
    public var version: Int

    public init(
        id: Int64, communityID: Int64, nodeID: Int64, code: String, classCode: String, note: String,
        latitude: Double, longitude: Double, state: FacilityState, version: Int = 1
    ) {
        self.id = id
        self.communityID = communityID
        self.nodeID = nodeID
        self.code = code
        self.classCode = classCode
        self.note = note
        self.latitude = latitude
        self.longitude = longitude
        self.state = state
        self.version = version
    }

    public var componentClass: ComponentClass? { ComponentClass.named(classCode) }
}

/// A facility as its form and the API give it.
public struct FacilityForm: Sendable, Equatable, Codable {
    public var code: String?
    public var classCode: String?
    public var note: String?
    public var lat: String?
    public var lng: String?
    public var state: String?
    /// The community or grid the facility is registered in; a grid whose boundary holds the point wins.
    public var node: String?

    enum CodingKeys: String, CodingKey {
        case code, note, lat, lng, state, node
        case classCode = "class_code"
    }

    public init(
        code: String? = nil, classCode: String? = nil, note: String? = nil, lat: String? = nil, lng: String? = nil,
        state: String? = nil, node: String? = nil
    ) {
        self.code = code
        self.classCode = classCode
        self.note = note
        self.lat = lat
        self.lng = lng
        self.state = state
        self.node = node
    }

    /// The checked facility: a code of 4–32 letters, digits or dashes (`facility_code_invalid`), and when it is the
    /// standard's 16 digits (district, big and small class, serial) its class digits must be the chosen class's
    /// (`facility_code_class_mismatch`); a known class (`facility_class_unknown`); a point inside China's box with
    /// both coordinates (`facility_point_invalid`); a known state (`facility_state_unknown`; in use when empty); a
    /// note of at most 200 characters; a place in the tree (`node_required`).
    public func draft() throws(DomainError) -> FacilityDraft {
        func text(_ value: String?) -> String {
            HalfWidth.fold(value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let code = text(code).uppercased()
        guard (4...32).contains(code.count),
            code.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter || $0 == "-") })
        else { throw .invalid("facility_code_invalid", field: "code") }
        let rawClass = text(classCode)
        guard let kind = ComponentClass.named(rawClass) ?? ComponentClass.table.first(where: { $0.name == rawClass })
        else { throw .invalid("facility_class_unknown", field: "class_code", args: [rawClass]) }
        if code.count == 16, code.allSatisfy(\.isNumber) {
            let classDigits = code.dropFirst(6).prefix(4)
            guard classDigits == kind.code else {
                throw .invalid("facility_code_class_mismatch", field: "code", args: [String(classDigits), kind.code])
            }
        }
        guard let lat = Double(text(lat)), let lng = Double(text(lng)), (3.0...54.0).contains(lat),
            (73.0...136.0).contains(lng)
        else { throw .invalid("facility_point_invalid", field: "lat") }
        var state = FacilityState.inUse
        let rawState = text(self.state)
        if !rawState.isEmpty {
            guard
                let value = FacilityState(rawValue: rawState)
                    ?? FacilityState.allCases.first(where: { $0.chineseName == rawState })
            else { throw .invalid("facility_state_unknown", field: "state", args: [rawState]) }
            state = value
        }
        let note = text(note)
        guard note.count <= 200 else { throw .invalid("facility_note_too_long", field: "note") }
        guard let node = Int64(text(node)) else { throw .invalid("node_required", field: "node") }
        return FacilityDraft(
            code: code, classCode: kind.code, note: note, latitude: lat, longitude: lng, state: state, nodeID: node)
    }
}

/// A checked facility, before the store places it in the grid holding its point.
public struct FacilityDraft: Sendable, Equatable, Codable {
    public var code: String
    public var classCode: String
    public var note: String
    public var latitude: Double
    public var longitude: Double
    public var state: FacilityState
    public var nodeID: Int64

    public init(
        code: String, classCode: String, note: String, latitude: Double, longitude: Double, state: FacilityState,
        nodeID: Int64
    ) {
        self.code = code
        self.classCode = classCode
        self.note = note
        self.latitude = latitude
        self.longitude = longitude
        self.state = state
        self.nodeID = nodeID
    }
}

/// Every change to a facility goes through the registry's facility writer as one of these.
public enum FacilityCommand: Sendable, Equatable {
    case create(FacilityDraft)
    case edit(FacilityDraft)

    public var action: String {
        switch self {
        case .create: "registry.facility.create"
        case .edit: "registry.facility.edit"
        }
    }
}
