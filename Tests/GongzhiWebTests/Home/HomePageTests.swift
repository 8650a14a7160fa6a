import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct HomePageTests {
    @Test func aResidentsHomeIsAboutTheirOwnReports() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let wang = try await fixture.signUpWang()
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: wang.id))
            _ = try await CaseCommands(db: fixture.db).submit(
                actor, CaseSubmission(title: "楼道堆物", description: "三楼", nodeID: fixture.tree.buildings[0].id))
            var browser = Browser(client: client)
            _ = try await browser.logIn("wang", WebFixture.password)
            // when
            let (page, html) = try await browser.get("/home")
            // then
            #expect(page.status == .ok)
            #expect(html.contains(#"href="/report""#) && html.contains("反映问题"))
            #expect(html.contains("楼道堆物"))
            #expect(!html.contains("您在以下辖区担任角色"), "no staff workbench for a resident")
            #expect(!html.contains("view=area"), "no staff queues for a resident")
        }
    }

    @Test func aWorkersHomeShowsTheQueuesWithCounts() async throws {
        try await WebFixture.run { fixture, client in
            // given: two cases waiting in the community
            let wang = try await fixture.signUpWang()
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: wang.id))
            for title in ["路灯不亮", "井盖松动"] {
                _ = try await CaseCommands(db: fixture.db).submit(
                    actor, CaseSubmission(title: title, description: "门口", nodeID: fixture.tree.buildings[0].id))
            }
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            // when
            let (_, html) = try await browser.get("/home")
            // then: "2 待受理" linking to the list of exactly those
            #expect(
                html.contains(
                    #"href="/cases?view=area&amp;status=submitted"><span class="queue-count">2</span> <span class="queue-label">待受理</span>"#
                ))
            #expect(html.contains("已超期"))
            #expect(!html.contains("待我签收"), "a worker in no unit has no unit queues")
        }
    }
}
