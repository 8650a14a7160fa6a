import SQLKit

/// A name term's keyed hash cut to its first 64 bits (16 hex digits, `SealedPerson.termIndex`). Each person holds
/// about eight terms, kept in the table and three indexes: at two million people the full 64 digits were most of
/// the database (4.9 GB) and of an import's writing (issue 12). 64 bits still tell apart every name term a
/// district holds (two of a hundred thousand terms share a hash with a chance of about 3 × 10⁻¹⁰), and a search
/// compares the opened names with the query anyway.
struct Migration0064_RegistryShortNameTerms: Migration {
    let version = 64
    let name = "registry name terms cut to 64 bits"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec(["UPDATE registry_person_terms SET term = substr(term, 1, 16) WHERE length(term) > 16"])
    }
}
