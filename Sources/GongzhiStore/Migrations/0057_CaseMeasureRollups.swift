import SQLKit

/// Measures that stay fast at a million cases (issue 11): the three rates kept per community, work day and 16-day
/// block, for each grid, unit and category (`CaseMeasureRollups`), filled from the cases and followed by triggers.
/// And the escalation tick's own index: open cases by level and deadline, so a tick reads only the cases whose
/// deadline has put them above their level, not every overdue case again; and the grid view's two.
struct Migration0057_CaseMeasureRollups: Migration {
    let version = 57
    let name = "case measure roll-ups and the escalation index"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let columns = CaseMeasureRollups.shares.map { "\($0.column) BIGINT NOT NULL" }.joined(separator: ", ")
        try await sql.exec(
            [
                """
                CREATE TABLE case_measure_rollups (community_id BIGINT NOT NULL REFERENCES nodes(id),
                  dimension TEXT NOT NULL, member_id BIGINT NOT NULL, span INTEGER NOT NULL, bucket BIGINT NOT NULL,
                  \(columns), PRIMARY KEY (dimension, span, community_id, bucket, member_id))
                """,
                """
                CREATE INDEX cases_escalation_due ON cases (escalation_level, resolve_by)
                WHERE status IN ('dispatched','handling','reportedBack')
                """,
                // The grid view: overdue and escalated cases counted per grid without reading the open ones.
                """
                CREATE INDEX cases_grid_overdue ON cases (community_id, grid_id, resolve_by)
                WHERE status IN ('dispatched','handling','reportedBack')
                """,
                """
                CREATE INDEX cases_grid_escalated ON cases (community_id, grid_id)
                WHERE escalation_level > 0 AND status IN (\(CaseStore.openStatuses))
                """,
            ] + CaseMeasureRollups.rebuild() + CaseMeasureRollups.triggers(backend))
    }
}
