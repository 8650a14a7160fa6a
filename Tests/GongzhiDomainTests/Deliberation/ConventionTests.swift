import Foundation
import GongzhiDomain
import Testing

@Suite struct ConventionTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let worker = Actor(
        userID: 7, username: "worker",
        grants: [RoleGrant(id: 1, userID: 7, role: .communityWorker, nodeID: 5, nodePath: "/1/2/5/")])
    let sub = Actor(
        userID: 8, username: "sub",
        grants: [RoleGrant(id: 2, userID: 8, role: .subdistrictAdmin, nodeID: 2, nodePath: "/1/2/")])
    let resident = Actor(
        userID: 9, username: "resident",
        grants: [RoleGrant(id: 3, userID: 9, role: .resident, nodeID: 40, nodePath: "/1/2/5/40/")])

    @Test(arguments: [
        (["a", "b", "c"], ["a", "b", "c"], [DiffLine.same("a"), .same("b"), .same("c")]),
        ([], ["a"], [.added("a")]),
        (["a"], [], [.removed("a")]),
        (["a", "b", "c"], ["a", "x", "c"], [.same("a"), .removed("b"), .added("x"), .same("c")]),
        (["a", "b", "c", "d"], ["b", "c", "e"], [.removed("a"), .same("b"), .same("c"), .removed("d"), .added("e")]),
        (["一、爱护环境", "二、邻里和睦"], ["一、爱护环境", "二、邻里和睦", "三、文明养犬"], [.same("一、爱护环境"), .same("二、邻里和睦"), .added("三、文明养犬")]),
    ])
    func theDifferenceKeepsTheLongestCommonLines(_ a: [String], _ b: [String], _ expected: [DiffLine]) {
        #expect(LineDiff.diff(a, b) == expected)
    }

    @Test func theDifferenceReadsTextsByLine() {
        let d = LineDiff.diff(from: "第一条\n第二条\n第三条", to: "第一条\n第二条（修订）\n第三条")
        #expect(d == [.same("第一条"), .removed("第二条"), .added("第二条（修订）"), .same("第三条")])
    }

    @Test func versionsGoForwardAndEachIsFiledAndAcknowledgedOnce() throws {
        var c = Convention(id: 1, communityID: 5, kind: .residentsConvention, title: "居民公约")
        let day = CalendarDate("2026-12-01")!
        c = try ConventionWorkflow.transition(
            .addVersion(text: "一、爱护环境", resolutionID: 3, effectiveOn: day), of: c, by: worker, at: Self.t0
        ).next
        #expect(throws: DomainError.invalid("convention_version_unchanged", field: "text")) {
            try ConventionWorkflow.transition(
                .addVersion(text: " 一、爱护环境 ", resolutionID: nil, effectiveOn: day), of: c, by: worker, at: Self.t0)
        }
        #expect(throws: DomainError.invalid("convention_effective_invalid", field: "effective_on")) {
            try ConventionWorkflow.transition(
                .addVersion(text: "二", resolutionID: nil, effectiveOn: CalendarDate("2026-11-01")!), of: c, by: worker,
                at: Self.t0)
        }
        #expect(throws: DomainError.invalid("convention_text_required", field: "text")) {
            try ConventionWorkflow.transition(
                .addVersion(text: "  ", resolutionID: nil, effectiveOn: day), of: c, by: worker, at: Self.t0)
        }
        #expect(throws: DomainError(.conflict, "convention_not_filed")) {
            try ConventionWorkflow.transition(.acknowledge(number: 1), of: c, by: sub, at: Self.t0)
        }
        c = try ConventionWorkflow.transition(.file(number: 1), of: c, by: worker, at: Self.t0).next
        #expect(throws: DomainError(.conflict, "convention_filed_already")) {
            try ConventionWorkflow.transition(.file(number: 1), of: c, by: worker, at: Self.t0)
        }
        c = try ConventionWorkflow.transition(.acknowledge(number: 1), of: c, by: sub, at: Self.t0).next
        #expect(c.versions[0].acknowledgedBy == 8 && c.versions[0].filedBy == 7)
        #expect(throws: DomainError(.conflict, "convention_acknowledged_already")) {
            try ConventionWorkflow.transition(.acknowledge(number: 1), of: c, by: sub, at: Self.t0)
        }
        #expect(throws: DomainError.invalid("convention_version_unknown", field: "number")) {
            try ConventionWorkflow.transition(.file(number: 2), of: c, by: worker, at: Self.t0)
        }
        // A second version takes effect later; the first stays in force until then.
        c = try ConventionWorkflow.transition(
            .addVersion(text: "一、爱护环境\n二、文明养犬", resolutionID: nil, effectiveOn: CalendarDate("2027-01-01")!),
            of: c, by: worker, at: Self.t0
        ).next
        #expect(c.inForce(on: CalendarDate("2026-12-15")!)?.number == 1)
        #expect(c.inForce(on: CalendarDate("2027-01-01")!)?.number == 2)
        #expect(c.inForce(on: CalendarDate("2026-11-30")!) == nil)
    }

    @Test func anOwnersStatuteBelongsToAnEstate() {
        #expect(throws: DomainError.invalid("convention_estate_required", field: "estate")) {
            try Convention.validate(title: "管理规约", kind: .ownersStatute, estateID: nil)
        }
        #expect(throws: DomainError.invalid("convention_title_required", field: "title")) {
            try Convention.validate(title: " ", kind: .residentsConvention, estateID: nil)
        }
    }

    @Test func workersWriteAndFileTheSubDistrictAcknowledgesResidentsRead() {
        let path = "/1/2/5/"
        #expect(
            ConventionPolicy.capabilities(of: worker, path: path, actorInCommunity: false) == [
                .read, .addVersion, .file,
            ])
        #expect(ConventionPolicy.capabilities(of: sub, path: path, actorInCommunity: false) == [.read, .acknowledge])
        #expect(ConventionPolicy.capabilities(of: resident, path: path, actorInCommunity: true) == [.read])
        #expect(ConventionPolicy.capabilities(of: resident, path: path, actorInCommunity: false).isEmpty)
        #expect(throws: DomainError.forbidden) {
            try ConventionPolicy.require(.file, of: resident, path: path, actorInCommunity: true)
        }
        #expect(throws: DomainError.outsideJurisdiction) {
            try ConventionPolicy.require(.read, of: resident, path: path, actorInCommunity: false)
        }
    }
}
