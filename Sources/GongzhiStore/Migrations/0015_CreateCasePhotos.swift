import SQLKit

/// Photos attached to cases, kept in the database so every instance serves them and backups include them.
struct Migration0015_CreateCasePhotos: Migration {
    let version = 15
    let name = "create case photos"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        let blob = backend == .sqlite ? "BLOB" : "BYTEA"
        try await sql.exec([
            """
            CREATE TABLE case_photos (\(id), case_id BIGINT NOT NULL REFERENCES cases(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              content_type TEXT NOT NULL, bytes \(blob) NOT NULL, size INTEGER NOT NULL, uploaded_by BIGINT, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX case_photos_case ON case_photos (case_id)",
        ])
    }
}
