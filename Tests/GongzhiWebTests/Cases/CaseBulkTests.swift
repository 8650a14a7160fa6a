import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

extension Browser {
    /// A form post with repeated names (the checkboxes of a list), as a browser sends it.
    mutating func post(
        _ uri: String, pairs: [(String, String)], csrfFrom page: String
    ) async throws -> (TestResponse, String) {
        let (_, html) = try await get(page)
        let body = ([("_csrf", Self.csrf(in: html))] + pairs).map {
            "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        let response = try await client.execute(
            uri: uri, method: .post, headers: merged([.contentType: "application/x-www-form-urlencoded"]),
            body: ByteBuffer(string: body))
        remember(response)
        return (response, String(buffer: response.body))
    }
}

/// Staff select rows of a case list and file, dispatch by rule or export them; every case goes through the single
/// writer, so policy, version check and audit apply per case.
@Suite struct CaseBulkTests {
    struct World {
        var cases: [Case]
        var category: CaseCategory
    }

    /// Three submitted cases of the first building: two in a category with a routing rule, one without a category.
    func world(_ fixture: WebFixture) async throws -> World {
        let wang = try await fixture.signUpWang()
        let resident = try #require(try await AccountStore(db: fixture.db).actor(for: wang.id))
        let setup = CaseSetup(db: fixture.db)
        let category = try await setup.createCategory(
            .root, nodeID: fixture.tree.district.id, parentID: nil, name: "路灯照明")
        let unit = try await setup.createUnit(.root, nodeID: fixture.tree.subdistrict.id, name: "城建办")
        _ = try await setup.setRule(
            .root, nodeID: fixture.tree.district.id, categoryID: category.id, unitID: unit.id, respondHours: 2,
            resolveHours: 24, workingTime: false)
        var cases: [Case] = []
        for (title, cat) in [("路灯一", category.id), ("路灯二", category.id), ("楼道脏", nil as Int64?)] {
            cases.append(
                try await CaseCommands(db: fixture.db).submit(
                    resident,
                    CaseSubmission(
                        title: title, description: "请处理", categoryID: cat, nodeID: fixture.tree.buildings[0].id)))
        }
        return World(cases: cases, category: category)
    }

    func auditCount(_ db: Database, _ action: String) async throws -> Int {
        try await db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = \(bind: action)").first()!.decode(
                column: "n", as: Int.self)
        }
    }

    @Test func aWorkerFilesThenDispatchesTheSelectedCasesAndIsToldWhatWasNotDone() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let w = try await world(fixture)
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (_, list) = try await worker.get("/cases?view=area")
            // then: a checkbox per row; "file" offered (all are new), "dispatch" not (none is filed yet)
            #expect(list.contains(#"<form method="post" action="/cases/bulk""#))
            for c in w.cases { #expect(list.contains(#"name="case" value="\#(c.id)""#)) }
            #expect(list.contains(#"value="file""#) && !list.contains(#"value="dispatch""#))
            // when: filing all three
            let ids = w.cases.map { ("case", "\($0.id)") }
            let (filed, filedHTML) = try await worker.post(
                "/cases/bulk", pairs: ids + [("step", "file"), ("view", "area")], csrfFrom: "/cases?view=area")
            // then
            #expect(filed.status == .ok)
            #expect(filedHTML.contains("已受理 3 件"))
            #expect(try await auditCount(fixture.db, "case.file") == 3)
            // when: dispatching by rule; the case without a category has no rule
            let (_, again) = try await worker.get("/cases?view=area")
            #expect(again.contains(#"value="dispatch""#))
            let (_, dispatched) = try await worker.post(
                "/cases/bulk", pairs: ids + [("step", "dispatch")], csrfFrom: "/cases?view=area")
            // then: two done, the third named with its reason, each audited on its own
            #expect(dispatched.contains("已派遣 2 件，1 件未能处理："))
            #expect(dispatched.contains(#"<a href="/cases/\#(w.cases[2].id)">\#(w.cases[2].number)</a>"#))
            #expect(dispatched.contains("派遣规则"), "the reason in words: \(dispatched)")
            #expect(try await auditCount(fixture.db, "case.dispatch") == 2)
            let store = CaseStore(db: fixture.db)
            #expect(try await store.find(w.cases[0].id)?.status == .dispatched)
            #expect(try await store.find(w.cases[2].id)?.status == .filed)
        }
    }

    @Test func aStaleRowIsRefusedAndOtherCommunitiesCasesStayHidden() async throws {
        try await WebFixture.run { fixture, client in
            // given: the first case changed since the list was drawn
            let w = try await world(fixture)
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (_, filedHTML) = try await worker.post(
                "/cases/bulk",
                pairs: [
                    ("case", "\(w.cases[0].id)"), ("v\(w.cases[0].id)", "0"), ("case", "\(w.cases[1].id)"),
                    ("step", "file"),
                ],
                csrfFrom: "/cases")
            // then
            #expect(filedHTML.contains("已受理 1 件，1 件未能处理："))
            #expect(try await CaseStore(db: fixture.db).find(w.cases[0].id)?.status == .submitted)
            // when: a worker of another community tries the others
            var other = Browser(client: client)
            _ = try await other.logIn("otherworker", WebFixture.password)
            let (_, otherHTML) = try await other.post(
                "/cases/bulk", pairs: [("case", "\(w.cases[2].id)"), ("step", "file")], csrfFrom: "/cases")
            // then: refused like a missing case, the number not shown
            #expect(otherHTML.contains("已受理 0 件，1 件未能处理："))
            #expect(!otherHTML.contains(w.cases[2].number))
            #expect(try await CaseStore(db: fixture.db).find(w.cases[2].id)?.status == .submitted)
            // when: nothing selected
            let (none, noneHTML) = try await worker.post("/cases/bulk", pairs: [("step", "file")], csrfFrom: "/cases")
            #expect(none.status == .unprocessableContent)
            #expect(noneHTML.contains("请先勾选"))
        }
    }

    @Test func exportSelectedHoldsOnlyThoseAndResidentsGetNoBulkTools() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let w = try await world(fixture)
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            // when
            let (csv, text) = try await worker.post(
                "/cases/bulk", pairs: [("case", "\(w.cases[1].id)"), ("step", "export"), ("encoding", "utf-8")],
                csrfFrom: "/cases")
            // then
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(text.contains(w.cases[1].number) && !text.contains(w.cases[0].number))
            // and: the resident's list has no checkboxes, and the bulk step refuses them
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            let (_, mine) = try await wang.get("/cases")
            #expect(!mine.contains(#"name="case""#) && !mine.contains("/cases/bulk"))
            let (_, refused) = try await wang.post(
                "/cases/bulk", pairs: [("case", "\(w.cases[0].id)"), ("step", "file")], csrfFrom: "/cases")
            #expect(refused.contains("已受理 0 件"))
            let (export, _) = try await wang.post(
                "/cases/bulk", pairs: [("case", "\(w.cases[0].id)"), ("step", "export")], csrfFrom: "/cases")
            #expect(export.status == .forbidden)
        }
    }

    @Test func theAPIAnswersPerID() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let w = try await world(fixture)
            let store = AccountStore(db: fixture.db)
            let user = try #require(try await store.user(username: "worker"))
            let worker = try #require(try await store.actor(for: user.id))
            let secret = try await AccountCommands(db: fixture.db, settings: AccountSettings(bcryptCost: 4))
                .createToken(worker, name: "bulk").1
            let body =
                #"{"step":"file","ids":[\#(w.cases[0].id),\#(w.cases[1].id),987654],"versions":{"\#(w.cases[1].id)":7}}"#
            // when
            let response = try await client.execute(
                uri: "/api/v1/cases/bulk", method: .post,
                headers: [.authorization: "Bearer \(secret)", .contentType: "application/json"],
                body: ByteBuffer(string: body))
            // then
            #expect(response.status == .ok)
            let answer = try #require(
                try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
            #expect(answer["done"] as? Int == 1 && answer["refused"] as? Int == 2)
            let results = try #require(answer["results"] as? [[String: Any]])
            #expect(results.map { $0["ok"] as? Bool } == [true, false, false])
            #expect(results[0]["status"] as? String == "filed")
            #expect((results[1]["error"] as? [String: Any])?["key"] as? String == "case_changed_meanwhile")
            #expect((results[2]["error"] as? [String: Any])?["kind"] as? String == "notFound")
            // and: an unknown step is refused as a whole
            let bad = try await client.execute(
                uri: "/api/v1/cases/bulk", method: .post,
                headers: [.authorization: "Bearer \(secret)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"step":"close","ids":[1]}"#))
            #expect(bad.status == .unprocessableContent)
        }
    }
}
