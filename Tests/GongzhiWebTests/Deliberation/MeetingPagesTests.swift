import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct MeetingPagesTests {
    func actor(_ fixture: WebFixture, _ name: String) async throws -> Actor {
        let store = AccountStore(db: fixture.db)
        let user = try #require(try await store.user(username: name))
        return try #require(try await store.actor(for: user.id))
    }

    @Test func theWorkerConvenesAMeetingWithItsRulesShownAndAShortNoticeRefused() async throws {
        try await WebFixture.run { fixture, client in
            // given
            try await fixture.signUpWang()
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (form, formHTML) = try await worker.get("/deliberation/meetings/new")
            #expect(form.status == .ok && formHTML.contains("居民会议 · 提前 10 日通知"))
            let soon = Date().addingTimeInterval(3 * 86400)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
            formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
            var fields = [
                "community": "\(fixture.tree.community.id)", "kind": "residentsMeeting", "title": "加装电梯居民会议",
                "place": "党群服务中心", "starts_at": formatter.string(from: soon),
            ]
            // when: three days' notice without a reason, then with one
            let (refused, refusedHTML) = try await worker.post(
                "/deliberation/meetings", form: fields, csrfFrom: "/deliberation/meetings/new")
            fields["notice_reason"] = "汛期安全隐患需尽快商议"
            let (made, _) = try await worker.post(
                "/deliberation/meetings", form: fields, csrfFrom: "/deliberation/meetings/new")
            // then
            #expect(refused.status == .unprocessableContent && refusedHTML.contains("须提前 10 日通知"))
            #expect(ErrorSummaryLinks.unresolved(in: refusedHTML).isEmpty)
            let location = try #require(made.headers[.location])
            let (_, page) = try await worker.get(location)
            #expect(page.contains("加装电梯居民会议") && page.contains("临时召集"))
            #expect(page.contains("十八周岁以上居民") && page.contains("&gt; 1/2"))
            // The notice rule is a fact of the meeting, not the layout's flash notice.
            #expect(page.contains("<dd>提前 10 日通知</dd>") && !page.contains(#"role="status">提前"#))
            // A resident of the community reads it without the organiser's forms; another community's worker finds nothing.
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            let (_, asResident) = try await wang.get(location)
            #expect(asResident.contains("加装电梯居民会议") && !asResident.contains("/cancel\""))
            var other = Browser(client: client)
            _ = try await other.logIn("otherworker", WebFixture.password)
            #expect(try await other.get(location).0.status == .notFound)
            let (_, list) = try await wang.get("/deliberation/meetings")
            #expect(list.contains("加装电梯居民会议"))
        }
    }

    @Test func theAPISchedulesAndHoldsWithTheVersion() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let worker = try await actor(fixture, "worker")
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(worker, name: "test")
            let headers: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
            let start = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86400))
            // when
            let created = try await client.execute(
                uri: "/api/v1/meetings", method: .post, headers: headers,
                body: ByteBuffer(
                    string:
                        #"{"community":\#(fixture.tree.community.id),"kind":"council","title":"议事会","place":"活动室","starts_at":"\#(start)"}"#
                ))
            let id = try #require(
                (try JSONSerialization.jsonObject(with: Data(String(buffer: created.body).utf8)) as? [String: Any])?[
                    "id"] as? Int)
            var stale = headers
            stale[.ifMatch] = "\"5\""
            let refused = try await client.execute(
                uri: "/api/v1/meetings/\(id)/cancel", method: .post, headers: stale,
                body: ByteBuffer(string: #"{"reason":"改期"}"#))
            let detail = try await client.execute(uri: "/api/v1/meetings/\(id)", method: .get, headers: headers)
            // then
            #expect(created.status == .created && created.headers[.eTag] == "\"1\"")
            #expect(refused.status == .conflict)
            #expect(detail.status == .ok && String(buffer: detail.body).contains("\"cancel\""))
        }
    }
}

@Suite struct TopicRulesPagesTests {
    @Test func organisersSetTheCoSignatureRuleAndResidentsMayNot() async throws {
        try await WebFixture.run { fixture, client in
            // given
            try await fixture.signUpWang()
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (page, html) = try await worker.get("/deliberation/rules")
            #expect(page.status == .ok && html.contains("楼栋：需 10 人联名，期限 30 天"))
            // when
            let (bad, badHTML) = try await worker.post(
                "/deliberation/rules",
                form: [
                    "community": "\(fixture.tree.community.id)", "scope": "building", "threshold": "4",
                    "window_days": "0",
                ], csrfFrom: "/deliberation/rules")
            let (set, _) = try await worker.post(
                "/deliberation/rules",
                form: [
                    "community": "\(fixture.tree.community.id)", "scope": "building", "threshold": "4",
                    "window_days": "14",
                ], csrfFrom: "/deliberation/rules")
            let (_, after) = try await worker.get("/deliberation/rules")
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            let refused = try await wang.post(
                "/deliberation/rules",
                form: [
                    "community": "\(fixture.tree.community.id)", "scope": "building", "threshold": "1",
                    "window_days": "14",
                ], csrfFrom: "/home")
            // then
            #expect(bad.status == .unprocessableContent && badHTML.contains(##"href="#f-threshold""##))
            #expect(set.status == .seeOther || set.status == .found)
            #expect(after.contains("楼栋：需 4 人联名，期限 14 天"))
            #expect(refused.0.status == .forbidden)
            let rules = try await TopicStore(db: fixture.db).coSignatureRules(
                communityID: fixture.tree.community.id, at: Date())
            #expect(rules.building == CoSignatureRule(threshold: 4, windowDays: 14))
        }
    }
}
