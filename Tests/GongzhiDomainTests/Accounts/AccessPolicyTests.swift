import Foundation
import GongzhiDomain
import Testing

/// Every action × every role × where the path lies from the grant: the grant's own node, inside its subtree, a
/// sibling whose id starts with the same digits, and an ancestor. The expectations are written out as tables, not
/// recomputed from the policy.
@Suite struct AccessPolicyTests {
    /// Where the asked-about path lies from a grant held at "/1/5/".
    enum Place: String, CaseIterable, Sendable {
        case atTheNode, inside, sibling, ancestor
        var path: String {
            switch self {
            case .atTheNode: "/1/5/"
            case .inside: "/1/5/23/"
            case .sibling: "/1/50/"  // "/1/50/" must not count as inside "/1/5/"
            case .ancestor: "/1/"
            }
        }
        var isInside: Bool { self == .atTheNode || self == .inside }
    }

    static let grantPath = "/1/5/"

    static func actor(_ role: Role) -> Actor {
        Actor(
            userID: 7, username: "u", grants: [RoleGrant(id: 1, userID: 7, role: role, nodeID: 5, nodePath: grantPath)])
    }

    static var allActions: [Action] {
        [.viewTree, .manageBodies, .readAudit, .configureCases, .exportTree]
            + NodeKind.allCases.map { Action.manageNode($0) }
    }

    /// Node kinds each role may manage inside its subtree.
    static let manageableKinds: [Role: Set<NodeKind>] = [
        .systemAdmin: Set(NodeKind.allCases), .districtAdmin: Set(NodeKind.allCases),
        .subdistrictAdmin: [.community, .village, .grid, .building], .communityWorker: [.grid, .building],
    ]

    static let administrators: Set<Role> = [.communityWorker, .subdistrictAdmin, .districtAdmin, .systemAdmin]

    /// What the policy promises, from the tables above.
    static func expected(_ role: Role, _ action: Action, _ place: Place) -> Bool {
        switch action {
        case .viewTree: return place != .sibling
        case .manageNode(let kind): return place.isInside && manageableKinds[role, default: []].contains(kind)
        case .manageBodies: return place.isInside && administrators.contains(role)
        case .readAudit: return place.isInside && role == .auditor
        case .configureCases: return place.isInside && [.subdistrictAdmin, .districtAdmin, .systemAdmin].contains(role)
        case .exportTree: return place.isInside && role != .resident
        }
    }

    @Test(arguments: Role.allCases, Place.allCases)
    func eachActionIsAllowedExactlyWhereTheTableSays(role: Role, place: Place) {
        // given
        let actor = Self.actor(role)
        for action in Self.allActions {
            // when
            let allowed = AccessPolicy.allows(actor, action, at: place.path)
            // then
            #expect(allowed == Self.expected(role, action, place), "\(role) \(action) at \(place)")
        }
    }

    @Test func anAuditorReadsTheAuditLogAndManagesNothing() {
        // given
        let auditor = Self.actor(.auditor)
        // when / then
        #expect(AccessPolicy.allows(auditor, .readAudit, at: Self.grantPath))
        #expect(!AccessPolicy.allows(auditor, .manageBodies, at: Self.grantPath))
    }

    @Test func anActorWithTwoGrantsMayDoWhatEitherAllowsAndTheFirstThatAllowsIsNamed() {
        // given: a grid worker in one community who is a community worker in another
        let actor = Actor(
            userID: 7, username: "u",
            grants: [
                RoleGrant(id: 1, userID: 7, role: .gridWorker, nodeID: 5, nodePath: "/1/5/"),
                RoleGrant(id: 2, userID: 7, role: .communityWorker, nodeID: 6, nodePath: "/1/6/"),
            ])
        // when / then
        #expect(AccessPolicy.allows(actor, .manageBodies, at: "/1/6/30/"))
        #expect(!AccessPolicy.allows(actor, .manageBodies, at: "/1/5/30/"))
        #expect(actor.grant(for: .manageBodies, at: "/1/6/30/")?.id == 2)
        #expect(actor.grant(for: .viewTree, at: "/1/")?.id == 1)
        #expect(actor.grant(for: .manageBodies, at: "/2/") == nil)
    }

    @Test func anActorWithoutGrantsMayDoNothing() {
        // given
        let nobody = Actor(userID: 7, username: "u", grants: [])
        // when / then
        for action in Self.allActions { #expect(!AccessPolicy.allows(nobody, action, at: "/1/")) }
        #expect(!AccessPolicy.allows(Actor.system, .viewTree, at: "/1/"))
    }
}
