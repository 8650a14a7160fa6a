import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct MeetingAttendancePagesTests {
    /// A dialogue (no quorum, one signature per person) of the fixture's community, tomorrow.
    func meeting(_ fixture: WebFixture) async throws -> Meeting {
        let worker = try await VotePagesTests().actor(fixture, "worker")
        return try await MeetingCommands(db: fixture.db).schedule(
            worker,
            MeetingPlan(
                communityID: fixture.tree.community.id, kind: .dialogue, title: "快递柜恳谈会", place: "活动室",
                startsAt: Date().addingTimeInterval(86400)))
    }

    @Test func theWorkerFindsAPersonSignsThemInOnceAndRemovesTheMistake() async throws {
        try await WebFixture.run { fixture, client in
            // given Wang and Li on the registry and a meeting tomorrow
            let (wangID, _) = try await VotePagesTests().registry(fixture)
            let m = try await meeting(fixture)
            let page = "/deliberation/meetings/\(m.id)"
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (_, empty) = try await worker.get(page)
            #expect(empty.contains("签到表") && empty.contains("还没有人签到"))
            // when the worker searches the registry for 王 through the picker
            let (found, foundHTML) = try await worker.post(
                page + "/sign_in", form: ["_search": "person", "q_person": "王"], csrfFrom: page)
            // then Wang is offered masked, with his button, and nobody is signed in by a search
            #expect(found.status == .ok && foundHTML.contains("王*") && foundHTML.contains(#"value="\#(wangID)""#))
            #expect(!foundHTML.contains("签到时间</th>") && foundHTML.contains("岁"))
            // when the worker chooses him, and then again
            let (signed, _) = try await worker.post(page + "/sign_in", form: ["person": "\(wangID)"], csrfFrom: page)
            #expect(signed.status == .seeOther || signed.status == .found)
            let (twice, twiceHTML) = try await worker.post(
                page + "/sign_in", form: ["person": "\(wangID)"], csrfFrom: page)
            // then the second is refused beside the picker, in words
            #expect(twice.status == .unprocessableContent && twiceHTML.contains("此人已经签到过了"))
            #expect(ErrorSummaryLinks.unresolved(in: twiceHTML).isEmpty)
            let (_, listed) = try await worker.get(page)
            #expect(listed.contains("签到表：1 人已签到") && listed.contains("王*") && listed.contains("实到人数取自上面的签到表"))
            #expect(listed.contains("登记人 "))
            // A resident of the community sees the meeting, not the names on its sheet.
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            let (_, residentView) = try await wang.get(page)
            #expect(!residentView.contains("王*") && !residentView.contains("sign_in"))
            let (refused, _) = try await wang.post(page + "/sign_in", form: ["person": "\(wangID)"], csrfFrom: page)
            #expect(refused.status == .forbidden)
            // when the mistaken signature is removed
            let (removed, _) = try await worker.post(
                page + "/remove_signature", form: ["person": "\(wangID)"], csrfFrom: page)
            #expect(removed.status == .seeOther || removed.status == .found)
            let (_, after) = try await worker.get(page)
            #expect(after.contains("还没有人签到") && after.contains("删除误登的签到"))
        }
    }

    @Test func theAPIListsAddsAndRemovesSignatures() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let (wangID, liID) = try await VotePagesTests().registry(fixture)
            let m = try await meeting(fixture)
            let worker = try await VotePagesTests().actor(fixture, "worker")
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(worker, name: "test")
            let headers: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
            // when
            for person in [wangID, liID] {
                let added = try await client.execute(
                    uri: "/api/v1/meetings/\(m.id)/sign_in", method: .post, headers: headers,
                    body: ByteBuffer(string: #"{"person":\#(person)}"#))
                #expect(added.status == .ok)
            }
            let outside = try await client.execute(
                uri: "/api/v1/meetings/\(m.id)/sign_in", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"person":987654}"#))
            let removed = try await client.execute(
                uri: "/api/v1/meetings/\(m.id)/remove_signature", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"person":\#(liID)}"#))
            let list = try await client.execute(
                uri: "/api/v1/meetings/\(m.id)/attendance", method: .get, headers: headers)
            // then
            #expect(outside.status == .unprocessableContent)
            #expect(String(buffer: outside.body).contains("attendance_outside_scope"))
            #expect(removed.status == .ok)
            let body = String(buffer: list.body)
            #expect(list.status == .ok && body.contains(#""present":1"#) && body.contains("王*") && !body.contains("李*"))
        }
    }
}
