import SQLKit

struct Migration0002_CreateAccounts: Migration {
    let version = 2
    let name = "create accounts"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE users (\(id), username TEXT NOT NULL, display_name TEXT NOT NULL,
              password_hash TEXT NOT NULL, home_node_id BIGINT REFERENCES nodes(id),
              community_id BIGINT REFERENCES nodes(id), failed_logins INTEGER NOT NULL DEFAULT 0,
              locked_until BIGINT, must_change_password INTEGER NOT NULL DEFAULT 0,
              created_at BIGINT NOT NULL, last_login_at BIGINT, disabled_at BIGINT)
            """,
            "CREATE UNIQUE INDEX users_username ON users (username)",
            "CREATE INDEX users_community ON users (community_id)",
            """
            CREATE TABLE role_grants (\(id), user_id BIGINT NOT NULL REFERENCES users(id), role TEXT NOT NULL,
              node_id BIGINT NOT NULL REFERENCES nodes(id), community_id BIGINT REFERENCES nodes(id),
              granted_by BIGINT REFERENCES users(id), granted_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX role_grants_unique ON role_grants (user_id, role, node_id)",
            "CREATE INDEX role_grants_node ON role_grants (node_id)",
            """
            CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id),
              created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, ended_at BIGINT, address TEXT)
            """,
            "CREATE INDEX sessions_user ON sessions (user_id)",
            """
            CREATE TABLE api_tokens (\(id), user_id BIGINT NOT NULL REFERENCES users(id), name TEXT NOT NULL,
              token_hash TEXT NOT NULL, prefix TEXT NOT NULL, created_at BIGINT NOT NULL, last_used_at BIGINT,
              revoked_at BIGINT)
            """,
            "CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash)",
            "CREATE INDEX api_tokens_user ON api_tokens (user_id)",
            "CREATE TABLE login_failures (\(id), address TEXT NOT NULL, username TEXT NOT NULL, at BIGINT NOT NULL)",
            "CREATE INDEX login_failures_address ON login_failures (address, at)",
        ])
    }
}
