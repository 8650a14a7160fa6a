import Foundation
import GongzhiDomain
import SQLKit

/// The `topics` table as one row: the one column list every read and write of a topic uses.
struct TopicRow: Sendable {
    var topic: Topic
    /// The path of the scope's node: the building for a building's topic, the community otherwise (an estate is not
    /// a node of the tree).
    var scopePath: String

    static func decode(_ row: any SQLRow) throws -> TopicRow {
        let origin: TopicOrigin
        switch try row.decode(column: "origin", as: String.self) {
        case "partyMember": origin = .partyMember
        case "governanceBody":
            origin = .governanceBody(bodyID: try row.decode(column: "origin_body_id", as: Int64?.self) ?? 0)
        case "fromCase": origin = .fromCase(caseID: try row.decode(column: "origin_case_id", as: Int64?.self) ?? 0)
        default: origin = .resident
        }
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map(Date.init(epochMillis:))
        }
        var t = Topic(
            id: try row.decode(column: "id", as: Int64.self), number: try row.decode(column: "number", as: String.self),
            scope: TopicScope(
                communityID: try row.decode(column: "community_id", as: Int64.self),
                estateID: try row.decode(column: "estate_id", as: Int64?.self),
                buildingID: try row.decode(column: "building_id", as: Int64?.self)),
            origin: origin, proposerUserID: try row.decode(column: "proposer_user_id", as: Int64?.self),
            title: try row.decode(column: "title", as: String.self),
            body: try row.decode(column: "body", as: String.self),
            state: TopicState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft,
            createdAt: Date(epochMillis: try row.decode(column: "created_at", as: Int64.self)),
            coSignatureThreshold: try row.decode(column: "threshold", as: Int.self),
            collectUntil: try date("collect_until"),
            coSignatures: try row.decode(column: "co_signatures", as: Int.self),
            version: try row.decode(column: "version", as: Int.self))
        t.submittedAt = try date("submitted_at")
        t.placedByOrganiser = try row.decode(column: "placed_by_organiser", as: Int.self) == 1
        t.agendaAt = try date("agenda_at")
        t.meetingID = try row.decode(column: "meeting_id", as: Int64?.self)
        t.voteID = try row.decode(column: "vote_id", as: Int64?.self)
        t.decidedAt = try date("decided_at")
        t.resolutionID = try row.decode(column: "resolution_id", as: Int64?.self)
        t.archiveReason = try row.decode(column: "archive_reason", as: String?.self).flatMap(
            TopicArchiveReason.init(rawValue:))
        t.archivedAt = try date("archived_at")
        return TopicRow(topic: t, scopePath: try row.decode(column: "scope_path", as: String.self))
    }

    /// Saves the next state of a topic if it is still at `expecting`; false when someone changed it meanwhile.
    static func save(_ sql: any SQLDatabase, _ t: Topic, expecting version: Int, at now: Date) async throws -> Bool {
        let row = try await sql.raw(
            """
            UPDATE topics SET title = \(bind: t.title), body = \(bind: t.body), state = \(bind: t.state.rawValue),
              submitted_at = \(bind: t.submittedAt?.epochMillis), threshold = \(bind: t.coSignatureThreshold),
              collect_until = \(bind: t.collectUntil?.epochMillis), co_signatures = \(bind: t.coSignatures),
              placed_by_organiser = \(bind: t.placedByOrganiser ? 1 : 0), agenda_at = \(bind: t.agendaAt?.epochMillis),
              meeting_id = \(bind: t.meetingID), vote_id = \(bind: t.voteID),
              decided_at = \(bind: t.decidedAt?.epochMillis),
              resolution_id = \(bind: t.resolutionID), archive_reason = \(bind: t.archiveReason?.rawValue),
              archived_at = \(bind: t.archivedAt?.epochMillis), updated_at = \(bind: now.epochMillis),
              version = version + 1
            WHERE id = \(bind: t.id) AND version = \(bind: version) RETURNING id
            """
        ).first()
        return row != nil
    }
}

extension TopicOrigin {
    var bodyID: Int64? {
        if case .governanceBody(let id) = self { return id }
        return nil
    }
}

extension TopicRow {
    /// The topics whose scope lay inside the subtree that stood at `oldPath` take their scope node's path and
    /// community as the tree now says, and their side rows take the topic's community (called with the cases by the
    /// tree's moves, splits and merges).
    static func carry(_ sql: any SQLDatabase, from oldPath: String) async throws {
        let ids = try await sql.raw(
            """
            SELECT id FROM topics WHERE scope_path >= \(bind: oldPath) AND scope_path < \(bind: NodePath.upperBound(oldPath))
            """
        ).all().map { try $0.decode(column: "id", as: Int64.self) }
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            var list = SQLQueryString("")
            for (i, id) in chunk.enumerated() { list = list + SQLQueryString(i > 0 ? ", " : "") + "\(bind: id)" }
            try await sql.raw(
                """
                UPDATE topics SET
                  scope_path = (SELECT n.path FROM nodes n WHERE n.id = COALESCE(topics.building_id, topics.community_id)),
                  community_id = COALESCE((SELECT n.community_id FROM nodes n WHERE n.id = topics.building_id), topics.community_id)
                WHERE id IN (
                """ + list + ")"
            ).run()
            for table in ["topic_cosignatures", "topic_events", "topic_cases", "topic_comments"] {
                try await sql.raw(
                    """
                    UPDATE \(unsafeRaw: table) SET community_id = (SELECT t.community_id FROM topics t WHERE t.id = \(unsafeRaw: table).topic_id)
                    WHERE topic_id IN (
                    """ + list + ")"
                ).run()
            }
            try await sql.raw(
                """
                UPDATE topic_comment_reports SET community_id = (SELECT c.community_id FROM topic_comments c WHERE c.id = topic_comment_reports.comment_id)
                WHERE comment_id IN (SELECT id FROM topic_comments WHERE topic_id IN (
                """ + list + "))"
            ).run()
        }
    }
}
