import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct CaseCallerPagesTests {
    /// The worker files a hotline case for 王小明 on the page, as on a call.
    func fileForCaller(_ fixture: WebFixture, _ client: any TestClientProtocol) async throws -> (Browser, Case) {
        var worker = Browser(client: client)
        _ = try await worker.logIn("worker", WebFixture.password)
        let (_, form) = try await worker.get("/cases/new")
        #expect(form.contains(#"name="caller_phone""#))
        let fields = [
            "_csrf": Browser.csrf(in: form), "kind": "appeal", "channel": "hotline", "title": "楼道灯不亮",
            "description": "来电反映楼道灯坏了", "place": "\(fixture.tree.buildings[0].id)", "caller_name": "王小明",
            "caller_phone": "138 1234 5678",
        ]
        let (filed, _) = try await worker.postFile(
            "/cases", form: fields, file: ("photo", "lamp.png", CasePhotoTests.png))
        #expect(filed.status == .seeOther)
        let c = try #require(try await CaseStore(db: fixture.db).all().first)
        return (worker, c)
    }

    @Test func staffSeeTheCallerMaskedAndInFullOnlyWithAReason() async throws {
        try await WebFixture.run { fixture, client in
            // given
            var (worker, c) = try await fileForCaller(fixture, client)
            // when
            let (page, html) = try await worker.get("/cases/\(c.id)")
            // then
            #expect(page.status == .ok)
            #expect(html.contains("王**") && html.contains("138****5678"))
            #expect(!html.contains("13812345678") && !html.contains("王小明"))
            let code = try fixture.db.personalDataBox!.trackingCode(caseID: c.id)
            #expect(html.contains(code))
            // when: the full view without a reason, then with one
            let (refused, refusedHTML) = try await worker.post(
                "/cases/\(c.id)/caller", form: ["reason": ""], csrfFrom: "/cases/\(c.id)")
            #expect(refused.status == .unprocessableContent)
            #expect(refusedHTML.contains(#"id="f-reason""#) && !refusedHTML.contains("13812345678"))
            #expect(ErrorSummaryLinks.count(in: refusedHTML) == 1)
            #expect(ErrorSummaryLinks.unresolved(in: refusedHTML).isEmpty)
            let (shown, full) = try await worker.post(
                "/cases/\(c.id)/caller", form: ["reason": "回访来电人"], csrfFrom: "/cases/\(c.id)")
            #expect(shown.status == .ok)
            #expect(shown.headers[.cacheControl] == "no-store")
            #expect(full.contains("13812345678") && full.contains("王小明"))
        }
    }

    @Test func theCallerFollowsTheCaseOnTheTrackPageWithoutAnAccount() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let (_, c) = try await fileForCaller(fixture, client)
            let code = try fixture.db.personalDataBox!.trackingCode(caseID: c.id)
            var caller = Browser(client: client)
            // when: a wrong code
            let (wrong, wrongHTML) = try await caller.post(
                "/track", form: ["number": c.number, "code": "AAAAAAAA"], csrfFrom: "/track")
            // then: the form again, the message beside the number, nothing of the case
            #expect(wrong.status == .unprocessableContent)
            #expect(wrongHTML.contains("案件编号和查询码不匹配") && wrongHTML.contains(##"href="#f-number""##))
            #expect(!wrongHTML.contains("楼道灯不亮"))
            #expect(ErrorSummaryLinks.unresolved(in: wrongHTML).isEmpty)
            // when: the right pair
            let (right, html) = try await caller.post(
                "/track", form: ["number": c.number, "code": code], csrfFrom: "/track")
            #expect(right.status == .ok)
            #expect(html.contains("楼道灯不亮"))
            #expect(!html.contains("worker"), "staff names stay out of the caller's view")
            #expect(!html.contains(#"action="/track/rate""#), "an open case is not rated yet")
        }
    }

    @Test func aBadCallerPhoneComesBackBesideItsFieldWithWhatWasTyped() async throws {
        try await WebFixture.run { fixture, client in
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (_, form) = try await worker.get("/cases/new")
            let fields = [
                "_csrf": Browser.csrf(in: form), "kind": "appeal", "channel": "hotline", "title": "楼道灯不亮",
                "description": "来电", "place": "\(fixture.tree.buildings[0].id)", "caller_name": "王小明",
                "caller_phone": "12",
            ]
            let (refused, html) = try await worker.postFile(
                "/cases", form: fields, file: ("photo", "lamp.png", CasePhotoTests.png))
            #expect(refused.status == .unprocessableContent)
            #expect(html.contains("请填写有效的联系电话"))
            #expect(ErrorSummaryLinks.count(in: html) == 1)
            #expect(ErrorSummaryLinks.unresolved(in: html).isEmpty)
            #expect(html.contains(#"value="王小明""#), "what was typed is kept")
            #expect(try await CaseStore(db: fixture.db).all().isEmpty)
        }
    }

    @Test func theAPIFollowsTheSameRules() async throws {
        try await WebFixture.run { fixture, client in
            let (_, c) = try await fileForCaller(fixture, client)
            let code = try fixture.db.personalDataBox!.trackingCode(caseID: c.id)
            let json: HTTPFields = [.contentType: "application/json"]
            let ok = try await client.execute(
                uri: "/api/v1/track", method: .post, headers: json,
                body: ByteBuffer(string: #"{"number":"\#(c.number)","code":"\#(code)"}"#))
            #expect(ok.status == .ok)
            #expect(String(buffer: ok.body).contains(#""canRate":false"#))
            let wrong = try await client.execute(
                uri: "/api/v1/track", method: .post, headers: json,
                body: ByteBuffer(string: #"{"number":"\#(c.number)","code":"XXXXXXXX"}"#))
            #expect(wrong.status == .unprocessableContent)
            #expect(!String(buffer: wrong.body).contains("楼道灯"))
        }
    }
}
