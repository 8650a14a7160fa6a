import SQLKit

/// Votes on topics and at meetings (issue 13 item 4): the vote, its roll frozen when it is scheduled (with who may
/// cast for each entry), who took part (one row per voter across channels: the primary key refuses a second
/// ballot, even from two transactions at once), what was chosen, proxies and paper boxes. Choices are keyed by their
/// receipt code, with no id, no time and (for secret ballots) no voter, and on SQLite without a rowid, so nothing
/// orders them against the participation rows.
struct Migration0047_CreateVotes: Migration {
    let version = 47
    let name = "create votes"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        let blob = backend == .sqlite ? "BLOB" : "BYTEA"
        let withoutRowID = backend == .sqlite ? " WITHOUT ROWID" : ""
        try await sql.exec([
            """
            CREATE TABLE votes (\(id), number TEXT NOT NULL, community_id BIGINT NOT NULL REFERENCES nodes(id),
              scope_node_id BIGINT NOT NULL REFERENCES nodes(id), topic_id BIGINT REFERENCES topics(id),
              meeting_id BIGINT REFERENCES meetings(id), title TEXT NOT NULL, spec TEXT NOT NULL, basis TEXT NOT NULL,
              matter TEXT, opens_at BIGINT NOT NULL, closes_at BIGINT NOT NULL, secrecy TEXT NOT NULL,
              results_before_close INTEGER NOT NULL, proxies TEXT NOT NULL, rule_set_id TEXT NOT NULL,
              state TEXT NOT NULL, roll_size INTEGER NOT NULL DEFAULT 0, frozen_at BIGINT, closed_at BIGINT,
              published_at BIGINT, result TEXT, created_by BIGINT, created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL, version INTEGER NOT NULL DEFAULT 1)
            """,
            "CREATE UNIQUE INDEX votes_number ON votes (number)",
            "CREATE INDEX votes_community ON votes (community_id, closes_at)",
            "CREATE INDEX votes_topic ON votes (topic_id) WHERE topic_id IS NOT NULL",
            "CREATE INDEX votes_meeting ON votes (meeting_id) WHERE meeting_id IS NOT NULL",
            """
            CREATE TABLE vote_events (\(id), vote_id BIGINT NOT NULL REFERENCES votes(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), at BIGINT NOT NULL, actor_user_id BIGINT,
              action TEXT NOT NULL, note TEXT NOT NULL)
            """,
            "CREATE INDEX vote_events_vote ON vote_events (vote_id, at)",
            // The frozen roll: one row per voter, its area for owners (hundredths of m²).
            """
            CREATE TABLE vote_roll (vote_id BIGINT NOT NULL REFERENCES votes(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), voter_key TEXT NOT NULL, area_centi BIGINT,
              PRIMARY KEY (vote_id, voter_key))
            """,
            """
            CREATE TABLE vote_roll_casters (vote_id BIGINT NOT NULL REFERENCES votes(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), person_id BIGINT NOT NULL, voter_key TEXT NOT NULL,
              PRIMARY KEY (vote_id, person_id, voter_key))
            """,
            """
            CREATE TABLE vote_participation (vote_id BIGINT NOT NULL REFERENCES votes(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), voter_key TEXT NOT NULL, channel TEXT NOT NULL,
              box TEXT, cast_by BIGINT, by_proxy INTEGER NOT NULL, at BIGINT NOT NULL,
              PRIMARY KEY (vote_id, voter_key))
            """,
            """
            CREATE TABLE vote_choices (vote_id BIGINT NOT NULL REFERENCES votes(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), receipt TEXT NOT NULL, channel TEXT NOT NULL,
              ballot TEXT NOT NULL, voter_key TEXT, PRIMARY KEY (vote_id, receipt))\(withoutRowID)
            """,
            """
            CREATE TABLE vote_proxies (vote_id BIGINT NOT NULL REFERENCES votes(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), principal_key TEXT NOT NULL,
              proxy_person_id BIGINT NOT NULL, document TEXT NOT NULL, signed_on TEXT NOT NULL, instructions TEXT,
              recorded_by BIGINT, recorded_at BIGINT NOT NULL, PRIMARY KEY (vote_id, principal_key))
            """,
            "CREATE INDEX vote_proxies_proxy ON vote_proxies (vote_id, proxy_person_id)",
            """
            CREATE TABLE vote_paper_boxes (vote_id BIGINT NOT NULL REFERENCES votes(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), box TEXT NOT NULL, issued INTEGER NOT NULL,
              returned INTEGER NOT NULL, void INTEGER NOT NULL, blank INTEGER NOT NULL, marks TEXT NOT NULL,
              scrutineers TEXT NOT NULL, photo_type TEXT NOT NULL, photo \(blob) NOT NULL, entered_by BIGINT,
              entered_at BIGINT NOT NULL, signed_by_1 BIGINT, signed_at_1 BIGINT, signed_by_2 BIGINT,
              signed_at_2 BIGINT, PRIMARY KEY (vote_id, box))
            """,
        ])
    }
}
