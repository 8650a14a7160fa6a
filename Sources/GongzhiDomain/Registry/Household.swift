import Foundation

/// A member's relation to the head of their household (与户主关系), as people write it. Raw values name the locale
/// keys (`relation_<raw>`).
public enum HouseholdRelation: String, CaseIterable, Codable, Sendable {
    case head, spouse, child, parent, grandparent, grandchild, sibling, other

    public var chineseName: String {
        switch self {
        case .head: "户主"
        case .spouse: "配偶"
        case .child: "子女"
        case .parent: "父母"
        case .grandparent: "祖父母"
        case .grandchild: "孙子女"
        case .sibling: "兄弟姐妹"
        case .other: "其他"
        }
    }
}

/// A household (户): the people registered or living together under one head, at one room.
public struct Household: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var communityID: Int64
    /// The household number (户号) from the household register or the import file, if any.
    public var number: String?
    public var headPersonID: Int64?
    public var address: RoomAddress
    /// Goes up by one with every change; a change against an older version is refused.
    public var version: Int

    public init(
        id: Int64, communityID: Int64, number: String? = nil, headPersonID: Int64? = nil,
        address: RoomAddress = RoomAddress(), version: Int = 1
    ) {
        self.id = id
        self.communityID = communityID
        self.number = number
        self.headPersonID = headPersonID
        self.address = address
        self.version = version
    }

    /// What the household rules need to know of each member.
    public struct Member: Sendable, Equatable {
        /// Names the member in an error (the import row or the person's id), passed back in `args`.
        public var label: String
        public var relation: HouseholdRelation?
        public var birthDate: CalendarDate?
        public init(label: String, relation: HouseholdRelation?, birthDate: CalendarDate?) {
            self.label = label
            self.relation = relation
            self.birthDate = birthDate
        }
    }

    /// The age from which a person may head a household (full civil capacity, Civil Code art. 17).
    public static let adultAge = 18

    /// A household's members are valid when: there is at least one (`household_empty`); every member's relation is
    /// given (`household_relation_missing`, naming the member); exactly one is the head (`household_no_head`,
    /// `household_several_heads`); at most one is the head's spouse (`household_several_spouses`); and the head is
    /// an adult on `today` by their birth date (`household_head_minor`; an unknown birth date is not refused here,
    /// the person's own check asks for it). All on the `relation` field.
    public static func validate(members: [Member], today: CalendarDate) throws(DomainError) {
        guard !members.isEmpty else { throw .invalid("household_empty", field: "relation") }
        if let missing = members.first(where: { $0.relation == nil }) {
            throw .invalid("household_relation_missing", field: "relation", args: [missing.label])
        }
        let heads = members.filter { $0.relation == .head }
        guard !heads.isEmpty else { throw .invalid("household_no_head", field: "relation") }
        guard heads.count == 1 else {
            throw .invalid("household_several_heads", field: "relation", args: heads.map(\.label))
        }
        let spouses = members.filter { $0.relation == .spouse }
        guard spouses.count <= 1 else {
            throw .invalid("household_several_spouses", field: "relation", args: spouses.map(\.label))
        }
        if let born = heads[0].birthDate, born.age(on: today) < adultAge {
            throw .invalid("household_head_minor", field: "relation", args: [heads[0].label])
        }
    }
}

/// Where in a building a person or household lives: the building node (楼栋, in the tree), its unit (单元) and room
/// (房号) as written on the door. Exact addresses are personal data: the store seals unit and room.
public struct RoomAddress: Sendable, Hashable, Codable {
    public var buildingID: Int64?
    public var unit: String?
    public var room: String?
    public init(buildingID: Int64? = nil, unit: String? = nil, room: String? = nil) {
        self.buildingID = buildingID
        self.unit = unit
        self.room = room
    }
}
