import SQLKit

/// Open311 request tokens are community-owned (one per case) and, like every such row, carry their community, taken
/// from their case. The table is rebuilt (SQLite cannot add a NOT NULL column without a default), the same way on
/// both backends.
struct Migration0031_Open311TokensAddCommunity: Migration {
    let version = 31
    let name = "open311 tokens add community"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            """
            CREATE TABLE open311_tokens_next (token TEXT PRIMARY KEY, case_id BIGINT NOT NULL REFERENCES cases(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id))
            """,
            """
            INSERT INTO open311_tokens_next (token, case_id, community_id)
            SELECT t.token, t.case_id, c.community_id FROM open311_tokens t JOIN cases c ON c.id = t.case_id
            """,
            "DROP TABLE open311_tokens",
            "ALTER TABLE open311_tokens_next RENAME TO open311_tokens",
            "CREATE INDEX open311_tokens_case ON open311_tokens (case_id)",
        ])
    }
}
