import SQLKit

/// Where a case was pinned on a map (WGS 84), when the reporter gave a point (Open311 lat/long).
struct Migration0008_CasesAddCoordinates: Migration {
    let version = 8
    let name = "cases add coordinates"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "ALTER TABLE cases ADD COLUMN latitude DOUBLE PRECISION",
            "ALTER TABLE cases ADD COLUMN longitude DOUBLE PRECISION",
        ])
    }
}
