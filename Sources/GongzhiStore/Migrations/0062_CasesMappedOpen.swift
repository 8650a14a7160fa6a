import SQLKit

/// Open cases with a point, by community and newest first: the map's default view (the open cases of the area).
/// `cases_mapped` holds every mapped case, so at a million cases the map walked a community's closed history to
/// find its 2,000 newest open ones (25 ms a page, issue 11). The status list is written as the map's filter writes
/// it, so both SQLite and PostgreSQL see that the index covers the query.
struct Migration0062_CasesMappedOpen: Migration {
    let version = 62
    let name = "open cases on the map"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            """
            CREATE INDEX cases_mapped_open ON cases (community_id, id)
            WHERE latitude IS NOT NULL AND status IN ('submitted','filed','dispatched','handling','reportedBack')
            """
        ])
    }
}
