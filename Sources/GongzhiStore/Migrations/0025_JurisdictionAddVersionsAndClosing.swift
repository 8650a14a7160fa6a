import SQLKit

/// Nodes and bodies carry a version for the optimistic lock; bodies take a place in their community's list and,
/// like duty items, can be closed. A closed body frees its name.
struct Migration0025_JurisdictionAddVersionsAndClosing: Migration {
    let version = 25
    let name = "jurisdiction add versions and closing"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "ALTER TABLE nodes ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE bodies ADD COLUMN position INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE bodies ADD COLUMN closed_at BIGINT",
            "ALTER TABLE bodies ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE duty_items ADD COLUMN closed_at BIGINT",
            // Bodies kept the order they were created in: that order becomes their place.
            """
            UPDATE bodies SET position = (SELECT COUNT(*) FROM bodies b
              WHERE b.community_id = bodies.community_id AND b.id <= bodies.id)
            """,
            "DROP INDEX bodies_name",
            "CREATE UNIQUE INDEX bodies_name ON bodies (community_id, name) WHERE closed_at IS NULL",
        ])
    }
}
