import Foundation
import GongzhiDomain
import GongzhiStore

/// A small tree with a resident, a community worker, a grid worker and a department with one handler, a category
/// and a routing rule sending it to that department (2 working hours to respond, 16 to resolve). Shared by store and
/// web tests; the builders bring a case to any state through the real commands.
public struct CaseWorld: Sendable {
    public let db: Database
    public let tree: SmallTree
    public let resident: Actor
    public let worker: Actor
    public let gridWorker: Actor
    public let handler: Actor
    public let category: CaseCategory
    public let unit: HandlingUnit
    public static let t0 = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18, a Wednesday

    struct MissingActor: Error { let username: String }

    public static func make(_ db: Database) async throws -> CaseWorld {
        let tree = try await SmallTree.make(db)
        let accounts = AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4))
        let password = "correct horse battery staple"
        func actor(_ name: String, _ role: Role, _ node: Node) async throws -> Actor {
            let user =
                role == .resident
                ? try await accounts.signUpResident(
                    username: name, displayName: name, password: password, buildingID: node.id)
                : try await accounts.createUser(
                    .root, username: name, displayName: name, password: password, role: role, nodeID: node.id)
            guard let actor = try await AccountStore(db: db).actor(for: user.id) else {
                throw MissingActor(username: name)
            }
            return actor
        }
        let resident = try await actor("resident", .resident, tree.buildings[0])
        let worker = try await actor("worker", .communityWorker, tree.community)
        let gridWorker = try await actor("gridworker", .gridWorker, tree.grid1)
        let handler = try await actor("handler", .departmentHandler, tree.subdistrict)
        let setup = CaseSetup(db: db)
        let category = try await setup.createCategory(.root, nodeID: tree.district.id, parentID: nil, name: "市政设施")
        let unit = try await setup.createUnit(.root, nodeID: tree.subdistrict.id, name: "城建办")
        try await setup.addMember(.root, unitID: unit.id, userID: handler.userID)
        _ = try await setup.setRule(
            .root, nodeID: tree.district.id, categoryID: category.id, unitID: unit.id,
            respondHours: 2, resolveHours: 16, workingTime: true)
        return CaseWorld(
            db: db, tree: tree, resident: resident, worker: worker, gridWorker: gridWorker, handler: handler,
            category: category, unit: unit)
    }

    public func commands(at date: Date = t0) -> CaseCommands { CaseCommands(db: db, clock: .fixed(date)) }

    /// The resident's appeal about a street lamp at the first building, in the world's category.
    public func submit() async throws -> Case {
        try await commands().submit(
            resident,
            CaseSubmission(
                title: "路灯不亮", description: "1栋门口的路灯坏了三天", categoryID: category.id,
                nodeID: tree.buildings[0].id))
    }

    /// A new appeal taken to `status` by the people who take each step: the worker files and dispatches by the
    /// routing rule (or rejects), the handler accepts and reports back, the grid worker verifies (which closes it).
    public func `case`(in status: CaseStatus, at date: Date = t0) async throws -> Case {
        let submitted = try await submit()
        return try await advance(submitted, to: status, at: date)
    }

    /// An appeal closed and rated by its reporter.
    public func ratedCase(_ rating: CaseRating = .satisfied, at date: Date = t0) async throws -> Case {
        let closed = try await `case`(in: .closed, at: date)
        return try await commands(at: date).perform(resident, closed.id, .rate(rating, comment: "", reopen: false))
    }

    /// Takes `c` further round the loop until it reaches `status`; it must be on the way there.
    public func advance(_ c: Case, to status: CaseStatus, at date: Date = t0) async throws -> Case {
        let commands = commands(at: date)
        if status == .rejected { return try await commands.perform(worker, c.id, .reject(reason: "重复反映")) }
        // The next step from each status, and who takes it.
        let next: [CaseStatus: (Actor, CaseCommand)] = [
            .submitted: (worker, .file(categoryID: nil)),
            .filed: (worker, .dispatch(unitID: nil)),
            .dispatched: (handler, .acceptHandling),
            .handling: (handler, .reportBack(result: "已更换灯具")),
            .reportedBack: (gridWorker, .verify(passed: true, note: "现场已亮")),
        ]
        var current = c
        while current.status != status {
            guard let (actor, command) = next[current.status] else { throw NotOnTheWay(from: c.status, to: status) }
            current = try await commands.perform(actor, current.id, command)
        }
        return current
    }

    struct NotOnTheWay: Error { let from: CaseStatus, to: CaseStatus }
}
