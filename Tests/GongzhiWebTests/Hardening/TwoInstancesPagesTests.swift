import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import GongzhiWeb
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Two instances behind one reverse proxy (issue 11): a session begun on one works on the other, a form's CSRF
/// token from one is taken by the other, and a log-out on one ends the session on both — nothing is kept in memory.
@Suite struct TwoInstancesPagesTests {
    @Test func aSessionAndItsFormTokensWorkOnEitherInstanceAndALogOutEndsItOnBoth() async throws {
        try await WebFixture.run { fixture, clientA in
            // given: a second instance on the same database, with its own connections and the same configuration
            let b = try Database.open(url: fixture.db.url, connectionsPerLoop: 2, requestTimeoutSeconds: 120)
            try b.useServerSecret(testAuditSecret)
            let config = WebConfig(
                secret: String(repeating: "s", count: 40), secureCookies: false,
                accounts: AccountSettings(bcryptCost: 4))
            let services = AppServices(db: b, config: config, views: try await Views.load())
            let app = Application(router: buildRouter(services), logger: Logger(label: "gongzhi.test.b"))
            do {
                try await app.test(.router) { clientB in
                    // when: the worker signs in on A, then goes on on B with the same cookies
                    var onA = Browser(client: clientA)
                    _ = try await onA.logIn("worker", WebFixture.password)
                    var onB = Browser(client: clientB)
                    onB.cookies = onA.cookies
                    // then: B knows the session
                    let (home, homeHTML) = try await onB.get("/home")
                    #expect(home.status == .ok)
                    #expect(homeHTML.contains("worker"))
                    // and A takes a form token that B's page gave, and B one that A's gave
                    let (_, pageB) = try await onB.get("/notifications")
                    let (fromB, _) = try await onA.post(
                        "/language", form: ["lang": "en", "next": "/home", "_csrf": Browser.csrf(in: pageB)])
                    #expect(fromB.status == .seeOther)
                    let (_, pageA) = try await onA.get("/notifications")
                    let (fromA, _) = try await onB.post(
                        "/language", form: ["lang": "zh", "next": "/home", "_csrf": Browser.csrf(in: pageA)])
                    #expect(fromA.status == .seeOther)
                    // when: the worker logs out on B
                    let (_, again) = try await onB.get("/home")
                    let (out, _) = try await onB.post("/logout", form: ["_csrf": Browser.csrf(in: again)])
                    #expect(out.status == .seeOther)
                    // then: A no longer lets the old session in
                    let (after, _) = try await onA.get("/home")
                    #expect(after.status == .seeOther)
                    #expect(after.headers[.location]?.hasPrefix("/login") == true)
                }
            } catch {
                await b.shutdown()
                throw error
            }
            await b.shutdown()
        }
    }
}
