import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import GongzhiWeb

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
            func object(_ id: Int64) -> String { #"<a href="/nodes/\#(id)">辖区节点 \#(id)</a>"# }
            #expect(page.contains(object(fixture.tree.community.id)))
            #expect(!page.contains(object(other.id)))
            #expect(otherPage.contains(object(other.id)))
            #expect(!otherPage.contains(object(fixture.tree.community.id)))
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

@Suite struct AuditFilterPageTests {
    @Test func filtersLiveInTheURLAndChangesShowSideBySide() async throws {
        try await WebFixture.run { fixture, client in
            // given: the worker renames a grid; the other community's worker renames theirs
            let store = AccountStore(db: fixture.db)
            func actor(_ name: String) async throws -> Actor {
                let user = try #require(try await store.user(username: name))
                return try #require(try await store.actor(for: user.id))
            }
            let tree = fixture.tree
            _ = try await JurisdictionCommands(db: fixture.db).perform(
                try await actor("worker"), tree.grid1.id, .rename(name: "东片网格"))
            let otherGrid = try await JurisdictionCommands(db: fixture.db).add(
                .root, .grid, "大新一网格", under: tree.otherCommunity.id)
            _ = try await JurisdictionCommands(db: fixture.db).perform(
                try await actor("otherworker"), otherGrid.id, .rename(name: "大新东网格"))
            var auditor = Browser(client: client)
            _ = try await auditor.logIn("auditor", WebFixture.password)
            // when: renames only, by the worker, inside the first community
            let (response, html) = try await auditor.get(
                "/audit?action=node_rename&person=worker&node=\(tree.community.id)&from=2000-01-01")
            // then: one entry, its fields before and after in two columns, the changed name marked, the node linked
            #expect(response.status == .ok)
            #expect(html.components(separatedBy: "<td>节点更名</td>").count == 2)
            #expect(html.contains(#"<tr class="changed"><th scope="row">名称</th><td>第一网格</td><td>东片网格</td></tr>"#))
            #expect(html.contains(#"<tr><th scope="row">类型</th><td>网格</td><td>网格</td></tr>"#))
            #expect(html.contains(#"<a href="/nodes/\#(tree.grid1.id)">辖区节点 \#(tree.grid1.id)</a>"#))
            #expect(!html.contains("大新东网格"))
            #expect(html.contains(#"<option value="node_rename" selected>"#))
            #expect(html.contains(#"value="worker""#))
            // when: the other worker's area
            let (_, other) = try await auditor.get("/audit?node=\(tree.otherCommunity.id)&action=node_rename")
            #expect(other.contains("大新东网格") && !other.contains("东片网格</td>"))
            // when: a day that does not exist
            let (bad, badHTML) = try await auditor.get("/audit?from=2026-02-30&to=2026-03-01")
            // then: the page again with the message beside the field, not an error page
            #expect(bad.status == .unprocessableContent)
            #expect(badHTML.contains(#"<p class="field-error" id="e-from">日期格式应为 2026-11-24。</p>"#))
            #expect(badHTML.contains(#"value="2026-02-30""#))
            #expect(ErrorSummaryLinks.count(in: badHTML) == 1)
            #expect(badHTML.components(separatedBy: #"class="error-summary""#).count == 2, "one summary")
            #expect(!badHTML.contains("没有符合条件的记录"))
            #expect(ErrorSummaryLinks.unresolved(in: badHTML) == [])
            let (reversed, reversedHTML) = try await auditor.get("/audit?from=2026-03-02&to=2026-03-01")
            #expect(reversed.status == .unprocessableContent)
            #expect(reversedHTML.contains(#"id="e-to""#))
        }
    }

    @Test func beforeAndAfterAreComparedFieldByField() {
        // given
        let label: AuditViews.Label = {
            ["audit_field_name": "名称", "audit_field_status": "状态", "case_status_filed": "已受理"][$0]
        }
        // when
        let node = AuditViews.changes(
            before: #"{"name":"甲","version":1}"#, after: #"{"name":"乙","version":2,"code":"7"}"#, objectType: "node",
            language: .zh, label: label)
        let status = AuditViews.changes(
            before: "submitted", after: "filed", objectType: "case", language: .zh, label: label)
        let created = AuditViews.changes(
            before: nil, after: #"{"name":"甲"}"#, objectType: "node", language: .zh, label: label)
        // then
        #expect(node.map(\.field) == ["code", "名称", "version"])
        #expect(node.first { $0.field == "名称" } == .init(field: "名称", before: "甲", after: "乙", changed: true))
        #expect(node.first { $0.field == "code" } == .init(field: "code", before: "", after: "7", changed: true))
        #expect(status == [.init(field: "状态", before: "submitted", after: "已受理", changed: true)])
        #expect(created == [.init(field: "名称", before: "", after: "甲", changed: true)])
        let escalated = AuditViews.changes(
            before: "0", after: "2", objectType: "case", action: "case.escalate_overdue", language: .zh,
            label: {
                ["audit_field_escalation": "督办级别", "audit_value_not_escalated": "未督办", "case_escalation_2": "区督办"][$0]
            })
        #expect(escalated == [.init(field: "督办级别", before: "未督办", after: "区督办", changed: true)])
        #expect(AuditViews.changes(before: nil, after: nil, objectType: "x", language: .zh, label: label).isEmpty)
        #expect(
            AuditViews.href(objectType: "case", objectID: "5", links: .init(cases: true, users: false)) == "/cases/5")
        #expect(AuditViews.href(objectType: "case", objectID: "5", links: .init(cases: false, users: false)) == nil)
        #expect(
            AuditViews.href(objectType: "user", objectID: "8", links: .init(cases: false, users: true))
                == "/admin/users/8")
        #expect(
            AuditViews.href(objectType: "body", objectID: "3", links: .init(cases: false, users: false)) == "/bodies/3")
    }
}
