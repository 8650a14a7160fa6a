import SQLKit

/// Extension requests: the handling unit asks for a later deadline; the clock moves only when it is approved.
struct Migration0014_CasesAddExtension: Migration {
    let version = 14
    let name = "cases add extension"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "ALTER TABLE cases ADD COLUMN extension_until BIGINT",
            "ALTER TABLE cases ADD COLUMN extension_reason TEXT",
        ])
    }
}
