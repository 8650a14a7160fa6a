import SQLKit

/// The six grid steps' marks on a case: sent to deliberation, looked at in the periodic review, followed up.
struct Migration0013_CasesAddGridSteps: Migration {
    let version = 13
    let name = "cases add grid steps"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "ALTER TABLE cases ADD COLUMN deliberation_at BIGINT",
            "ALTER TABLE cases ADD COLUMN reviewed_at BIGINT",
            "ALTER TABLE cases ADD COLUMN followed_up_at BIGINT",
        ])
    }
}
