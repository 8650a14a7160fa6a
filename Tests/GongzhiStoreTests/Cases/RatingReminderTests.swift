import Foundation
import GongzhiDomain
import GongzhiTestSupport
import Testing

@testable import GongzhiStore

@Suite struct RatingReminderTests {
    /// A clock the test moves by hand.
    final class Hands: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_796_000_000)
    }

    @Test func anUnratedClosedCaseIsRemindedOnceAfterThreeDaysEvenWithTwoInstances() async throws {
        try await withTestDatabase { db in
            // given: wang's appeal closed at once by the community
            let tree = try await SmallTree.make(db)
            let hands = Hands()
            let clock = Clock { hands.now }
            let accounts = AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4))
            let wang = try await accounts.signUpResident(
                username: "wang", displayName: "王", password: "correct horse battery staple",
                buildingID: tree.buildings[0].id)
            let worker = try await accounts.createUser(
                .root, username: "worker", displayName: "w", password: "correct horse battery staple",
                role: .communityWorker, nodeID: tree.community.id)
            let store = AccountStore(db: db)
            let resident = try #require(try await store.actor(for: wang.id))
            let staff = try #require(try await store.actor(for: worker.id))
            let commands = CaseCommands(db: db, clock: clock)
            let c = try await commands.submit(
                resident, CaseSubmission(title: "楼道灯", description: "坏了", nodeID: tree.buildings[0].id))
            let rated = try await commands.submit(
                resident, CaseSubmission(title: "门禁", description: "坏了", nodeID: tree.buildings[0].id))
            _ = try await commands.perform(staff, c.id, .resolveAtOnce(result: "换了灯泡"))
            _ = try await commands.perform(staff, rated.id, .resolveAtOnce(result: "修好了"))
            _ = try await commands.perform(resident, rated.id, .rate(.satisfied, comment: "", reopen: false))
            // when: two days on, nothing; three days on, two instances run the pass
            hands.now += 2 * 86_400
            #expect(try await commands.remindToRate() == 0)
            hands.now += 86_400 + 60
            async let first = commands.remindToRate()
            async let second = CaseCommands(db: db, clock: clock).remindToRate()
            let total = try await first + second
            // then: one reminder, for the unrated case only, and none on the next pass
            #expect(total == 1)
            #expect(try await commands.remindToRate() == 0)
            let notices = try await Notifications.list(db, userID: wang.id).filter { $0.kind == "case.rate_reminder" }
            #expect(notices.count == 1 && notices.first?.caseID == c.id)
        }
    }

    @Test func theRuleRemindsOnlyReportersWhoMayRate() {
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        var c = Case(
            id: 1, number: "n", kind: .appeal, channel: .web, status: .closed, title: "t", description: "d",
            communityID: 1, nodeID: 1, reporterUserID: 7, createdAt: now, closedAt: now.addingTimeInterval(-4 * 86_400))
        #expect(RatingReminder.isDue(c, now: now))
        c.channel = .hotline
        #expect(!RatingReminder.isDue(c, now: now), "a caller rates with the tracking code; there is no account")
        c.channel = .web
        c.closedAt = now.addingTimeInterval(-40 * 86_400)
        #expect(!RatingReminder.isDue(c, now: now))
    }
}
