import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import GongzhiWeb
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct BodyLimitTests {
    func bearer(
        _ fixture: WebFixture, _ username: String, contentType: String = "application/json"
    ) async throws -> HTTPFields {
        let user = try #require(try await AccountStore(db: fixture.db).user(username: username))
        let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
        let (_, secret) = try await AccountCommands(db: fixture.db).createToken(actor, name: "test")
        return [.authorization: "Bearer \(secret)", .contentType: contentType]
    }

    @Test func anOversizeFormAnswers413WithATranslatedPage() async throws {
        try await WebFixture.run { _, client in
            var browser = Browser(client: client)
            let (_, page) = try await browser.get("/login")
            let body =
                "_csrf=\(Browser.csrf(in: page))&username=worker&password="
                + String(repeating: "a", count: 3 * 1024 * 1024)
            let response = try await client.execute(
                uri: "/login", method: .post,
                headers: browser.merged([.contentType: "application/x-www-form-urlencoded"]),
                body: ByteBuffer(string: body))
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(String(buffer: response.body).contains("提交的内容太大"))
        }
    }

    @Test func anOversizeJSONBodyAnswers413ProblemJSON() async throws {
        try await WebFixture.run { fixture, client in
            let headers = try await bearer(fixture, "worker")
            let title = String(repeating: "a", count: 5 * 1024 * 1024)
            let response = try await client.execute(
                uri: "/api/v1/cases", method: .post, headers: headers,
                body: ByteBuffer(
                    string: #"{"title":"\#(title)","description":"x","placeId":\#(fixture.tree.grid1.id)}"#))
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(String(buffer: response.body).contains(#""code":"too_large""#))
        }
    }

    @Test func anOversizePhotoThroughTheAPIAnswers413() async throws {
        try await WebFixture.run { fixture, client in
            let resident = try await fixture.signUpWang()
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: resident.id))
            let c = try await CaseCommands(db: fixture.db).submit(
                actor, CaseSubmission(title: "井盖", description: "缺失", nodeID: fixture.tree.buildings[0].id))
            let headers = try await bearer(fixture, "wang", contentType: "image/png")
            let bytes = CasePhotoTests.png + [UInt8](repeating: 0, count: PhotoRules.maxBytes + 1024 * 1024)
            let response = try await client.execute(
                uri: "/api/v1/cases/\(c.id)/photos", method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func largeMultipartBodiesAreRefusedWhereNoPhotoIsTaken() async throws {
        try await WebFixture.run { _, client in
            var browser = Browser(client: client)
            let (_, page) = try await browser.get("/login")
            let (response, _) = try await browser.postFile(
                "/login", form: ["_csrf": Browser.csrf(in: page), "username": "worker", "password": "x"],
                file: ("photo", "big.png", CasePhotoTests.png + [UInt8](repeating: 0, count: 2 * 1024 * 1024)))
            #expect(response.status == .contentTooLarge)
        }
    }

    @Test func theReportFormCarriesItsTokenInItsActionAndIsCheckedBeforeTheBody() async throws {
        try await WebFixture.run { fixture, client in
            // The staff's one-page form (residents' question pages carry it the same way, on their details page).
            var resident = Browser(client: client)
            _ = try await resident.logIn("worker", WebFixture.password)
            let (_, form) = try await resident.get("/cases/new")
            let token = Browser.csrf(in: form)
            #expect(form.contains(#"action="/cases?_csrf=\#(token)""#))
            let fields = [
                "_csrf": token, "title": "井盖缺失", "description": "很危险", "place": "\(fixture.tree.buildings[0].id)",
            ]
            // The token only in the body: refused before the (large) body is read.
            let (withoutURLToken, _) = try await resident.postFile(
                "/cases", form: fields, file: ("photo", "well.png", CasePhotoTests.png), tokenInURL: false)
            #expect(withoutURLToken.status == .forbidden)
            // A wrong token in the URL: refused too, however large the body.
            let (wrong, _) = try await resident.postFile(
                "/cases?_csrf=wrong", form: fields,
                file: ("photo", "well.png", CasePhotoTests.png + [UInt8](repeating: 0, count: 8 * 1024 * 1024)),
                tokenInURL: false)
            #expect(wrong.status == .forbidden)
            #expect(try await CaseStore(db: fixture.db).all().isEmpty)
            // Over the upload limit with the right token: 413 and a translated page.
            let (tooLarge, html) = try await resident.postFile(
                "/cases", form: fields,
                file: (
                    "photo", "well.png",
                    CasePhotoTests.png + [UInt8](repeating: 0, count: PhotoRules.maxBytes + 1024 * 1024)
                ))
            #expect(tooLarge.status == .contentTooLarge)
            #expect(html.contains("提交的内容太大"))
            // As the page sends it: filed with its photo.
            let (filed, _) = try await resident.postFile(
                "/cases", form: fields, file: ("photo", "well.png", CasePhotoTests.png))
            #expect(filed.status == .seeOther)
            #expect(try await CaseStore(db: fixture.db).all().count == 1)
        }
    }
}
