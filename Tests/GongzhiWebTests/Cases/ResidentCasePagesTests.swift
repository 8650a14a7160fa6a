import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ResidentCasePagesTests {
    func actor(_ fixture: WebFixture, _ name: String) async throws -> Actor {
        let store = AccountStore(db: fixture.db)
        let user = try #require(try await store.user(username: name))
        return try #require(try await store.actor(for: user.id))
    }

    @Test func aClosedCaseAsksItsReporterForARatingAtTheTop() async throws {
        try await WebFixture.run { fixture, client in
            // given: wang's appeal taken round the loop and closed
            _ = try await fixture.signUpWang()
            let setup = CaseSetup(db: fixture.db)
            let category = try await setup.createCategory(
                .root, nodeID: fixture.tree.district.id, parentID: nil, name: "路灯照明")
            let unit = try await setup.createUnit(.root, nodeID: fixture.tree.subdistrict.id, name: "城建办")
            let handler = try await actor(fixture, "gridworker")
            try await setup.addMember(.root, unitID: unit.id, userID: handler.userID)
            _ = try await setup.setRule(
                .root, nodeID: fixture.tree.district.id, categoryID: category.id, unitID: unit.id, respondHours: 2,
                resolveHours: 24, workingTime: true)
            let commands = CaseCommands(db: fixture.db)
            let worker = try await actor(fixture, "worker")
            let c = try await commands.submit(
                try await actor(fixture, "wang"),
                CaseSubmission(
                    title: "路灯不亮", description: "门口", categoryID: category.id, nodeID: fixture.tree.buildings[0].id))
            _ = try await commands.perform(worker, c.id, .file(categoryID: category.id))
            _ = try await commands.perform(worker, c.id, .dispatch(unitID: nil))
            _ = try await commands.perform(handler, c.id, .acceptHandling)
            _ = try await commands.perform(handler, c.id, .reportBack(result: "已修好"))
            _ = try await commands.perform(worker, c.id, .verify(passed: true, note: "亮了"))
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            // when
            let (_, html) = try await wang.get("/cases/\(c.id)")
            // then: the rating form comes before the case's facts, and a missing rating's message finds its field
            let prompt = try #require(html.range(of: "已办结，请您评价"))
            let facts = try #require(html.range(of: #"<dl class="kv">"#))
            #expect(prompt.lowerBound < facts.lowerBound)
            // Facts the case does not have (grade, escalation) are left out, never printed as "nil".
            #expect(!html.contains(">nil<") && !html.contains(">nil "))
            let (refused, refusedHTML) = try await wang.post(
                "/cases/\(c.id)/rate", form: ["note": ""], csrfFrom: "/cases/\(c.id)")
            #expect(refused.status == .unprocessableContent)
            #expect(refusedHTML.contains(##"href="#f-rating""##))
            #expect(ErrorSummaryLinks.unresolved(in: refusedHTML).isEmpty)
        }
    }

    @Test func aResidentsListHasNoStaffToolsAndTheyExportNothing() async throws {
        try await WebFixture.run { fixture, client in
            _ = try await fixture.signUpWang()
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            let (_, html) = try await wang.get("/cases")
            #expect(!html.contains("/cases/export.csv"))
            #expect(!html.contains("overdue=1") && !html.contains("review=1"))
            #expect(html.contains("to_rate=1"))
            let (export, _) = try await wang.get("/cases/export.csv?view=mine")
            #expect(export.status == .forbidden)
        }
    }
}
