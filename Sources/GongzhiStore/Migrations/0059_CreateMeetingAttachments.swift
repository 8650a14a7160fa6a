import SQLKit

/// Files kept with a meeting's record (会议附件, issue 13): their name, the content type their bytes showed, size and
/// bytes, and who uploaded them when. Read by meeting.
struct Migration0059_CreateMeetingAttachments: Migration {
    let version = 59
    let name = "create meeting attachments"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        let blob = backend == .sqlite ? "BLOB" : "BYTEA"
        try await sql.exec([
            """
            CREATE TABLE meeting_attachments (\(id), meeting_id BIGINT NOT NULL REFERENCES meetings(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), name TEXT NOT NULL, content_type TEXT NOT NULL,
              size INTEGER NOT NULL, bytes \(blob) NOT NULL, uploaded_by BIGINT, uploaded_at BIGINT NOT NULL)
            """,
            "CREATE INDEX meeting_attachments_meeting ON meeting_attachments (meeting_id, id)",
        ])
    }
}
