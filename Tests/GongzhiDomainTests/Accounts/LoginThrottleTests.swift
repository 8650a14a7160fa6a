import Foundation
import GongzhiDomain
import Testing

@Suite struct LoginThrottleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func theFifthFailureLocksTheAccountForFifteenMinutes() {
        // given
        let throttle = LoginThrottle()
        // when / then
        for failures in 0..<5 { #expect(throttle.lockUntil(afterFailures: failures, now: now) == nil) }
        #expect(throttle.lockUntil(afterFailures: 5, now: now) == now.addingTimeInterval(15 * 60))
        #expect(throttle.lockUntil(afterFailures: 9, now: now) == now.addingTimeInterval(15 * 60))
    }

    @Test func anAddressIsBlockedFromTwentyRecentFailures() {
        // given
        let throttle = LoginThrottle()
        // when / then
        #expect(!throttle.addressBlocked(recentFailures: 19))
        #expect(throttle.addressBlocked(recentFailures: 20))
    }

    @Test func aDeploymentMayChooseItsOwnLimits() {
        // given
        let throttle = LoginThrottle(maxFailuresPerAccount: 3, lockDuration: 3600, maxFailuresPerAddress: 5)
        // when / then
        #expect(throttle.lockUntil(afterFailures: 2, now: now) == nil)
        #expect(throttle.lockUntil(afterFailures: 3, now: now) == now.addingTimeInterval(3600))
        #expect(throttle.addressBlocked(recentFailures: 5))
    }
}

@Suite struct SessionPolicyTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aSessionDiesAfterThirtyIdleMinutes() {
        // given
        let policy = SessionPolicy()
        // when / then
        #expect(policy.isAlive(createdAt: t0, lastSeenAt: t0, now: t0.addingTimeInterval(30 * 60 - 1)))
        #expect(!policy.isAlive(createdAt: t0, lastSeenAt: t0, now: t0.addingTimeInterval(30 * 60)))
    }

    @Test func aSessionDiesAfterTwelveHoursHoweverBusy() {
        // given
        let policy = SessionPolicy()
        let end = t0.addingTimeInterval(12 * 3600)
        // when / then
        #expect(policy.isAlive(createdAt: t0, lastSeenAt: end.addingTimeInterval(-60), now: end.addingTimeInterval(-1)))
        #expect(!policy.isAlive(createdAt: t0, lastSeenAt: end.addingTimeInterval(-60), now: end))
    }
}
