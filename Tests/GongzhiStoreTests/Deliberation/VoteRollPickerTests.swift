import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct VoteRollPickerTests {
    @Test func aNameFindsTheRollEntriesThatPersonVotesForNamedByEveryoneWhoMayCastForThem() async throws {
        try await withTestDatabase { db in
            // given a households' vote: 张三 and 李四 (and their child) are household H1
            let w = try await VoteWorld.make(db)
            let v = try await w.vote(basis: .households, proxies: ProxyRules(allowed: true))
            // when the worker searches for 李
            let found = try await w.store.rollChoices(v.id, query: "李", for: w.worker, now: VoteWorld.t0)
            // then H1's entry is offered, named by both adults, masked
            #expect(found.count == 1)
            #expect(found.first?.key.hasPrefix("household:") == true && found.first?.names == ["张*", "李*"])
            #expect(found.first?.place.isEmpty == false)
            // and a chosen entry reads back the same way; a resident may not search
            let key = try #require(found.first?.key)
            let labels = try await w.store.labels(v.id, keys: [key, "person:\(w.people[2])"], for: w.worker)
            #expect(labels[key]?.names == ["张*", "李*"] && labels["person:\(w.people[2])"]?.names == ["王*"])
            await #expect(throws: DomainError.self) {
                _ = try await w.store.rollChoices(v.id, query: "李", for: w.voters[0], now: VoteWorld.t0)
            }
        }
    }

    @Test func anOwnersVoteOffersTheOwnersEntryAndNobodyForAnEmptyQuery() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await VoteWorld.make(db)
            let v = try await w.vote(basis: .owners, secrecy: .open, proxies: ProxyRules(allowed: true))
            // when
            let zhao = try await w.store.rollChoices(v.id, query: "赵六", for: w.worker, now: VoteWorld.t0)
            let empty = try await w.store.rollChoices(v.id, query: "  ", for: w.worker, now: VoteWorld.t0)
            // then
            #expect(zhao.map(\.names) == [["赵*"]] && zhao.first?.key.hasPrefix("owner:") == true)
            #expect(empty.isEmpty)
        }
    }
}
