import SQLKit

/// Exports of registry lists other than people (issue 12): households and organisations go through the same
/// approval as people (they carry names and contacts); `kind` says which list an export holds, and its `filter` is
/// that list's filter.
struct Migration0038_RegistryExportsAddKind: Migration {
    let version = 38
    let name = "registry exports add kind"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec(["ALTER TABLE registry_exports ADD COLUMN kind TEXT NOT NULL DEFAULT 'people'"])
    }
}
