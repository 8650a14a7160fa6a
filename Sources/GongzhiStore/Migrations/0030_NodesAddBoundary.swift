import SQLKit

/// A grid may carry its boundary: the GeoJSON geometry (WGS 84) as text, and its bounding box, so finding the grid
/// that holds a point reads only the few grids whose box holds it before testing their polygons (issue 10).
struct Migration0030_NodesAddBoundary: Migration {
    let version = 30
    let name = "nodes add boundary"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "ALTER TABLE nodes ADD COLUMN boundary TEXT",
            "ALTER TABLE nodes ADD COLUMN boundary_min_lat DOUBLE PRECISION",
            "ALTER TABLE nodes ADD COLUMN boundary_max_lat DOUBLE PRECISION",
            "ALTER TABLE nodes ADD COLUMN boundary_min_lng DOUBLE PRECISION",
            "ALTER TABLE nodes ADD COLUMN boundary_max_lng DOUBLE PRECISION",
            "CREATE INDEX nodes_boundary_box ON nodes (boundary_min_lat, boundary_max_lat)",
        ])
    }
}
