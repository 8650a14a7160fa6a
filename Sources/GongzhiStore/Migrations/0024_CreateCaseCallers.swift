import SQLKit

/// The caller a hotline or walk-in case was filed for: name and phone sealed with the personal-data key (never in
/// the clear), the phone's keyed index for finding a caller's earlier cases, and the case's community like every
/// community-owned row.
struct Migration0024_CreateCaseCallers: Migration {
    let version = 24
    let name = "create case callers"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            """
            CREATE TABLE case_callers (case_id BIGINT PRIMARY KEY REFERENCES cases(id), community_id BIGINT NOT NULL,
              name_sealed TEXT NOT NULL, phone_sealed TEXT NOT NULL, phone_index TEXT NOT NULL, recorded_by BIGINT,
              created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX case_callers_phone ON case_callers (phone_index)",
            "CREATE INDEX case_callers_community ON case_callers (community_id)",
        ])
    }
}
