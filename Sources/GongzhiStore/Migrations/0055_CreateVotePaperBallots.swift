import SQLKit

/// Paper ballots of owners' votes, one per owner on the roll (issue 13): art. 278 counts each owner's area and head,
/// which a box's totals cannot give, so each ballot is recorded against its roll entry with its mark and box. The
/// primary key keeps one ballot per owner; the participation mark (channel `paper`, the same box) keeps the owner
/// off the online channel. Owners' votes are open ballots, so naming the owner here reveals nothing a secret ballot
/// would hide.
struct Migration0055_CreateVotePaperBallots: Migration {
    let version = 55
    let name = "create vote paper ballots"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            """
            CREATE TABLE vote_paper_ballots (vote_id BIGINT NOT NULL REFERENCES votes(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), voter_key TEXT NOT NULL, box TEXT NOT NULL,
              mark TEXT NOT NULL, entered_by BIGINT, entered_at BIGINT NOT NULL, PRIMARY KEY (vote_id, voter_key))
            """,
            "CREATE INDEX vote_paper_ballots_box ON vote_paper_ballots (vote_id, box, mark)",
        ])
    }
}
