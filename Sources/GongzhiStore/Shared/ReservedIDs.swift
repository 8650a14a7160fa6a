import SQLKit

extension Transaction {
    /// Ids for `count` new rows of a table, for bulk writers that insert many rows in one statement and must know
    /// each row's id first (a case's number holds its id): PostgreSQL takes them from the identity's sequence;
    /// SQLite, whose one writer holds the database for the whole transaction, continues after the largest id.
    func reserveIDs(_ table: String, count: Int) async throws -> [Int64] {
        guard count > 0 else { return [] }
        if backend == .postgres {
            return try await sql.raw(
                """
                SELECT nextval(pg_get_serial_sequence('\(unsafeRaw: table)', 'id')) AS id FROM generate_series(1, \(bind: count))
                """
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
        }
        let last =
            try await sql.raw(
                """
                SELECT MAX(n) AS n FROM (SELECT COALESCE(MAX(id), 0) AS n FROM \(unsafeRaw: table)
                  UNION ALL SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = '\(unsafeRaw: table)') s
                """
            ).first()?.decode(column: "n", as: Int64?.self) ?? 0
        return (1...Int64(count)).map { (last ?? 0) + $0 }
    }
}
