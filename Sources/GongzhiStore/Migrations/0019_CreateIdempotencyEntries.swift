import SQLKit

/// One idempotency table for every module, keyed by scope, with a fingerprint of the request so a reused key with
/// another body is refused. Keys of filed cases are carried over (without a fingerprint: any retry of them replays).
struct Migration0019_CreateIdempotencyEntries: Migration {
    let version = 19
    let name = "create idempotency entries"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            """
            CREATE TABLE idempotency_entries (scope TEXT NOT NULL, user_id BIGINT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
              result TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (scope, user_id, key))
            """,
            "CREATE INDEX idempotency_entries_created ON idempotency_entries (created_at)",
            """
            INSERT INTO idempotency_entries (scope, user_id, key, fingerprint, result, created_at)
            SELECT 'case.submit', user_id, key, '', CAST(case_id AS TEXT), created_at FROM idempotency_keys
            """,
            "DROP TABLE idempotency_keys",
        ])
    }
}
