import SQLKit

/// In-app notifications and the outbox for outbound channels (SMS, e-mail). Both are written in the transaction of
/// the change they tell of, so a crash loses none and a rolled-back change sends none.
struct Migration0009_CreateNotifications: Migration {
    let version = 9
    let name = "create notifications"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            """
            CREATE TABLE notifications (\(id), user_id BIGINT NOT NULL REFERENCES users(id), community_id BIGINT REFERENCES nodes(id),
              case_id BIGINT REFERENCES cases(id), at BIGINT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, read_at BIGINT)
            """,
            "CREATE INDEX notifications_user ON notifications (user_id, read_at, id)",
            """
            CREATE TABLE outbox (\(id), notification_id BIGINT NOT NULL REFERENCES notifications(id), channel TEXT NOT NULL,
              created_at BIGINT NOT NULL, next_attempt_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
              sent_at BIGINT, last_error TEXT, claimed_until BIGINT)
            """,
            "CREATE INDEX outbox_pending ON outbox (sent_at, next_attempt_at)",
        ])
    }
}
