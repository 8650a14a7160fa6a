import SQLKit

/// A meeting's attendance sheet (issue 13): one row per signature, with the signer's household from the registry,
/// when they signed and who recorded it. On a households basis `household_key` repeats the household, so the unique
/// index refuses a second member of a signed household even under concurrent sign-ins; on other bases it stays
/// NULL. The sheet's basis is chosen by its first signature and kept on the meeting.
struct Migration0054_CreateMeetingAttendance: Migration {
    let version = 54
    let name = "create meeting attendance"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let id = DDL.id(backend)
        try await sql.exec([
            "ALTER TABLE meetings ADD COLUMN attendance_basis TEXT",
            """
            CREATE TABLE meeting_attendance (\(id), meeting_id BIGINT NOT NULL REFERENCES meetings(id),
              community_id BIGINT NOT NULL REFERENCES nodes(id), person_id BIGINT NOT NULL REFERENCES registry_people(id),
              household_id BIGINT, household_key BIGINT, signed_at BIGINT NOT NULL, recorded_by BIGINT)
            """,
            "CREATE UNIQUE INDEX meeting_attendance_person ON meeting_attendance (meeting_id, person_id)",
            "CREATE UNIQUE INDEX meeting_attendance_household ON meeting_attendance (meeting_id, household_key)",
        ])
    }
}
