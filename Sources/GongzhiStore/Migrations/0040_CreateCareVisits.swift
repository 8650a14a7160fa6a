import SQLKit

/// Care visits (走访, issue 12 item 8): groups a community defines with a visit frequency, their members with who
/// visits them and when next, and the visits made (what was found sealed like other personal data, a case raised
/// from one linked). Every row carries its community.
struct Migration0040_CreateCareVisits: Migration {
    let version = 40
    let name = "create care visits"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE care_groups (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id), name TEXT NOT NULL,
              tag TEXT, frequency_days INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX care_groups_name ON care_groups (community_id, name)",
            """
            CREATE TABLE care_members (group_id BIGINT NOT NULL REFERENCES care_groups(id),
              person_id BIGINT NOT NULL REFERENCES registry_people(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              visitor_user_id BIGINT REFERENCES users(id), added_on TEXT NOT NULL, last_visited_on TEXT,
              next_due_on TEXT NOT NULL, PRIMARY KEY (group_id, person_id))
            """,
            // The plans read members by when they are due, in a community or for one visitor.
            "CREATE INDEX care_members_due ON care_members (community_id, next_due_on)",
            "CREATE INDEX care_members_visitor ON care_members (visitor_user_id, next_due_on)",
            "CREATE INDEX care_members_person ON care_members (person_id)",
            """
            CREATE TABLE care_visits (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              person_id BIGINT NOT NULL REFERENCES registry_people(id), visitor_user_id BIGINT REFERENCES users(id),
              visited_on TEXT NOT NULL, method TEXT NOT NULL, findings_sealed TEXT NOT NULL,
              follow_up INTEGER NOT NULL DEFAULT 0, case_id BIGINT REFERENCES cases(id), created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX care_visits_person ON care_visits (person_id, visited_on)",
            "CREATE INDEX care_visits_community ON care_visits (community_id, visited_on)",
        ])
    }
}
