import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ConventionPagesTests {
    @Test func theWorkerWritesAConventionAndVisitorsReadItsVersionsAndTheirDifference() async throws {
        try await WebFixture.run { fixture, client in
            // given
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let today = CalendarDate(Date()).description
            // when: a convention without text is refused, then written, then a second version
            let (refused, refusedHTML) = try await worker.post(
                "/deliberation/conventions",
                form: [
                    "community": "\(fixture.tree.community.id)", "kind": "residentsConvention", "title": "同乐社区居民公约",
                    "text": "", "effective_on": today,
                ], csrfFrom: "/deliberation/conventions")
            let (made, _) = try await worker.post(
                "/deliberation/conventions",
                form: [
                    "community": "\(fixture.tree.community.id)", "kind": "residentsConvention", "title": "同乐社区居民公约",
                    "text": "一、爱护环境\n二、邻里和睦", "effective_on": today,
                ], csrfFrom: "/deliberation/conventions")
            let location = try #require(made.headers[.location])
            _ = try await worker.post(
                location + "/add_version",
                form: ["text": "一、爱护环境\n二、邻里互助\n三、文明养犬", "effective_on": today, "version": "1"], csrfFrom: location)
            let (_, page) = try await worker.get(location)
            // then
            #expect(refused.status == .unprocessableContent && refusedHTML.contains("请填写全文"))
            #expect(ErrorSummaryLinks.unresolved(in: refusedHTML).isEmpty)
            #expect(page.contains("第 1 版与第 2 版的差异") && page.contains("<del>− 二、邻里和睦</del>"))
            #expect(page.contains("<ins>+ 三、文明养犬</ins>") && page.contains("/file"))
            // A visitor reads the public page with the same difference, without the forms.
            let id = try #require(location.split(separator: "/").last.map(String.init))
            var visitor = Browser(client: client)
            let (pub, pubHTML) = try await visitor.get("/public/conventions/\(id)?from=1&to=2")
            #expect(pub.status == .ok && pubHTML.contains("<ins>+ 二、邻里互助</ins>") && !pubHTML.contains("/file\""))
            let (_, face) = try await visitor.get("/public/communities/\(fixture.tree.community.id)")
            #expect(face.contains("同乐社区居民公约"))
            var other = Browser(client: client)
            _ = try await other.logIn("otherworker", WebFixture.password)
            #expect(try await other.get(location).0.status == .notFound)
        }
    }
}
