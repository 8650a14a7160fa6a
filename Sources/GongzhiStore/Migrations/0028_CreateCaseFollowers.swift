import SQLKit

/// Who follows a case besides its reporter, and who said it is their problem too (a supporter keeps counting after
/// they stop following). One row per case and user, with the case's community like every community-owned row.
struct Migration0028_CreateCaseFollowers: Migration {
    let version = 28
    let name = "create case followers"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            """
            CREATE TABLE case_followers (case_id BIGINT NOT NULL REFERENCES cases(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), user_id BIGINT NOT NULL REFERENCES users(id),
              supporter INTEGER NOT NULL DEFAULT 0, following INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL,
              PRIMARY KEY (case_id, user_id))
            """,
            "CREATE INDEX case_followers_user ON case_followers (user_id)",
            "CREATE INDEX case_followers_community ON case_followers (community_id)",
        ])
    }
}
