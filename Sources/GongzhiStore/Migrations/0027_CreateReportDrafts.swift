import SQLKit

/// A resident's report while they answer its question pages, one draft per resident, with its photos, so answers
/// survive leaving half-way and reach any instance. Drafts carry their community like every community-owned row and
/// go when the case is filed, in the same transaction.
struct Migration0027_CreateReportDrafts: Migration {
    let version = 27
    let name = "create report drafts"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        let blob = backend == .sqlite ? "BLOB" : "BYTEA"
        try await sql.exec([
            """
            CREATE TABLE report_drafts (\(id), user_id BIGINT NOT NULL UNIQUE REFERENCES users(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), kind_answered INTEGER NOT NULL DEFAULT 0,
              category_id BIGINT, node_id BIGINT, latitude DOUBLE PRECISION, longitude DOUBLE PRECISION,
              title TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '', is_public INTEGER,
              idempotency_key TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX report_drafts_community ON report_drafts (community_id)",
            """
            CREATE TABLE report_draft_photos (\(id), draft_id BIGINT NOT NULL REFERENCES report_drafts(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), content_type TEXT NOT NULL, size INTEGER NOT NULL,
              bytes \(blob) NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX report_draft_photos_draft ON report_draft_photos (draft_id)",
        ])
    }
}
