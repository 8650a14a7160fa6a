import SQLKit

/// The audit log is append-only in the database itself: triggers refuse UPDATE and DELETE, so not even
/// the application's own account can rewrite history without dropping them first (which `audit verify` catches).
struct Migration0003_CreateAuditLog: Migration {
    let version = 3
    let name = "create audit log"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            """
            CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, actor_user_id BIGINT,
              actor_name TEXT NOT NULL, role TEXT, node_id BIGINT, community_id BIGINT, action TEXT NOT NULL,
              object_type TEXT NOT NULL, object_id TEXT NOT NULL, result TEXT NOT NULL, before_state TEXT,
              after_state TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)
            """,
            "CREATE INDEX audit_log_at ON audit_log (at)",
            "CREATE INDEX audit_log_community ON audit_log (community_id, seq)",
            "CREATE INDEX audit_log_object ON audit_log (object_type, object_id)",
            "CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '\(String(repeating: "0", count: 64))')",
        ])
        switch backend {
        case .sqlite:
            try await sql.exec([
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
            ])
        case .postgres:
            try await sql.exec([
                """
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$
                """,
                "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
            ])
        }
    }
}
