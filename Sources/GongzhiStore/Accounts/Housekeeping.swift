import Foundation
import GongzhiDomain
import SQLKit

/// Deletes what is kept only for a while: sessions that can no longer be used (ended, idle past the time-out or past
/// their absolute lifetime), log-in failures older than a day (the throttle looks back minutes) and idempotency
/// entries older than seven days (a client retries within minutes). Each is a plain `DELETE … WHERE` on a time, so
/// several instances may run it at once: a row one of them deleted is simply not there for the others.
public struct Housekeeping: Sendable {
    public struct Purged: Sendable, Equatable {
        public var sessions = 0
        public var loginFailures = 0
        public var idempotencyEntries = 0
        public var total: Int { sessions + loginFailures + idempotencyEntries }
        public init() {}
    }

    public static let loginFailureAge: TimeInterval = 24 * 3600
    public static let idempotencyAge: TimeInterval = 7 * 24 * 3600

    let db: Database
    let clock: Clock
    let sessions: SessionPolicy

    public init(db: Database, clock: Clock = .system, sessions: SessionPolicy = .init()) {
        self.db = db
        self.clock = clock
        self.sessions = sessions
    }

    @discardableResult
    public func purge() async throws -> Purged {
        let now = clock.now()
        let idleSince = now.addingTimeInterval(-sessions.idleTimeout).epochMillis
        let createdSince = now.addingTimeInterval(-sessions.absoluteLifetime).epochMillis
        let failuresSince = now.addingTimeInterval(-Self.loginFailureAge).epochMillis
        let entriesSince = now.addingTimeInterval(-Self.idempotencyAge).epochMillis
        return try await db.transaction { sql in
            var purged = Purged()
            purged.sessions = try await Self.count(
                sql,
                """
                DELETE FROM sessions WHERE ended_at IS NOT NULL OR last_seen_at < \(bind: idleSince) OR created_at < \(bind: createdSince)
                """)
            purged.loginFailures = try await Self.count(
                sql, "DELETE FROM login_failures WHERE at < \(bind: failuresSince)")
            purged.idempotencyEntries = try await Self.count(
                sql, "DELETE FROM idempotency_entries WHERE created_at < \(bind: entriesSince)")
            return purged
        }
    }

    /// Runs a DELETE and says how many rows it removed (RETURNING works on both backends).
    static func count(_ sql: any SQLDatabase, _ statement: SQLQueryString) async throws -> Int {
        var query = statement
        query.appendLiteral(" RETURNING 1 AS gone")
        return try await sql.raw(query).all().count
    }
}
