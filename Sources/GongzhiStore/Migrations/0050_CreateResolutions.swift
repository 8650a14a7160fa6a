import SQLKit

/// Resolutions (决议) with their executors, the cases they close the loop back to, progress reports with evidence
/// photos, review ratings (one per resident per round) and timeline (issue 13). `vote_id` names the vote that made
/// one once votes are connected; it has no foreign key until the votes' tables exist.
struct Migration0050_CreateResolutions: Migration {
    let version = 50
    let name = "create resolutions"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        let blob = backend == .sqlite ? "BLOB" : "BYTEA"
        try await sql.exec([
            """
            CREATE TABLE resolutions (\(id), number TEXT NOT NULL, community_id BIGINT NOT NULL REFERENCES nodes(id),
              topic_id BIGINT REFERENCES topics(id), meeting_id BIGINT REFERENCES meetings(id), vote_id BIGINT,
              source TEXT NOT NULL, text TEXT NOT NULL, outcome TEXT, adopted_on TEXT NOT NULL, deadline TEXT NOT NULL,
              state TEXT NOT NULL, percent_done INTEGER NOT NULL DEFAULT 0, last_progress_at BIGINT, completed_on TEXT,
              review_round INTEGER NOT NULL DEFAULT 0, last_review_on TEXT, next_review_on TEXT,
              escalation_level INTEGER NOT NULL DEFAULT 0, escalated_at BIGINT, created_by BIGINT,
              created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version INTEGER NOT NULL DEFAULT 1)
            """,
            "CREATE UNIQUE INDEX resolutions_number ON resolutions (number)",
            "CREATE INDEX resolutions_community ON resolutions (community_id, id)",
            "CREATE INDEX resolutions_open_deadline ON resolutions (deadline) WHERE state = 'inProgress'",
            "CREATE INDEX resolutions_review_due ON resolutions (next_review_on) WHERE next_review_on IS NOT NULL",
            "CREATE INDEX resolutions_topic ON resolutions (topic_id) WHERE topic_id IS NOT NULL",
            """
            CREATE TABLE resolution_executors (resolution_id BIGINT NOT NULL REFERENCES resolutions(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), kind TEXT NOT NULL, ref_id BIGINT NOT NULL,
              position INTEGER NOT NULL, PRIMARY KEY (resolution_id, kind, ref_id))
            """,
            "CREATE INDEX resolution_executors_ref ON resolution_executors (kind, ref_id)",
            """
            CREATE TABLE resolution_cases (resolution_id BIGINT NOT NULL REFERENCES resolutions(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), case_id BIGINT NOT NULL REFERENCES cases(id),
              PRIMARY KEY (resolution_id, case_id))
            """,
            "CREATE INDEX resolution_cases_case ON resolution_cases (case_id)",
            """
            CREATE TABLE resolution_progress (\(id), resolution_id BIGINT NOT NULL REFERENCES resolutions(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), at BIGINT NOT NULL, by_user_id BIGINT,
              note TEXT NOT NULL, evidence TEXT NOT NULL, percent_done INTEGER NOT NULL)
            """,
            "CREATE INDEX resolution_progress_resolution ON resolution_progress (resolution_id, at)",
            """
            CREATE TABLE resolution_photos (\(id), resolution_id BIGINT NOT NULL REFERENCES resolutions(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), content_type TEXT NOT NULL, bytes \(blob) NOT NULL,
              size INTEGER NOT NULL, uploaded_by BIGINT, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX resolution_photos_resolution ON resolution_photos (resolution_id)",
            """
            CREATE TABLE resolution_ratings (resolution_id BIGINT NOT NULL REFERENCES resolutions(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), round INTEGER NOT NULL,
              user_id BIGINT NOT NULL REFERENCES users(id), rating TEXT NOT NULL, comment TEXT NOT NULL,
              at BIGINT NOT NULL, PRIMARY KEY (resolution_id, round, user_id))
            """,
            """
            CREATE TABLE resolution_events (\(id), resolution_id BIGINT NOT NULL REFERENCES resolutions(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), at BIGINT NOT NULL, actor_user_id BIGINT,
              action TEXT NOT NULL, note TEXT NOT NULL)
            """,
            "CREATE INDEX resolution_events_resolution ON resolution_events (resolution_id, at)",
        ])
    }
}
