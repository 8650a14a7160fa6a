import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct RegistryFacilitiesTests {
    /// grid1 covers 113.920–113.930, grid2 113.930–113.940 (latitudes 22.520–22.530).
    func bounded(_ w: RegistryWorld) async throws {
        let commands = JurisdictionCommands(db: w.db)
        try await commands.perform(
            .root, w.tree.grid1.id, .setBoundary(BoundaryStoreTests.box(113.92, 22.52, 113.93, 22.53)))
        try await commands.perform(
            .root, w.tree.grid2.id, .setBoundary(BoundaryStoreTests.box(113.93, 22.52, 113.94, 22.53)))
    }

    func lamp(_ code: String, lng: Double, node: Node, state: String = "in_use") throws -> FacilityDraft {
        try FacilityForm(
            code: code, classCode: "0118", note: "南头街东侧", lat: "22.525", lng: "\(lng)", state: state,
            node: "\(node.id)"
        ).draft()
    }

    @Test func aFacilityGoesToTheGridHoldingItsPointAndIsFoundByCodeOrClass() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            try await bounded(w)
            // when: the community worker registers two lamps at the community; each lands in its grid
            let a = try await w.commands.perform(
                w.communityWorker, facility: nil,
                .create(try lamp("4403050118000001", lng: 113.925, node: w.tree.community)))
            let b = try await w.commands.perform(
                w.communityWorker, facility: nil,
                .create(try lamp("4403050118000002", lng: 113.935, node: w.tree.community)))
            let cover = try await w.commands.perform(
                w.gridWorker, facility: nil,
                .create(
                    try FacilityForm(
                        code: "JG-0001", classCode: "污水井盖", lat: "22.521", lng: "113.921", node: "\(w.tree.grid1.id)"
                    )
                    .draft()))
            // then
            #expect(a.nodeID == w.tree.grid1.id && b.nodeID == w.tree.grid2.id && cover.nodeID == w.tree.grid1.id)
            func codes(_ q: String, _ actor: Actor) async throws -> [String] {
                var f = FacilityFilter()
                f.query = q
                return try await w.store.facilities(f, for: actor).items.map(\.facility.code).sorted()
            }
            #expect(try await codes("", w.gridWorker) == ["4403050118000001", "JG-0001"])
            #expect(try await codes("路灯", w.communityWorker) == ["4403050118000001", "4403050118000002"])
            #expect(try await codes("jg-", w.communityWorker) == ["JG-0001"])
            #expect(try await codes("东侧", w.communityWorker) == ["4403050118000001", "4403050118000002"])
            #expect(try await codes("", w.otherCommunityWorker) == [])
            // and the same code twice in the district is refused
            await #expect(throws: DomainError(.conflict, "facility_code_taken", field: "code")) {
                try await w.commands.perform(
                    w.communityWorker, facility: nil,
                    .create(try lamp("4403050118000001", lng: 113.925, node: w.tree.community)))
            }
            // and a grid worker cannot put one in the other grid
            await #expect(throws: DomainError.invalid("facility_point_other_grid", field: "lat", args: ["第二网格"])) {
                try await w.commands.perform(
                    w.gridWorker, facility: nil, .create(try lamp("4403050118000003", lng: 113.935, node: w.tree.grid1))
                )
            }
        }
    }

    @Test func aCaseAboutAFacilityIsListedOnItAndTheStateIsEdited() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            let made = try await w.commands.perform(
                w.gridWorker, facility: nil, .create(try lamp("LD-0001", lng: 113.925, node: w.tree.grid1)))
            // when: a patrol event about it, named by its code
            var submission = CaseSubmission(
                kind: .event, channel: .patrol, title: "路灯不亮", description: "南头街东侧路灯夜间不亮",
                nodeID: w.tree.grid1.id)
            submission.facilityCode = "ld-0001"
            let user = try await AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4)).createUser(
                .root, username: "patrol", displayName: "巡查员", password: "correct horse battery staple",
                role: .gridWorker, nodeID: w.tree.grid1.id)
            let patrol = try #require(try await AccountStore(db: db).actor(for: user.id))
            let filed = try await CaseCommands(db: db, clock: .fixed(RegistryWorld.t0)).submit(patrol, submission)
            // then
            #expect(filed.facilityID == made.id)
            var filter = CaseFilter(scope: .area)
            filter.facilityID = made.id
            let listed = try await CaseStore(db: db).list(filter, for: w.communityWorker, now: RegistryWorld.t0)
            #expect(listed.map(\.id) == [filed.id])
            // and an unknown code is refused beside the field, with no case written
            submission.facilityCode = "LD-9999"
            await #expect(throws: DomainError.invalid("case_facility_unknown", field: "facility", args: ["LD-9999"])) {
                _ = try await CaseCommands(db: db, clock: .fixed(RegistryWorld.t0)).submit(patrol, submission)
            }
            // and the lamp's state is edited with its version, audited before and after
            try await w.commands.perform(
                w.gridWorker, facility: made.id,
                .edit(try lamp("LD-0001", lng: 113.925, node: w.tree.grid1, state: "损坏")),
                expectedVersion: 1)
            let detail = try await w.store.facility(made.id, for: w.gridWorker)
            #expect(detail.summary.facility.state == .damaged && detail.version == 2)
            let audited = try await db.read { sql in
                try await sql.raw("SELECT before_state FROM audit_log WHERE action = 'registry.facility.edit'").first()?
                    .decode(column: "before_state", as: String.self)
            }
            #expect(audited?.contains("in_use") == true)
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await w.store.facility(made.id, for: w.otherGridWorker)
            }
        }
    }
}
