import Foundation
import GongzhiDomain
import Testing

/// Every capability × every role × where the record lies from the grant held at "/1/5/". The expectations are a
/// table written out, not recomputed from the policy.
@Suite struct RegistryPolicyTests {
    static func actor(_ role: Role) -> Actor {
        Actor(userID: 7, username: "u", grants: [RoleGrant(id: 1, userID: 7, role: role, nodeID: 5, nodePath: "/1/5/")])
    }

    /// Who may do what inside their own subtree; nothing outside it.
    static let allowed: [RegistryCapability: Set<Role>] = [
        .view: [.gridWorker, .communityWorker, .subdistrictAdmin, .districtAdmin],
        .edit: [.gridWorker, .communityWorker],
        .review: [.communityWorker, .subdistrictAdmin, .districtAdmin],
        .reveal: [.gridWorker, .communityWorker, .subdistrictAdmin, .districtAdmin],
        .viewSensitiveTags: [.communityWorker, .subdistrictAdmin, .districtAdmin],
        .importRows: [.communityWorker, .subdistrictAdmin, .districtAdmin],
        .export: [.communityWorker, .subdistrictAdmin, .districtAdmin],
    ]

    @Test(arguments: Role.allCases, PolicyPlace.allCases)
    func everyRoleEverywhere(_ role: Role, _ place: PolicyPlace) {
        let actor = Self.actor(role)
        for capability in RegistryCapability.allCases {
            let expected = place.isInside && Self.allowed[capability]!.contains(role)
            #expect(
                RegistryPolicy.capabilities(of: actor, at: place.path).contains(capability) == expected,
                "\(capability) as \(role) at \(place)")
            let mayView = place.isInside && Self.allowed[.view]!.contains(role)
            do {
                let granted = try RegistryPolicy.require(capability, of: actor, at: place.path)
                #expect(expected && granted == role, "\(capability) as \(role) at \(place)")
            } catch {
                #expect(!expected, "\(capability) as \(role) at \(place)")
                #expect(error == (mayView ? DomainError.forbidden : DomainError.outsideJurisdiction))
            }
        }
    }

    @Test func aGridWorkerSeesOnlyTheirGrid() throws {
        let worker = Self.actor(.gridWorker)
        #expect(try RegistryPolicy.require(.edit, of: worker, at: "/1/5/23/") == .gridWorker)
        #expect(throws: DomainError.outsideJurisdiction) { try RegistryPolicy.require(.view, of: worker, at: "/1/6/") }
        #expect(throws: DomainError.forbidden) { try RegistryPolicy.require(.review, of: worker, at: "/1/5/") }
    }

    @Test func aRevealNeedsAReason() throws {
        let worker = Self.actor(.gridWorker)
        let granted = try RegistryPolicy.requireReveal(of: worker, at: "/1/5/", reason: "  回访核实  ")
        #expect(granted.role == .gridWorker && granted.reason == "回访核实")
        #expect(throws: DomainError.invalid("reveal_reason_required", field: "reason")) {
            try RegistryPolicy.requireReveal(of: worker, at: "/1/5/", reason: " 看 ")
        }
        #expect(throws: DomainError.outsideJurisdiction) {
            try RegistryPolicy.requireReveal(of: worker, at: "/1/6/", reason: "回访核实")
        }
    }

    @Test func theServerAndCallersSeeNothing() {
        #expect(RegistryPolicy.capabilities(of: .system, at: "/1/5/").isEmpty)
        #expect(RegistryPolicy.capabilities(of: .caller, at: "/1/5/").isEmpty)
        #expect(RegistryPolicy.capabilities(of: .commandLine, at: "/1/5/").isEmpty)
    }
}
