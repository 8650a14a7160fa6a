import Foundation

/// Where "now" comes from, so tests can fix time.
public struct Clock: Sendable {
    public let now: @Sendable () -> Date
    public init(now: @escaping @Sendable () -> Date) { self.now = now }
    public static let system = Clock { Date() }
    public static func fixed(_ date: Date) -> Clock { Clock { date } }
}

extension Date {
    /// Times are stored as UTC epoch milliseconds: the same on SQLite and PostgreSQL and exact in hashes.
    public var epochMillis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
    public init(epochMillis: Int64) { self.init(timeIntervalSince1970: Double(epochMillis) / 1000) }
}
