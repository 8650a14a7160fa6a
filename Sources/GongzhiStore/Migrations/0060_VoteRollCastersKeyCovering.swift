import SQLKit

/// The casters' key index with the person in it. Without table statistics SQLite chose the primary key (vote,
/// person, key) over `vote_roll_casters_key` for the join by key, because only the primary key covered the columns
/// read, and scanned every caster of the vote for each roll entry: the demo's bulk cast over a 12,500-voter roll
/// took 12 s. Covering the person too makes the key index the one that answers both.
struct Migration0060_VoteRollCastersKeyCovering: Migration {
    let version = 60
    let name = "vote roll casters key covering the person"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "DROP INDEX vote_roll_casters_key",
            "CREATE INDEX vote_roll_casters_key ON vote_roll_casters (vote_id, voter_key, person_id)",
        ])
    }
}
