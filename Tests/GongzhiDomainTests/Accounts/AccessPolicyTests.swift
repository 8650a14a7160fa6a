import Foundation
import GongzhiDomain
import Testing

/// The actions left outside the modules' own policies (audit, case set-up) × every role × where the path lies from the grant: the grant's own node, inside its subtree, a
/// sibling whose id starts with the same digits, and an ancestor. The expectations are written out as tables, not
/// recomputed from the policy.
@Suite struct AccessPolicyTests {
    typealias Place = PolicyPlace

    static let grantPath = "/1/5/"

    static func actor(_ role: Role) -> Actor {
        Actor(
            userID: 7, username: "u", grants: [RoleGrant(id: 1, userID: 7, role: role, nodeID: 5, nodePath: grantPath)])
    }

    static var allActions: [Action] { [.readAudit, .configureCases] }

    /// What the policy promises, from the tables above.
    static func expected(_ role: Role, _ action: Action, _ place: Place) -> Bool {
        switch action {
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

    @Test func anActorWithTwoGrantsMayDoWhatEitherAllowsAndTheFirstThatAllowsIsNamed() {
        // given: a community worker in one sub-district who administers another
        let actor = Actor(
            userID: 7, username: "u",
            grants: [
                RoleGrant(id: 1, userID: 7, role: .communityWorker, nodeID: 5, nodePath: "/1/5/"),
                RoleGrant(id: 2, userID: 7, role: .subdistrictAdmin, nodeID: 6, nodePath: "/1/6/"),
            ])
        // when / then
        #expect(AccessPolicy.allows(actor, .configureCases, at: "/1/6/30/"))
        #expect(!AccessPolicy.allows(actor, .configureCases, at: "/1/5/30/"))
        #expect(actor.grant(for: .configureCases, at: "/1/6/30/")?.id == 2)
        #expect(actor.grant(for: .configureCases, at: "/2/") == nil)
    }

    @Test func anActorWithoutGrantsMayDoNothing() {
        // given
        let nobody = Actor(userID: 7, username: "u", grants: [])
        // when / then
        for action in Self.allActions { #expect(!AccessPolicy.allows(nobody, action, at: "/1/")) }
    }
}
