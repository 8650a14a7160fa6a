import SQLKit

/// Full-text search of cases that works for Chinese without word segmentation: SQLite FTS5 with the trigram
/// tokenizer, kept in step by triggers; on PostgreSQL a pg_trgm GIN index over title and description.
struct Migration0011_CasesAddSearch: Migration {
    let version = 11
    let name = "cases add search"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        switch backend {
        case .sqlite:
            try await sql.exec([
                "CREATE VIRTUAL TABLE cases_fts USING fts5(title, description, content='cases', content_rowid='id', tokenize='trigram')",
                "INSERT INTO cases_fts (rowid, title, description) SELECT id, title, description FROM cases",
                """
                CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
                  INSERT INTO cases_fts (rowid, title, description) VALUES (new.id, new.title, new.description); END
                """,
                """
                CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
                  INSERT INTO cases_fts (cases_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description); END
                """,
                """
                CREATE TRIGGER cases_fts_update AFTER UPDATE OF title, description ON cases BEGIN
                  INSERT INTO cases_fts (cases_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description);
                  INSERT INTO cases_fts (rowid, title, description) VALUES (new.id, new.title, new.description); END
                """,
            ])
        case .postgres:
            try await sql.exec([
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX cases_text_trgm ON cases USING gin ((title || ' ' || description) gin_trgm_ops)",
            ])
        }
    }
}
