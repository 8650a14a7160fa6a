import Foundation
import GongzhiDomain
import GongzhiStore

extension Actor {
    /// A system administrator over the whole tree acting from the command line, for setting up fixtures
    /// (auditors included).
    public static let root = Actor(
        userID: 0, username: "root",
        grants: [
            RoleGrant(id: 0, userID: 0, role: .systemAdmin, nodeID: 0, nodePath: "/")
        ], principal: .commandLine)

    public static func with(_ role: Role, at node: Node, userID: Int64 = 99, username: String = "tester") -> Actor {
        Actor(
            userID: userID, username: username,
            grants: [
                RoleGrant(id: 0, userID: userID, role: role, nodeID: node.id, nodePath: node.path, nodeName: node.name)
            ])
    }
}

/// A small tree: one district, one subdistrict, two communities, two grids in the first with two buildings each.
public struct SmallTree: Sendable {
    public var district: Node
    public var subdistrict: Node
    public var community: Node
    public var otherCommunity: Node
    public var grid1: Node
    public var grid2: Node
    public var buildings: [Node]

    public static func make(_ db: Database) async throws -> SmallTree {
        let c = JurisdictionCommands(db: db)
        let district = try await c.add(.root, .district, "南山区", code: "440305", under: nil)
        let sub = try await c.add(.root, .subdistrict, "南头街道", code: "440305001", under: district.id)
        let community = try await c.add(.root, .community, "同乐社区", under: sub.id)
        let other = try await c.add(.root, .community, "大新社区", under: sub.id)
        let grid1 = try await c.add(.root, .grid, "第一网格", under: community.id)
        let grid2 = try await c.add(.root, .grid, "第二网格", under: community.id)
        var buildings: [Node] = []
        for (grid, names) in [(grid1, ["1栋", "2栋"]), (grid2, ["3栋", "4栋"])] {
            for name in names {
                buildings.append(try await c.add(.root, .building, name, under: grid.id))
            }
        }
        return SmallTree(
            district: district, subdistrict: sub, community: community, otherCommunity: other,
            grid1: grid1, grid2: grid2, buildings: buildings)
    }
}

extension Actor {
    /// One actor per role, holding that role at `node` (see `with(_:at:userID:username:)`).
    public static func resident(at node: Node, userID: Int64 = 99) -> Actor {
        .with(.resident, at: node, userID: userID)
    }
    public static func gridWorker(at node: Node, userID: Int64 = 99) -> Actor {
        .with(.gridWorker, at: node, userID: userID)
    }
    public static func communityWorker(at node: Node, userID: Int64 = 99) -> Actor {
        .with(.communityWorker, at: node, userID: userID)
    }
    public static func departmentHandler(at node: Node, userID: Int64 = 99) -> Actor {
        .with(.departmentHandler, at: node, userID: userID)
    }
    public static func subdistrictAdmin(at node: Node, userID: Int64 = 99) -> Actor {
        .with(.subdistrictAdmin, at: node, userID: userID)
    }
    public static func districtAdmin(at node: Node, userID: Int64 = 99) -> Actor {
        .with(.districtAdmin, at: node, userID: userID)
    }
    public static func auditor(at node: Node, userID: Int64 = 99) -> Actor { .with(.auditor, at: node, userID: userID) }
}
