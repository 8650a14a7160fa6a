import SQLKit

struct Migration0001_CreateJurisdiction: Migration {
    let version = 1
    let name = "create jurisdiction"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE nodes (\(id), kind TEXT NOT NULL, name TEXT NOT NULL, code TEXT,
              parent_id BIGINT REFERENCES nodes(id), path \(DDL.pathType(backend)) NOT NULL,
              community_id BIGINT REFERENCES nodes(id), estate_id BIGINT,
              created_at BIGINT NOT NULL, closed_at BIGINT)
            """,
            "CREATE UNIQUE INDEX nodes_path ON nodes (path)",
            "CREATE INDEX nodes_parent ON nodes (parent_id)",
            "CREATE INDEX nodes_community ON nodes (community_id)",
            "CREATE UNIQUE INDEX nodes_code ON nodes (code) WHERE code IS NOT NULL",
            "CREATE UNIQUE INDEX nodes_open_sibling_name ON nodes (parent_id, name) WHERE closed_at IS NULL",
            """
            CREATE TABLE node_history (\(id), node_id BIGINT NOT NULL REFERENCES nodes(id), community_id BIGINT,
              at BIGINT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL, actor_user_id BIGINT)
            """,
            "CREATE INDEX node_history_node ON node_history (node_id, at)",
            """
            CREATE TABLE estates (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id), name TEXT NOT NULL,
              created_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX estates_name ON estates (community_id, name)",
            """
            CREATE TABLE bodies (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id), kind TEXT NOT NULL,
              name TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX bodies_community ON bodies (community_id)",
            "CREATE UNIQUE INDEX bodies_name ON bodies (community_id, name)",
            """
            CREATE TABLE duty_items (\(id), body_id BIGINT NOT NULL REFERENCES bodies(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), parent_id BIGINT REFERENCES duty_items(id),
              title TEXT NOT NULL, position INTEGER NOT NULL)
            """,
            "CREATE INDEX duty_items_body ON duty_items (body_id, position)",
        ])
    }
}
