import Foundation
import GongzhiDomain
import GongzhiStore

/// The deliberation world with a registry behind it, so votes have rolls: in the first building 1单元 101 (89.5 m²,
/// household H1: 张三 bound to `resident`, 李四 bound to the first neighbour, and their child 小明), 102 (89.5 m², H2:
/// 王五 bound to the second neighbour) and 201 (120 m², owned by 钱七 who lives elsewhere and has no account); in the
/// second building 101 (60 m², H3: 赵六 bound to `nextDoor`). Persons: 4 adults; households: 3; owners: 4 heads.
public struct VoteWorld: Sendable {
    public let deliberation: DeliberationWorld
    /// A second organiser, to sign paper boxes off with the worker.
    public let secondWorker: Actor
    /// 张三, 李四, 王五, 赵六, in that order, and the child.
    public let people: [Int64]
    public let child: Int64
    public var db: Database { deliberation.db }
    public var tree: SmallTree { deliberation.tree }
    public var worker: Actor { deliberation.worker }
    /// The bound residents, in the order of `people`.
    public var voters: [Actor] {
        [deliberation.resident, deliberation.neighbours[0], deliberation.neighbours[1], deliberation.nextDoor]
    }
    public static let t0 = DeliberationWorld.t0
    public static let hour: TimeInterval = 3600

    public static func make(_ db: Database) async throws -> VoteWorld {
        let d = try await DeliberationWorld.make(db)
        let tree = d.tree
        let registry = RegistryCommands(db: db, clock: .fixed(t0.addingTimeInterval(-86400)))
        let clerk = d.cases.worker
        var houses: [Int64] = []
        for (building, room, area) in [(0, "101", "89.5"), (0, "102", "89.5"), (0, "201", "120"), (1, "101", "60")] {
            houses.append(
                try await registry.registerHouse(
                    clerk,
                    try HouseForm(
                        building: "\(tree.buildings[building].id)", unit: "1单元", floor: String(room.prefix(1)),
                        room: room, area: area
                    ).draft()
                ).id)
        }
        func person(
            _ name: String, born: String, _ sequence: Int, phone: String?, building: Int, room: String,
            household: String, relation: String
        ) async throws -> Int64 {
            let form = PersonForm(
                name: name, idType: "居民身份证", idNumber: idNumber(born: born, sequence: sequence), phone: phone,
                building: "\(tree.buildings[building].id)", unit: "1单元", room: room, household: household,
                relation: relation, tags: nil)
            return try await registry.perform(
                clerk, person: nil, .register(try form.draft(today: CalendarDate(t0)))
            ).id
        }
        let zhang = try await person(
            "张三", born: "19800101", 12, phone: "13800000001", building: 0, room: "101", household: "H1",
            relation: "户主")
        let li = try await person(
            "李四", born: "19820202", 13, phone: "13800000002", building: 0, room: "101", household: "H1",
            relation: "配偶")
        let child = try await person(
            "小明", born: "20150303", 14, phone: nil, building: 0, room: "101", household: "H1", relation: "子女")
        let wang = try await person(
            "王五", born: "19750404", 15, phone: "13800000003", building: 0, room: "102", household: "H2",
            relation: "户主")
        let zhao = try await person(
            "赵六", born: "19900505", 16, phone: "13800000004", building: 1, room: "101", household: "H3",
            relation: "户主")
        let houseCommands = RegistryCommands(db: db, clock: .fixed(t0.addingTimeInterval(-86400)))
        for (house, owner, name) in [
            (houses[0], Optional(zhang), String?.none), (houses[1], wang, nil), (houses[2], nil, "钱七"),
            (houses[3], zhao, nil),
        ] {
            _ = try await houseCommands.perform(
                clerk, house: house,
                .addOwner(OwnerDraft(personID: owner, name: name, share: HouseShares.whole)))
        }
        let store = RegistryStore(db: db)
        let voters = [d.resident, d.neighbours[0], d.neighbours[1], d.nextDoor]
        for (i, (actor, phone)) in zip(voters, ["13800000001", "13800000002", "13800000003", "13800000004"])
            .enumerated()
        {
            let born = ["19800101", "19820202", "19750404", "19900505"][i]
            try await store.bindOwnRecord(
                actor, idNumber: idNumber(born: born, sequence: [12, 13, 15, 16][i]), phone: phone,
                homeNodeID: tree.buildings[i == 3 ? 1 : 0].id, clock: .fixed(t0.addingTimeInterval(-3600)))
        }
        let accounts = AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4))
        let user = try await accounts.createUser(
            .root, username: "worker2", displayName: "worker2", password: "correct horse battery staple",
            role: .communityWorker, nodeID: tree.community.id)
        guard let second = try await AccountStore(db: db).actor(for: user.id) else {
            throw CaseWorld.MissingActor(username: "worker2")
        }
        return VoteWorld(deliberation: d, secondWorker: second, people: [zhang, li, wang, zhao], child: child)
    }

    static func idNumber(born: String, sequence: Int) -> String {
        let body = "440305" + born + String(format: "%02d", sequence % 100) + "\((sequence % 5) * 2 + 1)"
        return body + String(ResidentIDNumber.checkCharacter(body)!)
    }

    public func commands(at date: Date = t0) -> VoteCommands { VoteCommands(db: db, clock: .fixed(date)) }
    public var store: VoteStore { VoteStore(db: db) }

    /// A proposal vote on the community drafted by the worker, open from `t0 + 1h` for two hours, and (by default)
    /// scheduled, its roll frozen.
    public func vote(
        basis: VotingBasis = .persons, secrecy: BallotSecrecy = .secret, kind: PollKind = .proposal,
        options: [String] = [], matter: OwnersMatter? = nil, proxies: ProxyRules = .none, results: Bool = false,
        scheduled: Bool = true
    ) async throws -> Vote {
        let c = commands()
        let draft = try await c.draft(
            worker,
            VotePlan(
                communityID: tree.community.id, title: "加装电梯表决", spec: try PollSpec(kind: kind, options: options),
                basis: basis, matter: matter ?? (basis == .owners ? .rebuild : nil), opensAt: Self.t0 + Self.hour,
                closesAt: Self.t0 + 3 * Self.hour, secrecy: secrecy, resultsBeforeClose: results, proxies: proxies))
        guard scheduled else { return draft }
        return try await c.perform(worker, draft.id, .schedule)
    }

    /// An instant inside the window.
    public static var during: Date { t0 + 2 * hour }
    /// The closing instant.
    public static var closing: Date { t0 + 3 * hour }
}
