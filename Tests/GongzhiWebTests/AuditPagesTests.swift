import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import GongzhiWeb
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct AuditPagesTests {
    @Test func anAuditorSeesTheirDistrictAndTheVerificationFromTheCheckpoint() async throws {
        try await WebFixture.run { fixture, client in
            // given: a second district with its own auditor
            let other = try await JurisdictionCommands(db: fixture.db).add(
                .root, .district, "福田区", code: "440304", under: nil)
            _ = try await AccountCommands(db: fixture.db, settings: AccountSettings(bcryptCost: 4)).createUser(
                .commandLine, username: "auditor2", displayName: "审计二", password: WebFixture.password, role: .auditor,
                nodeID: other.id)
            // when
            var first = Browser(client: client)
            _ = try await first.logIn("auditor", WebFixture.password)
            let (_, page) = try await first.get("/audit")
            var second = Browser(client: client)
            _ = try await second.logIn("auditor2", WebFixture.password)
            let (_, otherPage) = try await second.get("/audit")
            // then: each sees their own district's entries, named readably, and how the chain was checked
            #expect(page.contains("<td>辖区节点 \(fixture.tree.community.id)</td>"))
            #expect(!page.contains("<td>辖区节点 \(other.id)</td>"))
            #expect(otherPage.contains("<td>辖区节点 \(other.id)</td>"))
            #expect(!otherPage.contains("<td>辖区节点 \(fixture.tree.community.id)</td>"))
            #expect(page.contains("新建节点") && page.contains("系统管理员"))
            #expect(page.contains("哈希链完整") && page.contains("检查点"))
            let checkpoint = try #require(try await AuditLog.newestCheckpoint(fixture.db))
            #expect(checkpoint.0.seq > 0)
        }
    }
}

@Suite struct AuditTranslationTests {
    @Test func theAuditLogSpeaksChineseNotKeys() async throws {
        try await WebFixture.run { fixture, client in
            // given: a log-in, a failed log-in, a filed case and its first step
            let wang = try await fixture.signUpWang()
            let resident = try #require(try await AccountStore(db: fixture.db).actor(for: wang.id))
            let workerUser = try #require(try await AccountStore(db: fixture.db).user(username: "worker"))
            let worker = try #require(try await AccountStore(db: fixture.db).actor(for: workerUser.id))
            let c = try await CaseCommands(db: fixture.db).submit(
                resident, CaseSubmission(title: "路灯", description: "不亮", nodeID: fixture.tree.buildings[0].id))
            _ = try await CaseCommands(db: fixture.db).perform(worker, c.id, .file(categoryID: nil))
            var intruder = Browser(client: client)
            _ = try await intruder.logIn("worker", "wrong password")
            var auditor = Browser(client: client)
            _ = try await auditor.logIn("auditor", WebFixture.password)
            // when
            let (_, html) = try await auditor.get("/audit")
            // then: actions, roles, objects and results in words
            #expect(html.contains("受理立案") && html.contains("用户名或密码错误") && html.contains("成功"))
            #expect(html.contains("案件 \(c.id)"))
            for raw in [
                "case.file", "case.submit", "auth.login", "communityWorker", ">ok<", ">case ", "<td>system</td>",
            ] {
                #expect(!html.contains(raw), "\(raw) shown as a key")
            }
        }
    }
}
