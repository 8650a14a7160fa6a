import Foundation
import GongzhiDomain
import Testing

/// Every capability × every role × where the node lies from the grant (its own node, inside, a sibling whose id
/// starts with the same digits, an ancestor) × node kind. The expectations are written out as tables, not recomputed
/// from the policy.
@Suite struct JurisdictionPolicyTests {
    typealias Place = PolicyPlace

    static func actor(_ role: Role) -> Actor {
        Actor(userID: 7, username: "u", grants: [RoleGrant(id: 1, userID: 7, role: role, nodeID: 5, nodePath: "/1/5/")])
    }

    static func node(_ kind: NodeKind, at place: Place, closed: Bool = false) -> Node {
        Node(
            id: NodePath.ids(place.path).last!, kind: kind, name: "n", parentID: 1, path: place.path, communityID: 5,
            closedAt: closed ? Date(timeIntervalSince1970: 0) : nil)
    }

    /// Node kinds each role may create, rename, move and close inside its subtree.
    static let manageableKinds: [Role: Set<NodeKind>] = [
        .systemAdmin: Set(NodeKind.allCases), .districtAdmin: Set(NodeKind.allCases),
        .subdistrictAdmin: [.community, .village, .grid, .building], .communityWorker: [.grid, .building],
    ]

    static let bodyKeepers: Set<Role> = [.communityWorker, .subdistrictAdmin, .districtAdmin, .systemAdmin]

    /// What the policy promises for an open node with nothing open below it, from the tables above.
    static func expected(_ role: Role, _ capability: JurisdictionCapability, _ kind: NodeKind, _ place: Place) -> Bool {
        let manages = { (k: NodeKind) in place.isInside && manageableKinds[role, default: []].contains(k) }
        switch capability {
        case .view: return place != .sibling
        case .export: return place.isInside && role != .resident
        case .importRows: return manages(.building)
        case .createChild(let child): return manages(child)
        case .rename, .move, .close: return manages(kind)
        case .splitGrid, .mergeGrids, .editBoundary: return kind == .grid && manages(.grid)
        case .createBody, .manageEstates: return kind.isCommunityLevel && place.isInside && bodyKeepers.contains(role)
        case .assignEstate: return kind == .building && manages(.building)
        case .editBody: return false
        }
    }

    @Test(arguments: Role.allCases, Place.allCases)
    func eachCapabilityIsOfferedExactlyWhereTheTableSays(role: Role, place: Place) {
        for kind in NodeKind.allCases {
            // given
            let node = Self.node(kind, at: place)
            // when
            let offered = JurisdictionPolicy.capabilities(of: Self.actor(role), on: node, in: JurisdictionContext())
            // then
            for capability in JurisdictionCapability.all(for: kind) {
                #expect(
                    offered.contains(capability) == Self.expected(role, capability, kind, place),
                    "\(role) \(capability) on a \(kind) at \(place)")
            }
        }
    }

    @Test(arguments: Role.allCases, Place.allCases)
    func requireRefusesAsNotFoundOutsideAndAsForbiddenWhereTheNodeIsOnlySeen(role: Role, place: Place) {
        for kind in NodeKind.allCases {
            for capability in JurisdictionCapability.all(for: kind) {
                // given
                let node = Self.node(kind, at: place)
                // when
                let result = Result { () throws(DomainError) in
                    try JurisdictionPolicy.require(
                        capability, of: Self.actor(role), on: node, in: JurisdictionContext())
                }
                // then
                switch result {
                case .success(let granted): #expect(granted == role && Self.expected(role, capability, kind, place))
                case .failure(let error):
                    let expectedError: DomainError? =
                        place == .sibling
                        ? .outsideJurisdiction
                        : Self.expected(role, capability, kind, place) ? nil : .forbidden
                    // Allowed by role but not by the kind (e.g. splitting a community) is the kind's own error.
                    if let expectedError, error.kind != .invalid {
                        #expect(error == expectedError, "\(role) \(capability) on a \(kind) at \(place)")
                    } else {
                        #expect(error.kind == .invalid, "\(role) \(capability) on a \(kind) at \(place): \(error)")
                    }
                }
            }
        }
    }

    @Test func aClosedNodeIsAConflictForEveryChangeButStillSeenAndExported() throws {
        // given
        let admin = Self.actor(.districtAdmin)
        let closed = Self.node(.grid, at: .inside, closed: true)
        // when
        let offered = JurisdictionPolicy.capabilities(of: admin, on: closed, in: JurisdictionContext())
        // then
        #expect(offered == [.view, .export])
        #expect(throws: DomainError(.conflict, "node_already_closed")) {
            try JurisdictionPolicy.require(.rename, of: admin, on: closed, in: JurisdictionContext())
        }
        #expect(throws: DomainError.invalid("parent_closed", field: "parent")) {
            try JurisdictionPolicy.require(.createChild(.building), of: admin, on: closed, in: JurisdictionContext())
        }
    }

    @Test func aNodeClosesOnlyWithNothingOpenBelow() throws {
        // given
        let worker = Self.actor(.communityWorker)
        let grid = Self.node(.grid, at: .inside)
        // when / then
        #expect(throws: DomainError(.conflict, "node_has_open_children", args: ["2"])) {
            try JurisdictionPolicy.require(.close, of: worker, on: grid, in: JurisdictionContext(openChildren: 2))
        }
        #expect(
            !JurisdictionPolicy.capabilities(of: worker, on: grid, in: JurisdictionContext(openChildren: 2)).contains(
                .close))
        #expect(
            try JurisdictionPolicy.require(.close, of: worker, on: grid, in: JurisdictionContext()) == .communityWorker)
    }

    @Test(arguments: Role.allCases, Place.allCases)
    func bodiesAreKeptByTheCommunitysBodyKeepersWhileOpen(role: Role, place: Place) {
        // given
        let community = Self.node(.community, at: place)
        let body = Body(id: 1, communityID: community.id, kind: .workstation, name: "工作站")
        var closed = body
        closed.closedAt = Date(timeIntervalSince1970: 0)
        // when
        let open = JurisdictionPolicy.capabilities(of: Self.actor(role), on: body, in: community)
        let ofClosed = JurisdictionPolicy.capabilities(of: Self.actor(role), on: closed, in: community)
        // then
        let keeps = place.isInside && Self.bodyKeepers.contains(role)
        #expect(open.contains(.view) == (place != .sibling))
        #expect(open.contains(.editBody) == keeps)
        #expect(!ofClosed.contains(.editBody))
        if keeps {
            #expect(throws: DomainError(.conflict, "body_closed")) {
                try JurisdictionPolicy.require(.editBody, of: Self.actor(role), on: closed, in: community)
            }
        }
    }

    @Test func movingNeedsTheRightToPlaceTheNodeAtItsDestination() throws {
        // given: a community worker of /1/5/ moving a grid under a community of another subdistrict
        let worker = Self.actor(.communityWorker)
        let grid = Self.node(.grid, at: .inside)
        let elsewhere = Node(id: 60, kind: .community, name: "c", parentID: 50, path: "/1/50/60/", communityID: 60)
        let here = Node(id: 24, kind: .community, name: "c", parentID: 5, path: "/1/5/24/", communityID: 24)
        // when / then
        #expect(throws: DomainError.outsideJurisdiction) {
            try JurisdictionPolicy.requireMove(grid, to: elsewhere, by: worker)
        }
        try JurisdictionPolicy.requireMove(grid, to: here, by: worker)
        let below = Node(id: 30, kind: .grid, name: "g", parentID: 24, path: "/1/5/24/30/", communityID: 24)
        #expect(throws: DomainError.invalid("tree_cycle", field: "parent")) {
            try JurisdictionPolicy.requireMove(here, to: below, by: Self.actor(.districtAdmin))
        }
    }

    @Test func onlyASystemAdministratorCreatesATopDistrict() throws {
        #expect(try JurisdictionPolicy.requireCreateRoot(.commandLine) == .systemAdmin)
        #expect(throws: DomainError.forbidden) { try JurisdictionPolicy.requireCreateRoot(Self.actor(.districtAdmin)) }
    }

    @Test func nobodyWithoutGrantsSeesAnything() {
        #expect(!JurisdictionPolicy.mayView(Actor(userID: 7, username: "u", grants: []), at: "/1/"))
        #expect(!JurisdictionPolicy.mayView(.system, at: "/1/"))
        #expect(JurisdictionPolicy.mayView(Self.actor(.resident), at: "/1/"))
    }
}
