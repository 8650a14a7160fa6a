import SQLKit

/// Owners of houses and registered rentals (issue 12, 出租房屋登记). An owner is a person of the registry or a
/// non-resident named owner (the name sealed, `owner_key` its keyed hash so the same owner groups together); shares
/// are in ten-thousandths of the house; an owner who sells is marked removed, not deleted. A rental names its
/// landlord (an owner row), its dates and purpose; tenants are registered people in a side table. Every row carries
/// its community; the house's building is the place, so grids that move, split or merge carry them.
struct Migration0035_CreateRegistryOwnersAndRentals: Migration {
    let version = 35
    let name = "create registry owners and rentals"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE registry_house_owners (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              house_id BIGINT NOT NULL REFERENCES registry_houses(id), building_id BIGINT NOT NULL REFERENCES nodes(id),
              person_id BIGINT REFERENCES registry_people(id), name_sealed TEXT, owner_key TEXT NOT NULL,
              share INTEGER NOT NULL, created_at BIGINT NOT NULL, removed_at BIGINT)
            """,
            // An owner who sold keeps their row (past rentals name them as landlord), marked removed.
            """
            CREATE UNIQUE INDEX registry_house_owners_key ON registry_house_owners (house_id, owner_key)
              WHERE removed_at IS NULL
            """,
            "CREATE INDEX registry_house_owners_building ON registry_house_owners (building_id, owner_key)",
            "CREATE INDEX registry_house_owners_person ON registry_house_owners (person_id)",
            "CREATE INDEX registry_house_owners_community ON registry_house_owners (community_id, owner_key)",
            """
            CREATE TABLE registry_rentals (\(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              house_id BIGINT NOT NULL REFERENCES registry_houses(id), building_id BIGINT NOT NULL REFERENCES nodes(id),
              landlord_owner_id BIGINT NOT NULL REFERENCES registry_house_owners(id), start_on TEXT NOT NULL,
              end_on TEXT NOT NULL, ended_on TEXT, last_on TEXT NOT NULL, purpose TEXT NOT NULL,
              created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX registry_rentals_house ON registry_rentals (house_id, last_on)",
            "CREATE INDEX registry_rentals_building ON registry_rentals (building_id, last_on)",
            "CREATE INDEX registry_rentals_community ON registry_rentals (community_id, last_on)",
            """
            CREATE TABLE registry_rental_tenants (rental_id BIGINT NOT NULL REFERENCES registry_rentals(id),
              person_id BIGINT NOT NULL REFERENCES registry_people(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
              PRIMARY KEY (rental_id, person_id))
            """,
            "CREATE INDEX registry_rental_tenants_person ON registry_rental_tenants (person_id)",
        ])
    }
}
