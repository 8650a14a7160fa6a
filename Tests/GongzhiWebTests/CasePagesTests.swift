import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite struct CasePagesTests {
    /// Adds a resident, a category, a unit with the grid worker as handler, and a district-wide rule.
    func setUp(_ fixture: WebFixture) async throws -> (CaseCategory, HandlingUnit) {
        _ = try await fixture.signUpWang()
        let setup = CaseSetup(db: fixture.db)
        let category = try await setup.createCategory(
            .root, nodeID: fixture.tree.district.id, parentID: nil, name: "路灯照明")
        let unit = try await setup.createUnit(.root, nodeID: fixture.tree.subdistrict.id, name: "城建办")
        let handler = try #require(try await AccountStore(db: fixture.db).user(username: "gridworker"))
        try await setup.addMember(.root, unitID: unit.id, userID: handler.id)
        _ = try await setup.setRule(
            .root, nodeID: fixture.tree.district.id, categoryID: category.id, unitID: unit.id,
            respondHours: 2, resolveHours: 24, workingTime: true)
        return (category, unit)
    }

    @Test func aListRowShowsOnlyItsOwnDeadlineAndBadges() async throws {
        try await WebFixture.run { fixture, client in
            // given: an older case still waiting, and a newer one dispatched and escalated (the list's first row)
            let (category, _) = try await setUp(fixture)
            let store = AccountStore(db: fixture.db)
            func actor(_ name: String) async throws -> Actor {
                let user = try #require(try await store.user(username: name))
                return try #require(try await store.actor(for: user.id))
            }
            let wang = try await actor("wang")
            let worker = try await actor("worker")
            let commands = CaseCommands(db: fixture.db)
            let waiting = try await commands.submit(
                wang, CaseSubmission(title: "楼道灯", description: "不亮", nodeID: fixture.tree.buildings[0].id))
            let busy = try await commands.submit(
                wang,
                CaseSubmission(
                    title: "路灯", description: "坏了", categoryID: category.id,
                    nodeID: fixture.tree.buildings[0].id))
            try await commands.perform(worker, busy.id, .file(categoryID: nil))
            try await commands.perform(worker, busy.id, .dispatch(unitID: nil))
            try await commands.perform(worker, busy.id, .escalate(reason: "居民多次反映"))
            // when
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let (_, html) = try await browser.get("/cases")
            // then: the waiting case's row has no deadline and no badge of the other's
            let row = try #require(html.components(separatedBy: "<tr>").first { $0.contains(waiting.number) })
            #expect(!row.contains("badge-warn"), "row: \(row)")
            #expect(row.components(separatedBy: "年").count == 2, "only its own date, no deadline: \(row)")
            let other = try #require(html.components(separatedBy: "<tr>").first { $0.contains(busy.number) })
            #expect(other.contains("badge-warn"))
        }
    }

    @Test func residentReportsAndGetsANumberToKeep() async throws {
        try await WebFixture.run { fixture, client in
            let (category, _) = try await setUp(fixture)
            var resident = Browser(client: client)
            _ = try await resident.logIn("wang", WebFixture.password)
            // A resident's "report" is the question pages; the one-request form post below still files.
            let (form, _) = try await resident.get("/cases/new")
            #expect(form.headers[.location] == "/report")
            let (_, html) = try await resident.get("/cases")
            let (created, _) = try await resident.post(
                "/cases",
                form: [
                    "_csrf": Browser.csrf(in: html), "title": "路灯不亮", "description": "1栋门口路灯坏了",
                    "category": "\(category.id)", "place": "\(fixture.tree.buildings[0].id)", "lat": "22.5431",
                    "long": "113.9236",
                ])
            #expect(created.status == .seeOther)
            #expect(try await CaseStore(db: fixture.db).all().first?.latitude == 22.5431)
            let location = try #require(created.headers[.location])
            let (page, confirmation) = try await resident.get(location)
            #expect(page.status == .ok)
            #expect(confirmation.contains("请记下您的编号"))
            #expect(confirmation.contains("GZ"))
        }
    }

    @Test func emptyReportShowsErrorsBesideTheFieldsAndStoresNothing() async throws {
        try await WebFixture.run { fixture, client in
            _ = try await setUp(fixture)
            var resident = Browser(client: client)
            _ = try await resident.logIn("wang", WebFixture.password)
            let (response, html) = try await resident.post(
                "/cases", form: ["title": "", "description": "x", "place": "\(fixture.tree.buildings[0].id)"],
                csrfFrom: "/cases")
            #expect(response.status == .unprocessableContent)
            #expect(html.contains("请填写标题"))
            #expect(try await CaseStore(db: fixture.db).all().isEmpty)
        }
    }

    @Test func workerFilesAndDispatchesByRuleFromTheCasePage() async throws {
        try await WebFixture.run { fixture, client in
            let (category, unit) = try await setUp(fixture)
            let resident = try #require(try await AccountStore(db: fixture.db).user(username: "wang"))
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: resident.id))
            let submitted = try await CaseCommands(db: fixture.db).submit(
                actor,
                CaseSubmission(
                    title: "路灯不亮", description: "坏了", categoryID: category.id, nodeID: fixture.tree.buildings[0].id))
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (list, listHTML) = try await worker.get("/cases")
            #expect(list.status == .ok)
            #expect(listHTML.contains(submitted.number))
            let page = "/cases/\(submitted.id)"
            _ = try await worker.post("\(page)/file", form: ["category": "\(category.id)"], csrfFrom: page)
            _ = try await worker.post("\(page)/dispatch", form: ["unit": ""], csrfFrom: page)
            let found = try #require(try await CaseStore(db: fixture.db).find(submitted.id))
            #expect(found.status == .dispatched)
            #expect(found.unitID == unit.id)
            let (csv, csvText) = try await worker.get("/cases/export.csv?view=area")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            // Headers and values in words: the place and unit by name, the status as the page says it.
            #expect(csvText.hasPrefix("\u{FEFF}编号,类型,来源,状态"))
            #expect(csvText.contains(submitted.number))
            #expect(csvText.contains("已派遣") && csvText.contains("城建办"))
            #expect(csvText.contains(fixture.tree.buildings[0].name))
            #expect(!csvText.contains("dispatched") && !csvText.contains("appeal"))
            #expect(!csvText.contains("王"))
            // The resident sees their case but not the worker's tools.
            var browser = Browser(client: client)
            _ = try await browser.logIn("wang", WebFixture.password)
            let (_, residentView) = try await browser.get(page)
            #expect(residentView.contains("已派遣"))
            #expect(!residentView.contains("/dispatch\""))
            // A department handler of the unit sees the case but not who reported it.
            let dept = try await AccountCommands(db: fixture.db, settings: AccountSettings(bcryptCost: 4)).createUser(
                .root, username: "dept", displayName: "城建办经办人", password: WebFixture.password, role: .departmentHandler,
                nodeID: fixture.tree.subdistrict.id)
            try await CaseSetup(db: fixture.db).addMember(.root, unitID: unit.id, userID: dept.id)
            var handler = Browser(client: client)
            _ = try await handler.logIn("dept", WebFixture.password)
            let (_, handlerView) = try await handler.get(page)
            #expect(handlerView.contains("反映人"))
            #expect(!handlerView.contains(">王<") && !handlerView.contains(" 王 "))
        }
    }

    @Test func apiRunsTheLoopAndRefusesStepsOutOfOrder() async throws {
        try await WebFixture.run { fixture, client in
            let (category, _) = try await setUp(fixture)
            func bearer(_ name: String) async throws -> HTTPFields {
                let user = try #require(try await AccountStore(db: fixture.db).user(username: name))
                let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
                let (_, secret) = try await AccountCommands(db: fixture.db).createToken(actor, name: "t")
                return [.authorization: "Bearer \(secret)", .contentType: "application/json"]
            }
            let resident = try await bearer("wang")
            let created = try await client.execute(
                uri: "/api/v1/cases", method: .post, headers: resident,
                body: ByteBuffer(
                    string:
                        #"{"title":"路灯不亮","description":"坏了","placeId":\#(fixture.tree.buildings[0].id),"categoryId":\#(category.id)}"#
                ))
            #expect(created.status == .created)
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(String(buffer: created.body).utf8)) as? [String: Any])
            let id = try #require(json["id"] as? Int)
            let worker = try await bearer("worker")
            let early = try await client.execute(
                uri: "/api/v1/cases/\(id)/verify", method: .post, headers: worker,
                body: ByteBuffer(string: #"{"passed":true,"note":"ok"}"#))
            #expect(early.status == .conflict)
            #expect(String(buffer: early.body).contains("case_step_out_of_order"))
            // The version travels as an ETag; a step against an older one is refused and changes nothing.
            let read = try await client.execute(uri: "/api/v1/cases/\(id)", method: .get, headers: worker)
            #expect(read.headers[.eTag] == "\"1\"")
            var stale = worker
            stale[.ifMatch] = "\"0\""
            let refused = try await client.execute(
                uri: "/api/v1/cases/\(id)/file", method: .post, headers: stale, body: ByteBuffer(string: "{}"))
            #expect(refused.status == .conflict)
            var current = worker
            current[.ifMatch] = "\"1\""
            let filed = try await client.execute(
                uri: "/api/v1/cases/\(id)/file", method: .post, headers: current, body: ByteBuffer(string: "{}"))
            #expect(filed.status == .ok)
            #expect(filed.headers[.eTag] == "\"2\"")
            let again = try await client.execute(
                uri: "/api/v1/cases/\(id)/reject", method: .post, headers: current,
                body: ByteBuffer(string: #"{"note":"重复"}"#))
            #expect(again.status == .conflict, "the second of two people acting on version 1 is refused")
            let mine = try await client.execute(uri: "/api/v1/cases?view=mine", method: .get, headers: resident)
            #expect(String(buffer: mine.body).contains("\"status\":\"filed\""))
            let outsider = try await client.execute(
                uri: "/api/v1/cases/\(id)", method: .get, headers: try await bearer("otherworker"))
            #expect(outsider.status == .notFound)
        }
    }
}

@Suite struct CaseSetupPagesTests {
    @Test func adminSetsUpCategoryUnitAndRuleFromThePage() async throws {
        try await WebFixture.run { fixture, client in
            var admin = Browser(client: client)
            _ = try await admin.logIn("admin", WebFixture.password)
            let page = "/admin/cases"
            #expect(try await admin.get(page).0.status == .ok)
            _ = try await admin.post("\(page)/categories", form: ["parent": "", "name": "环境卫生"], csrfFrom: page)
            _ = try await admin.post(
                "\(page)/units", form: ["node": "\(fixture.tree.subdistrict.id)", "name": "城管办"], csrfFrom: page)
            let category = try #require(try await CaseSetupStore.categories(fixture.db).first)
            let unit = try #require(try await CaseSetupStore.units(fixture.db).first)
            _ = try await admin.post(
                "\(page)/members", form: ["unit": "\(unit.id)", "username": "gridworker"], csrfFrom: page)
            let (bad, html) = try await admin.post(
                "\(page)/rules",
                form: [
                    "node": "\(fixture.tree.district.id)", "category": "\(category.id)", "unit": "\(unit.id)",
                    "respond_hours": "10", "resolve_hours": "5", "working_time": "1",
                ], csrfFrom: page)
            #expect(bad.status == .unprocessableContent)
            #expect(html.contains("时限不正确"))
            _ = try await admin.post(
                "\(page)/rules",
                form: [
                    "node": "\(fixture.tree.district.id)", "category": "\(category.id)", "unit": "\(unit.id)",
                    "respond_hours": "4", "resolve_hours": "40", "working_time": "1",
                ], csrfFrom: page)
            #expect(try await CaseSetupStore.rules(fixture.db).map(\.resolveHours) == [40])
            #expect(try await CaseSetupStore.members(fixture.db).map(\.2) == ["gridworker"])
        }
    }

    @Test func aSubdistrictSeesItsOwnAndInheritedSetUpButNotAnothersUnits() async throws {
        try await WebFixture.run { fixture, client in
            // given: a unit of this sub-district, one of another, a category of the district
            let jurisdiction = JurisdictionCommands(db: fixture.db)
            let other = try await jurisdiction.add(.root, .subdistrict, "粤海街道", under: fixture.tree.district.id)
            let setup = CaseSetup(db: fixture.db)
            _ = try await setup.createCategory(.root, nodeID: fixture.tree.district.id, parentID: nil, name: "市容环境")
            _ = try await setup.createUnit(.root, nodeID: fixture.tree.subdistrict.id, name: "南头城建办")
            _ = try await setup.createUnit(.root, nodeID: other.id, name: "粤海城建办")
            _ = try await AccountCommands(db: fixture.db, settings: AccountSettings(bcryptCost: 4)).createUser(
                .root, username: "subadmin", displayName: "街道管理员", password: WebFixture.password,
                role: .subdistrictAdmin,
                nodeID: fixture.tree.subdistrict.id)
            var admin = Browser(client: client)
            _ = try await admin.logIn("subadmin", WebFixture.password)
            // when
            let (page, html) = try await admin.get("/admin/cases")
            // then
            #expect(page.status == .ok)
            #expect(html.contains("南头城建办") && html.contains("市容环境"))
            #expect(!html.contains("粤海城建办"))
        }
    }

    @Test func communityWorkerCannotChangeTheSetUp() async throws {
        try await WebFixture.run { fixture, client in
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            #expect(try await worker.get("/admin/cases").0.status == .forbidden)
        }
    }
}

@Suite struct CaseMeasuresPageTests {
    @Test func measuresPageShowsRatesAndDefinitions() async throws {
        try await WebFixture.run { fixture, client in
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (response, html) = try await worker.get("/cases/measures?group=grid")
            #expect(response.status == .ok)
            #expect(html.contains("响应率"))
            #expect(html.contains("口径说明"))
            let (bad, _) = try await worker.get("/cases/measures?from=2026-13-45")
            #expect(bad.status == .unprocessableContent)
            var resident = Browser(client: client)
            _ = try await fixture.signUpWang()
            _ = try await resident.logIn("wang", WebFixture.password)
            #expect(try await resident.get("/cases/measures").0.status == .forbidden)
        }
    }
}

@Suite struct NotificationPagesTests {
    @Test func workerSeesTheNewCaseInTheirNotifications() async throws {
        try await WebFixture.run { fixture, client in
            _ = try await fixture.signUpWang()
            var resident = Browser(client: client)
            _ = try await resident.logIn("wang", WebFixture.password)
            _ = try await resident.post(
                "/cases", form: ["title": "楼道灯坏了", "description": "三楼", "place": "\(fixture.tree.buildings[0].id)"],
                csrfFrom: "/cases")
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (_, home) = try await worker.get("/home")
            #expect(home.contains("消息 1"))
            let (page, html) = try await worker.get("/notifications")
            #expect(page.status == .ok)
            #expect(html.contains("楼道灯坏了"))
            _ = try await worker.post("/notifications/read", form: [:], csrfFrom: "/notifications")
            let (_, after) = try await worker.get("/home")
            #expect(!after.contains("消息 1"))
        }
    }
}

@Suite struct IdempotencyTests {
    @Test func aRepeatedCreateReturnsTheFirstCase() async throws {
        try await WebFixture.run { fixture, client in
            let user = try await fixture.signUpWang()
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(actor, name: "t")
            let headers: HTTPFields = [
                .authorization: "Bearer \(secret)", .contentType: "application/json",
                HTTPField.Name("Idempotency-Key")!: "abc-123",
            ]
            let body = #"{"title":"路灯不亮","description":"坏了","placeId":\#(fixture.tree.buildings[0].id)}"#
            let first = try await client.execute(
                uri: "/api/v1/cases", method: .post, headers: headers, body: ByteBuffer(string: body))
            let second = try await client.execute(
                uri: "/api/v1/cases", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(first.status == .created)
            #expect(String(buffer: first.body) == String(buffer: second.body))
            #expect(try await CaseStore(db: fixture.db).all().count == 1)
            // The web form carries its own key, so pressing "send" twice files once.
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let (_, form) = try await browser.get("/cases/new")
            let key = try #require(
                form.range(of: #"name="idempotency_key" value=""#).map {
                    String(form[$0.upperBound...].prefix { $0 != "\"" })
                })
            for _ in 0..<2 {
                _ = try await browser.post(
                    "/cases",
                    form: [
                        "_csrf": Browser.csrf(in: form), "idempotency_key": key, "title": "楼道灯",
                        "description": "坏了", "place": "\(fixture.tree.buildings[0].id)",
                    ])
            }
            #expect(try await CaseStore(db: fixture.db).all().count == 2)
        }
    }
}

@Suite struct CaseGridViewTests {
    @Test func gridViewCountsOpenCasesAndLinksToTheGridsList() async throws {
        try await WebFixture.run { fixture, client in
            let user = try await fixture.signUpWang()
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
            for title in ["路灯不亮", "楼道堆物"] {
                _ = try await CaseCommands(db: fixture.db).submit(
                    actor, CaseSubmission(title: title, description: "x", nodeID: fixture.tree.buildings[0].id))
            }
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (response, html) = try await worker.get("/cases/grids")
            #expect(response.status == .ok)
            #expect(html.contains("grid=\(fixture.tree.grid1.id)"))
            #expect(html.contains("<td class=\"num\">2</td>"))
            let (_, list) = try await worker.get("/cases?view=area&grid=\(fixture.tree.grid2.id)")
            #expect(!list.contains("路灯不亮"))
        }
    }

    @Test func aDistrictWithManyGridsIsCountedByCommunityFirstAndStaysSmall() async throws {
        try await WebFixture.run { fixture, client in
            // given: 150 more grids in the first community (as a district holds hundreds)
            try await fixture.db.command(.commandLine, clock: .system) { tx in
                let bulk = try JurisdictionBulk(tx)
                for i in 1...150 { _ = try await bulk.addNode(.grid, name: "加密网格\(i)", under: fixture.tree.community) }
            }
            let user = try await fixture.signUpWang()
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
            _ = try await CaseCommands(db: fixture.db).submit(
                actor, CaseSubmission(title: "路灯不亮", description: "x", nodeID: fixture.tree.buildings[0].id))
            var admin = Browser(client: client)
            _ = try await admin.logIn("admin", WebFixture.password)
            // when
            let (_, district) = try await admin.get("/cases/grids")
            // then: one row per community, each opening its grids; the page is small
            #expect(district.contains("/cases/grids?community=\(fixture.tree.community.id)"))
            #expect(!district.contains("加密网格"))
            #expect(district.utf8.count < 50 * 1024)
            let (_, one) = try await admin.get("/cases/grids?community=\(fixture.tree.community.id)")
            #expect(one.contains("加密网格150") && one.contains("grid=\(fixture.tree.grid1.id)"))
            #expect(!one.contains(fixture.tree.otherCommunity.name + "</td>"))
            // a worker may not open another community's grids
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (refused, _) = try await worker.get("/cases/grids?community=\(fixture.tree.otherCommunity.id)")
            #expect(refused.status == .notFound)
        }
    }
}

@Suite struct CasePhotoTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]

    @Test func aReportWithAPhotoKeepsItAndServesItOnlyToThoseWhoMaySeeTheCase() async throws {
        try await WebFixture.run { fixture, client in
            _ = try await fixture.signUpWang()
            var resident = Browser(client: client)
            _ = try await resident.logIn("wang", WebFixture.password)
            let (_, form) = try await resident.get("/cases")
            let (created, _) = try await resident.postFile(
                "/cases",
                form: [
                    "_csrf": Browser.csrf(in: form), "title": "井盖缺失", "description": "很危险",
                    "place": "\(fixture.tree.buildings[0].id)",
                ], file: ("photo", "well.png", Self.png))
            #expect(created.status == .seeOther)
            let caseID = try #require(try await CaseStore(db: fixture.db).all().first?.id)
            let photos = try await CaseStore(db: fixture.db).photos(of: caseID)
            #expect(photos.map(\.contentType) == ["image/png"])
            let (image, _) = try await resident.get("/cases/\(caseID)/photos/\(photos[0].id)")
            #expect(image.status == .ok)
            #expect(image.headers[.contentType] == "image/png")
            var outsider = Browser(client: client)
            _ = try await outsider.logIn("otherworker", WebFixture.password)
            #expect(try await outsider.get("/cases/\(caseID)/photos/\(photos[0].id)").0.status == .notFound)
        }
    }

    @Test func aFakeImageIsRefusedAndTheReportIsNotFiled() async throws {
        try await WebFixture.run { fixture, client in
            _ = try await fixture.signUpWang()
            var resident = Browser(client: client)
            _ = try await resident.logIn("wang", WebFixture.password)
            let (_, form) = try await resident.get("/cases")
            let (response, html) = try await resident.postFile(
                "/cases",
                form: [
                    "_csrf": Browser.csrf(in: form), "title": "井盖缺失", "description": "很危险",
                    "place": "\(fixture.tree.buildings[0].id)",
                ],
                file: ("photo", "photo.jpg", Array("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".utf8)))
            #expect(response.status == .unprocessableContent)
            #expect(html.contains("只能上传 JPEG、PNG 或 WebP 图片"))
            #expect(html.contains("井盖缺失"))  // what they typed is still there
            #expect(try await CaseStore(db: fixture.db).all().isEmpty)
        }
    }
}

@Suite struct ReporterPrivacyTests {
    @Test func theAPIHidesTheReporterFromTheHandlingUnit() async throws {
        try await WebFixture.run { fixture, client in
            let resident = try await fixture.signUpWang()
            let dept = try await AccountCommands(db: fixture.db, settings: AccountSettings(bcryptCost: 4)).createUser(
                .root, username: "dept", displayName: "经办人", password: WebFixture.password, role: .departmentHandler,
                nodeID: fixture.tree.subdistrict.id)
            let unit = try await CaseSetup(db: fixture.db).createUnit(
                .root, nodeID: fixture.tree.subdistrict.id, name: "城建办")
            try await CaseSetup(db: fixture.db).addMember(.root, unitID: unit.id, userID: dept.id)
            let residentActor = try #require(try await AccountStore(db: fixture.db).actor(for: resident.id))
            let workerUser = try #require(try await AccountStore(db: fixture.db).user(username: "worker"))
            let worker = try #require(try await AccountStore(db: fixture.db).actor(for: workerUser.id))
            let c = try await CaseCommands(db: fixture.db).submit(
                residentActor, CaseSubmission(title: "噪音", description: "夜里", nodeID: fixture.tree.buildings[0].id))
            _ = try await CaseCommands(db: fixture.db).perform(worker, c.id, .file(categoryID: nil))
            _ = try await CaseCommands(db: fixture.db).perform(
                worker, c.id,
                .dispatch(
                    unitID: unit.id, respondBy: Date().addingTimeInterval(3600),
                    resolveBy: Date().addingTimeInterval(86400)))
            let deptActor = try #require(try await AccountStore(db: fixture.db).actor(for: dept.id))
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(deptActor, name: "t")
            let detail = try await client.execute(
                uri: "/api/v1/cases/\(c.id)", method: .get, headers: [.authorization: "Bearer \(secret)"])
            #expect(detail.status == .ok)
            #expect(!String(buffer: detail.body).contains("\"reporterUserID\":\(resident.id)"))
            #expect(!String(buffer: detail.body).contains("\"actorUserID\":\(resident.id)"))
            let list = try await client.execute(
                uri: "/api/v1/cases?view=unit", method: .get, headers: [.authorization: "Bearer \(secret)"])
            #expect(String(buffer: list.body).contains(c.number))
            #expect(!String(buffer: list.body).contains("\"reporterUserID\":\(resident.id)"))
        }
    }
}

@Suite struct CasePhotoAPITests {
    @Test func photosAttachThroughTheAPIAndFakesAreRefused() async throws {
        try await WebFixture.run { fixture, client in
            let resident = try await fixture.signUpWang()
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: resident.id))
            let c = try await CaseCommands(db: fixture.db).submit(
                actor, CaseSubmission(title: "井盖", description: "缺失", nodeID: fixture.tree.buildings[0].id))
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(actor, name: "t")
            let auth: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "image/png"]
            let ok = try await client.execute(
                uri: "/api/v1/cases/\(c.id)/photos", method: .post, headers: auth,
                body: ByteBuffer(bytes: CasePhotoTests.png))
            #expect(ok.status == .created)
            let fake = try await client.execute(
                uri: "/api/v1/cases/\(c.id)/photos", method: .post, headers: auth, body: ByteBuffer(string: "<html>"))
            #expect(fake.status == .unprocessableContent)
            let list = try await client.execute(uri: "/api/v1/cases/\(c.id)/photos", method: .get, headers: auth)
            #expect(String(buffer: list.body).contains("image/png"))
        }
    }
}

@Suite struct CaseMapTests {
    @Test func openCasesWithAPointAppearOnTheMapWithCounts() async throws {
        try await WebFixture.run { fixture, client in
            let user = try await fixture.signUpWang()
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
            try await fixture.db.transaction { sql in
                try await sql.raw(
                    "UPDATE nodes SET latitude = 22.54, longitude = 113.93 WHERE id = \(bind: fixture.tree.buildings[0].id)"
                ).run()
            }
            let placed = try await CaseCommands(db: fixture.db).submit(
                actor, CaseSubmission(title: "路灯", description: "坏了", nodeID: fixture.tree.buildings[0].id))
            #expect(placed.latitude == 22.54)
            _ = try await CaseCommands(db: fixture.db).submit(
                actor, CaseSubmission(title: "噪音", description: "夜里", nodeID: fixture.tree.buildings[1].id))
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (response, html) = try await worker.get("/cases/map")
            #expect(response.status == .ok)
            #expect(html.components(separatedBy: "<circle").count - 1 == 1)
            #expect(html.contains("/cases/\(placed.id)"))
            #expect(html.contains("待受理 1"))
        }
    }
}
