import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import GongzhiWeb
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct NULTextTests {
    @Test func aFormFieldHoldingNULIsRefusedWithATranslatedMessageAndNothingStored() async throws {
        try await WebFixture.run { fixture, client in
            var admin = Browser(client: client)
            _ = try await admin.logIn("admin", WebFixture.password)
            let page = "/nodes/\(fixture.tree.grid1.id)"
            let (response, html) = try await admin.post("\(page)/rename", form: ["name": "新\u{0}名"], csrfFrom: page)
            #expect(response.status == .unprocessableContent)
            #expect(html.contains("文本中不能含有空字符"))
            #expect(
                try await JurisdictionStore(db: fixture.db).node(fixture.tree.grid1.id)?.name == fixture.tree.grid1.name
            )
        }
    }

    @Test func aJSONStringHoldingNULIsRefusedAsProblemJSON() async throws {
        try await WebFixture.run { fixture, client in
            let user = try #require(try await AccountStore(db: fixture.db).user(username: "worker"))
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(actor, name: "test")
            let headers: HTTPFields = [
                .authorization: "Bearer \(secret)", .contentType: "application/json", .acceptLanguage: "en",
            ]
            let response = try await client.execute(
                uri: "/api/v1/cases", method: .post, headers: headers,
                body: ByteBuffer(
                    string:
                        #"{"title":"leak\u0000ing","description":"pipe","placeId":\#(fixture.tree.grid1.id),"kind":"event","channel":"patrol"}"#
                ))
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            let body = String(buffer: response.body)
            #expect(body.contains(#""code":"text_nul""#))
            #expect(body.contains("NUL character"))
            #expect(try await CaseStore(db: fixture.db).all().isEmpty)
            // An escaped backslash before "u0000" is text, not a NUL.
            let fine = try await client.execute(
                uri: "/api/v1/cases", method: .post, headers: headers,
                body: ByteBuffer(
                    string:
                        #"{"title":"C:\\u0000 path","description":"pipe","placeId":\#(fixture.tree.grid1.id),"kind":"event","channel":"patrol"}"#
                ))
            #expect(fine.status == .created)
        }
    }
}
