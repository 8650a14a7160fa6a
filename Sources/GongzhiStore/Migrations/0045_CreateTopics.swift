import SQLKit

/// Topics (议题) with their co-signatures (联名), timeline, linked cases, comments and reports, and each community's
/// co-signature rules as dated data (issue 13). Every row carries its community.
struct Migration0045_CreateTopics: Migration {
    let version = 45
    let name = "create topics"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        let path = DDL.pathType(backend)
        try await sql.exec([
            """
            CREATE TABLE topics (\(id), number TEXT NOT NULL, community_id BIGINT NOT NULL REFERENCES nodes(id),
              estate_id BIGINT REFERENCES estates(id), building_id BIGINT REFERENCES nodes(id), scope_path \(path) NOT NULL,
              origin TEXT NOT NULL, origin_body_id BIGINT REFERENCES bodies(id), origin_case_id BIGINT REFERENCES cases(id),
              proposer_user_id BIGINT REFERENCES users(id), title TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL,
              created_at BIGINT NOT NULL, submitted_at BIGINT, threshold INTEGER NOT NULL DEFAULT 0, collect_until BIGINT,
              co_signatures INTEGER NOT NULL DEFAULT 0, placed_by_organiser INTEGER NOT NULL DEFAULT 0, agenda_at BIGINT,
              meeting_id BIGINT, decided_at BIGINT, resolution_id BIGINT, archive_reason TEXT, archived_at BIGINT,
              updated_at BIGINT NOT NULL, version INTEGER NOT NULL DEFAULT 1)
            """,
            "CREATE UNIQUE INDEX topics_number ON topics (number)",
            "CREATE INDEX topics_community_state ON topics (community_id, state, id)",
            "CREATE INDEX topics_scope_path ON topics (scope_path)",
            "CREATE INDEX topics_proposer ON topics (proposer_user_id)",
            // The expiry scan looks for collecting topics by the end of their window.
            "CREATE INDEX topics_collecting_until ON topics (collect_until) WHERE state = 'collecting'",
            """
            CREATE TABLE topic_cosignatures (topic_id BIGINT NOT NULL REFERENCES topics(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), user_id BIGINT NOT NULL REFERENCES users(id),
              at BIGINT NOT NULL, PRIMARY KEY (topic_id, user_id))
            """,
            "CREATE INDEX topic_cosignatures_user ON topic_cosignatures (user_id)",
            """
            CREATE TABLE topic_events (\(id), topic_id BIGINT NOT NULL REFERENCES topics(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), at BIGINT NOT NULL, actor_user_id BIGINT,
              action TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL, note TEXT NOT NULL)
            """,
            "CREATE INDEX topic_events_topic ON topic_events (topic_id, at)",
            """
            CREATE TABLE topic_cases (topic_id BIGINT NOT NULL REFERENCES topics(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), case_id BIGINT NOT NULL REFERENCES cases(id),
              linked_at BIGINT NOT NULL, linked_by BIGINT, PRIMARY KEY (topic_id, case_id))
            """,
            "CREATE INDEX topic_cases_case ON topic_cases (case_id)",
            """
            CREATE TABLE topic_comments (\(id), topic_id BIGINT NOT NULL REFERENCES topics(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), author_user_id BIGINT REFERENCES users(id),
              body TEXT NOT NULL, created_at BIGINT NOT NULL, hidden_at BIGINT, hidden_by BIGINT, hidden_reason TEXT,
              reports INTEGER NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX topic_comments_topic ON topic_comments (topic_id, id)",
            """
            CREATE TABLE topic_comment_reports (comment_id BIGINT NOT NULL REFERENCES topic_comments(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), user_id BIGINT NOT NULL REFERENCES users(id),
              at BIGINT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (comment_id, user_id))
            """,
            // A community's co-signature rule per scope kind, from a day on; without a row the shipped default holds.
            """
            CREATE TABLE topic_cosign_rules (community_id BIGINT NOT NULL REFERENCES nodes(id), scope_kind TEXT NOT NULL,
              effective_from BIGINT NOT NULL, threshold INTEGER NOT NULL, window_days INTEGER NOT NULL,
              set_by BIGINT, set_at BIGINT NOT NULL, PRIMARY KEY (community_id, scope_kind, effective_from))
            """,
        ])
    }
}
