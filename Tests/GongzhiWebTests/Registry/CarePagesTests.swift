import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite struct CarePagesTests {
    /// A house and an elderly resident living alone in the first building, registered by the grid worker.
    func resident(_ fixture: WebFixture) async throws -> (person: Int64, grid: Actor, worker: Actor) {
        let accounts = AccountStore(db: fixture.db)
        let gridUser = try #require(try await accounts.user(username: "gridworker"))
        let workerUser = try #require(try await accounts.user(username: "worker"))
        let grid = try #require(try await accounts.actor(for: gridUser.id))
        let worker = try #require(try await accounts.actor(for: workerUser.id))
        let commands = RegistryCommands(db: fixture.db, clock: .system)
        _ = try await commands.registerHouse(
            grid,
            try HouseForm(building: "\(fixture.tree.buildings[0].id)", unit: "1单元", floor: "1", room: "101", area: "60")
                .draft())
        var form = PersonForm(
            name: "王秀英", idType: "居民身份证", idNumber: RegistryWorld.idNumber(), phone: "13812345678",
            building: "\(fixture.tree.buildings[0].id)", unit: "1单元", room: "101", household: nil, relation: nil,
            tags: "独居老人")
        form.residenceStatus = "户籍人口"
        let person = try await commands.perform(
            grid, person: nil, .register(try form.draft(today: CalendarDate(Date())))
        ).id
        return (person, grid, worker)
    }

    @Test func aCommunityWorkerDefinesAGroupAndTheGridWorkerSeesWhoIsDueAtHome() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let (person, _, _) = try await resident(fixture)
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            // when a group without a tag and without a frequency is refused beside the field
            let (refused, refusedHTML) = try await worker.post(
                "/registry/care/groups",
                form: ["community": "\(fixture.tree.community.id)", "name": "重点关注", "tag": "", "frequency_days": ""],
                csrfFrom: "/registry/care")
            #expect(refused.status == .unprocessableContent)
            #expect(refusedHTML.contains(##"href="#f-frequency_days""##))
            #expect(ErrorSummaryLinks.unresolved(in: refusedHTML).isEmpty)
            // and one from the tag is made with its default, then filled
            let (created, _) = try await worker.post(
                "/registry/care/groups",
                form: ["community": "\(fixture.tree.community.id)", "name": "独居老人", "tag": "elderlyLivingAlone"],
                csrfFrom: "/registry/care")
            #expect(created.status == .seeOther)
            let groupPath = try #require(created.headers[.location])
            let (filled, _) = try await worker.post(groupPath + "/fill", form: [:], csrfFrom: groupPath)
            #expect(filled.status == .seeOther)
            let (_, groupHTML) = try await worker.get(groupPath)
            #expect(groupHTML.contains("王秀英") && groupHTML.contains("每 7 天"))
            // then the grid worker's plan lists the person, due today
            var grid = Browser(client: client)
            _ = try await grid.logIn("gridworker", WebFixture.password)
            let (plan, planHTML) = try await grid.get("/registry/care")
            #expect(plan.status == .ok && planHTML.contains("/registry/people/\(person)"))
            #expect(!planHTML.contains(groupPath))
            // and a grid worker may not open the community's group
            #expect(try await grid.get(groupPath).0.status == .notFound)
            let (_, home) = try await grid.get("/home")
            #expect(home.contains("逾期未走访"))
        }
    }

    @Test func aGridWorkerRecordsAVisitOnThePersonsPageAndRaisesACase() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let (person, _, worker) = try await resident(fixture)
            let group = try await CareCommands(db: fixture.db, clock: .system).perform(
                worker,
                .createGroup(
                    community: fixture.tree.community.id,
                    try CareGroupDraft(name: "独居老人", tag: .elderlyLivingAlone, frequencyDays: nil))
            ).id
            try await CareCommands(db: fixture.db, clock: .system).perform(worker, .addTagged(group: group))
            var grid = Browser(client: client)
            _ = try await grid.logIn("gridworker", WebFixture.password)
            let page = "/registry/people/\(person)"
            // when what was found is left empty
            let (refused, html) = try await grid.post(
                page + "/visits", form: ["method": "home", "findings": " ", "case_title": "漏水"], csrfFrom: page)
            // then it comes back beside the field with what was typed, and nothing is written
            #expect(refused.status == .unprocessableContent)
            #expect(html.contains(##"href="#f-findings""##) && html.contains("漏水"))
            #expect(ErrorSummaryLinks.unresolved(in: html).isEmpty)
            // when a visit raises a case
            let (saved, _) = try await grid.post(
                page + "/visits",
                form: [
                    "method": "home", "findings": "卫生间漏水，老人行动不便", "raise_case": "1", "case_title": "1栋101卫生间漏水",
                    "case_description": "请物业上门维修",
                ], csrfFrom: page)
            #expect(saved.status == .seeOther)
            // then the person's page shows the visit and the case's number
            let (_, shown) = try await grid.get(page)
            #expect(shown.contains("卫生间漏水，老人行动不便"))
            // and the group is named but not linked: a grid worker does not open the community's groups
            #expect(shown.contains("<strong>独居老人</strong>") && !shown.contains(#"href="/registry/care/groups/"#))
            let number = try await fixture.db.read { sql in
                try await sql.raw("SELECT number FROM cases").first()!.decode(column: "number", as: String.self)
            }
            #expect(shown.contains(number))
            let (_, plan) = try await grid.get("/registry/care?overdue=1")
            #expect(!plan.contains(page + "#visits"))
        }
    }

    @Test func theAPIPlansAndRecordsVisitsWithTheSameRules() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let (person, grid, worker) = try await resident(fixture)
            let (_, workerSecret) = try await AccountCommands(db: fixture.db).createToken(worker, name: "test")
            let (_, gridSecret) = try await AccountCommands(db: fixture.db).createToken(grid, name: "test")
            func headers(_ secret: String) -> HTTPFields {
                [.authorization: "Bearer \(secret)", .contentType: "application/json"]
            }
            // when
            let created = try await client.execute(
                uri: "/api/v1/care/groups", method: .post, headers: headers(workerSecret),
                body: ByteBuffer(
                    string: #"{"community":\#(fixture.tree.community.id),"name":"独居老人","tag":"elderlyLivingAlone"}"#))
            #expect(created.status == .created)
            let groupURL = try #require(created.headers[.location])
            let refused = try await client.execute(
                uri: "/api/v1/care/groups", method: .post, headers: headers(gridSecret),
                body: ByteBuffer(string: #"{"community":\#(fixture.tree.community.id),"name":"残疾人","tag":"disabled"}"#))
            #expect(refused.status == .notFound)
            let filled = try await client.execute(
                uri: groupURL + "/fill", method: .post, headers: headers(workerSecret), body: nil)
            #expect(filled.status == .ok && String(buffer: filled.body).contains(#""added":1"#))
            let plan = try await client.execute(
                uri: "/api/v1/care/plan", method: .get, headers: headers(gridSecret), body: nil)
            #expect(plan.status == .ok && String(buffer: plan.body).contains(#""personID":\#(person)"#))
            let bad = try await client.execute(
                uri: "/api/v1/people/\(person)/visits", method: .post, headers: headers(gridSecret),
                body: ByteBuffer(string: #"{"method":"byPigeon","findings":"一切都好"}"#))
            #expect(bad.status == .unprocessableContent && String(buffer: bad.body).contains("method"))
            let visit = try await client.execute(
                uri: "/api/v1/people/\(person)/visits", method: .post, headers: headers(gridSecret),
                body: ByteBuffer(string: #"{"method":"phone","findings":"电话里说一切都好"}"#))
            // then
            #expect(visit.status == .created)
            let visits = try await client.execute(
                uri: "/api/v1/people/\(person)/visits", method: .get, headers: headers(gridSecret), body: nil)
            #expect(String(buffer: visits.body).contains("电话里说一切都好"))
        }
    }

    @Test func aCommunityWorkerReviewsAGridWorkersChangeAndSendsItBackWithANote() async throws {
        try await WebFixture.run { fixture, client in
            // given: the grid worker registered a resident
            let (person, _, worker) = try await resident(fixture)
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            // when
            let (queue, html) = try await browser.get("/registry/reviews")
            // then the tab counts it and the person is masked
            #expect(queue.status == .ok)
            #expect(
                html.contains("王**") && !html.contains("王秀英") && html.contains(#"href="/registry/people/\#(person)""#))
            // when sent back without a note
            let id = try #require(
                try await RegistryReviews(db: fixture.db, clock: .system).list(ReviewFilter(), for: worker).items.first
            ).id
            let (refused, refusedHTML) = try await browser.post(
                "/registry/reviews/\(id)/return", form: ["note": " "], csrfFrom: "/registry/reviews")
            #expect(refused.status == .unprocessableContent)
            #expect(refusedHTML.contains(##"href="#f-note""##) && ErrorSummaryLinks.unresolved(in: refusedHTML).isEmpty)
            let (sent, _) = try await browser.post(
                "/registry/reviews/\(id)/return", form: ["note": "房号请再核实", "back": "?status=pending"],
                csrfFrom: "/registry/reviews")
            #expect(sent.status == .seeOther)
            // then the grid worker reads the note among their changes sent back
            var grid = Browser(client: client)
            _ = try await grid.logIn("gridworker", WebFixture.password)
            let (_, mine) = try await grid.get("/registry/reviews?status=returned")
            #expect(mine.contains("房号请再核实"))
            #expect(
                try await grid.post("/registry/reviews/\(id)/accept", form: [:], csrfFrom: "/registry/reviews").0.status
                    == .forbidden)
            // and the API shows the same queue
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(worker, name: "test")
            let listed = try await client.execute(
                uri: "/api/v1/registry/reviews?status=returned", method: .get,
                headers: [.authorization: "Bearer \(secret)"], body: nil)
            #expect(listed.status == .ok && String(buffer: listed.body).contains("房号请再核实"))
        }
    }

    @Test func aResidentAsksForACorrectionOnTheirRecordPageAndTheGridWorkerAnswers() async throws {
        try await WebFixture.run { fixture, client in
            // given: the resident wang claimed the record the grid worker registered
            let (_, grid, _) = try await resident(fixture)
            try await fixture.signUpWang()
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            let (bound, _) = try await wang.post(
                "/registry/me/bind", form: ["id_number": RegistryWorld.idNumber(), "phone": "13812345678"],
                csrfFrom: "/registry/me")
            #expect(bound.status == .seeOther)
            // when asking without saying what is wrong
            let (refused, html) = try await wang.post(
                "/registry/me/corrections", form: ["field": "phone", "note": " "], csrfFrom: "/registry/me")
            // then it comes back beside the field
            #expect(refused.status == .unprocessableContent)
            #expect(html.contains(##"href="#f-note""##) && ErrorSummaryLinks.unresolved(in: html).isEmpty)
            // when asked properly
            let (asked, _) = try await wang.post(
                "/registry/me/corrections", form: ["field": "ethnicity", "note": "民族应为回族"], csrfFrom: "/registry/me")
            #expect(asked.status == .seeOther)
            let (_, mine) = try await wang.get("/registry/me")
            #expect(mine.contains("民族应为回族") && mine.contains("待处理"))
            // then the grid worker sees it and opens the record's form to apply it
            var browser = Browser(client: client)
            _ = try await browser.logIn("gridworker", WebFixture.password)
            let (_, list) = try await browser.get("/registry/corrections")
            #expect(list.contains("民族应为回族"))
            let item = try #require(
                try await RegistryCorrections(db: fixture.db, clock: .system).list(status: .pending, for: grid).items
                    .first)
            let (form, formHTML) = try await browser.get("/registry/corrections/\(item.id)/apply")
            #expect(form.status == .ok && formHTML.contains("民族应为回族") && formHTML.contains("王秀英"))
            // and declines it through the API; the resident reads why
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(grid, name: "test")
            let declined = try await client.execute(
                uri: "/api/v1/registry/corrections/\(item.id)/decline", method: .post,
                headers: [.authorization: "Bearer \(secret)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"reason":"以户口簿为准"}"#))
            #expect(declined.status == .noContent)
            let (_, answered) = try await wang.get("/registry/me")
            #expect(answered.contains("以户口簿为准"))
        }
    }

    @Test func theGridWorkersHomeListsResidencePermitsEndingWithin30Days() async throws {
        try await WebFixture.run { fixture, client in
            // given: a floating resident whose permit ends in ten days, another's in sixty
            let (_, grid, _) = try await resident(fixture)
            let today = CalendarDate(Date())
            for (name, sequence, days) in [("陈晓东", 16, 10), ("刘洋", 17, 60)] {
                var form = PersonForm(
                    name: name, idType: "居民身份证", idNumber: RegistryWorld.idNumber(sequence: sequence),
                    building: "\(fixture.tree.buildings[0].id)", unit: "1单元", room: "101")
                form.residenceStatus = "流动人口"
                form.permitStart = today.adding(days: -300).description
                form.permitEnd = today.adding(days: days).description
                try await RegistryCommands(db: fixture.db, clock: .system).perform(
                    grid, person: nil, .register(try form.draft(today: today)))
            }
            var browser = Browser(client: client)
            _ = try await browser.logIn("gridworker", WebFixture.password)
            // when
            let (_, home) = try await browser.get("/home")
            // then
            #expect(home.contains("居住证 30 天内到期") && home.contains("陈晓东") && !home.contains("刘洋"))
            #expect(home.contains("还有 10 天"))
        }
    }
}
