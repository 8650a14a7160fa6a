import Foundation
import GongzhiDomain
import SQLKit

/// One table of idempotency keys for every module: a key is unique per scope ("case.submit") and principal, and
/// remembers a fingerprint of the request and what it produced, so a retry gets the first answer and a reused key
/// with another request is refused.
enum Idempotency {
    struct Entry: Sendable {
        var fingerprint: String
        var result: String
    }

    static func find(_ db: Database, scope: String, actor: Actor, key: String) async throws -> Entry? {
        try await db.read { sql in
            guard
                let row = try await sql.raw(
                    """
                    SELECT fingerprint, result FROM idempotency_entries
                    WHERE scope = \(bind: scope) AND user_id = \(bind: actor.userID) AND key = \(bind: key)
                    """
                ).first()
            else { return nil }
            return Entry(
                fingerprint: try row.decode(column: "fingerprint", as: String.self),
                result: try row.decode(column: "result", as: String.self))
        }
    }

    /// Records the key in the command's transaction; a key committed meanwhile by the same request's twin rolls this
    /// copy back (`IdempotentReplay`) so the caller reads the first.
    static func record(_ tx: Transaction, scope: String, key: String, fingerprint: String, result: String) async throws
    {
        do {
            try await tx.sql.raw(
                """
                INSERT INTO idempotency_entries (scope, user_id, key, fingerprint, result, created_at)
                VALUES (\(bind: scope), \(bind: tx.actor.userID), \(bind: key), \(bind: fingerprint), \(bind: result), \(bind: tx.now.epochMillis))
                """
            ).run()
        } catch  where isUniqueViolation(error) {
            throw IdempotentReplay()
        }
    }
}
