import SQLKit

/// Deliberation meetings with their attendance, minutes (their published text and amendments kept as one JSON
/// record) and timeline (issue 13); a topic's meeting is `topics.meeting_id`.
struct Migration0046_CreateMeetings: Migration {
    let version = 46
    let name = "create meetings"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE meetings (\(id), number TEXT NOT NULL, community_id BIGINT NOT NULL REFERENCES nodes(id),
              kind TEXT NOT NULL, title TEXT NOT NULL, place TEXT NOT NULL, starts_at BIGINT NOT NULL,
              announced_at BIGINT NOT NULL, notice_reason TEXT, rule_set_id TEXT NOT NULL, state TEXT NOT NULL,
              basis TEXT, entitled INTEGER, present INTEGER, quorate INTEGER, held_at BIGINT, minutes TEXT NOT NULL,
              summary TEXT NOT NULL, cancel_reason TEXT, created_by BIGINT, updated_at BIGINT NOT NULL,
              version INTEGER NOT NULL DEFAULT 1)
            """,
            "CREATE UNIQUE INDEX meetings_number ON meetings (number)",
            "CREATE INDEX meetings_community ON meetings (community_id, starts_at)",
            """
            CREATE TABLE meeting_events (\(id), meeting_id BIGINT NOT NULL REFERENCES meetings(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), at BIGINT NOT NULL, actor_user_id BIGINT,
              action TEXT NOT NULL, note TEXT NOT NULL)
            """,
            "CREATE INDEX meeting_events_meeting ON meeting_events (meeting_id, at)",
            "CREATE INDEX topics_meeting ON topics (meeting_id) WHERE meeting_id IS NOT NULL",
        ])
    }
}
