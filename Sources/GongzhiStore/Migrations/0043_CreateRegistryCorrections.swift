import SQLKit

/// Residents' requests to correct their own record (issue 12 item 9): which part and what is wrong (sealed: it may
/// hold a phone number or a name), and the grid worker's answer — applied through the registry's writer, or declined
/// with a reason the resident reads.
struct Migration0043_CreateRegistryCorrections: Migration {
    let version = 43
    let name = "create registry corrections"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE registry_corrections (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              person_id BIGINT NOT NULL REFERENCES registry_people(id), author_user_id BIGINT NOT NULL REFERENCES users(id),
              field TEXT NOT NULL, note_sealed TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', reason TEXT,
              handler_user_id BIGINT, created_at BIGINT NOT NULL, answered_at BIGINT)
            """,
            "CREATE INDEX registry_corrections_queue ON registry_corrections (community_id, status, id)",
            "CREATE INDEX registry_corrections_author ON registry_corrections (author_user_id, id)",
        ])
    }
}
