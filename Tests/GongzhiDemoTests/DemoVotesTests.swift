import Foundation
import GongzhiDemo
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct DemoVotesTests {
    @Test func theDemoHoldsVotesInEveryStateEachCountedExactly() async throws {
        try await withTestDatabase { db in
            // when
            let summary = try await DemoBuilder(db: db, bcryptCost: 4).build(scale: 0.03, peoplePerBuilding: 30)
            // then: the worker of the first community sees a vote in every phase
            let accounts = AccountStore(db: db)
            let user = try #require(try await accounts.user(username: "worker"))
            let worker = try #require(try await accounts.actor(for: user.id))
            let store = VoteStore(db: db)
            let votes = try await store.list(for: worker)
            let now = Date()
            #expect(summary.votes == 7 && votes.count == 7)
            #expect(Set(votes.map { $0.phase(at: now) }) == [.draft, .scheduled, .open, .closed, .published])
            #expect(Set(votes.map(\.secrecy.secrecy)) == [.open, .secret])
            // Every counted vote's stored result equals a recount from its rows, paper box included.
            for v in votes where v.state == .closed || v.state == .published {
                let result = try #require(v.result)
                #expect(try await store.recount(v.id, for: worker, now: now) == result)
                #expect(result.participants > 0)
            }
            let owners = try #require(votes.first { $0.basis == .owners })
            #expect(owners.state == .published && owners.result?.outcome?.checks.count == 4)
            #expect(owners.result?.outcome?.passed == true)
            // the developer's unsold houses are one head, whose ballot came on paper
            #expect(owners.result?.paper == 1 && owners.result?.poll.options.first?.count ?? 0 > 1)
            let parking = try #require(votes.first { $0.title == "小区停车位重新规划方案" })
            #expect(parking.result?.paper == 6 && parking.result?.poll.void == 1)
            // and a residents' meeting is under way, its sheet part-filled one adult per household: the worker may
            // go on signing people in
            let meetings = try await MeetingStore(db: db).list(for: worker)
            let underWay = try #require(meetings.first { $0.title == "居民会议：老旧小区改造方案征求意见" })
            let record = try await MeetingStore(db: db).record(underWay.id, for: worker, now: now)
            #expect(record.attendance?.basis == .householdRepresentatives && record.attendance?.present == 24)
            #expect(Set(record.signatures.compactMap(\.household)).count == 24)
            #expect(record.capabilities.contains(.signIn) && record.meeting.state == .scheduled)
            // The vote scheduled to open in three days is the online vote the parcel-locker topic was put to.
            let lockers = try #require(
                try await TopicStore(db: db).list(TopicFilter(state: .inVote), for: worker).first {
                    $0.title == "小区东门加装快递柜"
                })
            let soon = try #require(votes.first { $0.topicID == lockers.id })
            #expect(lockers.voteID == soon.id && soon.state == .scheduled && soon.meetingID == nil)
            let timeline = try await TopicStore(db: db).record(lockers.id, for: worker, now: now).timeline
            #expect(timeline.last?.action == "put_to_vote")
            // The owners' vote on the maintenance fund passed: its resolution, with no meeting, decided its topic.
            let lift = try #require(
                try await TopicStore(db: db).list(TopicFilter(state: .decided), for: worker).first {
                    $0.voteID == owners.id
                })
            let resolutionID = try #require(lift.resolutionID)
            let resolution = try await ResolutionStore(db: db).record(resolutionID, for: worker, now: now).resolution
            #expect(resolution.source == .vote(voteID: owners.id, meetingID: nil) && resolution.topicID == lift.id)
            #expect(resolution.outcome == owners.result?.outcome && resolution.state == .inProgress)
            let liftTimeline = try await TopicStore(db: db).record(lift.id, for: worker, now: now).timeline
            #expect(liftTimeline.suffix(2).map(\.action) == ["put_to_vote", "decide"])
        }
    }
}
