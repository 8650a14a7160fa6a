import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct HousekeepingTests {
    @Test func expiredSessionsOldFailuresAndOldIdempotencyEntriesAreDeleted() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let user = try await AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4)).createUser(
                .root, username: "lisi", displayName: "李四", password: "correct horse battery staple",
                role: .communityWorker,
                nodeID: tree.community.id)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let minute: Int64 = 60_000, hour = 60 * minute, day = 24 * hour
            let t = now.epochMillis
            let sessions: [(String, Int64, Int64, Int64?)] = [
                ("live", t - hour, t - minute, nil),  // in use
                ("ended", t - hour, t - minute, t - minute),  // logged out
                ("idle", t - 2 * hour, t - 31 * minute, nil),  // idle past 30 minutes
                ("old", t - 13 * hour, t - minute, nil),  // past the 12-hour lifetime
            ]
            try await db.transaction { sql in
                for (token, created, seen, ended) in sessions {
                    try await sql.raw(
                        """
                        INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ended_at, address, second_factor_pending)
                        VALUES (\(bind: token), \(bind: user.id), \(bind: created), \(bind: seen), \(bind: ended), '127.0.0.1', 0)
                        """
                    ).run()
                }
                for (name, at) in [("recent", t - hour), ("stale", t - day - minute)] {
                    try await sql.raw(
                        "INSERT INTO login_failures (address, username, at) VALUES ('10.0.0.1', \(bind: name), \(bind: at))"
                    ).run()
                }
                for (key, at) in [("fresh", t - 6 * day), ("expired", t - 7 * day - minute)] {
                    try await sql.raw(
                        """
                        INSERT INTO idempotency_entries (scope, user_id, key, fingerprint, result, created_at)
                        VALUES ('case.submit', \(bind: user.id), \(bind: key), '', '1', \(bind: at))
                        """
                    ).run()
                }
            }
            let housekeeping = Housekeeping(db: db, clock: .fixed(now), sessions: SessionPolicy())
            // when: two instances at once
            async let first = housekeeping.purge()
            async let second = housekeeping.purge()
            let (a, b) = try await (first, second)
            // then
            #expect(a.sessions + b.sessions == 3)
            #expect(a.loginFailures + b.loginFailures == 1)
            #expect(a.idempotencyEntries + b.idempotencyEntries == 1)
            let left = try await db.read { sql in
                (
                    try await sql.raw("SELECT token_hash FROM sessions ORDER BY token_hash").all().map {
                        try $0.decode(column: "token_hash", as: String.self)
                    },
                    try await sql.raw("SELECT username FROM login_failures").all().map {
                        try $0.decode(column: "username", as: String.self)
                    },
                    try await sql.raw("SELECT key FROM idempotency_entries").all().map {
                        try $0.decode(column: "key", as: String.self)
                    }
                )
            }
            #expect(left.0 == ["live"])
            #expect(left.1 == ["recent"])
            #expect(left.2 == ["fresh"])
            #expect(try await housekeeping.purge() == Housekeeping.Purged())
        }
    }
}
