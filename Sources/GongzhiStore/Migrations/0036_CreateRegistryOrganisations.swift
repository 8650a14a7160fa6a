import SQLKit

/// Organisations of the registry (issue 12): resident units, shops, social organisations, property companies and
/// owners' committees, each placed at a node (a grid, or its community) and carrying that node's community. Names
/// are public and searched by part (a pg_trgm index on PostgreSQL); the contacts' names and phones are personal data
/// and kept only sealed, as one value. A credit code is registered once.
struct Migration0036_CreateRegistryOrganisations: Migration {
    let version = 36
    let name = "create registry organisations"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE registry_organisations (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              node_id BIGINT NOT NULL REFERENCES nodes(id), kind TEXT NOT NULL, name TEXT NOT NULL,
              credit_code TEXT, registration TEXT, registration_number TEXT, address TEXT NOT NULL DEFAULT '',
              contacts_sealed TEXT, closed_at BIGINT, version INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX registry_organisations_code ON registry_organisations (credit_code) WHERE credit_code IS NOT NULL",
            "CREATE INDEX registry_organisations_community ON registry_organisations (community_id, closed_at, id)",
            "CREATE INDEX registry_organisations_node ON registry_organisations (node_id)",
        ])
        if backend == .postgres {
            try await sql.exec([
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX registry_organisations_name_trgm ON registry_organisations USING gin (name gin_trgm_ops)",
            ])
        }
    }
}
