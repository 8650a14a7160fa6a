import SQLKit

/// Reminders sent about a registry record (a residence permit about to end), one row per person, kind and key (the
/// permit's end date), so each is sent once however many instances run the reminder pass: the row is the claim.
struct Migration0041_CreateRegistryReminders: Migration {
    let version = 41
    let name = "create registry reminders"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            """
            CREATE TABLE registry_reminders (person_id BIGINT NOT NULL REFERENCES registry_people(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), kind TEXT NOT NULL, reminder_key TEXT NOT NULL,
              at BIGINT NOT NULL, PRIMARY KEY (person_id, kind, reminder_key))
            """,
            "CREATE INDEX registry_reminders_community ON registry_reminders (community_id)",
        ])
    }
}
