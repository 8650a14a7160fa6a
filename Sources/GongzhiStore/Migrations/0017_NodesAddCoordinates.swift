import SQLKit

/// Where a building stands (WGS 84), so cases reported at it can be placed on a map.
struct Migration0017_NodesAddCoordinates: Migration {
    let version = 17
    let name = "nodes add coordinates"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "ALTER TABLE nodes ADD COLUMN latitude DOUBLE PRECISION",
            "ALTER TABLE nodes ADD COLUMN longitude DOUBLE PRECISION",
        ])
    }
}
