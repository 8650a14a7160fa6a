import SQLKit

/// Sub-features of cases get side tables instead of more columns on `cases`: extension requests keep their
/// history (who asked, until when, who decided), grid steps keep every mark with its note. Existing marks and
/// pending requests are carried over, then the old columns go.
struct Migration0018_CreateCaseSideTables: Migration {
    let version = 18
    let name = "create case side tables"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE case_extension_requests (\(id), case_id BIGINT NOT NULL REFERENCES cases(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), requested_by BIGINT REFERENCES users(id), requested_at BIGINT NOT NULL,
              until BIGINT NOT NULL, reason TEXT NOT NULL, decided_by BIGINT REFERENCES users(id), decided_at BIGINT,
              approved INTEGER, note TEXT NOT NULL DEFAULT '')
            """,
            "CREATE INDEX case_extension_requests_case ON case_extension_requests (case_id, decided_at)",
            """
            CREATE TABLE case_grid_steps (\(id), case_id BIGINT NOT NULL REFERENCES cases(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), step TEXT NOT NULL, at BIGINT NOT NULL,
              by_user_id BIGINT REFERENCES users(id), note TEXT NOT NULL DEFAULT '')
            """,
            "CREATE INDEX case_grid_steps_case ON case_grid_steps (case_id, step)",
            """
            INSERT INTO case_extension_requests (case_id, community_id, requested_at, until, reason)
            SELECT id, community_id, updated_at, extension_until, COALESCE(extension_reason, '') FROM cases WHERE extension_until IS NOT NULL
            """,
            """
            INSERT INTO case_grid_steps (case_id, community_id, step, at)
            SELECT id, community_id, 'referToDeliberation', deliberation_at FROM cases WHERE deliberation_at IS NOT NULL
            """,
            "INSERT INTO case_grid_steps (case_id, community_id, step, at) SELECT id, community_id, 'review', reviewed_at FROM cases WHERE reviewed_at IS NOT NULL",
            """
            INSERT INTO case_grid_steps (case_id, community_id, step, at)
            SELECT id, community_id, 'followUp', followed_up_at FROM cases WHERE followed_up_at IS NOT NULL
            """,
            "ALTER TABLE cases DROP COLUMN deliberation_at",
            "ALTER TABLE cases DROP COLUMN reviewed_at",
            "ALTER TABLE cases DROP COLUMN followed_up_at",
            "ALTER TABLE cases DROP COLUMN extension_until",
            "ALTER TABLE cases DROP COLUMN extension_reason",
        ])
    }
}
