import SQLKit

/// Residents' conventions, self-government charters and owners' statutes (居民公约, 居民自治章程, 管理规约) with their
/// versions, the resolution that adopted each and its filing with the sub-district (issue 13).
struct Migration0051_CreateConventions: Migration {
    let version = 51
    let name = "create conventions"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE conventions (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              estate_id BIGINT REFERENCES estates(id), kind TEXT NOT NULL, title TEXT NOT NULL, created_by BIGINT,
              created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version INTEGER NOT NULL DEFAULT 1)
            """,
            "CREATE INDEX conventions_community ON conventions (community_id, id)",
            """
            CREATE TABLE convention_versions (convention_id BIGINT NOT NULL REFERENCES conventions(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), number INTEGER NOT NULL, text TEXT NOT NULL,
              resolution_id BIGINT REFERENCES resolutions(id), effective_on TEXT NOT NULL, created_by BIGINT,
              created_at BIGINT NOT NULL, filed_at BIGINT, filed_by BIGINT, acknowledged_at BIGINT,
              acknowledged_by BIGINT, PRIMARY KEY (convention_id, number))
            """,
        ])
    }
}
