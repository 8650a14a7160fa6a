import Foundation
import GongzhiDomain
import GongzhiStore

/// The registry's world with real accounts for the care tests (visits and the cases they raise name their users): a
/// grid worker in each grid and a community worker, and people registered in the first and third buildings.
public struct CareWorld: Sendable {
    public var registry: RegistryWorld
    public var gridWorker: Actor
    public var otherGridWorker: Actor
    public var communityWorker: Actor
    public var db: Database { registry.db }
    public var tree: SmallTree { registry.tree }

    public static func make(_ db: Database) async throws -> CareWorld {
        let registry = try await RegistryWorld.make(db)
        let accounts = AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4))
        var actors: [Actor] = []
        for (name, role, node) in [
            ("grid1", Role.gridWorker, registry.tree.grid1), ("grid2", .gridWorker, registry.tree.grid2),
            ("community", .communityWorker, registry.tree.community),
        ] {
            let user = try await accounts.createUser(
                .root, username: name, displayName: "\(name)员", password: "correct horse battery staple", role: role,
                nodeID: node.id)
            actors.append(try await AccountStore(db: db).actor(for: user.id)!)
        }
        return CareWorld(
            registry: registry, gridWorker: actors[0], otherGridWorker: actors[1], communityWorker: actors[2])
    }

    public func commands(at date: Date = RegistryWorld.t0) -> CareCommands {
        CareCommands(db: db, clock: .fixed(date))
    }
    public var store: CareStore { CareStore(db: db) }

    /// Registers a person with `tags` in the first building (grid 1) or, with `inGrid2`, in the third (grid 2).
    @discardableResult
    public func person(
        _ name: String, sequence: Int, tags: String = "独居老人", inGrid2: Bool = false, residence: String? = nil,
        permitEnd: CalendarDate? = nil
    ) async throws -> Int64 {
        var form = registry.form(
            name, sequence: sequence, room: inGrid2 ? "" : "101", building: inGrid2 ? tree.buildings[2] : nil,
            tags: tags)
        if inGrid2 { form.unit = "" }
        if let residence {
            form.residenceStatus = residence
            form.permitStart = RegistryWorld.today.adding(days: -300).description
            form.permitEnd = permitEnd?.description
        }
        return try await registry.register(form, by: inGrid2 ? communityWorker : gridWorker).id
    }

    /// A group drawn from a tag, filled from it, by the community worker.
    public func group(
        _ name: String = "独居老人", tag: PersonTag? = .elderlyLivingAlone, frequencyDays: Int? = nil
    ) async throws -> Int64 {
        let id = try await commands().perform(
            communityWorker,
            .createGroup(
                community: tree.community.id, try CareGroupDraft(name: name, tag: tag, frequencyDays: frequencyDays))
        ).id
        if tag != nil { try await commands().perform(communityWorker, .addTagged(group: id)) }
        return id
    }
}
