import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

/// Vote results on the public face (issue 13 item 7): only once published, with the arithmetic, never who voted.
@Suite struct PublicVotesTests {
    @Test func aVotesResultIsPublicOnlyOncePublishedAndWithItsArithmetic() async throws {
        try await withTestDatabase { db in
            // given an owners' vote that three owners voted in and that has been closed but not published
            let w = try await VoteWorld.make(db)
            let v = try await w.vote(basis: .owners, secrecy: .open, matter: .useMaintenanceFund)
            let c = w.commands(at: VoteWorld.during)
            _ = try await c.cast(w.voters[0], v.id, .proposal(.yes))
            _ = try await c.cast(w.voters[2], v.id, .proposal(.yes))
            _ = try await c.cast(w.voters[3], v.id, .proposal(.no))
            let reads = DeliberationPublic(db: db)
            let closed = try await w.commands(at: VoteWorld.closing).perform(w.worker, v.id, .close)
            // then nothing of it is public yet
            await #expect(throws: DomainError.notFound) { _ = try await reads.vote(number: v.number) }
            #expect(try await reads.community(w.tree.community.id, now: VoteWorld.closing).votes.isEmpty)
            // when it is published
            let published = try await w.commands(at: VoteWorld.closing + 60).perform(w.worker, v.id, .publish)
            // then the community's public face lists it and its page gives the result with its arithmetic
            let face = try await reads.community(w.tree.community.id, now: VoteWorld.closing + 120)
            #expect(face.votes.map(\.number) == [v.number])
            let p = try await reads.vote(number: v.number)
            #expect(p.result == closed.result && p.publishedAt == published.publishedAt)
            #expect(p.result.outcome?.checks.map(\.arithmetic).first == "239/359 m² = 66.6%")
            #expect(
                p.publishedUntil == published.publishedUntil && p.basis == .owners && p.matter == .useMaintenanceFund)
            #expect(try await reads.communities().contains { $0.id == w.tree.community.id })
            // and an unknown number is simply not found
            await #expect(throws: DomainError.notFound) { _ = try await reads.vote(number: "TP20990101-000001") }
        }
    }
}
