import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

/// A resident who forgot their password is told who resets it, and their community's worker can.
@Suite struct ForgotPasswordTests {
    @Test func theLoginPageSaysWhoResetsAForgottenPassword() async throws {
        try await WebFixture.run { fixture, client in
            var browser = Browser(client: client)
            let (_, zh) = try await browser.get("/login")
            #expect(zh.contains("<summary>忘记密码？</summary>"))
            #expect(zh.contains("请联系您所在社区的工作人员"))
            #expect(!zh.contains("短信") && !zh.contains("验证码"), "no SMS channel is configured")
            browser.acceptLanguage = "en"
            let (_, en) = try await browser.get("/login")
            #expect(en.contains("Forgot your password?") && en.contains("Residents: ask your community"))
        }
    }

    @Test func aCommunityWorkerFindsAResidentAndResetsTheirPasswordOnce() async throws {
        try await WebFixture.run { fixture, client in
            // given: wang signed up at a building of the worker's community
            let wang = try await fixture.signUpWang()
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            // when: the worker searches the accounts and opens wang's
            let (_, list) = try await worker.get("/admin/users?q=wang")
            #expect(list.contains("/admin/users/\(wang.id)"))
            let page = "/admin/users/\(wang.id)"
            let (_, html) = try await worker.get(page)
            #expect(html.contains("\(page)/reset-password"))
            let (reset, resetHTML) = try await worker.post(
                "\(page)/reset-password", form: ["password": "temporary pass 2026", "version": "\(wang.version)"],
                csrfFrom: page)
            // then: reset, to be changed at the next log-in, audited
            #expect(reset.status == .ok)
            #expect(!resetHTML.contains("field-error"))
            var resident = Browser(client: client)
            let login = try await resident.logIn("wang", "temporary pass 2026")
            #expect(login.headers[.location] == "/account?must_change=1")
            let audited = try await fixture.db.read { sql in
                try await sql.raw(
                    "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'user.reset_password' AND object_id = \(bind: "\(wang.id)")"
                ).first()!.decode(column: "n", as: Int.self)
            }
            #expect(audited == 1)
            // and: a worker of another community does not even find the account
            var other = Browser(client: client)
            _ = try await other.logIn("otherworker", WebFixture.password)
            let (_, otherList) = try await other.get("/admin/users?q=wang")
            #expect(!otherList.contains("/admin/users/\(wang.id)"))
            #expect(try await other.get(page).0.status == .notFound)
        }
    }
}
