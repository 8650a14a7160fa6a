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
            #expect(page.contains("<td>node \(fixture.tree.community.id)</td>"))
            #expect(!page.contains("<td>node \(other.id)</td>"))
            #expect(otherPage.contains("<td>node \(other.id)</td>"))
            #expect(!otherPage.contains("<td>node \(fixture.tree.community.id)</td>"))
            #expect(page.contains("新建节点") && page.contains("系统管理员"))
            #expect(page.contains("哈希链完整") && page.contains("检查点"))
            let checkpoint = try #require(try await AuditLog.newestCheckpoint(fixture.db))
            #expect(checkpoint.0.seq > 0)
        }
    }
}
