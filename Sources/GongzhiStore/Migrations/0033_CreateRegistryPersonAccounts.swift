import SQLKit

/// Which resident account a person's record belongs to, once the resident proved it with their ID number and phone:
/// one account per record and one record per account, with the record's community like every community-owned row.
struct Migration0033_CreateRegistryPersonAccounts: Migration {
    let version = 33
    let name = "create registry person accounts"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            """
            CREATE TABLE registry_person_accounts (person_id BIGINT PRIMARY KEY REFERENCES registry_people(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), user_id BIGINT NOT NULL UNIQUE REFERENCES users(id),
              bound_at BIGINT NOT NULL)
            """,
            "CREATE INDEX registry_person_accounts_community ON registry_person_accounts (community_id)",
        ])
    }
}
