import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct RegistryOrganisationsTests {
    func shop(_ w: RegistryWorld, _ name: String, code: String? = nil, node: Node? = nil) throws -> OrganisationDraft {
        try OrganisationForm(
            kind: "shop", name: name, creditCode: code, address: "南头街 1 号", node: "\((node ?? w.tree.grid1).id)",
            contacts: [("王秀英", "13812345678")]
        ).draft()
    }

    @Test func organisationsAreFoundByPartOfTheirNameInsideTheGrid() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            try await w.commands.perform(w.gridWorker, organisation: nil, .create(try shop(w, "南头便民超市")))
            try await w.commands.perform(
                w.gridWorker, organisation: nil, .create(try shop(w, "阳光药店", code: "91350100M000100Y43")))
            try await w.commands.perform(
                w.communityWorker, organisation: nil, .create(try shop(w, "第二网格100%水果店", node: w.tree.grid2)))
            func names(_ q: String, _ actor: Actor) async throws -> [String] {
                var f = OrganisationFilter()
                f.query = q
                return try await w.store.organisations(f, for: actor).items.map(\.organisation.name).sorted()
            }
            // then
            #expect(try await names("超市", w.gridWorker) == ["南头便民超市"])
            #expect(try await names("91350100m000100y43", w.gridWorker) == ["阳光药店"])
            #expect(try await names("", w.gridWorker) == ["南头便民超市", "阳光药店"])
            #expect(try await names("店", w.communityWorker) == ["第二网格100%水果店", "阳光药店"])
            #expect(try await names("%", w.communityWorker) == ["第二网格100%水果店"])
            #expect(try await names("", w.otherCommunityWorker) == [])
            // and the contacts are masked on reading and sealed at rest
            let listed = try await w.store.organisations(OrganisationFilter(), for: w.gridWorker).items
            #expect(
                listed.allSatisfy {
                    $0.organisation.contacts == [OrganisationContact(name: "王**", phone: "138****5678")]
                })
            let dump = try await db.read { sql in
                var text = ""
                for table in ["registry_organisations", "audit_log"] {
                    for row in try await sql.raw(SQLQueryString("SELECT * FROM \(unsafeRaw: table)")).all() {
                        for column in row.allColumns {
                            text += (try? row.decode(column: column, as: String.self)) ?? ""
                        }
                    }
                }
                return text
            }
            #expect(!dump.contains("13812345678") && !dump.contains("王秀英") && dump.contains("南头便民超市"))
        }
    }

    @Test func aCreditCodeIsRegisteredOnceAndAGridWorkerEditsOnlyTheirGrid() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            let made = try await w.commands.perform(
                w.gridWorker, organisation: nil, .create(try shop(w, "阳光药店", code: "91350100M000100Y43")))
            // then
            await #expect(throws: DomainError(.conflict, "credit_code_taken", field: "credit_code")) {
                try await w.commands.perform(
                    w.gridWorker, organisation: nil, .create(try shop(w, "另一家", code: "91350100M000100Y43")))
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await w.commands.perform(
                    w.otherGridWorker, organisation: made.id, .edit(try shop(w, "改名", node: w.tree.grid2)))
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await w.commands.perform(
                    w.gridWorker, organisation: nil, .create(try shop(w, "别的网格", node: w.tree.grid2)))
            }
            // when: edited then closed, with the version checked
            let edited = try await w.commands.perform(
                w.gridWorker, organisation: made.id, .edit(try shop(w, "阳光大药房", code: "91350100M000100Y43")),
                expectedVersion: 1)
            await #expect(throws: DomainError(.conflict, "organisation_changed_meanwhile")) {
                try await w.commands.perform(w.gridWorker, organisation: made.id, .close, expectedVersion: 1)
            }
            try await w.commands.perform(w.gridWorker, organisation: made.id, .close, expectedVersion: edited.version)
            // then
            let detail = try await w.store.organisation(made.id, for: w.communityWorker)
            #expect(detail.summary.organisation.name == "阳光大药房" && detail.summary.organisation.closed)
            #expect(try await w.store.organisations(OrganisationFilter(), for: w.gridWorker).items.isEmpty)
            let actions = try await db.read { sql in
                try await sql.raw(
                    "SELECT action, before_state FROM audit_log WHERE object_type = 'organisation' ORDER BY seq"
                ).all().map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(
                actions == [
                    "registry.organisation.create", "registry.organisation.edit", "registry.organisation.close",
                ])
        }
    }

    @Test func anOrganisationFollowsItsGridWhenGridsMerge() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            let made = try await w.commands.perform(w.gridWorker, organisation: nil, .create(try shop(w, "阳光药店")))
            // when
            let outcome = try await JurisdictionCommands(db: db).perform(
                .root, w.tree.grid1.id, .mergeGrids(with: w.tree.grid2.id, name: "合并网格"))
            // then
            let merged = try #require(outcome.created.first)
            let detail = try await w.store.organisation(made.id, for: w.communityWorker)
            #expect(detail.summary.organisation.nodeID == merged.id)
        }
    }
}
