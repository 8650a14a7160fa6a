import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ReportQuestionPagesTests {
    /// A category with a routing rule, so the confirmation can name the unit and the first answer's deadline.
    func routedCategory(_ fixture: WebFixture) async throws -> CaseCategory {
        let setup = CaseSetup(db: fixture.db)
        let parent = try await setup.createCategory(
            .root, nodeID: fixture.tree.district.id, parentID: nil, name: "市政设施")
        let category = try await setup.createCategory(
            .root, nodeID: fixture.tree.district.id, parentID: parent.id, name: "路灯照明")
        let unit = try await setup.createUnit(.root, nodeID: fixture.tree.subdistrict.id, name: "城建办")
        _ = try await setup.setRule(
            .root, nodeID: fixture.tree.district.id, categoryID: category.id, unitID: unit.id, respondHours: 2,
            resolveHours: 24, workingTime: false)
        return category
    }

    func location(_ response: TestResponse) -> String { response.headers[.location] ?? "" }

    @Test func aResidentReportsThroughEveryQuestionPageAndChecksTheAnswers() async throws {
        try await WebFixture.run { fixture, client in
            // given
            _ = try await fixture.signUpWang()
            let category = try await routedCategory(fixture)
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            // when: the home page's button and the one-page form both lead to the first question
            let (start, _) = try await wang.get("/cases/new")
            #expect(location(start) == "/report")
            let (first, _) = try await wang.get("/report")
            #expect(location(first) == "/report/kind")
            // a later question cannot be opened before the earlier ones are answered
            let (early, _) = try await wang.get("/report/check")
            #expect(location(early) == "/report/kind")
            let (_, kind) = try await wang.get("/report/kind")
            #expect(kind.contains("第 1 步，共 5 步") && kind.contains("市政设施") && kind.contains("路灯照明"))
            // no answer: the message stands beside the question, and its link finds it
            let (none, noneHTML) = try await wang.post("/report/kind", form: [:], csrfFrom: "/report/kind")
            #expect(none.status == .unprocessableContent)
            #expect(noneHTML.contains("请选择问题类别"))
            #expect(ErrorSummaryLinks.unresolved(in: noneHTML).isEmpty)
            let (k, _) = try await wang.post(
                "/report/kind", form: ["category": "\(category.id)"], csrfFrom: "/report/kind")
            #expect(location(k) == "/report/place")
            // where: the resident's own building is offered and chosen
            let (_, place) = try await wang.get("/report/place")
            #expect(place.contains("第 2 步，共 5 步"))
            let building = fixture.tree.buildings[0]
            #expect(place.contains(#"value="\#(building.id)" checked"#))
            // another community's building is refused beside the field
            let (outside, outsideHTML) = try await wang.post(
                "/report/place", form: ["place": "\(fixture.tree.otherCommunity.id)"], csrfFrom: "/report/place")
            #expect(outside.status == .unprocessableContent)
            #expect(ErrorSummaryLinks.unresolved(in: outsideHTML).isEmpty)
            let (p, _) = try await wang.post(
                "/report/place", form: ["place": "\(building.id)"], csrfFrom: "/report/place")
            #expect(location(p) == "/report/details")
            // details: a photo added keeps the typed text and stays on the page for another
            let (_, detailsPage) = try await wang.get("/report/details")
            let token = Browser.csrf(in: detailsPage)
            let (added, _) = try await wang.postFile(
                "/report/details", form: ["_csrf": token, "title": "路灯不亮", "description": "", "then": "photo"],
                file: ("photo", "lamp.png", CasePhotoTests.png))
            #expect(location(added) == "/report/details")
            let (_, withPhoto) = try await wang.get("/report/details")
            #expect(withPhoto.contains("路灯不亮") && withPhoto.contains("/report/photos/"))
            #expect(withPhoto.contains("还可以添加 2 张"))
            // going on without a description is refused, the title and photo are kept
            let (missing, missingHTML) = try await wang.post(
                "/report/details", form: ["title": "路灯不亮", "description": " "], csrfFrom: "/report/details")
            #expect(missing.status == .unprocessableContent)
            #expect(missingHTML.contains("路灯不亮") && missingHTML.contains("/report/photos/"))
            #expect(ErrorSummaryLinks.unresolved(in: missingHTML).isEmpty)
            let (d, _) = try await wang.post(
                "/report/details", form: ["title": "路灯不亮", "description": "3号楼门口的路灯两天不亮了"],
                csrfFrom: "/report/details")
            #expect(location(d) == "/report/visibility")
            let (v, _) = try await wang.post(
                "/report/visibility", form: ["public": "1"], csrfFrom: "/report/visibility")
            #expect(location(v) == "/report/check")
            // check: every answer with a link to change it; a change comes straight back here
            let (_, check) = try await wang.get("/report/check")
            #expect(check.contains("市政设施 › 路灯照明") && check.contains(building.name))
            #expect(check.contains("3号楼门口的路灯两天不亮了") && check.contains("1 张照片") && check.contains("公开"))
            #expect(check.contains(#"href="/report/place""#))
            let (again, _) = try await wang.post(
                "/report/visibility", form: ["public": "0"], csrfFrom: "/report/visibility")
            #expect(location(again) == "/report/check")
            // when: sent
            let (sent, _) = try await wang.post("/report/send", form: [:], csrfFrom: "/report/check")
            // then: the confirmation with the number, the unit and the first answer's deadline
            let target = location(sent)
            #expect(target.hasPrefix("/report/sent/"))
            let (_, confirmation) = try await wang.get(target)
            let c = try #require(try await CaseStore(db: fixture.db).all().first)
            #expect(confirmation.contains(c.number) && confirmation.contains("城建办"))
            #expect(confirmation.contains("预计首次答复时间"))
            #expect(c.title == "路灯不亮" && c.nodeID == building.id && c.categoryID == category.id && !c.isPublic)
            #expect(c.channel == .web && c.kind == .appeal)
            let photos = try await CaseStore(db: fixture.db).photos(
                of: c.id, for: .root, now: Date())
            #expect(photos.count == 1)
            // the draft is gone with the filing; sending again files nothing new
            #expect(
                try await ReportDrafts(db: fixture.db, clock: .system, commands: CaseCommands(db: fixture.db))
                    .draft(for: try await resident(fixture)) == nil)
            _ = try await wang.post("/report/send", form: [:], csrfFrom: "/report/kind")
            #expect(try await CaseStore(db: fixture.db).all().count == 1)
        }
    }

    func resident(_ fixture: WebFixture) async throws -> Actor {
        let store = AccountStore(db: fixture.db)
        let user = try #require(try await store.user(username: "wang"))
        return try #require(try await store.actor(for: user.id))
    }

    @Test func answersSurviveLeavingAndTheDraftIsTheResidentsOwn() async throws {
        try await WebFixture.run { fixture, client in
            // given: wang answered the first question and left
            _ = try await fixture.signUpWang()
            let category = try await routedCategory(fixture)
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            _ = try await wang.post("/report/kind", form: ["category": "\(category.id)"], csrfFrom: "/report/kind")
            _ = try await wang.postFile(
                "/report/details",
                form: ["_csrf": Browser.csrf(in: try await wang.get("/report/kind").1), "title": "t", "then": "photo"],
                file: ("photo", "lamp.png", CasePhotoTests.png))
            // when: wang comes back in a new session
            var later = Browser(client: client)
            _ = try await later.logIn("wang", WebFixture.password)
            let (resume, _) = try await later.get("/report")
            // then: the first unanswered question, with the earlier answer kept
            #expect(location(resume) == "/report/place")
            let (_, kind) = try await later.get("/report/kind")
            #expect(kind.contains(#"value="\#(category.id)" checked"#))
            // a worker cannot see the resident's draft photo
            let draft = try #require(
                try await ReportDrafts(db: fixture.db, clock: .system, commands: CaseCommands(db: fixture.db))
                    .draft(for: try await resident(fixture)))
            let photo = try #require(draft.photos.first)
            #expect(draft.title == "t")
            let (own, _) = try await later.get("/report/photos/\(photo.id)")
            #expect(own.status == .ok)
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (foreign, _) = try await worker.get("/report/photos/\(photo.id)")
            #expect(foreign.status == .notFound)
            let (staffForm, _) = try await worker.get("/cases/new")
            #expect(staffForm.status == .ok)
            // discarding removes the draft
            _ = try await later.post("/report/discard", form: [:], csrfFrom: "/report/kind")
            let (fresh, _) = try await later.get("/report")
            #expect(location(fresh) == "/report/kind")
        }
    }
}
