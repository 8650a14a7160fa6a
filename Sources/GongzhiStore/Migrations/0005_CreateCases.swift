import SQLKit

/// Cases and what they need: categories, handling units and their members, routing rules with deadlines,
/// the holiday calendar, the cases themselves and their timelines.
struct Migration0005_CreateCases: Migration {
    let version = 5
    let name = "create cases"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE case_categories (\(id), node_id BIGINT NOT NULL REFERENCES nodes(id), parent_id BIGINT REFERENCES case_categories(id),
              name TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 0, closed_at BIGINT)
            """,
            "CREATE UNIQUE INDEX case_categories_name ON case_categories (node_id, parent_id, name)",
            """
            CREATE TABLE units (\(id), node_id BIGINT NOT NULL REFERENCES nodes(id), community_id BIGINT REFERENCES nodes(id),
              body_id BIGINT REFERENCES bodies(id), name TEXT NOT NULL, created_at BIGINT NOT NULL, closed_at BIGINT)
            """,
            "CREATE UNIQUE INDEX units_name ON units (node_id, name)",
            "CREATE TABLE unit_members (unit_id BIGINT NOT NULL REFERENCES units(id), user_id BIGINT NOT NULL REFERENCES users(id), PRIMARY KEY (unit_id, user_id))",
            "CREATE INDEX unit_members_user ON unit_members (user_id)",
            """
            CREATE TABLE routing_rules (\(id), node_id BIGINT NOT NULL REFERENCES nodes(id), category_id BIGINT NOT NULL REFERENCES case_categories(id),
              unit_id BIGINT NOT NULL REFERENCES units(id), respond_hours INTEGER NOT NULL, resolve_hours INTEGER NOT NULL,
              working_time INTEGER NOT NULL DEFAULT 1)
            """,
            "CREATE UNIQUE INDEX routing_rules_scope ON routing_rules (node_id, category_id)",
            "CREATE TABLE calendar_days (day TEXT PRIMARY KEY, is_workday INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '')",
            """
            CREATE TABLE cases (\(id), number TEXT NOT NULL, kind TEXT NOT NULL, channel TEXT NOT NULL, status TEXT NOT NULL,
              title TEXT NOT NULL, description TEXT NOT NULL, category_id BIGINT REFERENCES case_categories(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), node_id BIGINT NOT NULL REFERENCES nodes(id),
              node_path \(DDL.pathType(backend)) NOT NULL, reporter_user_id BIGINT REFERENCES users(id), is_public INTEGER NOT NULL DEFAULT 0,
              unit_id BIGINT REFERENCES units(id), created_at BIGINT NOT NULL, respond_by BIGINT, resolve_by BIGINT,
              responded_at BIGINT, closed_at BIGINT, rating TEXT, rating_comment TEXT, reopen_count INTEGER NOT NULL DEFAULT 0,
              updated_at BIGINT NOT NULL, version INTEGER NOT NULL DEFAULT 1)
            """,
            "CREATE UNIQUE INDEX cases_number ON cases (number)",
            "CREATE INDEX cases_scope ON cases (node_path, status, created_at)",
            "CREATE INDEX cases_community ON cases (community_id, status, created_at)",
            "CREATE INDEX cases_unit ON cases (unit_id, status)",
            "CREATE INDEX cases_reporter ON cases (reporter_user_id, created_at)",
            """
            CREATE TABLE case_events (\(id), case_id BIGINT NOT NULL REFERENCES cases(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              at BIGINT NOT NULL, actor_user_id BIGINT REFERENCES users(id), action TEXT NOT NULL, from_status TEXT, to_status TEXT NOT NULL,
              note TEXT NOT NULL DEFAULT '')
            """,
            "CREATE INDEX case_events_case ON case_events (case_id, at)",
        ])
    }
}
