import SQLKit

/// Notifications are keyed by their subject (kind, id) so every module can notify about its own things; case notices
/// keep `case_id` as well, for the foreign key.
struct Migration0021_NotificationsAddSubject: Migration {
    let version = 21
    let name = "notifications add subject"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "ALTER TABLE notifications ADD COLUMN subject_kind TEXT NOT NULL DEFAULT 'case'",
            "ALTER TABLE notifications ADD COLUMN subject_id BIGINT",
            "UPDATE notifications SET subject_id = case_id",
            "CREATE INDEX notifications_subject ON notifications (subject_kind, subject_id)",
        ])
    }
}
