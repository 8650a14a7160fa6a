import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import GongzhiWeb
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct LogInNextTests {
    /// Whatever `next` holds, log-in sends the browser to a path of this site: tricks that browsers read as
    /// another host go to /home instead.
    @Test func nextNeverLeavesTheSite() async throws {
        try await WebFixture.run { _, client in
            let cases: [(String, String)] = [
                ("/cases?view=mine", "/cases?view=mine"),
                ("/cases/12", "/cases/12"),
                ("//evil.example", "/home"),
                ("/\\evil.example", "/home"),
                ("\\\\evil.example", "/home"),
                ("/\t/evil.example", "/home"),
                ("/\n/evil.example", "/home"),
                ("\t//evil.example", "/home"),
                ("/%2F%2Fevil.example", "/home"),
                ("/%2f/evil.example", "/home"),
                ("/%5Cevil.example", "/home"),
                ("/%255Cevil.example", "/home"),
                ("/%09/evil.example", "/home"),
                ("https://evil.example", "/home"),
                ("javascript:alert(1)", "/home"),
                ("evil.example", "/home"),
                ("", "/home"),
            ]
            for (next, expected) in cases {
                var browser = Browser(client: client)
                let (response, _) = try await browser.post(
                    "/login",
                    form: [
                        "username": "worker", "password": WebFixture.password, "next": next,
                    ])
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == expected, "next \(next.debugDescription)")
            }
        }
    }
}
