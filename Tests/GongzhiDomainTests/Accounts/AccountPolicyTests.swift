import Foundation
import GongzhiDomain
import Testing

/// Every role × where the account lies from the actor's grant × the role the account holds, for every capability;
/// then granting, auditors (三员分立), one's own account and the account's state. The expectations are written
/// out as tables, not recomputed from the policy.
@Suite struct AccountPolicyTests {
    typealias Place = PolicyPlace

    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func actor(_ role: Role) -> Actor {
        Actor(
            userID: 7, username: "u", grants: [RoleGrant(id: 1, userID: 7, role: role, nodeID: 5, nodePath: "/1/5/")])
    }

    static func user(_ id: Int64 = 8, disabled: Bool = false, mustChange: Bool = false) -> User {
        User(
            id: id, username: "target", displayName: "目标", createdAt: now, disabledAt: disabled ? now : nil,
            mustChangePassword: mustChange)
    }

    static func holding(_ role: Role, at place: Place, userID: Int64 = 8) -> AccountContext {
        AccountContext(grants: [RoleGrant(id: 40, userID: userID, role: role, nodeID: 23, nodePath: place.path)])
    }

    /// Roles that manage the accounts of their subtree.
    static let managers: Set<Role> = [.communityWorker, .subdistrictAdmin, .districtAdmin, .systemAdmin]

    /// Roles each role may grant (and revoke, and reset the holders of) inside its subtree. Nobody grants the
    /// auditor; the auditor grants nothing.
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

    /// What the policy promises for an account holding `held` at `place`, from the tables above.
    static func expected(_ role: Role, _ place: Place, _ held: Role) -> Set<AccountCapability> {
        guard place.isInside, managers.contains(role) else { return [] }
        var out: Set<AccountCapability> = [.view]
        if grantable[role, default: []].contains(held) {
            out.formUnion([.resetPassword, .requirePasswordChange, .revoke(grantID: 40)])
        }
        if held != .auditor { out.insert(.disable) }
        out.formUnion(grantable[role, default: []].map { .grant($0) })
        return out
    }

    @Test(arguments: Role.allCases, Place.allCases)
    func eachCapabilityIsOfferedExactlyWhereTheTableSays(role: Role, place: Place) {
        for held in Role.allCases {
            // given
            let context = Self.holding(held, at: place)
            // when
            let offered = AccountPolicy.capabilities(of: Self.actor(role), on: Self.user(), in: context)
            // then
            #expect(offered == Self.expected(role, place, held), "\(role) on a \(held) at \(place)")
        }
    }

    @Test(arguments: Role.allCases, Place.allCases)
    func commandsAreRefusedAsNotFoundOutsideAndForbiddenInside(role: Role, place: Place) {
        for held in Role.allCases {
            for capability in [AccountCapability.resetPassword, .requirePasswordChange, .disable, .enable] {
                // given
                let context = Self.holding(held, at: place)
                let visible = place.isInside && Self.managers.contains(role)
                let allowed =
                    visible
                    && ([.disable, .enable].contains(capability)
                        ? held != .auditor : Self.grantable[role, default: []].contains(held))
                // when
                let outcome = Result { () throws(DomainError) -> Role in
                    try AccountPolicy.require(capability, of: Self.actor(role), on: Self.user(), in: context)
                }
                // then
                let expectation: Result<Role, DomainError> =
                    allowed ? .success(role) : .failure(visible ? .forbidden : .outsideJurisdiction)
                #expect(outcome == expectation, "\(role) \(capability) on a \(held) at \(place)")
            }
        }
    }

    @Test(arguments: Role.allCases, Place.allCases)
    func aRoleIsGrantedOnlyBelowOnesRankInsideOnesSubtree(role: Role, place: Place) {
        for granted in Role.allCases {
            // given: an account inside the actor's subtree, and the node the role would be held at
            var context = Self.holding(.resident, at: .inside)
            context.nodePath = place.path
            // when
            let outcome = Result { () throws(DomainError) -> Role in
                try AccountPolicy.require(.grant(granted), of: Self.actor(role), on: Self.user(), in: context)
            }
            // then: an invisible account or node answers like a missing one
            let expectation: Result<Role, DomainError> =
                if !Self.managers.contains(role) || place == .sibling {
                    .failure(.outsideJurisdiction)
                } else if place.isInside && Self.grantable[role, default: []].contains(granted) {
                    .success(role)
                } else {
                    .failure(.forbidden)
                }
            #expect(outcome == expectation, "\(role) grants \(granted) at \(place)")
        }
    }

    @Test func aNewAccountsFirstRoleFollowsTheGrantingTable() {
        // given
        for role in Role.allCases {
            // when
            let offered = AccountPolicy.capabilities(of: Self.actor(role), on: nil, in: AccountContext())
            // then
            #expect(offered == Set(Self.grantable[role, default: []].map { .create($0) }), "\(role)")
        }
    }

    @Test func onlyTheCommandLineCreatesResetsDisablesOrGrantsAnAuditor() throws {
        // given: a system administrator at the top and an auditor's account at the district
        let admin = Actor(
            userID: 1, username: "admin",
            grants: [RoleGrant(id: 1, userID: 1, role: .systemAdmin, nodeID: 0, nodePath: "/")])
        let auditor = Self.holding(.auditor, at: .atTheNode)
        var atDistrict = AccountContext(nodePath: "/1/")
        // when / then
        for capability in [AccountCapability.resetPassword, .requirePasswordChange, .disable, .enable] {
            #expect(throws: DomainError.forbidden) {
                try AccountPolicy.require(capability, of: admin, on: Self.user(), in: auditor)
            }
            #expect(
                try AccountPolicy.require(capability, of: .commandLine, on: Self.user(), in: auditor) == .systemAdmin)
        }
        #expect(throws: DomainError.forbidden) {
            try AccountPolicy.require(.create(.auditor), of: admin, on: nil, in: atDistrict)
        }
        #expect(try AccountPolicy.require(.create(.auditor), of: .commandLine, on: nil, in: atDistrict) == .systemAdmin)
        atDistrict.grants = Self.holding(.communityWorker, at: .inside).grants
        #expect(throws: DomainError.forbidden) {
            try AccountPolicy.require(.grant(.auditor), of: admin, on: Self.user(), in: atDistrict)
        }
        #expect(!AccountPolicy.grantableRoles(admin).contains(.auditor))
        #expect(AccountPolicy.grantableRoles(.commandLine).contains(.auditor))
        #expect(AccountPolicy.grantableRoles(Self.actor(.auditor)).isEmpty)
    }

    @Test func anAuditorManagesNoAccountAndTheServerNothing() {
        // given
        let context = Self.holding(.resident, at: .inside)
        // when / then
        for actor in [Self.actor(.auditor), Actor.system] {
            #expect(AccountPolicy.capabilities(of: actor, on: Self.user(), in: context).isEmpty)
            #expect(throws: DomainError.outsideJurisdiction) {
                try AccountPolicy.require(.view, of: actor, on: Self.user(), in: context)
            }
        }
    }

    @Test func onOnesOwnAccountOnlyTokensNeverResetOrDisable() throws {
        // given: a community worker looking at their own account
        let worker = Self.actor(.communityWorker)
        let own = Self.holding(.communityWorker, at: .atTheNode, userID: 7)
        let me = Self.user(7)
        // when
        let offered = AccountPolicy.capabilities(of: worker, on: me, in: own)
        // then
        #expect(offered.isSuperset(of: [.view, .createToken, .revokeToken]))
        #expect(offered.isDisjoint(with: [.resetPassword, .requirePasswordChange, .disable, .enable]))
        #expect(throws: DomainError.forbidden) { try AccountPolicy.require(.disable, of: worker, on: me, in: own) }
        // Nor grants or revokes a role of their own, not even a lesser one.
        #expect(!offered.contains { if case .grant = $0 { true } else if case .revoke = $0 { true } else { false } })
        var atHome = own
        atHome.nodePath = "/1/5/23/"
        #expect(throws: DomainError.forbidden) {
            try AccountPolicy.require(.grant(.gridWorker), of: worker, on: me, in: atHome)
        }
        // A resident manages nobody but still sees their own account, for their tokens.
        let resident = Actor(
            userID: 9, username: "r",
            grants: [RoleGrant(id: 2, userID: 9, role: .resident, nodeID: 30, nodePath: "/1/5/23/30/")])
        let home = Self.holding(.resident, at: .inside, userID: 9)
        #expect(AccountPolicy.capabilities(of: resident, on: Self.user(9), in: home) == [.createToken, .revokeToken])
        #expect(throws: DomainError.outsideJurisdiction) {
            try AccountPolicy.require(
                .createToken, of: resident, on: Self.user(), in: Self.holding(.resident, at: .inside))
        }
        // Someone else's token: an administrator is refused, the command line may.
        let other = Self.holding(.gridWorker, at: .inside)
        #expect(throws: DomainError.forbidden) {
            try AccountPolicy.require(.createToken, of: Self.actor(.systemAdmin), on: Self.user(), in: other)
        }
        #expect(try AccountPolicy.require(.createToken, of: .commandLine, on: Self.user(), in: other) == .systemAdmin)
    }

    @Test func pagesOfferOnlyStepsTheStateAllows() throws {
        // given
        let admin = Self.actor(.subdistrictAdmin)
        let context = Self.holding(.gridWorker, at: .inside)
        // when
        let active = AccountPolicy.capabilities(of: admin, on: Self.user(), in: context)
        let disabled = AccountPolicy.capabilities(
            of: admin, on: Self.user(disabled: true, mustChange: true), in: context)
        // then
        #expect(active.contains(.disable) && !active.contains(.enable) && active.contains(.requirePasswordChange))
        #expect(
            disabled.contains(.enable) && !disabled.contains(.disable) && !disabled.contains(.requirePasswordChange))
        // Repeating a state is no refusal: the store makes it a no-op.
        #expect(try AccountPolicy.require(.enable, of: admin, on: Self.user(), in: context) == .subdistrictAdmin)
    }

    @Test func anAccountHeldInTwoPlacesNeedsTheActorInBothAndTheHighestRoleIsAudited() throws {
        // given: a grid worker inside the actor's community who also works in a sibling community
        let worker = Self.actor(.communityWorker)
        let context = AccountContext(grants: [
            RoleGrant(id: 40, userID: 8, role: .gridWorker, nodeID: 23, nodePath: "/1/5/23/"),
            RoleGrant(id: 41, userID: 8, role: .communityWorker, nodeID: 50, nodePath: "/1/50/"),
        ])
        let twoAdmins = Actor(
            userID: 7, username: "u",
            grants: [
                RoleGrant(id: 1, userID: 7, role: .communityWorker, nodeID: 5, nodePath: "/1/5/"),
                RoleGrant(id: 2, userID: 7, role: .subdistrictAdmin, nodeID: 1, nodePath: "/1/"),
            ])
        // when / then
        #expect(throws: DomainError.forbidden) {
            try AccountPolicy.require(.disable, of: worker, on: Self.user(), in: context)
        }
        #expect(AccountPolicy.capabilities(of: worker, on: Self.user(), in: context).contains(.revoke(grantID: 40)))
        #expect(!AccountPolicy.capabilities(of: worker, on: Self.user(), in: context).contains(.revoke(grantID: 41)))
        #expect(try AccountPolicy.require(.disable, of: twoAdmins, on: Self.user(), in: context) == .subdistrictAdmin)
    }

    @Test func aResidentIsFoundThroughTheirHomeAsWellAsTheirGrants() throws {
        // given: an account with no grant left, living inside the actor's subtree
        let context = AccountContext(homePath: "/1/5/23/30/")
        // when / then
        #expect(
            AccountPolicy.capabilities(of: Self.actor(.communityWorker), on: Self.user(), in: context).contains(.view))
        #expect(throws: DomainError.forbidden) {
            try AccountPolicy.require(.disable, of: Self.actor(.communityWorker), on: Self.user(), in: context)
        }
        #expect(try AccountPolicy.require(.disable, of: .commandLine, on: Self.user(), in: context) == .systemAdmin)
    }

    @Test func aResidentWhoForgotTheirPasswordIsResetByTheManagersWhereTheyLive() throws {
        // given: a resident (no role anywhere) living at a building inside /1/5/
        let inside = AccountContext(homePath: "/1/5/23/30/")
        let outside = AccountContext(homePath: "/1/6/31/")
        // when / then: the community's workers and the administrators above reset it, and may require a change
        for role in [Role.communityWorker, .subdistrictAdmin, .districtAdmin, .systemAdmin] {
            #expect(
                try AccountPolicy.require(.resetPassword, of: Self.actor(role), on: Self.user(), in: inside) == role)
            #expect(
                AccountPolicy.capabilities(of: Self.actor(role), on: Self.user(), in: inside).isSuperset(
                    of: [.resetPassword, .requirePasswordChange]))
        }
        // nobody else does, and nobody outside learns the account exists
        for role in [Role.gridWorker, .buildingHead, .departmentHandler, .supervisionMember, .auditor, .resident] {
            #expect(
                !AccountPolicy.capabilities(of: Self.actor(role), on: Self.user(), in: inside).contains(.resetPassword))
        }
        #expect(throws: DomainError.outsideJurisdiction) {
            try AccountPolicy.require(.resetPassword, of: Self.actor(.communityWorker), on: Self.user(), in: outside)
        }
    }
}
