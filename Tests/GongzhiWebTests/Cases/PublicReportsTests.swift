import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct PublicReportsTests {
    @Test func anyoneReadsPublicReportsButNeverWhoReportedThem() async throws {
        try await WebFixture.run { fixture, client in
            // given: one public and one private appeal by wang
            let wang = try await fixture.signUpWang()
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: wang.id))
            let commands = CaseCommands(db: fixture.db)
            let open = try await commands.submit(
                actor,
                CaseSubmission(
                    title: "人行道砖松动", description: "3栋门口的砖翘起来了", nodeID: fixture.tree.buildings[0].id,
                    isPublic: true))
            let hidden = try await commands.submit(
                actor, CaseSubmission(title: "邻居噪音", description: "深夜", nodeID: fixture.tree.buildings[0].id))
            var visitor = Browser(client: client)
            // when
            let (list, html) = try await visitor.get("/reports")
            let (page, reportHTML) = try await visitor.get("/reports/\(open.number)")
            let (privateOne, _) = try await visitor.get("/reports/\(hidden.number)")
            let (lookup, _) = try await visitor.get("/reports?number=\(open.number.lowercased())")
            // then
            #expect(list.status == .ok && page.status == .ok)
            #expect(html.contains("人行道砖松动") && !html.contains("邻居噪音"))
            #expect(reportHTML.contains("3栋门口的砖翘起来了"))
            #expect(!reportHTML.contains("王") && !html.contains("王"), "the reporter's name appears nowhere")
            #expect(privateOne.status == .notFound)
            #expect(lookup.status == .seeOther)
            #expect(lookup.headers[.location] == "/reports/\(open.number)")
        }
    }

    @Test func theListAndTheMapKeepToTheChosenArea() async throws {
        try await WebFixture.run { fixture, client in
            // given: a public case in each community (the second filed by that community's worker)
            let wang = try await fixture.signUpWang()
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: wang.id))
            _ = try await CaseCommands(db: fixture.db).submit(
                actor,
                CaseSubmission(
                    title: "人行道砖松动", description: "x", nodeID: fixture.tree.buildings[0].id, isPublic: true))
            let other = try #require(try await AccountStore(db: fixture.db).user(username: "otherworker"))
            let otherActor = try #require(try await AccountStore(db: fixture.db).actor(for: other.id))
            _ = try await CaseCommands(db: fixture.db).submit(
                otherActor,
                CaseSubmission(
                    kind: .event, channel: .patrol, title: "广场积水", description: "y",
                    nodeID: fixture.tree.otherCommunity.id, isPublic: true))
            var visitor = Browser(client: client)
            // when
            let (_, all) = try await visitor.get("/reports")
            let (_, one) = try await visitor.get("/reports?area=\(fixture.tree.community.id)")
            // then
            #expect(all.contains("人行道砖松动") && all.contains("广场积水"))
            #expect(one.contains("人行道砖松动") && !one.contains("广场积水"))
            #expect(one.contains(#"<option value="\#(fixture.tree.community.id)" selected>"#))
        }
    }
}
