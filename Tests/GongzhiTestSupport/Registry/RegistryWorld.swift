import Foundation
import GongzhiDomain
import GongzhiStore

/// The small tree with houses in its first building (1单元 101, 102, 201 and 2单元 101) and the registry's staff:
/// the first grid's worker, the second grid's worker, the community worker and one of the other community.
public struct RegistryWorld: Sendable {
    public var db: Database
    public var tree: SmallTree
    public var houses: [House]
    public var gridWorker: Actor
    public var otherGridWorker: Actor
    public var communityWorker: Actor
    public var otherCommunityWorker: Actor
    public static let t0 = Date(timeIntervalSince1970: 1_780_000_000)
    public static var today: CalendarDate { CalendarDate(t0) }

    public static func make(_ db: Database) async throws -> RegistryWorld {
        let tree = try await SmallTree.make(db)
        let commands = RegistryCommands(db: db, clock: .fixed(t0))
        let worker = Actor.gridWorker(at: tree.grid1, userID: 11)
        var houses: [House] = []
        for (unit, room) in [("1单元", "101"), ("1单元", "102"), ("1单元", "201"), ("2单元", "101")] {
            houses.append(
                try await commands.registerHouse(
                    worker,
                    try HouseForm(
                        building: "\(tree.buildings[0].id)", unit: unit, floor: String(room.prefix(1)), room: room,
                        area: "89.5"
                    ).draft()))
        }
        return RegistryWorld(
            db: db, tree: tree, houses: houses, gridWorker: worker,
            otherGridWorker: .gridWorker(at: tree.grid2, userID: 12),
            communityWorker: .communityWorker(at: tree.community, userID: 13),
            otherCommunityWorker: .communityWorker(at: tree.otherCommunity, userID: 14))
    }

    public var store: RegistryStore { RegistryStore(db: db) }
    public var commands: RegistryCommands { RegistryCommands(db: db, clock: .fixed(Self.t0)) }

    /// A valid resident ID number for the birth date (`19800101`) and sex, with its check character.
    public static func idNumber(born: String = "19800101", sequence: Int = 12, sex: Sex = .male) -> String {
        let last = sex == .male ? (sequence % 5) * 2 + 1 : (sequence % 5) * 2
        let body = "440305" + born + String(format: "%02d", sequence % 100) + "\(last)"
        return body + String(ResidentIDNumber.checkCharacter(body)!)
    }

    /// A person's form in the first building, filled in the way a grid worker would.
    public func form(
        _ name: String, born: String = "19800101", sequence: Int = 12, sex: Sex = .male, phone: String? = nil,
        unit: String = "1单元", room: String = "101", household: String? = nil, relation: String? = nil,
        building: Node? = nil, tags: String? = nil
    ) -> PersonForm {
        PersonForm(
            name: name, idType: "居民身份证", idNumber: Self.idNumber(born: born, sequence: sequence, sex: sex),
            phone: phone, building: "\((building ?? tree.buildings[0]).id)", unit: unit, room: room,
            household: household, relation: relation, tags: tags)
    }

    @discardableResult
    public func register(_ form: PersonForm, by actor: Actor? = nil) async throws -> PersonOutcome {
        try await commands.perform(actor ?? gridWorker, person: nil, .register(try form.draft(today: Self.today)))
    }
}
