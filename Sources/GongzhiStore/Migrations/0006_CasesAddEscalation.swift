import SQLKit

/// Escalation (督办): how many levels above the community a case has been raised, and when last.
struct Migration0006_CasesAddEscalation: Migration {
    let version = 6
    let name = "cases add escalation"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "ALTER TABLE cases ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE cases ADD COLUMN escalated_at BIGINT",
            "CREATE INDEX cases_due ON cases (status, resolve_by)",
        ])
    }
}
