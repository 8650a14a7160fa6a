import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite struct RegistryPagesTests {
    /// Registers the first building's house 1单元-101 through the building page, as a grid worker would.
    func house(_ fixture: WebFixture, _ browser: inout Browser) async throws {
        let building = fixture.tree.buildings[0].id
        let (added, _) = try await browser.post(
            "/registry/buildings/\(building)/houses",
            form: ["unit": "1单元", "room": "101", "floor": "1", "use": "owner_occupied", "area": "89.5"],
            csrfFrom: "/registry/buildings/\(building)")
        #expect(added.status == .seeOther)
    }

    func personFields(
        _ fixture: WebFixture, name: String = "王秀英", id: String = RegistryWorld.idNumber()
    ) -> [String: String] {
        [
            "name": name, "id_type": "residentID", "id_number": id, "phone": "138 1234 5678",
            "building": "\(fixture.tree.buildings[0].id)", "unit": "1单元", "room": "101", "household": "H1",
            "relation": "head", "residence_status": "registered", "tags": "elderlyLivingAlone",
        ]
    }

    @Test func aGridWorkerRegistersAPersonAndSeesTheRecordMasked() async throws {
        try await WebFixture.run { fixture, client in
            // given
            var browser = Browser(client: client)
            _ = try await browser.logIn("gridworker", WebFixture.password)
            try await house(fixture, &browser)
            // when
            let (created, _) = try await browser.post(
                "/registry", form: personFields(fixture), csrfFrom: "/registry/people/new")
            // then
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let (page, html) = try await browser.get(location)
            #expect(page.status == .ok)
            #expect(html.contains("王秀英") && html.contains("138****5678"))
            #expect(!html.contains(RegistryWorld.idNumber()) && !html.contains("13812345678"))
            let (list, listHTML) = try await browser.get("/registry?q=%E7%A7%80")
            #expect(list.status == .ok && listHTML.contains("王秀英"))
            let (_, none) = try await browser.get("/registry?q=%E6%9D%8E")
            #expect(!none.contains("王秀英"))
            // and the building page counts one resident in the house
            let (_, buildingHTML) = try await browser.get("/registry/buildings/\(fixture.tree.buildings[0].id)")
            #expect(buildingHTML.contains("1单元-101") && buildingHTML.contains("89.50"))
        }
    }

    @Test func aBadRecordComesBackBesideItsFieldWithWhatWasTyped() async throws {
        try await WebFixture.run { fixture, client in
            // given
            var browser = Browser(client: client)
            _ = try await browser.logIn("gridworker", WebFixture.password)
            try await house(fixture, &browser)
            var fields = personFields(fixture)
            fields["id_number"] = String(RegistryWorld.idNumber().dropLast()) + "0"
            // when
            let (refused, html) = try await browser.post("/registry", form: fields, csrfFrom: "/registry/people/new")
            // then
            #expect(refused.status == .unprocessableContent)
            #expect(html.contains(##"href="#f-id_number""##) && html.contains("校验位"))
            #expect(ErrorSummaryLinks.unresolved(in: html).isEmpty)
            #expect(html.contains(#"value="王秀英""#))
            let count = try await fixture.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM registry_people").first()!.decode(
                    column: "n", as: Int.self)
            }
            #expect(count == 0)
            // and a room the building does not have
            fields = personFields(fixture)
            fields["room"] = "909"
            let (_, roomHTML) = try await browser.post("/registry", form: fields, csrfFrom: "/registry/people/new")
            #expect(roomHTML.contains(##"href="#f-room""##) && roomHTML.contains("1单元-909"))
        }
    }

    @Test func theFullNumberIsShownOnlyWithAReasonAndTheViewIsLogged() async throws {
        try await WebFixture.run { fixture, client in
            // given
            var browser = Browser(client: client)
            _ = try await browser.logIn("gridworker", WebFixture.password)
            try await house(fixture, &browser)
            let (created, _) = try await browser.post(
                "/registry", form: personFields(fixture), csrfFrom: "/registry/people/new")
            let location = try #require(created.headers[.location])
            // when: no reason, then a reason
            let (refused, refusedHTML) = try await browser.post(
                location + "/reveal", form: ["field": "phone", "reason": ""], csrfFrom: location)
            #expect(refused.status == .unprocessableContent)
            #expect(!refusedHTML.contains("138 1234 5678") && ErrorSummaryLinks.unresolved(in: refusedHTML).isEmpty)
            let (shown, html) = try await browser.post(
                location + "/reveal", form: ["field": "phone", "reason": "上门走访"], csrfFrom: location)
            // then
            #expect(shown.status == .ok && shown.headers[.cacheControl] == "no-store")
            #expect(html.contains("138 1234 5678"))
            let logged = try await fixture.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'registry.person.reveal'")
                    .first()!.decode(column: "n", as: Int.self)
            }
            #expect(logged == 1)
        }
    }

    @Test func otherCommunitiesAndTheAuditorSeeNoRecord() async throws {
        try await WebFixture.run { fixture, client in
            // given
            var browser = Browser(client: client)
            _ = try await browser.logIn("gridworker", WebFixture.password)
            try await house(fixture, &browser)
            let (created, _) = try await browser.post(
                "/registry", form: personFields(fixture), csrfFrom: "/registry/people/new")
            let location = try #require(created.headers[.location])
            // then
            var other = Browser(client: client)
            _ = try await other.logIn("otherworker", WebFixture.password)
            #expect(try await other.get(location).0.status == .notFound)
            let (_, list) = try await other.get("/registry")
            #expect(!list.contains("王秀英"))
            var auditor = Browser(client: client)
            _ = try await auditor.logIn("auditor", WebFixture.password)
            #expect(try await auditor.get("/registry").0.status == .forbidden)
            let (_, home) = try await auditor.get("/home")
            #expect(!home.contains(#"href="/registry""#))
        }
    }

    @Test func theAPIFindsRegistersAndRevealsWithTheSameRules() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let user = try #require(try await AccountStore(db: fixture.db).user(username: "gridworker"))
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(actor, name: "test")
            let headers: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
            let building = fixture.tree.buildings[0].id
            let house = try await client.execute(
                uri: "/api/v1/buildings/\(building)/houses", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"unit":"1单元","room":"101","area":"120"}"#))
            #expect(house.status == .created)
            let body = try JSONSerialization.data(withJSONObject: personFields(fixture))
            // when
            let created = try await client.execute(
                uri: "/api/v1/people", method: .post, headers: headers, body: ByteBuffer(bytes: body))
            // then
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == "\"1\"")
            let found = try await client.execute(
                uri: "/api/v1/people?q=5678", method: .get, headers: headers, body: nil)
            let page = try JSONSerialization.jsonObject(with: Data(String(buffer: found.body).utf8)) as? [String: Any]
            let items = page?["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1 && items.first?["phone"] as? String == "138****5678")
            let id = try #require(items.first?["id"] as? Int)
            let bad = try await client.execute(
                uri: "/api/v1/people", method: .post, headers: headers, body: ByteBuffer(bytes: body))
            #expect(bad.status == .conflict)
            #expect(String(buffer: bad.body).contains("id_number"))
            let revealed = try await client.execute(
                uri: "/api/v1/people/\(id)/reveal", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"field":"id_number","reason":"核对身份"}"#))
            #expect(revealed.status == .ok && String(buffer: revealed.body).contains(RegistryWorld.idNumber()))
        }
    }
}

@Suite struct RegistryImportPagesTests {
    @Test func aCommunityWorkerImportsHousesThenPeopleAndSeesEachProblemWithItsLine() async throws {
        try await WebFixture.run { fixture, client in
            // given
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let (page, html) = try await browser.get("/registry/import")
            #expect(page.status == .ok && html.contains(#"enctype="multipart/form-data""#))
            let csrf = Browser.csrf(in: html)
            let houses = "社区,楼栋,单元,房号,面积\n同乐社区,1栋,1单元,101,89.5\n"
            // when
            let (done, doneHTML) = try await browser.postFile(
                "/registry/import", form: ["_csrf": csrf, "kind": "houses"],
                file: ("file", "houses.csv", Array(houses.utf8)))
            // then
            #expect(done.status == .ok && doneHTML.contains("已导入 1 行"))
            let people =
                "姓名,证件号码,社区,楼栋,单元,房号\n张三,\(RegistryWorld.idNumber()),同乐社区,1栋,1单元,101\n李四,123,同乐社区,1栋,1单元,101\n"
            let (refused, refusedHTML) = try await browser.postFile(
                "/registry/import", form: ["_csrf": csrf, "kind": "people"],
                file: ("file", "people.csv", Array(people.utf8)))
            #expect(refused.status == .unprocessableContent)
            #expect(refusedHTML.contains("<td>3</td>") && refusedHTML.contains("证件号码"))
            let count = try await fixture.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM registry_people").first()!.decode(
                    column: "n", as: Int.self)
            }
            #expect(count == 0)
            // and the grid worker may not import
            var grid = Browser(client: client)
            _ = try await grid.logIn("gridworker", WebFixture.password)
            #expect(try await grid.get("/registry/import").0.status == .forbidden)
        }
    }
}

@Suite struct RegistrySelfPagesTests {
    @Test func aResidentClaimsTheirRecordAndSeesWhoLookedAtTheirFullID() async throws {
        try await WebFixture.run { fixture, client in
            // given: 王 lives in the first building; the grid worker registers her and reveals her ID number
            try await fixture.signUpWang()
            let building = fixture.tree.buildings[0].id
            let id = RegistryWorld.idNumber(sex: .female)
            let person = try await fixture.db.command(.commandLine, clock: .system) { tx in
                _ = try await RegistryBulk.registerHouse(
                    tx, try HouseForm(building: "\(building)", unit: "1单元", room: "101").draft())
                return try await RegistryBulk.register(
                    tx,
                    try PersonForm(
                        name: "王秀英", idNumber: id, phone: "13812345678", building: "\(building)", unit: "1单元",
                        room: "101"
                    ).draft(today: CalendarDate(Date())))
            }
            var worker = Browser(client: client)
            _ = try await worker.logIn("gridworker", WebFixture.password)
            _ = try await worker.post(
                "/registry/people/\(person.id)/reveal", form: ["field": "id_number", "reason": "核对低保材料"],
                csrfFrom: "/registry/people/\(person.id)")
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            // when: a wrong phone, then the right pair
            let (page, html) = try await wang.get("/registry/me")
            #expect(page.status == .ok && html.contains(#"name="id_number""#))
            let (wrong, wrongHTML) = try await wang.post(
                "/registry/me/bind", form: ["id_number": id, "phone": "13900000000"], csrfFrom: "/registry/me")
            #expect(wrong.status == .unprocessableContent && !wrongHTML.contains("王秀英"))
            #expect(ErrorSummaryLinks.unresolved(in: wrongHTML).isEmpty)
            let (bound, _) = try await wang.post(
                "/registry/me/bind", form: ["id_number": id.lowercased(), "phone": "138 1234 5678"],
                csrfFrom: "/registry/me")
            // then
            #expect(bound.status == .seeOther)
            let (_, mine) = try await wang.get("/registry/me")
            #expect(mine.contains("王秀英") && mine.contains(id) && mine.contains("138 1234 5678"))
            #expect(mine.contains("gridworker") && mine.contains("核对低保材料"))
            // and the API answers the same record
            let user = try #require(try await AccountStore(db: fixture.db).user(username: "wang"))
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(actor, name: "test")
            let api = try await client.execute(
                uri: "/api/v1/me/record", method: .get, headers: [.authorization: "Bearer \(secret)"], body: nil)
            #expect(api.status == .ok && String(buffer: api.body).contains("核对低保材料"))
        }
    }

    @Test func guessingIsStoppedAfterFiveFailedAttemptsADay() async throws {
        try await WebFixture.run { fixture, client in
            try await fixture.signUpWang()
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            for _ in 0..<5 {
                let (r, _) = try await wang.post(
                    "/registry/me/bind", form: ["id_number": RegistryWorld.idNumber(), "phone": "13900000000"],
                    csrfFrom: "/registry/me")
                #expect(r.status == .unprocessableContent)
            }
            let (_, html) = try await wang.post(
                "/registry/me/bind", form: ["id_number": RegistryWorld.idNumber(), "phone": "13900000000"],
                csrfFrom: "/registry/me")
            #expect(html.contains("尝试次数太多"))
        }
    }
}

@Suite struct RegistryExportPagesTests {
    @Test(arguments: ["csv", "xlsx"])
    func anExportNeedsASecondPersonAndIsDownloadedOnceMasked(format: String) async throws {
        try await WebFixture.run { fixture, client in
            // given: one registered person, and a second community worker
            let building = fixture.tree.buildings[0].id
            _ = try await fixture.db.command(.commandLine, clock: .system) { tx in
                _ = try await RegistryBulk.registerHouse(
                    tx, try HouseForm(building: "\(building)", unit: "1单元", room: "101").draft())
                return try await RegistryBulk.register(
                    tx,
                    try PersonForm(
                        name: "王秀英", idNumber: RegistryWorld.idNumber(sex: .female), phone: "13812345678",
                        building: "\(building)", unit: "1单元", room: "101"
                    ).draft(today: CalendarDate(Date())))
            }
            _ = try await AccountCommands(db: fixture.db, settings: AccountSettings(bcryptCost: 4)).createUser(
                .root, username: "worker2", displayName: "李主任", password: WebFixture.password,
                role: .communityWorker, nodeID: fixture.tree.community.id)
            var asker = Browser(client: client)
            _ = try await asker.logIn("worker", WebFixture.password)
            // when: the worker asks, and tries to approve their own request
            let (asked, _) = try await asker.post(
                "/registry/exports", form: ["community": "\(fixture.tree.community.id)", "reason": "核对低保名单", "q": ""],
                csrfFrom: "/registry")
            #expect(asked.status == .seeOther)
            let id = try await fixture.db.read { sql in
                try await sql.raw("SELECT id FROM registry_exports").first()!.decode(column: "id", as: Int64.self)
            }
            let (own, _) = try await asker.post(
                "/registry/exports/\(id)/approve", form: [:], csrfFrom: "/registry/exports")
            #expect(own.status == .forbidden)
            #expect(try await asker.get("/registry/exports/\(id)/file").0.status == .notFound)
            // then the second person approves, and the asker downloads once
            var approver = Browser(client: client)
            _ = try await approver.logIn("worker2", WebFixture.password)
            let (_, list) = try await approver.get("/registry/exports")
            #expect(list.contains("核对低保名单") && list.contains("/registry/exports/\(id)/approve"))
            let (approved, _) = try await approver.post(
                "/registry/exports/\(id)/approve", form: [:], csrfFrom: "/registry/exports")
            #expect(approved.status == .seeOther)
            #expect(try await approver.get("/registry/exports/\(id)/file").0.status == .notFound)
            let (file, text) = try await asker.get("/registry/exports/\(id)/file?format=\(format)")
            var csv = text
            if format == "xlsx" {
                // an Excel workbook whose cells, read back, hold the same masked lines
                #expect(file.status == .ok && file.headers[.contentType] == XLSXWriter.contentType)
                let rows = try XLSXReader.rows(Data(file.body.readableBytesView))
                csv = rows.map { $0.joined(separator: ",") }.joined(separator: "\n")
                #expect(rows.count == 3 && rows[1].first == "姓名")
            } else {
                #expect(file.status == .ok && file.headers[.contentType]?.hasPrefix("text/csv") == true)
            }
            #expect(csv.contains("worker") && csv.contains("李主任") && csv.contains("行数 rows: 1"))
            #expect(csv.contains("王秀英") && csv.contains("138****5678") && !csv.contains("13812345678"))
            #expect(!csv.contains(RegistryWorld.idNumber(sex: .female)))
            #expect(try await asker.get("/registry/exports/\(id)/file").0.status == .notFound)
            let logged = try await fixture.db.read { sql in
                try await sql.raw(
                    "SELECT after_state FROM audit_log WHERE action = 'registry.export.download'"
                ).first()?.decode(column: "after_state", as: String.self)
            }
            #expect(logged?.contains("\"rows\":\"1\"") == true)
            // and grid workers have no export at all
            var grid = Browser(client: client)
            _ = try await grid.logIn("gridworker", WebFixture.password)
            #expect(try await grid.get("/registry/exports").0.status == .forbidden)
        }
    }
}
