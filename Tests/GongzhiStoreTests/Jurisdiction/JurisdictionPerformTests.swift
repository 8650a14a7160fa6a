import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

/// The tree's one writer: every command writes its change, a history line and an audit entry naming the role that
/// allowed it; a refused or stale command changes nothing.
@Suite struct JurisdictionPerformTests {
    /// The newest audit entry's action and role, and how many entries there are.
    static func lastAudit(_ db: Database) async throws -> (action: String, role: String?, count: Int) {
        try await db.read { sql in
            let row = try await sql.raw("SELECT action, role FROM audit_log ORDER BY seq DESC LIMIT 1").first()!
            let count = try await sql.raw("SELECT COUNT(*) AS n FROM audit_log").first()!.decode(
                column: "n", as: Int.self)
            return (
                try row.decode(column: "action", as: String.self), try row.decode(column: "role", as: String?.self),
                count
            )
        }
    }

    @Test func eachNodeCommandWritesHistoryAndAnAuditEntryWithTheRole() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let c = JurisdictionCommands(db: db)
            let store = JurisdictionStore(db: db)
            let worker = Actor.communityWorker(at: tree.community)
            let start = try #require(try await store.node(tree.grid1.id)).version
            let steps: [(Int64, JurisdictionCommand, String, String)] = [
                (tree.grid1.id, .createChild(kind: .building, name: "5栋", code: nil), "node.create", "created"),
                (tree.grid1.id, .rename(name: "一网格"), "node.rename", "renamed"),
                (tree.buildings[0].id, .move(to: tree.grid2.id), "node.move", "moved"),
                (tree.community.id, .createEstate(name: "桃源居"), "estate.create", "estate_created"),
                (tree.community.id, .createBody(kind: .workstation, name: "同乐工作站"), "body.create", "body_created"),
            ]
            for (id, command, action, history) in steps {
                // when
                let outcome = try await c.perform(worker, id, command)
                // then
                let audit = try await Self.lastAudit(db)
                #expect(audit.action == action)
                #expect(audit.role == Role.communityWorker.rawValue)
                let lines = try await store.history(of: outcome.landing.id).map(\.action)
                #expect(lines.last == history, "\(command)")
            }
            let grid = try #require(try await store.node(tree.grid1.id))
            #expect(grid.name == "一网格")
            #expect(grid.version == start + 2)
        }
    }

    @Test func aRefusalChangesNothingAndAnOutsiderLearnsNothing() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let c = JurisdictionCommands(db: db)
            let before = try await Self.lastAudit(db).count
            let version = try #require(try await JurisdictionStore(db: db).node(tree.grid1.id)).version
            // when / then
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await c.perform(.communityWorker(at: tree.otherCommunity), tree.grid1.id, .rename(name: "x"))
            }
            await #expect(throws: DomainError.forbidden) {
                try await c.perform(.gridWorker(at: tree.grid1), tree.grid1.id, .rename(name: "x"))
            }
            await #expect(throws: DomainError.forbidden) {
                try await c.perform(.communityWorker(at: tree.community), tree.community.id, .rename(name: "x"))
            }
            await #expect(throws: DomainError.notFound) { try await c.perform(.root, 987_654, .close) }
            let grid = try #require(try await JurisdictionStore(db: db).node(tree.grid1.id))
            #expect(grid.name == "第一网格")
            #expect(grid.version == version)
            #expect(try await Self.lastAudit(db).count == before)
        }
    }

    @Test func aStaleVersionIsRefusedAndTheCurrentOneTakesTheStep() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let c = JurisdictionCommands(db: db)
            let current = try #require(try await JurisdictionStore(db: db).node(tree.grid1.id)).version
            _ = try await c.perform(.root, tree.grid1.id, .rename(name: "一网格"), expectedVersion: current)
            // when / then
            await #expect(throws: DomainError(.conflict, "node_changed_meanwhile")) {
                try await c.perform(.root, tree.grid1.id, .rename(name: "旧名"), expectedVersion: current)
            }
            let after = try await c.perform(.root, tree.grid1.id, .rename(name: "新名"), expectedVersion: current + 1)
            #expect(after.node.version == current + 2)
        }
    }

    @Test func buildingsGoIntoEstatesOfTheirOwnCommunityOnly() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let c = JurisdictionCommands(db: db)
            let estate = try #require(try await c.perform(.root, tree.community.id, .createEstate(name: "桃源居")).estate)
            let foreign = try #require(
                try await c.perform(.root, tree.otherCommunity.id, .createEstate(name: "大新花园")).estate)
            let worker = Actor.communityWorker(at: tree.community)
            // when
            let assigned = try await c.perform(worker, tree.buildings[0].id, .assignEstate(estateID: estate.id))
            // then
            #expect(assigned.node.estateID == estate.id)
            #expect(try await Self.lastAudit(db).action == "building.estate")
            await #expect(throws: DomainError.invalid("estate_other_community", field: "estate")) {
                try await c.perform(worker, tree.buildings[1].id, .assignEstate(estateID: foreign.id))
            }
            await #expect(throws: DomainError.invalid("estate_needs_building")) {
                try await c.perform(worker, tree.grid1.id, .assignEstate(estateID: estate.id))
            }
            await #expect(throws: DomainError.forbidden) {
                try await c.perform(.gridWorker(at: tree.grid1), tree.buildings[0].id, .assignEstate(estateID: nil))
            }
            let out = try await c.perform(worker, tree.buildings[0].id, .assignEstate(estateID: nil))
            #expect(out.node.estateID == nil)
            let renamed = try await c.perform(worker, tree.community.id, .renameEstate(estateID: estate.id, name: "桃源"))
            #expect(renamed.estate?.name == "桃源")
            await #expect(throws: DomainError.invalid("estate_unknown", field: "estate")) {
                try await c.perform(worker, tree.community.id, .renameEstate(estateID: foreign.id, name: "x"))
            }
        }
    }

    @Test func bodiesAreRenamedReorderedAndClosedAndAClosedBodyFreesItsName() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let c = JurisdictionCommands(db: db)
            let store = JurisdictionStore(db: db)
            let worker = Actor.communityWorker(at: tree.community)
            var ids: [Int64] = []
            for (kind, name) in [(BodyKind.partyCommittee, "党委"), (.residentsCommittee, "居委会"), (.workstation, "工作站")] {
                ids.append(
                    try #require(
                        try await c.perform(worker, tree.community.id, .createBody(kind: kind, name: name)).body
                    ).id)
            }
            // when
            let renamed = try await c.perform(worker, body: ids[1], .rename(name: "同乐居委会"))
            try await c.perform(worker, body: ids[2], .reorder(position: 1))
            try await c.perform(worker, body: ids[0], .close)
            // then
            #expect(renamed.body.name == "同乐居委会")
            #expect(try await store.bodies(of: tree.community.id).map(\.id) == [ids[2], ids[1]])
            let closing = try await Self.lastAudit(db)
            #expect(closing.action == "body.close" && closing.role == Role.communityWorker.rawValue)
            await #expect(throws: DomainError(.conflict, "body_closed")) {
                try await c.perform(worker, body: ids[0], .rename(name: "x"))
            }
            // A closed singleton makes room for a new one of its kind and name.
            let again = try await c.perform(worker, tree.community.id, .createBody(kind: .partyCommittee, name: "党委"))
            #expect(again.body?.name == "党委")
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await c.perform(.communityWorker(at: tree.otherCommunity), body: ids[1], .close)
            }
            await #expect(throws: DomainError(.conflict, "body_changed_meanwhile")) {
                try await c.perform(worker, body: ids[1], .close, expectedVersion: 0)
            }
        }
    }

    @Test func dutyItemsAreRenamedReorderedAndClosedMajorsOnlyWhenEmpty() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let c = JurisdictionCommands(db: db)
            let store = JurisdictionStore(db: db)
            let worker = Actor.communityWorker(at: tree.community)
            let body = try #require(
                try await c.perform(worker, tree.community.id, .createBody(kind: .workstation, name: "工作站")).body)
            func add(_ title: String, under parent: Int64? = nil) async throws -> Int64 {
                try #require(try await c.perform(worker, body: body.id, .addDuty(parentID: parent, title: title)).item)
                    .id
            }
            let a = try await add("党建")
            let a1 = try await add("组织生活", under: a)
            let b = try await add("服务")
            let c1 = try await add("安全")
            // when
            try await c.perform(worker, body: body.id, .reorderDuty(itemID: c1, position: 1))
            try await c.perform(worker, body: body.id, .renameDuty(itemID: b, title: "便民服务"))
            try await c.perform(worker, body: body.id, .closeDuty(itemID: b))
            // then
            let duties = try await store.duties(of: body.id)
            #expect(duties.map(\.major.title) == ["安全", "党建"])
            #expect(duties[1].minors.map(\.id) == [a1])
            #expect(try await Self.lastAudit(db).action == "duty.close")
            await #expect(throws: DomainError(.conflict, "duty_has_open_items", args: ["1"])) {
                try await c.perform(worker, body: body.id, .closeDuty(itemID: a))
            }
            await #expect(throws: DomainError(.conflict, "duty_already_closed")) {
                try await c.perform(worker, body: body.id, .renameDuty(itemID: b, title: "x"))
            }
            await #expect(throws: DomainError.invalid("duty_parent_invalid", field: "parent")) {
                try await c.perform(worker, body: body.id, .addDuty(parentID: a1, title: "三级"))
            }
            await #expect(throws: DomainError.forbidden) {
                try await c.perform(.gridWorker(at: tree.grid1), body: body.id, .renameDuty(itemID: a, title: "x"))
            }
            // The export lists the list as it now reads.
            let csv = try await TreeExchange(db: db).exportBodies(.root, rootID: tree.community.id)
            #expect(csv.contains("安全") && !csv.contains("便民服务"))
        }
    }
}
