import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct RollPickerPagesTests {
    /// A scheduled persons' vote of the fixture's community allowing proxies, open in an hour.
    func vote(_ fixture: WebFixture, opensIn: TimeInterval = 3600) async throws -> Vote {
        let worker = try await VotePagesTests().actor(fixture, "worker")
        let commands = VoteCommands(db: fixture.db)
        let draft = try await commands.draft(
            worker,
            VotePlan(
                communityID: fixture.tree.community.id, title: "东门快递柜", spec: try PollSpec(kind: .proposal),
                basis: .persons, opensAt: Date().addingTimeInterval(opensIn), closesAt: Date().addingTimeInterval(7200),
                secrecy: .secret, proxies: ProxyRules(allowed: true)))
        return try await commands.perform(worker, draft.id, .schedule)
    }

    @Test func theProxyFormFindsRollEntriesByNameKeepsItsInputAndShowsWhoWasChosen() async throws {
        try await WebFixture.run { fixture, client in
            // given Wang and Li on the roll of a vote allowing proxies
            let (wangID, liID) = try await VotePagesTests().registry(fixture)
            let v = try await vote(fixture)
            let page = "/deliberation/votes/\(v.id)"
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (_, blank) = try await worker.get(page)
            #expect(blank.contains(#"name="q_principal""#) && !blank.contains(#"id="f-principal""#))
            // when the worker types the mandate's document and searches the roll for 李
            let (found, foundHTML) = try await worker.post(
                page + "/proxy", form: ["_search": "principal", "q_principal": "李", "document": "委托书 3 号"],
                csrfFrom: page)
            // then Li's roll entry is offered masked, and the document is kept
            #expect(found.status == .ok && foundHTML.contains("李*") && foundHTML.contains("委托书 3 号"))
            #expect(foundHTML.contains(#"name="_choose_principal" value="person:\#(liID)""#))
            #expect(!foundHTML.contains("王*"))
            // when Li is chosen, and Wang searched for as the proxy and chosen
            let (_, chosenHTML) = try await worker.post(
                page + "/proxy",
                form: ["_choose_principal": "person:\(liID)", "q_principal": "李", "document": "委托书 3 号"],
                csrfFrom: page)
            #expect(chosenHTML.contains(#"<input type="hidden" name="principal" value="person:\#(liID)">"#))
            #expect(chosenHTML.contains("<strong>李*") && chosenHTML.contains("委托书 3 号"))
            let (_, both) = try await worker.post(
                page + "/proxy",
                form: [
                    "principal": "person:\(liID)", "_choose_proxy_person": "\(wangID)", "document": "委托书 3 号",
                ], csrfFrom: page)
            #expect(both.contains("<strong>李*") && both.contains("<strong>王*"))
            // and the mandate is recorded with the chosen values
            let (recorded, _) = try await worker.post(
                page + "/proxy",
                form: ["principal": "person:\(liID)", "proxy_person": "\(wangID)", "document": "委托书 3 号"],
                csrfFrom: page)
            #expect(recorded.status == .seeOther || recorded.status == .found)
            // then the mandate shows who, never the bare ids
            let (_, after) = try await worker.get(page)
            #expect(after.contains("李*") && after.contains("王*") && !after.contains(">person:"))
            #expect(!after.contains("→ person:"))
        }
    }

    @Test func aSearchFindingNobodySaysSoAndAResidentCannotSearch() async throws {
        try await WebFixture.run { fixture, client in
            // given
            _ = try await VotePagesTests().registry(fixture)
            let v = try await vote(fixture, opensIn: -60)
            let page = "/deliberation/votes/\(v.id)"
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            // when
            let (_, none) = try await worker.post(
                page + "/issue_paper", form: ["_search": "voter", "q_voter": "欧阳", "box": "1号箱"], csrfFrom: page)
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            let (refused, _) = try await wang.post(
                page + "/proxy", form: ["_search": "principal", "q_principal": "李"], csrfFrom: page)
            // then
            #expect(none.contains("没有找到符合的人") && none.contains("1号箱"))
            #expect(refused.status == .forbidden || refused.status == .notFound)
        }
    }
}
