import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ResolutionPagesTests {
    func actor(_ fixture: WebFixture, _ name: String) async throws -> Actor {
        let store = AccountStore(db: fixture.db)
        let user = try #require(try await store.user(username: name))
        return try #require(try await store.actor(for: user.id))
    }

    /// A residents' meeting of the first community, announced two days ago and held an hour ago with `present` of
    /// 100 households.
    func heldMeeting(_ fixture: WebFixture, present: Int = 60) async throws -> Meeting {
        let worker = try await actor(fixture, "worker")
        let now = Date()
        let m = try await MeetingCommands(db: fixture.db, clock: .fixed(now.addingTimeInterval(-2 * 86400))).schedule(
            worker,
            MeetingPlan(
                communityID: fixture.tree.community.id, kind: .residentsMeeting, title: "庭院照明居民会议", place: "党群服务中心",
                startsAt: now.addingTimeInterval(-3 * 3600), noticeReason: "夜间照明影响出行安全"))
        return try await MeetingCommands(db: fixture.db, clock: .fixed(now.addingTimeInterval(-3600))).perform(
            worker, m.id, .hold(basis: .householdRepresentatives, entitled: 100, present: present))
    }

    @Test func theWorkerRecordsAResolutionResidentsRateItAndVisitorsReadItsPublicFace() async throws {
        try await WebFixture.run { fixture, client in
            // given
            try await fixture.signUpWang()
            let m = try await heldMeeting(fixture)
            let worker = try await actor(fixture, "worker")
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let newPath = "/deliberation/resolutions/new?meeting=\(m.id)"
            let (_, meetingHTML) = try await browser.get("/deliberation/meetings/\(m.id)")
            #expect(meetingHTML.contains(newPath))
            let (form, formHTML) = try await browser.get(newPath)
            #expect(form.status == .ok && formHTML.contains(m.number) && formHTML.contains("person:\(worker.userID)"))
            let deadline = CalendarDate(Date()).adding(days: 30).description
            // when: without executors, then complete
            let (refused, refusedHTML) = try await browser.post(
                "/deliberation/resolutions",
                form: ["meeting": "\(m.id)", "text": "更换庭院灯", "deadline": deadline], csrfFrom: newPath)
            let (made, _) = try await browser.post(
                "/deliberation/resolutions",
                form: [
                    "meeting": "\(m.id)", "text": "更换庭院灯六盏，费用由公共收益列支。", "deadline": deadline,
                    "executors": "person:\(worker.userID)",
                ], csrfFrom: newPath)
            // then
            #expect(refused.status == .unprocessableContent && refusedHTML.contains("请指定落实决议的人员"))
            #expect(ErrorSummaryLinks.unresolved(in: refusedHTML).isEmpty)
            let location = try #require(made.headers[.location])
            let (_, page) = try await browser.get(location)
            #expect(page.contains("更换庭院灯六盏") && page.contains(m.number) && page.contains("/open_review"))
            // The worker opens a review round; the resident rates once, and a second rating is refused.
            let (opened, _) = try await browser.post(location + "/open_review", form: [:], csrfFrom: location)
            #expect(opened.status == .seeOther || opened.status == .found)
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            let (_, asResident) = try await wang.get(location)
            #expect(asResident.contains("更换庭院灯六盏") && asResident.contains("/rate") && !asResident.contains("/escalate"))
            _ = try await wang.post(location + "/rate", form: ["rating": "satisfied"], csrfFrom: location)
            let (_, afterRating) = try await wang.get(location)
            #expect(afterRating.contains("满意 1，基本满意 0，不满意 0") && !afterRating.contains(#"action="\#(location)/rate""#))
            // Another community's worker finds nothing.
            var other = Browser(client: client)
            _ = try await other.logIn("otherworker", WebFixture.password)
            #expect(try await other.get(location).0.status == .notFound)
            // A visitor reads the community's public face and the resolution, with no one's name.
            var visitor = Browser(client: client)
            let (_, index) = try await visitor.get("/public/communities")
            #expect(index.contains("/public/communities/\(fixture.tree.community.id)"))
            #expect(!index.contains("/public/communities/\(fixture.tree.otherCommunity.id)"))
            let (face, faceHTML) = try await visitor.get("/public/communities/\(fixture.tree.community.id)")
            let number = try #require(
                try await ResolutionStore(db: fixture.db).list(
                    ResolutionFilter(), for: worker, now: Date()
                ).first?.number)
            #expect(face.status == .ok && faceHTML.contains(number))
            let (pub, pubHTML) = try await visitor.get("/public/resolutions/\(number)")
            #expect(pub.status == .ok && pubHTML.contains("满意 1") && !pubHTML.contains("王"))
            #expect(try await visitor.get("/deliberation/resolutions").0.status != .ok)
        }
    }

    @Test func anOverdueResolutionIsEscalatedAndShownOnTheWatchersHomePages() async throws {
        try await WebFixture.run { fixture, client in
            // given: a resolution adopted twenty days ago, due ten days ago
            let worker = try await actor(fixture, "worker")
            let past = Date().addingTimeInterval(-20 * 86400)
            let m = try await MeetingCommands(db: fixture.db, clock: .fixed(past.addingTimeInterval(-2 * 86400)))
                .schedule(
                    worker,
                    MeetingPlan(
                        communityID: fixture.tree.community.id, kind: .council, title: "议事会", place: "活动室",
                        startsAt: past.addingTimeInterval(-3600)))
            _ = try await MeetingCommands(db: fixture.db, clock: .fixed(past)).perform(
                worker, m.id, .hold(basis: .members, entitled: 20, present: 15))
            let r = try await ResolutionCommands(db: fixture.db, clock: .fixed(past)).adopt(
                worker,
                ResolutionDraft(
                    meetingID: m.id, text: "清理楼道堆物", executors: [.person(worker.userID)],
                    deadline: CalendarDate(past).adding(days: 10)))
            _ = try await AccountCommands(db: fixture.db, settings: AccountSettings(bcryptCost: 4)).createUser(
                .root, username: "sub", displayName: "街道", password: WebFixture.password, role: .subdistrictAdmin,
                nodeID: fixture.tree.subdistrict.id)
            // when: the follow-up scan runs
            let (escalated, _) = try await ResolutionCommands(db: fixture.db).followUp()
            // then: the sub-district's administrator sees it on the home page, escalated to the district
            var sub = Browser(client: client)
            _ = try await sub.logIn("sub", WebFixture.password)
            let (_, home) = try await sub.get("/home")
            #expect(escalated == 1)
            #expect(home.contains(r.number) && home.contains("区级督办"))
            let (_, page) = try await sub.get("/deliberation/resolutions/\(r.id)")
            #expect(page.contains("逾期未落实，自动提级至区级督办"))
        }
    }

    @Test func aMeetingWithoutQuorumIsRefusedAndTheAPIChecksTheVersion() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let short = try await heldMeeting(fixture, present: 40)
            let held = try await heldMeeting(fixture)
            let worker = try await actor(fixture, "worker")
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(worker, name: "test")
            let headers: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
            let deadline = CalendarDate(Date()).adding(days: 30).description
            func adopt(_ meeting: Meeting) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/resolutions", method: .post, headers: headers,
                    body: ByteBuffer(
                        string:
                            #"{"meeting":\#(meeting.id),"text":"修缮车棚","executors":["person:\#(worker.userID)"],"deadline":"\#(deadline)"}"#
                    ))
            }
            // when
            let refused = try await adopt(short)
            let created = try await adopt(held)
            let id = try #require(
                (try JSONSerialization.jsonObject(with: Data(String(buffer: created.body).utf8)) as? [String: Any])?[
                    "id"] as? Int)
            var stale = headers
            stale[.ifMatch] = "\"7\""
            let conflict = try await client.execute(
                uri: "/api/v1/resolutions/\(id)/report_progress", method: .post, headers: stale,
                body: ByteBuffer(string: #"{"note":"已备料","percent_done":30}"#))
            var current = headers
            current[.ifMatch] = "\"1\""
            let progressed = try await client.execute(
                uri: "/api/v1/resolutions/\(id)/report_progress", method: .post, headers: current,
                body: ByteBuffer(string: #"{"note":"已备料","percent_done":30,"evidence":["采购单 A-17"]}"#))
            let detail = try await client.execute(uri: "/api/v1/resolutions/\(id)", method: .get, headers: headers)
            // then
            #expect(
                refused.status == .conflict && String(buffer: refused.body).contains("resolution_meeting_not_quorate"))
            #expect(created.status == .created && created.headers[.eTag] == "\"1\"")
            #expect(conflict.status == .conflict)
            #expect(progressed.status == .ok && progressed.headers[.eTag] == "\"2\"")
            #expect(detail.status == .ok && String(buffer: detail.body).contains("采购单 A-17"))
        }
    }
}
