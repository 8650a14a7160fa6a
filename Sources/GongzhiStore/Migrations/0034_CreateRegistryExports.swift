import SQLKit

/// Exports of registry lists: asked for with a reason, approved or refused by a second person, downloaded once by
/// the one who asked, each step recorded with its row count. One community per export, like every community-owned
/// row.
struct Migration0034_CreateRegistryExports: Migration {
    let version = 34
    let name = "create registry exports"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE registry_exports (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              requested_by BIGINT NOT NULL REFERENCES users(id), reason TEXT NOT NULL, filter TEXT NOT NULL,
              status TEXT NOT NULL, decided_by BIGINT REFERENCES users(id), decided_at BIGINT, row_count INTEGER,
              downloaded_at BIGINT, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX registry_exports_community ON registry_exports (community_id, status, id)",
        ])
    }
}
