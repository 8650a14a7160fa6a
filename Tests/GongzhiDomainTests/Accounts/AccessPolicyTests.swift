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
        [.manageUsers, .readAudit, .configureCases] + Role.allCases.map { Action.grantRole($0) }
    }

    /// Roles each role may grant inside its subtree. Nobody grants the auditor; the auditor grants nothing.
    static let grantable: [Role: Set<Role>] = [
        .systemAdmin: Set(Role.allCases).subtracting([.auditor]),
        .districtAdmin: [
            .resident, .buildingHead, .gridWorker, .supervisionMember, .departmentHandler, .communityWorker,
            .subdistrictAdmin,
        ],
        .subdistrictAdmin: [
            .resident, .buildingHead, .gridWorker, .supervisionMember, .departmentHandler, .communityWorker,
        ],
        .communityWorker: [.resident, .buildingHead, .gridWorker, .supervisionMember, .departmentHandler],
    ]

    static let administrators: Set<Role> = [.communityWorker, .subdistrictAdmin, .districtAdmin, .systemAdmin]

    /// What the policy promises, from the tables above.
    static func expected(_ role: Role, _ action: Action, _ place: Place) -> Bool {
        switch action {
        case .manageUsers: return place.isInside && administrators.contains(role)
        case .grantRole(let granted): return place.isInside && grantable[role, default: []].contains(granted)
        case .readAudit: return place.isInside && role == .auditor
        case .configureCases: return place.isInside && [.subdistrictAdmin, .districtAdmin, .systemAdmin].contains(role)
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

    @Test(arguments: Role.allCases, Place.allCases)
    func noRoleNotEvenTheSystemAdministratorMayGrantTheAuditorRole(role: Role, place: Place) {
        // given
        let actor = Self.actor(role)
        // when
        let allowed = AccessPolicy.allows(actor, .grantRole(.auditor), at: place.path)
        // then
        #expect(!allowed)
    }

    @Test func aSystemAdministratorAtTheTopStillCannotGrantTheAuditorRole() {
        // given
        let admin = Actor(
            userID: 1, username: "admin",
            grants: [
                RoleGrant(id: 1, userID: 1, role: .systemAdmin, nodeID: 0, nodePath: "/")
            ])
        // when / then
        #expect(!AccessPolicy.allows(admin, .grantRole(.auditor), at: "/1/"))
        #expect(!AccessPolicy.allows(Actor.commandLine, .grantRole(.auditor), at: "/1/"))
        #expect(AccessPolicy.allows(admin, .grantRole(.systemAdmin), at: "/1/"))
    }

    @Test func anAuditorGrantsNothingAndOnlyReadsTheAuditLog() {
        // given
        let auditor = Self.actor(.auditor)
        // when
        let granted = Role.allCases.filter { AccessPolicy.allows(auditor, .grantRole($0), at: Self.grantPath) }
        // then
        #expect(granted.isEmpty)
        #expect(AccessPolicy.allows(auditor, .readAudit, at: Self.grantPath))
        #expect(!AccessPolicy.allows(auditor, .manageUsers, at: Self.grantPath))
    }

    @Test func onlyTheCommandLineHandlesAuditorAccounts() {
        // given
        let admin = Self.actor(.systemAdmin)
        // when / then
        #expect(AccessPolicy.mayHandleAuditors(.commandLine))
        #expect(!AccessPolicy.mayHandleAuditors(admin))
        #expect(!AccessPolicy.mayHandleAuditors(Self.actor(.auditor)))
        #expect(!AccessPolicy.mayHandleAuditors(.system))
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
        #expect(AccessPolicy.allows(actor, .manageUsers, at: "/1/6/30/"))
        #expect(!AccessPolicy.allows(actor, .manageUsers, at: "/1/5/30/"))
        #expect(actor.grant(for: .manageUsers, at: "/1/6/30/")?.id == 2)
        #expect(actor.grant(for: .manageUsers, at: "/2/") == nil)
    }

    @Test func anActorWithoutGrantsMayDoNothing() {
        // given
        let nobody = Actor(userID: 7, username: "u", grants: [])
        // when / then
        for action in Self.allActions { #expect(!AccessPolicy.allows(nobody, action, at: "/1/")) }
    }
}
