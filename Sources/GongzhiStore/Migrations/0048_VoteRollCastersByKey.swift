import SQLKit

/// Who may cast for a roll entry, looked up by the entry: the bulk cast, paper ballots and proxies join the roll to
/// its casters by key, which the casters' primary key (vote, person, key) cannot serve (a 50,000-voter roll made
/// that join quadratic).
struct Migration0048_VoteRollCastersByKey: Migration {
    let version = 48
    let name = "vote roll casters by key"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec(["CREATE INDEX vote_roll_casters_key ON vote_roll_casters (vote_id, voter_key)"])
    }
}
