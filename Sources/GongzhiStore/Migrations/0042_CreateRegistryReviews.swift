import SQLKit

/// The community's review queue of the registry changes grid workers make (issue 12 item 5): each change is applied
/// at once and lands here with its before and after, masked as the audit log keeps them, for a community worker to
/// accept or send back with a note the grid worker sees. Where a change lies is its person's building (read through
/// the person, so moving grids carries it).
struct Migration0042_CreateRegistryReviews: Migration {
    let version = 42
    let name = "create registry reviews"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE registry_reviews (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              person_id BIGINT NOT NULL REFERENCES registry_people(id), action TEXT NOT NULL, before_json TEXT, after_json TEXT NOT NULL,
              author_user_id BIGINT, created_at BIGINT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', note TEXT,
              reviewer_user_id BIGINT, reviewed_at BIGINT)
            """,
            "CREATE INDEX registry_reviews_queue ON registry_reviews (community_id, status, id)",
            "CREATE INDEX registry_reviews_author ON registry_reviews (author_user_id, status, id)",
        ])
    }
}
