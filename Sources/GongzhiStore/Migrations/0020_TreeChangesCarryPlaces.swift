import SQLKit

/// Tree changes now carry what hangs on the moved nodes (cases and their side rows, residents, grants, units). The
/// two indexes let a move find residents by home and notices by case without scanning; the updates repair copies
/// that moves made before this left behind (a case's path, community and grid; the community of side rows,
/// residents, grants and units).
struct Migration0020_TreeChangesCarryPlaces: Migration {
    let version = 20
    let name = "tree changes carry places"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let sideTables = [
            "case_events", "case_photos", "mediation_sessions", "case_extension_requests", "case_grid_steps",
            "notifications",
        ]
        let placed = [("users", "home_node_id"), ("role_grants", "node_id"), ("units", "node_id")]
        try await sql.exec(
            [
                "CREATE INDEX users_home ON users (home_node_id)",
                "CREATE INDEX notifications_case ON notifications (case_id)",
                """
                UPDATE cases SET
                  node_path = (SELECT n.path FROM nodes n WHERE n.id = cases.node_id),
                  community_id = (SELECT n.community_id FROM nodes n WHERE n.id = cases.node_id),
                  grid_id = (SELECT CASE n.kind WHEN 'grid' THEN n.id WHEN 'building' THEN n.parent_id END FROM nodes n WHERE n.id = cases.node_id)
                WHERE EXISTS (SELECT 1 FROM nodes n WHERE n.id = cases.node_id AND (n.path <> cases.node_path
                  OR n.community_id <> cases.community_id
                  OR COALESCE(cases.grid_id, -1) <> CASE n.kind WHEN 'grid' THEN n.id WHEN 'building' THEN n.parent_id ELSE -1 END))
                """,
            ]
                + sideTables.map { table in
                    """
                    UPDATE \(table) SET community_id = (SELECT c.community_id FROM cases c WHERE c.id = \(table).case_id)
                    WHERE EXISTS (SELECT 1 FROM cases c WHERE c.id = \(table).case_id AND c.community_id <> \(table).community_id)
                    """
                }
                + placed.map { table, column in
                    """
                    UPDATE \(table) SET community_id = (SELECT n.community_id FROM nodes n WHERE n.id = \(table).\(column))
                    WHERE EXISTS (SELECT 1 FROM nodes n WHERE n.id = \(table).\(column)
                      AND COALESCE(n.community_id, -1) <> COALESCE(\(table).community_id, -1))
                    """
                })
    }
}
