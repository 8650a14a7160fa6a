import Foundation
import GongzhiDemo
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct DemoTopicsTests {
    @Test func theDemoHoldsTopicsInEveryStateAndTheirMeetings() async throws {
        try await withTestDatabase { db in
            // when
            let summary = try await DemoBuilder(db: db, bcryptCost: 4).build(scale: 0.03, peoplePerBuilding: 0)
            // then: the worker of the first community sees them all, by state
            let accounts = AccountStore(db: db)
            func actor(_ name: String) async throws -> Actor {
                let user = try #require(try await accounts.user(username: name))
                return try #require(try await accounts.actor(for: user.id))
            }
            let worker = try await actor("worker")
            let resident = try await actor("resident")
            let store = TopicStore(db: db)
            let counts = try await store.counts(TopicFilter(), for: worker)
            #expect(summary.topics == 10)
            // Without a registry there are no votes, so the topics meant for online votes stay on the agenda.
            #expect(counts[.collecting] == 2 && counts[.onAgenda] == 3 && counts[.archived] == 2)
            #expect(counts[.inVote] == nil)
            #expect(counts[.inMeeting] == 1 && counts[.decided] == 1)
            // The council meeting was held with its minutes published; the residents' meetings are announced (one
            // under way); the representatives' assembly was called off with its reason.
            let meetings = try await MeetingStore(db: db).list(for: resident)
            #expect(Set(meetings.map(\.state)) == [.held, .scheduled, .cancelled])
            #expect(meetings.contains { $0.state == .cancelled && $0.cancelReason?.contains("台风") == true })
            #expect(meetings.contains { $0.minutes.isPublished && $0.quorate == true })
            // Its record keeps a small PDF notice, which the community's resident downloads.
            let held = try #require(meetings.first { $0.state == .held })
            let files = try await MeetingStore(db: db).attachments(held.id, for: resident, now: Date())
            #expect(files.map(\.contentType) == ["application/pdf"] && files[0].name.hasSuffix(".pdf"))
            let file = try await MeetingStore(db: db).attachment(
                files[0].id, meetingID: held.id, for: resident, now: Date())
            let text = String(decoding: file.bytes, as: UTF8.self)
            #expect(text.hasPrefix("%PDF-1.4") && text.hasSuffix("%%EOF\n") && text.contains("startxref"))
            #expect(counts[.draft] == 1)
            #expect(try await store.counts(TopicFilter(mine: true), for: resident)[.draft] == 1)
            // The resident's own collecting topic shows how far it is from the threshold of 8.
            let mine = try await store.list(TopicFilter(state: .collecting, mine: true), for: resident)
            let own = try #require(mine.first { $0.proposerUserID == resident.userID })
            let record = try await store.record(own.id, for: resident, now: Date())
            #expect(record.progress.threshold == 8 && record.progress.remaining == 5)
            // and the neighbour's building topic is one the resident may co-sign
            let lift = try #require(
                try await store.list(TopicFilter(state: .collecting), for: resident).first {
                    $0.proposerUserID != resident.userID
                })
            let liftRecord = try await store.record(lift.id, for: resident, now: Date())
            #expect(liftRecord.capabilities.contains(.coSign))
            #expect(liftRecord.comments.contains { $0.isHidden })
        }
    }
}
