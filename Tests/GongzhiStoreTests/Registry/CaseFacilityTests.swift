import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

/// A case's facility set, changed and cleared after filing, through the case writer (issue 12).
@Suite struct CaseFacilityTests {
    func lamp(_ code: String, node: Node) throws -> FacilityDraft {
        try FacilityForm(
            code: code, classCode: "0118", note: "南头街东侧", lat: "22.525", lng: "113.925", node: "\(node.id)"
        ).draft()
    }

    /// An actor backed by a real account (case events and audit entries name the user).
    func staff(_ db: Database, _ name: String, _ role: Role, at node: Node) async throws -> Actor {
        let user = try await AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4)).createUser(
            .root, username: name, displayName: name, password: "correct horse battery staple", role: role,
            nodeID: node.id)
        return try #require(try await AccountStore(db: db).actor(for: user.id))
    }

    @Test func staffSetChangeAndClearACasesFacilityWithATimelineLineAndAnAuditEntry() async throws {
        try await withTestDatabase { db in
            // given: two lamps, and a patrol event about neither
            let w = try await RegistryWorld.make(db)
            let first = try await w.commands.perform(
                w.gridWorker, facility: nil, .create(try lamp("LD-0001", node: w.tree.grid1)))
            let second = try await w.commands.perform(
                w.gridWorker, facility: nil, .create(try lamp("LD-0002", node: w.tree.grid1)))
            let patrol = try await staff(db, "patrol", .gridWorker, at: w.tree.grid1)
            let worker = try await staff(db, "worker", .communityWorker, at: w.tree.community)
            let cases = CaseCommands(db: db, clock: .fixed(RegistryWorld.t0))
            let filed = try await cases.submit(
                patrol,
                CaseSubmission(
                    kind: .event, channel: .patrol, title: "路灯不亮", description: "南头街东侧路灯夜间不亮",
                    nodeID: w.tree.grid1.id))
            // when: set by its code (any case), changed, then cleared
            let set = try await cases.perform(
                patrol, filed.id, .setFacility(code: "ld-0001"), expectedVersion: filed.version)
            let changed = try await cases.perform(worker, filed.id, .setFacility(code: "LD-0002"))
            let cleared = try await cases.perform(patrol, filed.id, .setFacility(code: ""))
            // then
            #expect(set.facilityID == first.id && changed.facilityID == second.id && cleared.facilityID == nil)
            let (events, audited) = try await db.read { sql in
                (
                    try await sql.raw(
                        "SELECT action, note FROM case_events WHERE case_id = \(bind: filed.id) ORDER BY id"
                    ).all().map {
                        "\(try $0.decode(column: "action", as: String.self)) \(try $0.decode(column: "note", as: String?.self) ?? "")"
                    },
                    try await sql.raw(
                        "SELECT action, before_state, after_state FROM audit_log WHERE action LIKE 'case.%facility' ORDER BY seq"
                    ).all().map {
                        "\(try $0.decode(column: "action", as: String.self)) \(try $0.decode(column: "before_state", as: String?.self) ?? "")>\(try $0.decode(column: "after_state", as: String?.self) ?? "")"
                    }
                )
            }
            #expect(events.suffix(3) == ["set_facility LD-0001", "set_facility LD-0002", "clear_facility "])
            #expect(
                audited == [
                    "case.set_facility >\(first.id)", "case.set_facility \(first.id)>\(second.id)",
                    "case.clear_facility \(second.id)>",
                ])
            // and the facility's cases follow
            var filter = CaseFilter(scope: .area)
            filter.facilityID = second.id
            #expect(try await CaseStore(db: db).list(filter, for: w.communityWorker, now: RegistryWorld.t0).isEmpty)
        }
    }

    @Test func anUnknownCodeAStaleVersionAndOutsidersAreRefused() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            _ = try await w.commands.perform(
                w.gridWorker, facility: nil, .create(try lamp("LD-0001", node: w.tree.grid1)))
            let cases = CaseCommands(db: db, clock: .fixed(RegistryWorld.t0))
            let worker = try await staff(db, "worker", .communityWorker, at: w.tree.community)
            let outsider = try await staff(db, "other", .communityWorker, at: w.tree.otherCommunity)
            let otherGrid = try await staff(db, "grid2", .gridWorker, at: w.tree.grid2)
            let filed = try await cases.submit(
                worker,
                CaseSubmission(
                    kind: .event, channel: .patrol, title: "路灯不亮", description: "南头街东侧路灯夜间不亮",
                    nodeID: w.tree.grid1.id))
            // then
            await #expect(throws: DomainError.invalid("case_facility_unknown", field: "facility", args: ["LD-9999"])) {
                try await cases.perform(worker, filed.id, .setFacility(code: "LD-9999"))
            }
            await #expect(throws: DomainError.invalid("case_facility_none", field: "facility")) {
                try await cases.perform(worker, filed.id, .setFacility(code: ""))
            }
            await #expect(throws: DomainError(.conflict, "case_changed_meanwhile")) {
                try await cases.perform(
                    worker, filed.id, .setFacility(code: "LD-0001"), expectedVersion: filed.version + 5)
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await cases.perform(outsider, filed.id, .setFacility(code: "LD-0001"))
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await cases.perform(otherGrid, filed.id, .setFacility(code: "LD-0001"))
            }
        }
    }
}
