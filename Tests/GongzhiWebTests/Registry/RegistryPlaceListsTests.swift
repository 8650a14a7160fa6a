import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite struct RegistryPlaceListsTests {
    func bearer(_ fixture: WebFixture, _ username: String) async throws -> HTTPFields {
        let user = try #require(try await AccountStore(db: fixture.db).user(username: username))
        let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
        let (_, secret) = try await AccountCommands(db: fixture.db).createToken(actor, name: "test")
        return [.authorization: "Bearer \(secret)", .contentType: "application/json"]
    }

    /// Houses 1栋 1单元-101 (grid 1) and 3栋 1单元-301 (grid 2), a household in each.
    func seed(_ fixture: WebFixture) async throws {
        let commands = RegistryCommands(db: fixture.db, clock: .fixed(RegistryWorld.t0))
        let worker = Actor.communityWorker(at: fixture.tree.community, userID: 13)
        for (building, room) in [(fixture.tree.buildings[0], "101"), (fixture.tree.buildings[2], "301")] {
            try await commands.registerHouse(
                worker, try HouseForm(building: "\(building.id)", unit: "1单元", room: room).draft())
        }
        for (i, (building, room, number)) in [
            (fixture.tree.buildings[0], "101", "H001"), (fixture.tree.buildings[2], "301", "H002"),
        ].enumerated() {
            let form = PersonForm(
                name: i == 0 ? "王秀英" : "李建国", idType: "居民身份证", idNumber: RegistryWorld.idNumber(sequence: 20 + i),
                building: "\(building.id)", unit: "1单元", room: room, household: number, relation: "户主")
            try await commands.perform(worker, person: nil, .register(try form.draft(today: RegistryWorld.today)))
        }
    }

    @Test func theAPIFindsHousesAndHouseholdsOnlyInsideTheCallersGrid() async throws {
        try await WebFixture.run { fixture, client in
            // given
            try await seed(fixture)
            let grid = try await bearer(fixture, "gridworker")
            let community = try await bearer(fixture, "worker")
            let other = try await bearer(fixture, "otherworker")
            func get(_ uri: String, _ headers: HTTPFields) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                return (response.status, String(buffer: response.body))
            }
            // when
            let gridHouses = try await get("/api/v1/houses?q=1%E5%8D%95%E5%85%83", grid)
            let communityHouses = try await get("/api/v1/houses?q=301", community)
            // a form's GET writes spaces as `+`: two words, each of which must match
            let twoWords = try await get("/api/v1/houses?q=301+301", community)
            let gridHouseholds = try await get("/api/v1/households", grid)
            let byNumber = try await get("/api/v1/households?q=H002", community)
            let otherHouseholds = try await get("/api/v1/households?q=H", other)
            let badUse = try await get("/api/v1/houses?use=castle", community)
            // then
            #expect(gridHouses.0 == .ok && gridHouses.1.contains(#""room":"101""#) && !gridHouses.1.contains("301"))
            #expect(communityHouses.0 == .ok && communityHouses.1.contains(#""room":"301""#))
            #expect(twoWords.0 == .ok && twoWords.1.contains(#""room":"301""#))
            #expect(gridHouseholds.1.contains("H001") && !gridHouseholds.1.contains("H002"))
            #expect(gridHouseholds.1.contains("王秀英") && !gridHouseholds.1.contains("李建国"))
            #expect(byNumber.1.contains("H002") && !byNumber.1.contains("H001"))
            #expect(otherHouseholds.0 == .ok && otherHouseholds.1.contains(#""items":[]"#))
            #expect(badUse.0 == .unprocessableContent)
        }
    }

    @Test func theListPagesCarryASearchBoxAndFindByAddress() async throws {
        try await WebFixture.run { fixture, client in
            // given
            try await seed(fixture)
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            // when
            let (houses, housesHTML) = try await browser.get("/registry/houses?q=3%E6%A0%8B")
            let (households, householdsHTML) = try await browser.get("/registry/households?q=h001")
            let (_, peopleHTML) = try await browser.get("/registry")
            // then
            #expect(houses.status == .ok && housesHTML.contains(#"type="search""#))
            #expect(housesHTML.contains("1单元-301") && !housesHTML.contains("1单元-101"))
            #expect(households.status == .ok && householdsHTML.contains("H001") && !householdsHTML.contains("H002"))
            #expect(householdsHTML.contains("王秀英"))
            #expect(
                peopleHTML.contains(#"href="/registry/houses""#) && peopleHTML.contains(#"href="/registry/households""#)
            )
            // and a building's page links its households, listed by that building only
            let building = fixture.tree.buildings[2].id
            let (_, buildingHTML) = try await browser.get("/registry/buildings/\(building)")
            #expect(buildingHTML.contains("/registry/households?building=\(building)"))
            let (_, ownHTML) = try await browser.get("/registry/households?building=\(building)")
            #expect(ownHTML.contains("H002") && !ownHTML.contains("H001"))
        }
    }

    @Test func organisationsAndFacilitiesAreImportedOnThePageAndThroughTheAPI() async throws {
        try await WebFixture.run { fixture, client in
            // given
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let (page, html) = try await browser.get("/registry/import")
            #expect(page.status == .ok && html.contains(#"value="organisations""#) && html.contains("部件编码 code"))
            let csrf = Browser.csrf(in: html)
            let organisations = "社区,网格,类型,名称,联系人1,联系电话1\n同乐社区,第一网格,商户,南头便民超市,王秀英,138\n"
            // when: a bad phone, then a good file through the API
            let (refused, refusedHTML) = try await browser.postFile(
                "/registry/import", form: ["_csrf": csrf, "kind": "organisations"],
                file: ("file", "organisations.csv", Array(organisations.utf8)))
            let facilities = "community,code,class_code,lat,lng,note\n同乐社区,JG-0042,0102,22.525,113.925,南头街口\n"
            let api = try await client.execute(
                uri: "/api/v1/registry/import/facilities", method: .post, headers: try await bearer(fixture, "worker"),
                body: ByteBuffer(string: facilities))
            // then
            #expect(refused.status == .unprocessableContent)
            #expect(refusedHTML.contains("<td>2</td>") && refusedHTML.contains("联系电话1"))
            #expect(api.status == .ok && String(buffer: api.body).contains(#""imported":1"#))
            let (_, list) = try await browser.get("/registry/facilities?q=JG-0042")
            #expect(list.contains("JG-0042"))
        }
    }

    @Test(arguments: ["households", "organisations"])
    func aListWithPersonalDataIsExportedOnlyAfterASecondPersonApproves(kind: String) async throws {
        try await WebFixture.run { fixture, client in
            // given: a household (head 王秀英) and an organisation with a contact, and a second community worker
            try await seed(fixture)
            let organisation = try OrganisationForm(
                kind: "shop", name: "南头便民超市", address: "南头街 8 号", node: "\(fixture.tree.grid1.id)",
                contacts: [("陈大文", "13812345678")]
            ).draft()
            try await RegistryCommands(db: fixture.db, clock: .system).perform(
                .communityWorker(at: fixture.tree.community, userID: 13), organisation: nil, .create(organisation))
            _ = try await AccountCommands(db: fixture.db, settings: AccountSettings(bcryptCost: 4)).createUser(
                .root, username: "worker2", displayName: "李主任", password: WebFixture.password,
                role: .communityWorker, nodeID: fixture.tree.community.id)
            var asker = Browser(client: client)
            _ = try await asker.logIn("worker", WebFixture.password)
            let listPath = kind == "households" ? "/registry/households" : "/registry/organisations"
            let (_, listHTML) = try await asker.get(listPath)
            #expect(listHTML.contains(#"name="kind" value="\#(kind)""#))
            // when
            let (asked, _) = try await asker.post(
                "/registry/exports",
                form: ["community": "\(fixture.tree.community.id)", "reason": "核对名单", "kind": kind, "q": ""],
                csrfFrom: listPath)
            let id = try await fixture.db.read { sql in
                try await sql.raw("SELECT id FROM registry_exports").first()!.decode(column: "id", as: Int64.self)
            }
            let early = try await asker.get("/registry/exports/\(id)/file").0.status
            var approver = Browser(client: client)
            _ = try await approver.logIn("worker2", WebFixture.password)
            let (_, exportsHTML) = try await approver.get("/registry/exports")
            _ = try await approver.post("/registry/exports/\(id)/approve", form: [:], csrfFrom: "/registry/exports")
            let (file, text) = try await asker.get("/registry/exports/\(id)/file?format=xlsx")
            // then
            #expect(asked.status == .seeOther && early == .notFound)
            #expect(exportsHTML.contains(kind == "households" ? "户" : "组织"))
            #expect(file.status == .ok)
            _ = text
            let rows = try XLSXReader.rows(Data(file.body.readableBytesView))
            let all = rows.map { $0.joined(separator: ",") }.joined(separator: "\n")
            #expect(all.contains("导出人 exporter: worker") && all.contains("审批人 approver: 李主任"))
            if kind == "households" {
                #expect(rows.count == 4 && rows[1].first == "户号" && all.contains("H001") && all.contains("王秀英"))
            } else {
                #expect(rows.count == 3 && all.contains("南头便民超市") && all.contains("138****5678"))
                #expect(!all.contains("13812345678"))
            }
        }
    }

    @Test func housesAndFacilitiesAreExportedAtOnceAndAudited() async throws {
        try await WebFixture.run { fixture, client in
            // given
            try await seed(fixture)
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let (_, housesHTML) = try await browser.get("/registry/houses?q=301")
            #expect(housesHTML.contains("/registry/exports/houses?q=301&amp;format=xlsx"))
            // when
            let (csv, text) = try await browser.get("/registry/exports/houses?q=301&format=csv")
            let facilities = try await client.execute(
                uri: "/api/v1/registry/exports/facilities?format=csv", method: .get,
                headers: try await bearer(fixture, "worker"))
            var grid = Browser(client: client)
            _ = try await grid.logIn("gridworker", WebFixture.password)
            let refused = try await grid.get("/registry/exports/houses").0.status
            let needsApproval = try await client.execute(
                uri: "/api/v1/registry/exports", method: .post, headers: try await bearer(fixture, "worker"),
                body: ByteBuffer(string: #"{"community":\#(fixture.tree.community.id),"reason":"核对","kind":"houses"}"#))
            // then
            #expect(csv.status == .ok && text.contains("导出人 exporter: worker") && text.contains("行数 rows: 1"))
            #expect(text.contains("3栋,1单元,301") && !text.contains(",101,"))
            #expect(facilities.status == .ok && String(buffer: facilities.body).contains("部件编码"))
            #expect(refused == .forbidden)
            #expect(needsApproval.status == .unprocessableContent)
            let audited = try await fixture.db.read { sql in
                try await sql.raw("SELECT after_state FROM audit_log WHERE action = 'registry.export.direct'").all()
                    .map { try $0.decode(column: "after_state", as: String.self) }
            }
            #expect(audited.count == 2 && audited.contains { $0.contains("houses") && $0.contains("\"rows\":\"1\"") })
        }
    }

    @Test func aCasesFacilityIsSetChangedAndClearedFromTheCasePageAndTheAPI() async throws {
        try await WebFixture.run { fixture, client in
            // given: two facilities and a patrol case about none
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            for code in ["JG-0042", "JG-0043"] {
                let (made, _) = try await browser.post(
                    "/registry/facilities",
                    form: [
                        "code": code, "class_code": "0102", "lat": "22.5250", "lng": "113.9250",
                        "node": "\(fixture.tree.community.id)",
                    ], csrfFrom: "/registry/facilities/new")
                #expect(made.status == .seeOther)
            }
            let (filed, _) = try await browser.post(
                "/cases",
                form: [
                    "kind": "event", "channel": "patrol", "title": "井盖破损", "description": "南头街口污水井盖破损",
                    "place": "\(fixture.tree.grid1.id)",
                ], csrfFrom: "/cases/new")
            let casePath = try #require(filed.headers[.location]?.split(separator: "?").first.map(String.init))
            let (_, before) = try await browser.get(casePath)
            #expect(before.contains("/set_facility"))
            // when: an unknown code, then a known one on the page, then a change and a clear through the API
            let (bad, badHTML) = try await browser.post(
                casePath + "/set_facility", form: ["facility": "JG-9999"], csrfFrom: casePath)
            let (set, _) = try await browser.post(
                casePath + "/set_facility", form: ["facility": "jg-0042"], csrfFrom: casePath)
            let (_, afterSet) = try await browser.get(casePath)
            var headers = try await bearer(fixture, "worker")
            let id = casePath.split(separator: "/").last.map(String.init) ?? ""
            let changed = try await client.execute(
                uri: "/api/v1/cases/\(id)/set_facility", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"facility":"JG-0043"}"#))
            headers[.ifMatch] = changed.headers[.eTag]
            let cleared = try await client.execute(
                uri: "/api/v1/cases/\(id)/set_facility", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"facility":""}"#))
            // then
            #expect(bad.status == .unprocessableContent && badHTML.contains("JG-9999"))
            #expect(set.status == .seeOther && afterSet.contains("JG-0042") && afterSet.contains("设置部件"))
            #expect(changed.status == .ok && String(buffer: changed.body).contains(#""facilityID""#))
            #expect(cleared.status == .ok && !String(buffer: cleared.body).contains(#""facilityID""#))
            // and the grid worker of the case's grid may too
            var grid = Browser(client: client)
            _ = try await grid.logIn("gridworker", WebFixture.password)
            #expect(try await grid.get(casePath).1.contains("/set_facility"))
        }
    }
}
