import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct ResolutionFromVoteTests {
    @Test func aClosedVoteThatPassedMakesAResolutionCitingItsArithmeticAndNoOtherVoteDoes() async throws {
        try await withTestDatabase { db in
            // given: a held residents' meeting and two votes taken at it
            let w = try await VoteWorld.make(db)
            let t0 = VoteWorld.t0
            let meeting = try await MeetingCommands(db: db, clock: .fixed(t0)).schedule(
                w.worker,
                MeetingPlan(
                    communityID: w.tree.community.id, kind: .residentsMeeting, title: "加装电梯居民会议", place: "党群服务中心",
                    startsAt: t0 + 1800, noticeReason: "电梯停运影响老人出行"))
            let held = try await MeetingCommands(db: db, clock: .fixed(t0 + 3600)).perform(
                w.worker, meeting.id, .hold(basis: .householdRepresentatives, entitled: 100, present: 60))
            let passing = try await w.vote()
            let failing = try await w.vote()
            func draft(_ vote: Int64) -> ResolutionDraft {
                ResolutionDraft(
                    meetingID: held.id, voteID: vote, text: "1栋加装电梯，由社区工作站牵头报建。", executors: [.person(w.worker.userID)],
                    deadline: CalendarDate("2027-06-01")!)
            }
            // when / then: while the vote runs, and for a vote that does not exist, nothing is adopted
            let during = ResolutionCommands(db: db, clock: .fixed(VoteWorld.during))
            await #expect(throws: DomainError.invalid("resolution_vote_not_closed", field: "vote")) {
                _ = try await during.adopt(w.worker, draft(passing.id))
            }
            await #expect(throws: DomainError.invalid("resolution_vote_invalid", field: "vote")) {
                _ = try await during.adopt(w.worker, draft(999_999))
            }
            for voter in w.voters.prefix(3) {
                _ = try await w.commands(at: VoteWorld.during).cast(voter, passing.id, .proposal(.yes))
            }
            _ = try await w.commands(at: VoteWorld.during).cast(w.voters[0], failing.id, .proposal(.no))
            let after = w.commands(at: VoteWorld.closing + 60)
            _ = try await after.perform(w.worker, passing.id, .close)
            _ = try await after.perform(w.worker, failing.id, .close)
            let later = ResolutionCommands(db: db, clock: .fixed(VoteWorld.closing + 120))
            let r = try await later.adopt(w.worker, draft(passing.id))
            #expect(r.source == .vote(voteID: passing.id, meetingID: held.id))
            #expect(r.outcome?.passed == true)
            let stored = try await ResolutionStore(db: db).record(r.id, for: w.worker, now: VoteWorld.closing + 120)
            #expect(stored.resolution.outcome == r.outcome && stored.resolution.outcome != nil)
            // one voter of four took part and said no: not quorate, and no resolution comes of it
            await #expect(throws: DomainError.self) {
                _ = try await later.adopt(w.worker, draft(failing.id))
            }
        }
    }
    @Test func aPurelyOnlineVoteThatPassedMakesAResolutionWithoutAMeeting() async throws {
        try await withTestDatabase { db in
            // given two online votes with no meeting: one where three of four voters say yes, and an owners' vote
            // where only 张三 (89.5 of 359 m²) votes, short of its own 2/3 participation rule
            let w = try await VoteWorld.make(db)
            let passing = try await w.vote()
            let thin = try await w.vote(basis: .owners, secrecy: .open, matter: .useMaintenanceFund)
            #expect(passing.meetingID == nil)
            func draft(_ vote: Int64?, topic: Int64? = nil) -> ResolutionDraft {
                ResolutionDraft(
                    meetingID: nil, voteID: vote, topicID: topic, text: "楼道统一更换节能灯。",
                    executors: [.person(w.worker.userID)], deadline: CalendarDate("2027-06-01")!)
            }
            let during = ResolutionCommands(db: db, clock: .fixed(VoteWorld.during))
            // a resolution needs a meeting or a vote, and the vote must be closed
            await #expect(throws: DomainError.invalid("resolution_source_required", field: "meeting")) {
                _ = try await during.adopt(w.worker, draft(nil))
            }
            await #expect(throws: DomainError.invalid("resolution_vote_not_closed", field: "vote")) {
                _ = try await during.adopt(w.worker, draft(passing.id))
            }
            for voter in w.voters.prefix(3) {
                _ = try await w.commands(at: VoteWorld.during).cast(voter, passing.id, .proposal(.yes))
            }
            _ = try await w.commands(at: VoteWorld.during).cast(w.voters[0], thin.id, .proposal(.yes))
            let after = w.commands(at: VoteWorld.closing + 60)
            _ = try await after.perform(w.worker, passing.id, .close)
            _ = try await after.perform(w.worker, thin.id, .close)
            // when
            let later = ResolutionCommands(db: db, clock: .fixed(VoteWorld.closing + 120))
            let r = try await later.adopt(w.worker, draft(passing.id))
            // then it cites the vote and no meeting, with the vote's arithmetic
            #expect(r.source == .vote(voteID: passing.id, meetingID: nil) && r.outcome?.passed == true)
            let stored = try await ResolutionStore(db: db).record(r.id, for: w.worker, now: VoteWorld.closing + 120)
            #expect(stored.resolution.source == r.source && stored.resolution.outcome == r.outcome)
            // and the vote's own participation rule decides: the thin owners' vote makes none, with its arithmetic
            await #expect(
                throws: DomainError(.conflict, "resolution_vote_not_quorate", args: ["89.5/359 m² = 24.9%"])
            ) { _ = try await later.adopt(w.worker, draft(thin.id)) }
            // and a resident may not adopt one
            await #expect(throws: DomainError.self) {
                _ = try await later.adopt(w.voters[0], draft(passing.id))
            }
        }
    }
}
