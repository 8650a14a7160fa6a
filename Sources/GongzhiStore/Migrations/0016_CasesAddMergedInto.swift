import SQLKit

/// Duplicates merged into another case keep a pointer to it.
struct Migration0016_CasesAddMergedInto: Migration {
    let version = 16
    let name = "cases add merged into"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec(["ALTER TABLE cases ADD COLUMN merged_into_id BIGINT REFERENCES cases(id)"])
    }
}
