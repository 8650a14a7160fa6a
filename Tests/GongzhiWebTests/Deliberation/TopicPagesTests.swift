import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct TopicPagesTests {
    func actor(_ fixture: WebFixture, _ name: String) async throws -> Actor {
        let store = AccountStore(db: fixture.db)
        let user = try #require(try await store.user(username: name))
        return try #require(try await store.actor(for: user.id))
    }

    func signUp(_ fixture: WebFixture, _ name: String, building: Int = 0) async throws {
        _ = try await AccountCommands(db: fixture.db, settings: AccountSettings(bcryptCost: 4)).signUpResident(
            username: name, displayName: name, password: WebFixture.password,
            buildingID: fixture.tree.buildings[building].id)
    }

    @Test func aResidentRaisesATopicAndANeighbourCoSignsOnThePages() async throws {
        try await WebFixture.run { fixture, client in
            // given: wang and lisi live in the first building (its default rule: 10 co-signatures in 30 days)
            try await fixture.signUpWang()
            try await signUp(fixture, "lisi")
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            let (form, formHTML) = try await wang.get("/deliberation/topics/new")
            #expect(form.status == .ok && formHTML.contains("building:\(fixture.tree.buildings[0].id)"))
            // when
            let (raised, _) = try await wang.post(
                "/deliberation/topics",
                form: [
                    "place": "building:\(fixture.tree.buildings[0].id)", "origin": "resident", "title": "加装电梯",
                    "body": "老楼加装电梯", "submit": "1",
                ], csrfFrom: "/deliberation/topics/new")
            let location = try #require(raised.headers[.location])
            let path = String(location.split(separator: "?")[0])
            let (_, page) = try await wang.get(location)
            var li = Browser(client: client)
            _ = try await li.logIn("lisi", WebFixture.password)
            let (signed, _) = try await li.post(path + "/co_sign", form: [:], csrfFrom: path)
            let (_, after) = try await wang.get(path)
            // then: the proposer sees how far the topic is from its threshold
            #expect(raised.status == .seeOther || raised.status == .found)
            #expect(page.contains("加装电梯") && page.contains("还差 10 人联名，剩余 30 天"))
            #expect(signed.status == .seeOther || signed.status == .found)
            #expect(after.contains("<strong>1 / 10</strong>") && after.contains("还差 9 人联名"))
            let (_, list) = try await li.get("/deliberation?state=collecting")
            #expect(list.contains("加装电梯") && list.contains("1 / 10"))
        }
    }

    @Test func badInputShowsItsMessageBesideTheFieldAndChangesNothing() async throws {
        try await WebFixture.run { fixture, client in
            // given
            try await fixture.signUpWang()
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            // when
            let (refused, html) = try await wang.post(
                "/deliberation/topics",
                form: ["place": "building:\(fixture.tree.buildings[0].id)", "title": "", "body": "老楼加装电梯"],
                csrfFrom: "/deliberation/topics/new")
            // then
            #expect(refused.status == .unprocessableContent)
            #expect(html.contains(##"href="#f-title""##) && html.contains("请填写议题标题"))
            #expect(ErrorSummaryLinks.unresolved(in: html).isEmpty)
            #expect(html.contains("老楼加装电梯"))
            #expect(
                try await TopicStore(db: fixture.db).list(TopicFilter(), for: try await actor(fixture, "worker"))
                    .isEmpty)
        }
    }

    @Test func theWorkersListCountsByStateAndTheCasePageShowsItsTopic() async throws {
        try await WebFixture.run { fixture, client in
            // given: wang's appeal, filed and sent to deliberation by the worker
            try await fixture.signUpWang()
            let worker = try await actor(fixture, "worker")
            let cases = CaseCommands(db: fixture.db)
            let c = try await cases.submit(
                try await actor(fixture, "wang"),
                CaseSubmission(title: "小区停车难", description: "夜间车位不足", nodeID: fixture.tree.buildings[0].id))
            _ = try await cases.perform(worker, c.id, .file(categoryID: nil))
            _ = try await cases.perform(worker, c.id, .gridStep(.referToDeliberation, note: "请居民议事"))
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            // when
            let (list, html) = try await browser.get("/deliberation")
            let (_, casePage) = try await browser.get("/cases/\(c.id)")
            // then
            #expect(list.status == .ok)
            #expect(html.contains(#"征集联名中 <span class="badge">1</span>"#))
            let topic = try #require(
                try await TopicStore(db: fixture.db).topics(ofCase: c.id, for: worker, now: Date()).first)
            #expect(casePage.contains("/deliberation/topics/\(topic.id)") && casePage.contains(topic.number))
            let (_, topicPage) = try await browser.get("/deliberation/topics/\(topic.id)")
            #expect(topicPage.contains("/cases/\(c.id)") && topicPage.contains(c.number))
            #expect(topicPage.contains("/deliberation/topics/\(topic.id)/place_on_agenda"))
            // the worker of another community finds nothing
            var other = Browser(client: client)
            _ = try await other.logIn("otherworker", WebFixture.password)
            #expect(try await other.get("/deliberation/topics/\(topic.id)").0.status == .notFound)
        }
    }

    @Test func theAPIRaisesAndStepsWithTheVersion() async throws {
        try await WebFixture.run { fixture, client in
            // given
            try await fixture.signUpWang()
            let wang = try await actor(fixture, "wang")
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(wang, name: "test")
            let headers: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
            // when
            let created = try await client.execute(
                uri: "/api/v1/topics", method: .post, headers: headers,
                body: ByteBuffer(
                    string:
                        #"{"place_kind":"community","place_id":\#(fixture.tree.community.id),"title":"社区停车","body":"夜间停车难"}"#
                ))
            let topic = try JSONDecoder().decode(TopicProbe.self, from: Data(String(buffer: created.body).utf8))
            var stale = headers
            stale[.ifMatch] = "\"7\""
            let refused = try await client.execute(
                uri: "/api/v1/topics/\(topic.id)/submit", method: .post, headers: stale)
            var current = headers
            current[.ifMatch] = created.headers[.eTag]
            let submitted = try await client.execute(
                uri: "/api/v1/topics/\(topic.id)/submit", method: .post, headers: current)
            let detail = try await client.execute(uri: "/api/v1/topics/\(topic.id)", method: .get, headers: headers)
            let invalid = try await client.execute(
                uri: "/api/v1/topics", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"place":"community:\#(fixture.tree.community.id)","title":"","body":"x"}"#))
            // then
            #expect(created.status == .created && created.headers[.eTag] == "\"1\"")
            #expect(refused.status == .conflict)
            #expect(submitted.status == .ok && submitted.headers[.eTag] == "\"2\"")
            let body = String(buffer: detail.body)
            #expect(body.contains("\"state\":\"collecting\"") && body.contains("\"remaining\":30"))
            #expect(
                invalid.status == .unprocessableContent && String(buffer: invalid.body).contains("topic_title_required")
            )
        }
    }

    struct TopicProbe: Decodable { var id: Int64 }
}
