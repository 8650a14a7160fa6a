import SQLKit

/// A topic put to an online vote with no meeting (issue 13): `topics.vote_id` names the vote, as `meeting_id` names
/// the meeting that took a topic up.
struct Migration0058_TopicsAddVote: Migration {
    let version = 58
    let name = "topics add vote"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "ALTER TABLE topics ADD COLUMN vote_id BIGINT REFERENCES votes(id)",
            "CREATE INDEX topics_vote ON topics (vote_id) WHERE vote_id IS NOT NULL",
        ])
    }
}
