import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct LanguageSwitchTests {
    @Test func switchingLanguageStaysOnThePage() async throws {
        try await WebFixture.run { fixture, client in
            // given: a worker on the report form
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let (_, html) = try await browser.get("/cases/new?kind=event")
            #expect(html.contains(#"name="next" value="/cases/new?kind=event""#))
            // when
            let (switched, _) = try await browser.post(
                "/language", form: ["lang": "en", "next": "/cases/new?kind=event"], csrfFrom: "/cases/new")
            // then: back on the same page, now in English, counts in the plural
            #expect(switched.status == .seeOther)
            #expect(switched.headers[.location] == "/cases/new?kind=event")
            let (_, home) = try await browser.get("/home")
            #expect(home.contains("grids") && !home.contains(">Grid<"))
        }
    }

    @Test func aForeignNextFallsBackHome() async throws {
        try await WebFixture.run { _, client in
            var browser = Browser(client: client)
            let (switched, _) = try await browser.post(
                "/language", form: ["lang": "en", "next": "//evil.example/"], csrfFrom: "/login")
            #expect(switched.headers[.location] == "/home")
        }
    }
}
