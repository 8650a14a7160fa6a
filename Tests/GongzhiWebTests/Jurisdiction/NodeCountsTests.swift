import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// A node page shows its subtree's open, overdue and this month's closed cases and its residents' accounts, each case
/// count linking to the area's list.
@Suite struct NodeCountsTests {
    @Test func aNodePageCountsItsSubtreeAndLinksToItsCases() async throws {
        try await WebFixture.run { fixture, client in
            // given: in the first grid a new case, an overdue one and one closed today; in the second grid one new case
            let tree = fixture.tree
            _ = try await fixture.signUpWang()
            let store = AccountStore(db: fixture.db)
            let user = try #require(try await store.user(username: "worker"))
            let worker = try #require(try await store.actor(for: user.id))
            let setup = CaseSetup(db: fixture.db)
            let category = try await setup.createCategory(
                .root, nodeID: tree.district.id, parentID: nil, name: "路灯照明")
            let unit = try await setup.createUnit(.root, nodeID: tree.subdistrict.id, name: "城建办")
            _ = try await setup.setRule(
                .root, nodeID: tree.district.id, categoryID: category.id, unitID: unit.id, respondHours: 1,
                resolveHours: 2, workingTime: false)
            let past = CaseCommands(db: fixture.db, clock: .fixed(Date().addingTimeInterval(-3 * 86400)))
            let now = CaseCommands(db: fixture.db)
            func report(_ title: String, at building: Node, _ commands: CaseCommands) async throws -> Case {
                try await commands.submit(
                    worker,
                    CaseSubmission(
                        kind: .event, channel: .patrol, title: title, description: "巡查发现", categoryID: category.id,
                        nodeID: building.id))
            }
            _ = try await report("新件", at: tree.buildings[0], now)
            let late = try await report("超期件", at: tree.buildings[1], past)
            try await past.perform(worker, late.id, .file(categoryID: nil))
            try await past.perform(worker, late.id, .dispatch(unitID: nil))
            let done = try await report("已办件", at: tree.buildings[0], now)
            try await now.perform(worker, done.id, .resolveAtOnce(result: "已修好"))
            let elsewhere = try await report("别处件", at: tree.buildings[2], now)
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            // when
            let (_, html) = try await browser.get("/nodes/\(tree.grid1.id)")
            // then
            func count(_ n: Int, _ label: String) -> String {
                #"<span class="queue-count">\#(n)</span> <span class="queue-label">\#(label)</span>"#
            }
            #expect(html.contains(count(2, "办理中案件")))
            #expect(html.contains(count(1, "已超期")))
            #expect(html.contains(count(1, "本月办结")))
            #expect(html.contains(count(1, "注册居民")))
            let open = "/cases?view=area&amp;node=\(tree.grid1.id)&amp;open=1"
            #expect(html.contains(#"href="\#(open)""#))
            // when: following the link
            let (_, list) = try await browser.get(open.replacingOccurrences(of: "&amp;", with: "&"))
            // then: the grid's open cases only
            #expect(list.contains(late.number) && !list.contains(done.number) && !list.contains(elsewhere.number))
            #expect(list.contains("仅显示此辖区的案件") && list.contains(tree.grid1.name))
            let (_, community) = try await browser.get("/nodes/\(tree.community.id)")
            #expect(community.contains(count(3, "办理中案件")))
            // and: the overdue and closed links find just those
            let (_, overdue) = try await browser.get("/cases?view=area&node=\(tree.grid1.id)&overdue=1")
            #expect(overdue.contains(late.number) && !overdue.contains(done.number))
            let month = WorkCalendar.dayKey(JurisdictionViewsProbe.monthStart)
            let (_, closed) = try await browser.get(
                "/cases?view=area&node=\(tree.grid1.id)&status=closed&closed_since=\(month)")
            #expect(closed.contains(done.number) && !closed.contains(late.number))
        }
    }

    @Test func anAuditorSeesTheTreeButNoCaseCounts() async throws {
        try await WebFixture.run { fixture, client in
            var auditor = Browser(client: client)
            _ = try await auditor.logIn("auditor", WebFixture.password)
            let (page, html) = try await auditor.get("/nodes/\(fixture.tree.community.id)")
            #expect(page.status == .ok)
            #expect(!html.contains("queue-count"))
        }
    }
}

/// The start of this month in Asia/Shanghai, as the page computes it.
enum JurisdictionViewsProbe {
    static var monthStart: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = WorkCalendar.zone
        return calendar.date(from: calendar.dateComponents([.year, .month], from: Date()))!
    }
}
