import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import GongzhiWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

/// Disabling accounts, the must-change-password block, tokens under the second-factor rule, and the address block.
@Suite struct AccountAccessPagesTests {
    func bearer(_ db: Database, _ username: String) async throws -> HTTPFields {
        let user = try #require(try await AccountStore(db: db).user(username: username))
        let actor = try #require(try await AccountStore(db: db).actor(for: user.id))
        let (_, secret) = try await AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4)).createToken(
            actor, name: "test")
        return [.authorization: "Bearer \(secret)", .contentType: "application/json"]
    }

    @Test func anAdministratorDisablesAnAccountFromItsPageAndItsSessionEnds() async throws {
        try await WebFixture.run { fixture, client in
            // given
            var grid = Browser(client: client)
            _ = try await grid.logIn("gridworker", WebFixture.password)
            #expect(try await grid.get("/home").0.status == .ok)
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let target = try #require(try await AccountStore(db: fixture.db).user(username: "gridworker"))
            let (page, html) = try await worker.get("/admin/users/\(target.id)")
            #expect(page.status == .ok)
            #expect(html.contains("停用此账号"))
            // a forged form changes nothing
            let (forged, _) = try await worker.post("/admin/users/\(target.id)/disable", form: ["_csrf": "forged"])
            #expect(forged.status == .forbidden)
            #expect(try await AccountStore(db: fixture.db).user(target.id)?.disabledAt == nil)
            // when
            let (done, _) = try await worker.post(
                "/admin/users/\(target.id)/disable", form: ["_csrf": Browser.csrf(in: html)])
            // then
            #expect(done.status == .seeOther)
            let (after, _) = try await grid.get("/home")
            #expect(after.status == .seeOther)
            #expect(after.headers[.location]?.hasPrefix("/login") == true)
            var stranger = Browser(client: client)
            #expect(try await stranger.logIn("gridworker", WebFixture.password).status == .unauthorized)
            let (_, again) = try await worker.get("/admin/users/\(target.id)")
            #expect(again.contains("重新启用此账号"))
        }
    }

    @Test func noButtonAndNoWayToDisableAnAuditor() async throws {
        try await WebFixture.run { fixture, client in
            var admin = Browser(client: client)
            _ = try await admin.logIn("admin", WebFixture.password)
            let auditor = try #require(try await AccountStore(db: fixture.db).user(username: "auditor"))
            let (page, html) = try await admin.get("/admin/users/\(auditor.id)")
            #expect(page.status == .ok)
            #expect(!html.contains("停用此账号"))
            #expect(!html.contains(#"<option value="auditor">"#))
            let (refused, _) = try await admin.post(
                "/admin/users/\(auditor.id)/disable", form: ["_csrf": Browser.csrf(in: html)])
            #expect(refused.status == .unprocessableContent || refused.status == .forbidden)
            #expect(try await AccountStore(db: fixture.db).user(auditor.id)?.disabledAt == nil)
        }
    }

    @Test func theAPIDisablesAnAccountAndItsTokensStop() async throws {
        try await WebFixture.run { fixture, client in
            let admin = try await bearer(fixture.db, "admin")
            let gridToken = try await bearer(fixture.db, "gridworker")
            let target = try #require(try await AccountStore(db: fixture.db).user(username: "gridworker"))
            let auditor = try #require(try await AccountStore(db: fixture.db).user(username: "auditor"))
            let refused = try await client.execute(
                uri: "/api/v1/users/\(auditor.id)/disable", method: .post, headers: admin)
            #expect(refused.status == .forbidden)
            let done = try await client.execute(
                uri: "/api/v1/users/\(target.id)/disable", method: .post, headers: admin)
            #expect(done.status == .ok)
            #expect(
                try await client.execute(uri: "/api/v1/me", method: .get, headers: gridToken).status == .unauthorized)
            let enabled = try await client.execute(
                uri: "/api/v1/users/\(target.id)/enable", method: .post, headers: admin)
            #expect(enabled.status == .ok)
            #expect(try await AccountStore(db: fixture.db).user(target.id)?.disabledAt == nil)
        }
    }

    @Test func afterAResetEveryPageLeadsToTheChangePasswordForm() async throws {
        try await WebFixture.run { fixture, client in
            // given: an administrator resets the grid worker's password; the old token ends
            let oldToken = try await bearer(fixture.db, "gridworker")
            var admin = Browser(client: client)
            _ = try await admin.logIn("admin", WebFixture.password)
            let target = try #require(try await AccountStore(db: fixture.db).user(username: "gridworker"))
            let (_, html) = try await admin.get("/admin/users/\(target.id)")
            let (reset, _) = try await admin.post(
                "/admin/users/\(target.id)/reset-password",
                form: ["_csrf": Browser.csrf(in: html), "password": "a brand new passphrase"])
            #expect(reset.status == .ok)
            #expect(
                try await client.execute(uri: "/api/v1/me", method: .get, headers: oldToken).status == .unauthorized)
            // when
            var grid = Browser(client: client)
            let login = try await grid.logIn("gridworker", "a brand new passphrase")
            // then
            #expect(login.headers[.location] == "/account?must_change=1")
            for path in ["/home", "/cases", "/nodes/\(fixture.tree.grid1.id)"] {
                let (blocked, _) = try await grid.get(path)
                #expect(blocked.status == .seeOther, "\(path)")
                #expect(blocked.headers[.location] == "/account?must_change=1", "\(path)")
            }
            let (account, page) = try await grid.get("/account?must_change=1")
            #expect(account.status == .ok)
            let csrf = Browser.csrf(in: page)
            let (tokens, _) = try await grid.post("/account/tokens", form: ["_csrf": csrf, "name": "x"])
            #expect(tokens.headers[.location] == "/account?must_change=1")
            #expect(try await AccountStore(db: fixture.db).tokens(of: target.id).allSatisfy { $0.revokedAt != nil })
            let (language, _) = try await grid.post(
                "/language", form: ["_csrf": csrf, "lang": "en", "next": "/account"])
            #expect(language.status == .seeOther)
            #expect(language.headers[.location] == "/account")
            let (changed, _) = try await grid.post(
                "/account/password",
                form: [
                    "_csrf": csrf, "current_password": "a brand new passphrase", "password": "my very own passphrase",
                ])
            #expect(changed.status == .ok)
            #expect(try await grid.get("/home").0.status == .ok)
        }
    }

    @Test func anAPICallWhileThePasswordMustChangeIsRefusedInTheCallersLanguage() async throws {
        try await WebFixture.run { fixture, client in
            var headers = try await bearer(fixture.db, "gridworker")
            try await fixture.db.transaction { sql in
                try await sql.raw("UPDATE users SET must_change_password = 1 WHERE username = 'gridworker'").run()
            }
            headers[.acceptLanguage] = "en"
            let response = try await client.execute(uri: "/api/v1/me", method: .get, headers: headers)
            #expect(response.status == .forbidden)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem =
                try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
            #expect(problem?["code"] as? String == "password_change_required")
            #expect((problem?["detail"] as? String)?.contains("new password") == true)
        }
    }

    @Test func staffWithoutASecondFactorGetNoTokenWhenItIsRequired() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let settings = AccountSettings(bcryptCost: 4)
            _ = try await AccountCommands(db: db, settings: settings).createUser(
                .root, username: "worker", displayName: "w", password: WebFixture.password, role: .communityWorker,
                nodeID: tree.community.id)
            let earlier = try await bearer(db, "worker")
            let services = AppServices(
                db: db,
                config: WebConfig(
                    secret: String(repeating: "s", count: 40), secureCookies: false, accounts: settings,
                    requireStaffSecondFactor: true),
                views: try await Views.load())
            try await Application(router: buildRouter(services)).test(.router) { client in
                let api = try await client.execute(uri: "/api/v1/me", method: .get, headers: earlier)
                #expect(api.status == .forbidden)
                #expect(String(buffer: api.body).contains("second_factor_required"))
                var browser = Browser(client: client)
                _ = try await browser.logIn("worker", WebFixture.password)
                let (_, html) = try await browser.get("/account?setup_second_factor=1")
                let (created, page) = try await browser.post(
                    "/account/tokens", form: ["_csrf": Browser.csrf(in: html), "name": "手机"])
                #expect(created.status == .unprocessableContent)
                #expect(page.contains("工作人员须先开启两步验证"))
                let user = try #require(try await AccountStore(db: db).user(username: "worker"))
                #expect(try await AccountStore(db: db).tokens(of: user.id).count == 1)
            }
        }
    }

    @Test func aForgedForwardedForDoesNotDodgeTheAddressBlock() async throws {
        try await WebFixture.run { _, client in
            var browser = Browser(client: client)
            let (_, page) = try await browser.get("/login")
            let csrf = Browser.csrf(in: page)
            func attempt(
                _ username: String, _ password: String, from forwarded: String
            ) async throws -> (TestResponse, String) {
                var headers = browser.merged([.contentType: "application/x-www-form-urlencoded"])
                headers[HTTPField.Name("X-Forwarded-For")!] = forwarded
                let body =
                    "_csrf=\(csrf)&username=\(username)&password=\(password.replacingOccurrences(of: " ", with: "+"))"
                let response = try await client.execute(
                    uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: body))
                return (response, String(buffer: response.body))
            }
            for i in 0..<20 { _ = try await attempt("nobody\(i)", "not the password", from: "203.0.113.\(i)") }
            let (blocked, html) = try await attempt("admin", WebFixture.password, from: "198.51.100.7")
            #expect(blocked.status == .tooManyRequests)
            #expect(html.contains("此网络地址登录失败次数过多"))
        }
    }

    @Test func forwardedForCountsOnlyFromATrustedProxy() {
        let trusted: Set<String> = ["10.0.0.2", "10.0.0.3"]
        #expect(
            ClientAddress.resolve(peer: "198.51.100.7", forwardedFor: "203.0.113.9", trusted: trusted) == "198.51.100.7"
        )
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: "203.0.113.9", trusted: trusted) == "203.0.113.9")
        #expect(
            ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: "1.2.3.4, 203.0.113.9, 10.0.0.3", trusted: trusted)
                == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: nil, trusted: trusted) == "10.0.0.2")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: "203.0.113.9", trusted: []) == "10.0.0.2")
    }

    @Test func theLockOutAnswerIsTheSameForAnUnknownUsername() async throws {
        try await WebFixture.run { _, client in
            var answers: [String: (HTTPResponse.Status, Bool)] = [:]
            for name in ["worker", "ghost"] {
                var browser = Browser(client: client)
                for _ in 0..<5 {
                    _ = try await browser.post("/login", form: ["username": name, "password": "not the password"])
                }
                let (response, html) = try await browser.post(
                    "/login", form: ["username": name, "password": "not the password"])
                answers[name] = (response.status, html.contains("账号已暂时锁定"))
            }
            #expect(answers["worker"]?.0 == .tooManyRequests)
            #expect(answers["worker"]?.1 == true)
            #expect(answers["ghost"]?.0 == answers["worker"]?.0)
            #expect(answers["ghost"]?.1 == answers["worker"]?.1)
        }
    }
}
