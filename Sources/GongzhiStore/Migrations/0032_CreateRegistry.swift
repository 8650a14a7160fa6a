import SQLKit

/// The base registry's people, households and houses (issue 12). Houses are places and stay readable; of a person
/// the name, document number and phone are sealed with the personal-data key and found only through keyed hashes
/// (`*_index`, and `registry_person_terms` for parts of names), sensitive tags are sealed and indexed the same way.
/// Every row carries its community; places are the building node, so grids that move, split or merge carry them.
struct Migration0032_CreateRegistry: Migration {
    let version = 32
    let name = "create registry"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE registry_houses (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              building_id BIGINT NOT NULL REFERENCES nodes(id), unit TEXT NOT NULL DEFAULT '', floor INTEGER,
              room TEXT NOT NULL, house_use TEXT NOT NULL, area_centi BIGINT, version INTEGER NOT NULL DEFAULT 1,
              created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX registry_houses_room ON registry_houses (community_id, building_id, unit, room)",
            "CREATE INDEX registry_houses_community ON registry_houses (community_id, id)",
            """
            CREATE TABLE registry_households (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              number TEXT NOT NULL, building_id BIGINT REFERENCES nodes(id), house_id BIGINT REFERENCES registry_houses(id),
              head_person_id BIGINT, version INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX registry_households_number ON registry_households (community_id, number)",
            """
            CREATE TABLE registry_people (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              building_id BIGINT REFERENCES nodes(id), house_id BIGINT REFERENCES registry_houses(id),
              household_id BIGINT REFERENCES registry_households(id), relation TEXT,
              name_sealed TEXT NOT NULL, document_kind TEXT NOT NULL, document_sealed TEXT NOT NULL,
              document_index TEXT, phone_sealed TEXT, phone_index TEXT, phone_tail_index TEXT,
              sex TEXT NOT NULL, birth_date TEXT NOT NULL, ethnicity TEXT, residence TEXT NOT NULL,
              permit_start TEXT, permit_end TEXT, moved_in_on TEXT, moved_out_on TEXT, tags TEXT NOT NULL DEFAULT '',
              sensitive_sealed TEXT, anonymised_at BIGINT, version INTEGER NOT NULL DEFAULT 1,
              created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            // One record per document in a community; the writer also refuses the same document anywhere else.
            "CREATE UNIQUE INDEX registry_people_document ON registry_people (community_id, document_index)",
            "CREATE INDEX registry_people_document_any ON registry_people (document_index)",
            "CREATE INDEX registry_people_phone ON registry_people (community_id, phone_index)",
            "CREATE INDEX registry_people_phone_tail ON registry_people (community_id, phone_tail_index)",
            "CREATE INDEX registry_people_community ON registry_people (community_id, id)",
            "CREATE INDEX registry_people_building ON registry_people (building_id, id)",
            "CREATE INDEX registry_people_household ON registry_people (household_id)",
            "CREATE INDEX registry_people_permit ON registry_people (community_id, permit_end)",
            """
            CREATE TABLE registry_person_terms (person_id BIGINT NOT NULL REFERENCES registry_people(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), term TEXT NOT NULL, PRIMARY KEY (person_id, term))
            """,
            "CREATE INDEX registry_person_terms_term ON registry_person_terms (community_id, term, person_id)",
            """
            CREATE TABLE registry_person_tags (person_id BIGINT NOT NULL REFERENCES registry_people(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), tag TEXT NOT NULL, PRIMARY KEY (person_id, tag))
            """,
            "CREATE INDEX registry_person_tags_tag ON registry_person_tags (community_id, tag, person_id)",
            """
            CREATE TABLE registry_moves (\(id), person_id BIGINT NOT NULL REFERENCES registry_people(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), kind TEXT NOT NULL, on_date TEXT,
              building_id BIGINT, house_id BIGINT, at BIGINT NOT NULL, actor_user_id BIGINT)
            """,
            "CREATE INDEX registry_moves_person ON registry_moves (person_id, id)",
        ])
    }
}
