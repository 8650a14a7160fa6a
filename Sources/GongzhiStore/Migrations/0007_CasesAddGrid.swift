import SQLKit

/// The grid a case lies in, so measures can be grouped per grid in SQL.
struct Migration0007_CasesAddGrid: Migration {
    let version = 7
    let name = "cases add grid"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "ALTER TABLE cases ADD COLUMN grid_id BIGINT REFERENCES nodes(id)",
            """
            UPDATE cases SET grid_id = (SELECT CASE WHEN n.kind = 'grid' THEN n.id WHEN n.kind = 'building' THEN n.parent_id END
              FROM nodes n WHERE n.id = cases.node_id)
            """,
            "CREATE INDEX cases_grid ON cases (grid_id)",
        ])
    }
}
