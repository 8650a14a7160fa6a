import SQLKit

/// Accounts carry a version, so an administrator acting on a page someone else changed meanwhile is told so (409).
struct Migration0026_UsersAddVersion: Migration {
    let version = 26
    let name = "users add version"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec(["ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1"])
    }
}
