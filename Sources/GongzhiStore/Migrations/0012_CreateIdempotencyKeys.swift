import SQLKit

/// Idempotency keys for creating requests: a client that retries after a time-out gets the case it already filed.
struct Migration0012_CreateIdempotencyKeys: Migration {
    let version = 12
    let name = "create idempotency keys"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            """
            CREATE TABLE idempotency_keys (user_id BIGINT NOT NULL, key TEXT NOT NULL, case_id BIGINT NOT NULL REFERENCES cases(id),
              created_at BIGINT NOT NULL, PRIMARY KEY (user_id, key))
            """
        ])
    }
}
