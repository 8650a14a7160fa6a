import SQLKit

/// Open311 settings per category (service type, attributes as JSON, public by default), the answers posted to
/// those attributes, the tokens that batch categories answer with, and an index for finding buildings near a point.
struct Migration0022_CategoriesAddOpen311: Migration {
    let version = 22
    let name = "categories add open311"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "ALTER TABLE case_categories ADD COLUMN service_type TEXT NOT NULL DEFAULT 'realtime'",
            "ALTER TABLE case_categories ADD COLUMN attributes TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE case_categories ADD COLUMN public_by_default INTEGER NOT NULL DEFAULT 1",
            """
            CREATE TABLE case_attributes (case_id BIGINT NOT NULL REFERENCES cases(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              code TEXT NOT NULL, value TEXT NOT NULL)
            """,
            "CREATE INDEX case_attributes_case ON case_attributes (case_id, code)",
            "CREATE TABLE open311_tokens (token TEXT PRIMARY KEY, case_id BIGINT NOT NULL REFERENCES cases(id))",
            "CREATE INDEX open311_tokens_case ON open311_tokens (case_id)",
            "CREATE INDEX nodes_point ON nodes (latitude, longitude) WHERE latitude IS NOT NULL",
        ])
    }
}
