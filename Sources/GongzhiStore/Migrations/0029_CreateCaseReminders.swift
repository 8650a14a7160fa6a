import SQLKit

/// Reminders sent about a case (a reporter asked again to rate it), one row per case and kind, so each is sent once
/// however many instances run the reminder pass: the row is the claim.
struct Migration0029_CreateCaseReminders: Migration {
    let version = 29
    let name = "create case reminders"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            """
            CREATE TABLE case_reminders (case_id BIGINT NOT NULL REFERENCES cases(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), kind TEXT NOT NULL, at BIGINT NOT NULL,
              PRIMARY KEY (case_id, kind))
            """,
            // The reminder pass looks for closed, unrated cases by when they closed.
            "CREATE INDEX cases_unrated_closed ON cases (closed_at) WHERE status = 'closed' AND rating IS NULL",
        ])
    }
}
