import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct TreePagesTests {
    @Test func communityWorkerSeesTheirCommunityWithBodiesAndHistory() async throws {
        try await WebFixture.run { fixture, client in
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let (response, html) = try await browser.get("/nodes/\(fixture.tree.community.id)")
            #expect(response.status == .ok)
            #expect(html.contains("第一网格"))
            #expect(html.contains("治理主体"))
        }
    }

    @Test func aboveTheirOwnSubtreeStaffSeeOnlyTheWayDownAndExportNothing() async throws {
        try await WebFixture.run { fixture, client in
            // given: a community worker looking at their sub-district, which holds another community too
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            // when
            let (page, html) = try await browser.get("/nodes/\(fixture.tree.subdistrict.id)")
            let (tree, _) = try await browser.get("/nodes/\(fixture.tree.subdistrict.id)/tree.csv")
            let (bodies, _) = try await browser.get("/nodes/\(fixture.tree.district.id)/bodies.csv")
            let (own, ownCSV) = try await browser.get("/nodes/\(fixture.tree.community.id)/tree.csv")
            // then
            #expect(page.status == .ok)
            #expect(html.contains(fixture.tree.community.name))
            #expect(!html.contains(fixture.tree.otherCommunity.name), "a sibling community is not the way down")
            #expect(!html.contains("tree.csv"))
            #expect(tree.status == .forbidden && bodies.status == .forbidden)
            #expect(
                own.status == .ok && ownCSV.contains(fixture.tree.grid1.name)
                    && !ownCSV.contains(fixture.tree.otherCommunity.name))
        }
    }

    @Test func nodeOutsideTheJurisdictionAnswersNotFound() async throws {
        try await WebFixture.run { fixture, client in
            var browser = Browser(client: client)
            _ = try await browser.logIn("otherworker", WebFixture.password)
            let (response, _) = try await browser.get("/nodes/\(fixture.tree.grid1.id)")
            #expect(response.status == .notFound)
            let (missing, _) = try await browser.get("/nodes/999999")
            #expect(missing.status == .notFound)
        }
    }

    @Test func addingABuildingFromTheGridPage() async throws {
        try await WebFixture.run { fixture, client in
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let page = "/nodes/\(fixture.tree.grid1.id)"
            let (response, _) = try await browser.post(
                "\(page)/children", form: ["kind": "building", "name": "9栋", "code": ""], csrfFrom: page)
            #expect(response.status == .seeOther)
            let children = try await JurisdictionStore(db: fixture.db).children(of: fixture.tree.grid1.id)
            #expect(children.map(\.node.name).contains("9栋"))
        }
    }

    @Test func splitWithUnassignedBuildingShowsTheErrorAndChangesNothing() async throws {
        try await WebFixture.run { fixture, client in
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let page = "/nodes/\(fixture.tree.grid1.id)"
            let (response, html) = try await browser.post(
                "\(page)/split",
                form: [
                    "firstName": "东", "secondName": "西", "b_\(fixture.tree.buildings[0].id)": "first",
                ], csrfFrom: page)
            #expect(response.status == .unprocessableContent)
            #expect(html.contains("还有 1 个楼栋未分配"))
            #expect(ErrorSummaryLinks.unresolved(in: html).isEmpty)
            #expect(try await JurisdictionStore(db: fixture.db).node(fixture.tree.grid1.id)?.isOpen == true)
        }
    }

    @Test func aSplitNameErrorStandsBesideItsOwnFieldNotAnotherForm() async throws {
        try await WebFixture.run { fixture, client in
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let page = "/nodes/\(fixture.tree.grid1.id)"
            var form = ["firstName": "东", "secondName": "东"]
            for b in try await JurisdictionStore(db: fixture.db).children(of: fixture.tree.grid1.id) {
                form["b_\(b.node.id)"] = "first"
            }
            let (response, html) = try await browser.post("\(page)/split", form: form, csrfFrom: page)
            #expect(response.status == .unprocessableContent)
            #expect(html.contains(##"href="#f-split_second""##))
            #expect(ErrorSummaryLinks.unresolved(in: html).isEmpty)
            // The message sits in the split form, beside the second name, not under the new-child form's name.
            let split = try #require(html.range(of: #"id="f-split_second""#))
            let message = try #require(html.range(of: #"<p class="field-error">"#))
            #expect(message.lowerBound < split.lowerBound)
            #expect(html[message.lowerBound...].contains("f-split_second"))
            #expect(!html.contains(#"<div class="field has-error"><label for="f-name">"#))
        }
    }

    @Test func malformedCSVImportIsReportedByLineAndImportsNothing() async throws {
        try await WebFixture.run { fixture, client in
            var browser = Browser(client: client)
            _ = try await browser.logIn("admin", WebFixture.password)
            let page = "/nodes/\(fixture.tree.community.id)"
            let csv =
                "ref,kind,name,parent_ref,code,estate\ng9,grid,第九网格,n\(fixture.tree.community.id),,\nb1,building,1号楼,g9,,\nb2,house,2号楼,g9,,\n"
            let (response, html) = try await browser.post(
                "\(page)/import", form: ["what": "tree", "csv": csv], csrfFrom: page)
            #expect(response.status == .unprocessableContent)
            #expect(html.contains("第 4 行"))
            let grids = try await JurisdictionStore(db: fixture.db).children(of: fixture.tree.community.id)
            #expect(grids.count == 2)
        }
    }

    @Test func treeExportImportsBackIntoAnEmptyDatabase() async throws {
        let csv = try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            return try await TreeExchange(db: db).exportTree(.root, rootID: tree.district.id)
        }
        try await withTestDatabase { db in
            let count = try await TreeExchange(db: db).importTree(.root, csv: csv)
            #expect(count == 10)
            let again = try await TreeExchange(db: db).exportTree(
                .root, rootID: try #require(try await JurisdictionStore(db: db).roots().first).id)
            #expect(again.split(separator: "\n").count == csv.split(separator: "\n").count)
            #expect(again.contains("440305001"))
            #expect(again.hasPrefix("ref,kind,name,parent_ref,code,estate,latitude,longitude"))
        }
    }

    @Test func bodiesAndDutiesRoundTripThroughCSV() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let csv = """
                community_ref,body_kind,body_name,major_item,minor_item
                n\(tree.community.id),partyCommittee,同乐社区综合党委,基层党建,组织党员学习
                n\(tree.community.id),partyCommittee,同乐社区综合党委,基层党建,发展党员
                n\(tree.community.id),workstation,同乐社区工作站,网格管理,
                n\(tree.community.id),residentUnit,深圳大学,,

                """
            #expect(try await TreeExchange(db: db).importBodies(.root, csv: csv) == 4)
            let bodies = try await JurisdictionStore(db: db).bodies(of: tree.community.id)
            #expect(bodies.map(\.kind) == [.partyCommittee, .workstation, .residentUnit])
            let duties = try await JurisdictionStore(db: db).duties(of: bodies[0].id)
            #expect(duties.map(\.major.title) == ["基层党建"])
            #expect(duties[0].minors.map(\.title) == ["组织党员学习", "发展党员"])
            let exported = try await TreeExchange(db: db).exportBodies(.root, rootID: tree.community.id)
            #expect(exported.split(separator: "\n").count == 5)
        }
    }
}

@Suite struct RefusalAuditTests {
    @Test func refusalOutsideTheJurisdictionIsAuditedAndLooksLikeAMissingId() async throws {
        try await WebFixture.run { fixture, client in
            var browser = Browser(client: client)
            _ = try await browser.logIn("otherworker", WebFixture.password)
            let (outside, outsideHTML) = try await browser.get("/nodes/\(fixture.tree.grid1.id)")
            let (missing, missingHTML) = try await browser.get("/nodes/987654")
            #expect(outside.status == missing.status)
            func main(_ html: String) -> Substring {
                html[html.range(of: "<main")!.lowerBound..<html.range(of: "</main>")!.upperBound]
            }
            #expect(main(outsideHTML) == main(missingHTML))
            let entries = try await AuditLog.recent(fixture.db, beforeSeq: nil, limit: 5)
            #expect(entries.first?.action == "access.refused")
            #expect(entries.first?.objectID == "GET /nodes/\(fixture.tree.grid1.id)")
            #expect(entries.first?.actorName == "otherworker")
        }
    }
}

@Suite struct MovePickerTests {
    @Test func aBuildingIsMovedToAGridFoundByNameNeverByID() async throws {
        try await WebFixture.run { fixture, client in
            // given
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let building = fixture.tree.buildings[0]
            let page = "/nodes/\(building.id)"
            let (_, plain) = try await worker.get(page)
            #expect(!plain.contains(#"type="number""#), "no internal id is asked for")
            // when: searching for the other grid
            let (_, found) = try await worker.get(page + "?parent_q=%E7%AC%AC%E4%BA%8C")
            // then: offered with its path; its own grid (the current parent) and buildings are not
            #expect(found.contains(#"<option value="\#(fixture.tree.grid2.id)">南头街道 › 同乐社区 › 第二网格</option>"#))
            // when: moving there
            let (moved, _) = try await worker.post(
                "\(page)/move", form: ["parentId": "\(fixture.tree.grid2.id)"], csrfFrom: page)
            #expect(moved.status == .seeOther)
            #expect(try await JurisdictionStore(db: fixture.db).node(building.id)?.parentID == fixture.tree.grid2.id)
        }
    }
}
