import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct FollowReportsTests {
    func actor(_ fixture: WebFixture, _ name: String) async throws -> Actor {
        let store = AccountStore(db: fixture.db)
        let user = try #require(try await store.user(username: name))
        return try #require(try await store.actor(for: user.id))
    }

    /// wang's public report of a broken lamp at the first building, and a neighbour li in the same community.
    func publicLamp(_ fixture: WebFixture) async throws -> (Case, CaseCategory) {
        _ = try await fixture.signUpWang()
        _ = try await AccountCommands(db: fixture.db, settings: AccountSettings(bcryptCost: 4)).signUpResident(
            username: "lili", displayName: "李", password: WebFixture.password, buildingID: fixture.tree.buildings[1].id)
        let category = try await CaseSetup(db: fixture.db).createCategory(
            .root, nodeID: fixture.tree.district.id, parentID: nil, name: "路灯照明")
        let c = try await CaseCommands(db: fixture.db).submit(
            try await actor(fixture, "wang"),
            CaseSubmission(
                title: "小区路灯不亮", description: "门口那盏", categoryID: category.id, nodeID: fixture.tree.buildings[0].id,
                isPublic: true))
        return (c, category)
    }

    @Test func aNeighbourAboutToReportTheSameThingSaysItIsTheirProblemTooInstead() async throws {
        try await WebFixture.run { fixture, client in
            // given: li answers the question pages about the same lamp
            let (lamp, category) = try await publicLamp(fixture)
            var li = Browser(client: client)
            _ = try await li.logIn("lili", WebFixture.password)
            _ = try await li.post("/report/kind", form: ["category": "\(category.id)"], csrfFrom: "/report/kind")
            _ = try await li.post(
                "/report/place", form: ["place": "\(fixture.tree.buildings[0].id)"], csrfFrom: "/report/kind")
            _ = try await li.post(
                "/report/details", form: ["title": "路灯坏了", "description": "晚上很黑"], csrfFrom: "/report/kind")
            _ = try await li.post("/report/visibility", form: ["public": "1"], csrfFrom: "/report/kind")
            // when: the check page shows the open public case of the same category at the same place
            let (_, check) = try await li.get("/report/check")
            #expect(check.contains("附近已有类似的问题") && check.contains("小区路灯不亮"))
            let (supported, _) = try await li.post(
                "/reports/\(lamp.number)/support", form: ["from_draft": "1"], csrfFrom: "/report/check")
            // then: no second case, li counts as a supporter and follows, the draft is gone
            #expect(supported.headers[.location] == "/reports/\(lamp.number)?done=support")
            #expect(try await CaseStore(db: fixture.db).all().count == 1)
            let (_, page) = try await li.get("/reports/\(lamp.number)?done=support")
            #expect(page.contains("另有 1 位居民也遇到了这个问题") && page.contains("已记下您也遇到了这个问题"))
            #expect(!page.contains(#"/support""#), "no second support")
            #expect(page.contains("/unfollow"))
            let (resume, _) = try await li.get("/report")
            #expect(resume.headers[.location] == "/report/kind")
            // and: li hears of the case's next step, as wang does; the notice's link leads to the public page
            _ = try await CaseCommands(db: fixture.db).perform(
                try await actor(fixture, "worker"), lamp.id, .file(categoryID: category.id))
            let liUser = try #require(try await AccountStore(db: fixture.db).user(username: "lili"))
            let notices = try await Notifications.list(fixture.db, userID: liUser.id)
            #expect(notices.contains { $0.kind == "case.file" })
            let (casePage, _) = try await li.get("/cases/\(lamp.id)")
            #expect(casePage.headers[.location] == "/reports/\(lamp.number)")
        }
    }

    @Test func followingNeedsAPublicCaseAndOnlyNeighboursCountAsSupporters() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let (lamp, _) = try await publicLamp(fixture)
            let commands = CaseCommands(db: fixture.db)
            let worker = try await actor(fixture, "otherworker")
            // then: the reporter neither follows nor supports their own case
            await #expect(throws: DomainError.self) {
                _ = try await commands.perform(try await actor(fixture, "wang"), lamp.id, .support)
            }
            // a worker of another community may follow the public case but is no neighbour
            _ = try await commands.perform(worker, lamp.id, .follow)
            await #expect(throws: DomainError.self) { _ = try await commands.perform(worker, lamp.id, .support) }
            // a private case is out of reach (answers as missing)
            let hidden = try await commands.submit(
                try await actor(fixture, "wang"),
                CaseSubmission(title: "家里漏水", description: "楼上", nodeID: fixture.tree.buildings[0].id))
            do {
                _ = try await commands.perform(try await actor(fixture, "lili"), hidden.id, .follow)
                Issue.record("a private case was followed")
            } catch let error as DomainError {
                #expect(error.kind == .notFound)
            }
            // following leaves the case as it was, so nobody's open page goes stale
            let after = try #require(try await CaseStore(db: fixture.db).all().first { $0.id == lamp.id })
            #expect(after.version == lamp.version)
            // the API answers where the caller stands, and nothing more of the case
            let li = try #require(try await AccountStore(db: fixture.db).user(username: "lili"))
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(
                try await actor(fixture, "lili"), name: "test")
            let response = try await client.execute(
                uri: "/api/v1/cases/\(lamp.id)/support", method: .post,
                headers: [.authorization: "Bearer \(secret)"], body: nil)
            #expect(li.communityID == lamp.communityID)
            #expect(response.status == .ok)
            let body = String(buffer: response.body)
            #expect(body.contains(#""supporters":1"#) && body.contains(#""supporting":true"#))
            #expect(!body.contains("门口那盏"))
        }
    }

    @Test func aMergedDuplicatesReporterSupportsTheCaseThatGoesOn() async throws {
        try await WebFixture.run { fixture, _ in
            let (lamp, _) = try await publicLamp(fixture)
            let commands = CaseCommands(db: fixture.db)
            let duplicate = try await commands.submit(
                try await actor(fixture, "lili"),
                CaseSubmission(title: "路灯坏了", description: "同一盏", nodeID: fixture.tree.buildings[0].id))
            _ = try await commands.perform(
                try await actor(fixture, "worker"), duplicate.id, .merge(intoNumber: lamp.number))
            let state = try await CaseStore(db: fixture.db).followState(
                lamp.id, for: try await actor(fixture, "lili"), now: Date())
            #expect(state.supporting && state.following && state.supporters == 1)
        }
    }
}

@Suite struct CasePageFactsTests {
    @Test func staffSeeThePlaceWithItsGridThePublicFlagAndWhoReported() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let user = try await fixture.signUpWang()
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
            let c = try await CaseCommands(db: fixture.db).submit(
                actor,
                CaseSubmission(title: "路灯不亮", description: "x", nodeID: fixture.tree.buildings[0].id, isPublic: true))
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            // when
            let (_, html) = try await worker.get("/cases/\(c.id)")
            // then
            #expect(html.contains("\(fixture.tree.grid1.name) › \(fixture.tree.buildings[0].name)"))
            #expect(html.contains("王（wang）"))
            #expect(html.contains("在“公开诉求”页面显示"))
            // the grid worker may read the case but not know who reported it
            var grid = Browser(client: client)
            _ = try await grid.logIn("gridworker", WebFixture.password)
            let (_, gridHTML) = try await grid.get("/cases/\(c.id)")
            #expect(gridHTML.contains("路灯不亮") && !gridHTML.contains("王（wang）"))
        }
    }
}
