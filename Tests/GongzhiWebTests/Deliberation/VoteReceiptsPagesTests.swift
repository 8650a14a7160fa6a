import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct VoteReceiptsPagesTests {
    @Test func aPublishedSecretVoteListsItsReceiptsWithoutVotersAndChecksACode() async throws {
        try await WebFixture.run { fixture, client in
            // given a secret vote that ran two hours ago, in which Wang voted yes
            _ = try await VotePagesTests().registry(fixture)
            let worker = try await VotePagesTests().actor(fixture, "worker")
            let wang = try await VotePagesTests().actor(fixture, "wang")
            let start = Date().addingTimeInterval(-7200)
            let v = try await VoteCommands(db: fixture.db, clock: .fixed(start)).draft(
                worker,
                VotePlan(
                    communityID: fixture.tree.community.id, title: "垃圾分类投放点调整", spec: try PollSpec(kind: .proposal),
                    basis: .persons, opensAt: start.addingTimeInterval(60), closesAt: start.addingTimeInterval(3600),
                    secrecy: .secret))
            let during = VoteCommands(db: fixture.db, clock: .fixed(start.addingTimeInterval(600)))
            try await during.perform(worker, v.id, .schedule)
            let receipt = try await during.cast(wang, v.id, .proposal(.yes))
            let later = VoteCommands(db: fixture.db)
            try await later.perform(worker, v.id, .close)
            let page = "/deliberation/votes/\(v.id)"
            var resident = Browser(client: client)
            _ = try await resident.logIn("wang", WebFixture.password)
            // when the result is not published yet, then there is no list for a resident, nor its link
            let (early, _) = try await resident.get(page + "/receipts")
            #expect(early.status == .conflict)
            #expect(!(try await resident.get(page)).1.contains(page + "/receipts"))
            // when it is published
            try await later.perform(worker, v.id, .publish)
            let (_, votePage) = try await resident.get(page)
            let (list, html) = try await resident.get(page + "/receipts")
            // then the vote links to the list, which shows the receipt and its choice, and nobody's name
            #expect(votePage.contains(#"href="\#(page)/receipts""#))
            #expect(list.status == .ok && html.contains(receipt.description) && html.contains("同意"))
            #expect(!html.contains("下一页"))
            // (the page's header names the reader: the list itself is checked as the worker)
            var staff = Browser(client: client)
            _ = try await staff.logIn("worker", WebFixture.password)
            let (_, workerView) = try await staff.get(page + "/receipts")
            #expect(workerView.contains(receipt.description) && !workerView.contains("王"))
            // and a code is checked on the same page, a typo refused in words
            let (_, found) = try await resident.get(page + "/receipts?code=\(receipt.symbols.lowercased())")
            #expect(found.contains("已在公示名单中找到您的选票"))
            let (typo, typoHTML) = try await resident.get(page + "/receipts?code=ABCD")
            #expect(typo.status == .unprocessableContent && typoHTML.contains("回执码不正确"))
            // and a page after the last receipt is empty, with the way back
            let (_, after) = try await resident.get(page + "/receipts?after=\(receipt.symbols)")
            #expect(after.contains("没有回执码") && after.contains("回到第一页"))
            // A worker of another community is told there is no such vote.
            var other = Browser(client: client)
            _ = try await other.logIn("otherworker", WebFixture.password)
            #expect(try await other.get(page + "/receipts").0.status == .notFound)
        }
    }
}
