import SQLKit

/// Disputes (矛盾纠纷): their grade on the case, and the mediation sessions held.
struct Migration0010_CreateMediation: Migration {
    let version = 10
    let name = "create mediation"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            "ALTER TABLE cases ADD COLUMN dispute_grade TEXT",
            """
            CREATE TABLE mediation_sessions (\(id), case_id BIGINT NOT NULL REFERENCES cases(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              at BIGINT NOT NULL, method TEXT NOT NULL, mediator TEXT NOT NULL, parties TEXT NOT NULL, summary TEXT NOT NULL,
              agreement TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL, recorded_by BIGINT REFERENCES users(id))
            """,
            "CREATE INDEX mediation_sessions_case ON mediation_sessions (case_id, at)",
        ])
    }
}
