import SQLKit

/// TOTP (RFC 6238) second factor: the secret is stored encrypted; a session stays pending until the code is given.
struct Migration0004_AccountsAddSecondFactor: Migration {
    let version = 4
    let name = "accounts add second factor"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "ALTER TABLE users ADD COLUMN totp_secret TEXT",
            "ALTER TABLE users ADD COLUMN totp_enabled_at BIGINT",
            "ALTER TABLE users ADD COLUMN totp_last_step BIGINT",
            "ALTER TABLE sessions ADD COLUMN second_factor_pending INTEGER NOT NULL DEFAULT 0",
        ])
    }
}
