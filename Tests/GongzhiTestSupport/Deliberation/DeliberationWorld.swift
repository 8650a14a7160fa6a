import Foundation
import GongzhiDomain
import GongzhiStore

/// The case world plus neighbours to co-sign: two more residents of the first building, one of the second, and a
/// resident of another community. The first community's rules are small (building 2, estate 3, community 3, all
/// 10 days) so a test reaches a threshold in a few steps.
public struct DeliberationWorld: Sendable {
    public let cases: CaseWorld
    public let neighbours: [Actor]
    /// Lives in the second building of the same grid.
    public let nextDoor: Actor
    /// Lives in another community.
    public let outsider: Actor
    public var db: Database { cases.db }
    public var tree: SmallTree { cases.tree }
    public var resident: Actor { cases.resident }
    public var worker: Actor { cases.worker }
    public static let t0 = CaseWorld.t0
    public static let rule = CoSignatureRule(threshold: 2, windowDays: 10)

    public static func make(_ db: Database) async throws -> DeliberationWorld {
        let cases = try await CaseWorld.make(db)
        let tree = cases.tree
        let accounts = AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4))
        let store = AccountStore(db: db)
        func resident(_ name: String, at building: Int64) async throws -> Actor {
            let user = try await accounts.signUpResident(
                username: name, displayName: name, password: "correct horse battery staple", buildingID: building)
            guard let actor = try await store.actor(for: user.id) else { throw CaseWorld.MissingActor(username: name) }
            return actor
        }
        var neighbours: [Actor] = []
        for name in ["neighbour1", "neighbour2"] {
            neighbours.append(try await resident(name, at: tree.buildings[0].id))
        }
        let nextDoor = try await resident("nextdoor", at: tree.buildings[1].id)
        let jurisdiction = JurisdictionCommands(db: db)
        let grid = try await jurisdiction.add(.root, .grid, "大新第一网格", under: tree.otherCommunity.id)
        let building = try await jurisdiction.add(.root, .building, "大新1栋", under: grid.id)
        let outsider = try await resident("outsider", at: building.id)
        let commands = TopicCommands(db: db, clock: .fixed(t0.addingTimeInterval(-86400)))
        for kind in TopicScopeKind.allCases {
            try await commands.setCoSignatureRule(
                cases.worker, communityID: tree.community.id, kind: kind,
                rule: kind == .building ? rule : CoSignatureRule(threshold: 3, windowDays: 10))
        }
        return DeliberationWorld(cases: cases, neighbours: neighbours, nextDoor: nextDoor, outsider: outsider)
    }

    public func commands(at date: Date = t0) -> TopicCommands { TopicCommands(db: db, clock: .fixed(date)) }

    /// The resident's topic about the first building, as a draft or sent out for co-signatures.
    public func topic(submitted: Bool = true, at date: Date = t0) async throws -> Topic {
        let c = commands(at: date)
        let draft = try await c.raise(
            resident,
            TopicProposal(
                placeKind: .building, placeID: tree.buildings[0].id, title: "加装电梯",
                body: "1栋是老楼，老人上下楼不便，建议加装电梯，费用按楼层分摊。"))
        guard submitted else { return draft }
        return try await c.perform(resident, draft.id, .submit)
    }
}
