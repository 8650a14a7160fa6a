import SQLKit

/// Two partial indexes for the tree page's counts (issue 11), so a community's or a district's page counts this
/// month's closings and the overdue cases from their own entries instead of reading the whole history of its
/// cases. Each leads with community and status and ends with the time compared, which makes it the index SQLite
/// picks without table statistics (it took `cases_due` and `cases_community_status_newest` for these counts).
struct Migration0061_CasesClosedAt: Migration {
    let version = 61
    let name = "cases closed at, overdue by community"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "CREATE INDEX cases_closed_at ON cases (community_id, status, closed_at) WHERE status = 'closed'",
            """
            CREATE INDEX cases_community_overdue ON cases (community_id, status, resolve_by)
            WHERE status IN ('dispatched','handling','reportedBack')
            """,
        ])
    }
}
