import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import GongzhiWeb
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct SessionTests {
    @Test func healthzAndMetricsAnswer() async throws {
        try await WebFixture.run { _, client in
            var browser = Browser(client: client)
            let (health, body) = try await browser.get("/healthz")
            #expect(health.status == .ok)
            #expect(body == "ok\n")
            #expect(health.headers[.contentSecurityPolicy]?.contains("object-src 'none'") == true)
            // Without a metrics token configured there are no metrics to see.
            #expect(try await browser.get("/metrics").0.status == .notFound)
        }
    }

    @Test func logInOpensASessionAndLogOutEndsIt() async throws {
        try await WebFixture.run { _, client in
            var browser = Browser(client: client)
            // when
            let response = try await browser.logIn("worker", WebFixture.password)
            // then
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/home")
            let (home, html) = try await browser.get("/home")
            #expect(home.status == .ok)
            #expect(html.contains("同乐社区"))
            #expect(home.headers[.cacheControl] == "no-store")
            _ = try await browser.post("/logout", form: [:], csrfFrom: "/home")
            let (after, _) = try await browser.get("/home")
            #expect(after.status == .seeOther)
            #expect(after.headers[.location]?.hasPrefix("/login") == true)
        }
    }

    @Test func wrongPasswordIsRefusedInTheUsersLanguage() async throws {
        try await WebFixture.run { _, client in
            var browser = Browser(client: client)
            let (response, html) = try await browser.post(
                "/login", form: ["username": "worker", "password": "wrong password!"])
            #expect(response.status == .unauthorized)
            #expect(html.contains("用户名或密码不正确"))
            var english = Browser(client: client, acceptLanguage: "en-GB,en;q=0.9")
            let (_, page) = try await english.get("/login")
            let csrf = Browser.csrf(in: page)
            let (_, englishHTML) = try await english.post(
                "/login", form: ["_csrf": csrf, "username": "worker", "password": "wrong password!"])
            #expect(englishHTML.contains("The username or password is wrong"))
        }
    }

    @Test func fiveFailuresLockTheAccountEvenForTheRightPassword() async throws {
        try await WebFixture.run { _, client in
            var browser = Browser(client: client)
            for _ in 0..<5 {
                _ = try await browser.post("/login", form: ["username": "worker", "password": "not the password"])
            }
            let (response, html) = try await browser.post(
                "/login", form: ["username": "worker", "password": WebFixture.password])
            #expect(response.status == .tooManyRequests)
            #expect(html.contains("锁定"))
            // Another account is unaffected.
            #expect(try await browser.logIn("admin", WebFixture.password).status == .seeOther)
        }
    }

    @Test func postWithoutCSRFTokenChangesNothing() async throws {
        try await WebFixture.run { fixture, client in
            var browser = Browser(client: client)
            _ = try await browser.logIn("admin", WebFixture.password)
            let (response, _) = try await browser.post(
                "/nodes/\(fixture.tree.grid1.id)/rename", form: ["_csrf": "forged", "name": "被篡改"])
            #expect(response.status == .forbidden)
            let grid = try await JurisdictionStore(db: fixture.db).node(fixture.tree.grid1.id)
            #expect(grid?.name == "第一网格")
        }
    }

    @Test func expiredSessionIsRefused() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            let accounts = AccountCommands(db: db, clock: .fixed(start), settings: AccountSettings(bcryptCost: 4))
            _ = try await accounts.createUser(
                .root, username: "worker", displayName: "w", password: WebFixture.password,
                role: .communityWorker, nodeID: tree.community.id)
            let signIn = try await accounts.logIn(username: "worker", password: WebFixture.password, address: "t")
            #expect(try await accounts.authenticateSession(signIn.sessionToken) != nil)
            let later = AccountCommands(
                db: db, clock: .fixed(start.addingTimeInterval(31 * 60)), settings: AccountSettings(bcryptCost: 4))
            #expect(try await later.authenticateSession(signIn.sessionToken) == nil)
        }
    }

    @Test func residentSignsUpBoundToTheirBuilding() async throws {
        try await WebFixture.run { fixture, client in
            var browser = Browser(client: client)
            let building = fixture.tree.buildings[0]
            let (step2, html) = try await browser.get("/signup?community=\(fixture.tree.community.id)")
            #expect(step2.status == .ok)
            #expect(html.contains(building.name))
            let (response, _) = try await browser.post(
                "/signup",
                form: [
                    "_csrf": Browser.csrf(in: html), "community_id": "\(fixture.tree.community.id)",
                    "building": "\(building.id)",
                    "display_name": "王阿姨", "username": "wang", "password": "我家住在同乐社区一栋",
                ])
            #expect(response.status == .seeOther)
            let user = try #require(try await AccountStore(db: fixture.db).user(username: "wang"))
            #expect(user.homeNodeID == building.id)
            #expect(try await AccountStore(db: fixture.db).grants(of: user.id).map(\.role) == [.resident])
        }
    }

    @Test func weakPasswordAtSignUpIsShownBesideTheField() async throws {
        try await WebFixture.run { fixture, client in
            var browser = Browser(client: client)
            let (_, html) = try await browser.get("/signup?community=\(fixture.tree.community.id)")
            let (response, page) = try await browser.post(
                "/signup",
                form: [
                    "_csrf": Browser.csrf(in: html), "community_id": "\(fixture.tree.community.id)",
                    "building": "\(fixture.tree.buildings[0].id)", "display_name": "王", "username": "wang",
                    "password": "1234567890",
                ])
            #expect(response.status == .unprocessableContent)
            #expect(page.contains("这个密码太常见或太简单"))
            #expect(try await AccountStore(db: fixture.db).user(username: "wang") == nil)
        }
    }
}

@Suite struct SecondFactorPagesTests {
    @Test func staffWithoutSecondFactorAreSentToSetItUpWhenRequired() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let settings = AccountSettings(bcryptCost: 4)
            _ = try await AccountCommands(db: db, settings: settings).createUser(
                .root, username: "worker", displayName: "w", password: WebFixture.password, role: .communityWorker,
                nodeID: tree.community.id)
            let services = AppServices(
                db: db,
                config: WebConfig(
                    secret: String(repeating: "s", count: 40), secureCookies: false, accounts: settings,
                    requireStaffSecondFactor: true),
                views: try await Views.load())
            try await Application(router: buildRouter(services)).test(.router) { client in
                var browser = Browser(client: client)
                _ = try await browser.logIn("worker", WebFixture.password)
                let (home, _) = try await browser.get("/home")
                #expect(home.status == .seeOther)
                #expect(home.headers[.location] == "/account?setup_second_factor=1")
                let (account, html) = try await browser.get("/account?setup_second_factor=1")
                #expect(account.status == .ok)
                #expect(html.contains("两步验证"))
                let (begun, page) = try await browser.post(
                    "/account/second-factor/begin", form: ["_csrf": Browser.csrf(in: html)])
                #expect(begun.status == .ok)
                #expect(page.contains("otpauth://totp/"))
            }
        }
    }
}
