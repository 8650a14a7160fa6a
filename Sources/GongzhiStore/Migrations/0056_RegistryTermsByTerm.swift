import SQLKit

/// A name search over many communities (a sub-district's or the district's administrator) at millions of people
/// (issue 12): the holders of a name term newest first across communities, so the search walks them, checks the
/// reader's jurisdiction and the filters per row and stops after a page, instead of gathering every holder of a common
/// character or pair or walking each community's holders in turn.
struct Migration0056_RegistryTermsByTerm: Migration {
    let version = 56
    let name = "registry name terms by term"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "CREATE INDEX registry_person_terms_newest ON registry_person_terms (term, person_id)"
        ])
    }
}
