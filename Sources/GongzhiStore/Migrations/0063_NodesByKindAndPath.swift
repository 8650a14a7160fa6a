import SQLKit

/// Nodes by kind and path: the communities inside a sub-district or district in a short range, where the path
/// index alone walks every node under it (the registry's searches ask this first, issue 12).
struct Migration0063_NodesByKindAndPath: Migration {
    let version = 63
    let name = "nodes by kind and path"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec(["CREATE INDEX nodes_kind_path ON nodes (kind, path)"])
    }
}
