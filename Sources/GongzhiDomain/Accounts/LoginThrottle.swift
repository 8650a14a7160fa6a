import Foundation

/// Log-in throttling as 等保 reads it: a few failures lock the account for a while, the right password
/// included; an address with many failures across accounts is refused too. Other accounts are unaffected.
public struct LoginThrottle: Sendable {
    public var maxFailuresPerAccount: Int
    public var lockDuration: TimeInterval
    public var maxFailuresPerAddress: Int
    public var addressWindow: TimeInterval

    public init(
        maxFailuresPerAccount: Int = 5, lockDuration: TimeInterval = 15 * 60,
        maxFailuresPerAddress: Int = 20, addressWindow: TimeInterval = 15 * 60
    ) {
        self.maxFailuresPerAccount = maxFailuresPerAccount
        self.lockDuration = lockDuration
        self.maxFailuresPerAddress = maxFailuresPerAddress
        self.addressWindow = addressWindow
    }

    /// After a failure that brings the count to `failures`, until when is the account locked (if at all)?
    public func lockUntil(afterFailures failures: Int, now: Date) -> Date? {
        failures >= maxFailuresPerAccount ? now.addingTimeInterval(lockDuration) : nil
    }

    public func addressBlocked(recentFailures: Int) -> Bool { recentFailures >= maxFailuresPerAddress }
}

/// Session lifetimes: idle time-out and an absolute cap.
public struct SessionPolicy: Sendable {
    public var idleTimeout: TimeInterval
    public var absoluteLifetime: TimeInterval
    public init(idleTimeout: TimeInterval = 30 * 60, absoluteLifetime: TimeInterval = 12 * 3600) {
        self.idleTimeout = idleTimeout
        self.absoluteLifetime = absoluteLifetime
    }

    public func isAlive(createdAt: Date, lastSeenAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(lastSeenAt) < idleTimeout && now.timeIntervalSince(createdAt) < absoluteLifetime
    }
}
