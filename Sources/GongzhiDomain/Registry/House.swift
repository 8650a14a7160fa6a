import Foundation

/// How a house (房屋) is used: the grid's count of owner-occupied, rented and vacant homes. Raw values name the
/// locale keys (`house_use_<raw>`).
public enum HouseUse: String, CaseIterable, Codable, Sendable {
    case ownerOccupied = "owner_occupied"
    case rented, vacant

    public var chineseName: String {
        switch self {
        case .ownerOccupied: "自住"
        case .rented: "出租"
        case .vacant: "空置"
        }
    }
}

/// A house: one room of a building (楼栋 · 单元 · 房号), with its floor, use and floor area. Owners' votes by area
/// read the area, so it is kept exactly, in hundredths of a square metre.
public struct House: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var communityID: Int64
    public var buildingID: Int64
    /// Empty for a building without units.
    public var unit: String
    public var floor: Int?
    public var room: String
    public var use: HouseUse
    public var areaCenti: Int?
    public var version: Int

    public init(
        id: Int64, communityID: Int64, buildingID: Int64, unit: String = "", floor: Int? = nil, room: String,
        use: HouseUse = .ownerOccupied, areaCenti: Int? = nil, version: Int = 1
    ) {
        self.id = id
        self.communityID = communityID
        self.buildingID = buildingID
        self.unit = unit
        self.floor = floor
        self.room = room
        self.use = use
        self.areaCenti = areaCenti
        self.version = version
    }

    /// `2单元 301` or `301` as a door reads.
    public var label: String { unit.isEmpty ? room : "\(unit)-\(room)" }

    /// The area as written, `89.50`.
    public var areaText: String? {
        areaCenti.map { String(format: "%d.%02d", $0 / 100, $0 % 100) }
    }
}

/// A house as the form and the API give it, checked by `draft()`.
public struct HouseForm: Sendable, Equatable, Codable {
    public var building: String?
    public var unit: String?
    public var floor: String?
    public var room: String?
    public var use: String?
    public var area: String?

    public init(
        building: String? = nil, unit: String? = nil, floor: String? = nil, room: String? = nil, use: String? = nil,
        area: String? = nil
    ) {
        self.building = building
        self.unit = unit
        self.floor = floor
        self.room = room
        self.use = use
        self.area = area
    }

    /// The checked house: a building (`building_required`), a room of at most 20 characters (`room_required`,
    /// `room_too_long`), a unit of at most 20, a floor from -5 to 200 (`floor_invalid`), a known use
    /// (`house_use_unknown`) and an area over 0 and under 100,000 m² with at most two decimals (`area_invalid`).
    public func draft() throws(DomainError) -> HouseDraft {
        func text(_ value: String?) -> String {
            HalfWidth.fold(value ?? "").trimmedWhitespace
        }
        guard let building = Int64(text(building)) else { throw .invalid("building_required", field: "building") }
        let room = text(room)
        guard !room.isEmpty else { throw .invalid("room_required", field: "room") }
        guard room.count <= 20 else { throw .invalid("room_too_long", field: "room") }
        let unit = text(unit)
        guard unit.count <= 20 else { throw .invalid("unit_too_long", field: "unit") }
        var floorNumber: Int?
        if !text(floor).isEmpty {
            guard let value = Int(text(floor)), (-5...200).contains(value) else {
                throw .invalid("floor_invalid", field: "floor")
            }
            floorNumber = value
        }
        var use = HouseUse.ownerOccupied
        if !text(self.use).isEmpty {
            guard
                let value = HouseUse(rawValue: text(self.use))
                    ?? HouseUse.allCases.first(where: {
                        $0.chineseName == text(self.use)
                    })
            else { throw .invalid("house_use_unknown", field: "use", args: [text(self.use)]) }
            use = value
        }
        let area = try Self.centi(text(area))
        return HouseDraft(buildingID: building, unit: unit, floor: floorNumber, room: room, use: use, areaCenti: area)
    }

    /// `89.5` → 8950; empty → nil.
    static func centi(_ text: String) throws(DomainError) -> Int? {
        guard !text.isEmpty else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]), whole >= 0, whole < 100_000 else {
            throw .invalid("area_invalid", field: "area")
        }
        var fraction = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...2).contains(digits.count), let value = Int(digits) else {
                throw .invalid("area_invalid", field: "area")
            }
            fraction = digits.count == 1 ? value * 10 : value
        }
        let centi = whole * 100 + fraction
        guard centi > 0 else { throw .invalid("area_invalid", field: "area") }
        return centi
    }
}

/// A checked house, before the store places it in its building's community.
public struct HouseDraft: Sendable, Equatable, Codable {
    public var buildingID: Int64
    public var unit: String
    public var floor: Int?
    public var room: String
    public var use: HouseUse
    public var areaCenti: Int?
}
