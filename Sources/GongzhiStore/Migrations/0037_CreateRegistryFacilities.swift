import SQLKit

/// Public facilities (部件) of the registry, classified by GB/T 30428.2, with a code unique in the district (the
/// tree's root above them), a point, the grid holding it (or its community) and a state; and the facility a case is
/// about, nullable on `cases`.
struct Migration0037_CreateRegistryFacilities: Migration {
    let version = 37
    let name = "create registry facilities"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE registry_facilities (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              district_id BIGINT NOT NULL REFERENCES nodes(id), node_id BIGINT NOT NULL REFERENCES nodes(id),
              code TEXT NOT NULL, class_code TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', latitude DOUBLE PRECISION NOT NULL,
              longitude DOUBLE PRECISION NOT NULL, state TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,
              created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX registry_facilities_code ON registry_facilities (district_id, code)",
            "CREATE INDEX registry_facilities_community ON registry_facilities (community_id, id)",
            "CREATE INDEX registry_facilities_node ON registry_facilities (node_id)",
            "ALTER TABLE cases ADD COLUMN facility_id BIGINT REFERENCES registry_facilities(id)",
            "CREATE INDEX cases_facility ON cases (facility_id, id)",
        ])
    }
}
