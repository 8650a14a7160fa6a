import Foundation
import GongzhiDomain
import SQLKit

/// The rows of `meeting_attachments`: a meeting's files, listed without their bytes.
enum MeetingAttachmentRows {
    static func count(_ sql: any SQLDatabase, _ meetingID: Int64) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM meeting_attachments WHERE meeting_id = \(bind: meetingID)")
            .first()!.decode(column: "n", as: Int.self)
    }

    static func list(_ sql: any SQLDatabase, _ meetingID: Int64) async throws -> [MeetingAttachment] {
        try await sql.raw(
            """
            SELECT a.id, a.name, a.content_type, a.size, a.uploaded_at, u.display_name
            FROM meeting_attachments a LEFT JOIN users u ON u.id = a.uploaded_by
            WHERE a.meeting_id = \(bind: meetingID) ORDER BY a.id
            """
        ).all().map { row in
            MeetingAttachment(
                id: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                contentType: try row.decode(column: "content_type", as: String.self),
                size: try row.decode(column: "size", as: Int.self),
                uploadedAt: Date(epochMillis: try row.decode(column: "uploaded_at", as: Int64.self)),
                uploadedBy: try row.decode(column: "display_name", as: String?.self))
        }
    }

    /// One attachment's name and size (nil when the meeting holds no such attachment).
    static func find(
        _ sql: any SQLDatabase, _ id: Int64, meetingID: Int64
    ) async throws -> (name: String, size: Int)? {
        guard
            let row = try await sql.raw(
                "SELECT name, size FROM meeting_attachments WHERE id = \(bind: id) AND meeting_id = \(bind: meetingID)"
            ).first()
        else { return nil }
        return (try row.decode(column: "name", as: String.self), try row.decode(column: "size", as: Int.self))
    }

    static func insert(
        _ sql: any SQLDatabase, meetingID: Int64, communityID: Int64, name: String, contentType: String,
        bytes: [UInt8], by userID: Int64?, at: Date
    ) async throws -> Int64 {
        try await sql.raw(
            """
            INSERT INTO meeting_attachments (meeting_id, community_id, name, content_type, size, bytes, uploaded_by,
              uploaded_at)
            VALUES (\(bind: meetingID), \(bind: communityID), \(bind: name), \(bind: contentType), \(bind: bytes.count),
              \(bind: Data(bytes)), \(bind: userID), \(bind: at.epochMillis))
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
    }
}

extension MeetingStore {
    /// A meeting's attachments, listed for who may read them (`MeetingPolicy.mayReadAttachments`): empty for the
    /// community's residents until the minutes are published.
    public func attachments(_ meetingID: Int64, for actor: Actor, now: Date) async throws -> [MeetingAttachment] {
        try await record(meetingID, for: actor, now: now).attachments
    }

    /// One attachment's name, content type and bytes, for who may read the meeting's attachments. Who may not read
    /// the meeting gets not found; a resident before the minutes are published, forbidden.
    public func attachment(
        _ id: Int64, meetingID: Int64, for actor: Actor, now: Date
    ) async throws -> (name: String, contentType: String, bytes: Data) {
        try await db.read { sql in
            guard let (m, context) = try await Self.loaded(sql, meetingID, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try MeetingPolicy.require(.read, of: actor, on: m, in: context)
            guard MeetingPolicy.mayReadAttachments(actor, m, in: context) else { throw DomainError.forbidden }
            guard
                let row = try await sql.raw(
                    """
                    SELECT name, content_type, bytes FROM meeting_attachments
                    WHERE id = \(bind: id) AND meeting_id = \(bind: meetingID)
                    """
                ).first()
            else { throw DomainError.notFound }
            return (
                try row.decode(column: "name", as: String.self),
                try row.decode(column: "content_type", as: String.self),
                try row.decode(column: "bytes", as: Data.self)
            )
        }
    }
}

extension MeetingBulk {
    /// Keeps a file with a seeded meeting's record, checked by the attachments' rules; uploaded by nobody.
    @discardableResult
    public func attach(_ meetingID: Int64, name: String, bytes: [UInt8], at: Date) async throws -> Int64 {
        guard
            let row = try await tx.sql.raw("SELECT community_id FROM meetings WHERE id = \(bind: meetingID)").first()
        else { throw DomainError.notFound }
        let communityID = try row.decode(column: "community_id", as: Int64.self)
        let checked = try MeetingAttachmentRules.check(
            name: name, bytes: bytes, existing: try await MeetingAttachmentRows.count(tx.sql, meetingID))
        let id = try await MeetingAttachmentRows.insert(
            tx.sql, meetingID: meetingID, communityID: communityID, name: checked.name,
            contentType: checked.contentType, bytes: bytes, by: nil, at: at)
        try await tx.sql.raw(
            """
            INSERT INTO meeting_events (meeting_id, community_id, at, actor_user_id, action, note)
            VALUES (\(bind: meetingID), \(bind: communityID), \(bind: at.epochMillis), NULL, 'attach', \(bind: checked.name))
            """
        ).run()
        return id
    }
}
