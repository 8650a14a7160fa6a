import SQLKit

/// Lists that stay fast at a million cases (issue 11): indexes that match a community's lists and their order, and
/// status counts kept per community and grid, so the tabs above a list do not count a community's whole history on
/// every page. The counts follow every insert, status change, move and delete of a case through triggers, so no
/// writer (commands, bulk loads, tree moves) can forget them.
struct Migration0053_CasesListIndexes: Migration {
    let version = 53
    let name = "cases list indexes and status counts"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            // A community's newest cases, and those in one status newest first (several statuses merge in order).
            "CREATE INDEX cases_community_newest ON cases (community_id, id)",
            // Its trailing columns let the grid view count a community's open, overdue and escalated cases per grid
            // from the index alone.
            """
            CREATE INDEX cases_community_status_newest
            ON cases (community_id, status, id, grid_id, resolve_by, escalation_level)
            """,
            // The same across a sub-district or the district.
            "CREATE INDEX cases_status_newest ON cases (status, id)",
            // The few cases with a point, for maps: without it a map walks a community's whole history.
            "CREATE INDEX cases_mapped ON cases (community_id, id) WHERE latitude IS NOT NULL",
            """
            CREATE TABLE case_counts (community_id BIGINT NOT NULL REFERENCES nodes(id), grid_id BIGINT NOT NULL,
              status TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (community_id, grid_id, status))
            """,
            """
            INSERT INTO case_counts (community_id, grid_id, status, n)
            SELECT community_id, COALESCE(grid_id, 0), status, COUNT(*) FROM cases
            GROUP BY community_id, COALESCE(grid_id, 0), status
            """,
        ])
        let add = """
            INSERT INTO case_counts (community_id, grid_id, status, n)
            VALUES (new.community_id, COALESCE(new.grid_id, 0), new.status, 1)
            ON CONFLICT (community_id, grid_id, status) DO UPDATE SET n = case_counts.n + 1
            """
        let remove = """
            UPDATE case_counts SET n = n - 1
            WHERE community_id = old.community_id AND grid_id = COALESCE(old.grid_id, 0) AND status = old.status
            """
        switch backend {
        case .sqlite:
            try await sql.exec([
                "CREATE TRIGGER case_counts_insert AFTER INSERT ON cases BEGIN \(add); END",
                "CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN \(remove); END",
                """
                CREATE TRIGGER case_counts_update AFTER UPDATE OF status, community_id, grid_id ON cases
                WHEN old.status IS NOT new.status OR old.community_id IS NOT new.community_id
                  OR old.grid_id IS NOT new.grid_id
                BEGIN \(remove); \(add); END
                """,
            ])
        case .postgres:
            // Two rows of one grid change in the order of their status names, so two cases changing places
            // (A → B and B → A at once) lock them in the same order and never deadlock.
            try await sql.exec([
                """
                CREATE FUNCTION case_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'UPDATE' THEN
                    IF old.status IS NOT DISTINCT FROM new.status AND old.community_id = new.community_id
                       AND old.grid_id IS NOT DISTINCT FROM new.grid_id THEN
                      RETURN NULL;
                    END IF;
                    IF old.status <= new.status THEN
                      \(remove);
                      \(add);
                    ELSE
                      \(add);
                      \(remove);
                    END IF;
                  ELSIF TG_OP = 'INSERT' THEN
                    \(add);
                  ELSE
                    \(remove);
                  END IF;
                  RETURN NULL;
                END $$
                """,
                """
                CREATE TRIGGER case_counts_follow AFTER INSERT OR DELETE OR UPDATE OF status, community_id, grid_id
                ON cases FOR EACH ROW EXECUTE FUNCTION case_counts_follow()
                """,
            ])
        }
    }
}
