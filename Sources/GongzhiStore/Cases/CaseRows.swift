import Foundation
import GongzhiDomain
import SQLKit

/// The `cases` table as one Codable row: the one column list every read and write of a case uses.
struct CaseRow: Codable, Sendable {
    var id: Int64
    var number: String
    var kind: String
    var channel: String
    var status: String
    var title: String
    var description: String
    var categoryId: Int64?
    var communityId: Int64
    var nodeId: Int64
    var nodePath: String
    var gridId: Int64?
    var reporterUserId: Int64?
    var isPublic: Int
    var unitId: Int64?
    var createdAt: Int64
    var respondBy: Int64?
    var resolveBy: Int64?
    var respondedAt: Int64?
    var closedAt: Int64?
    var rating: String?
    var ratingComment: String?
    var reopenCount: Int
    var updatedAt: Int64
    var version: Int
    var escalationLevel: Int
    var escalatedAt: Int64?
    var latitude: Double?
    var longitude: Double?
    var disputeGrade: String?
    var mergedIntoId: Int64?

    /// The number a case keeps: the day it was filed and its id, e.g. "GZ20261124-000042".
    static func number(filedAt: Date, id: Int64) -> String {
        "GZ" + WorkCalendar.dayKey(filedAt).replacingOccurrences(of: "-", with: "") + String(format: "-%06d", id)
    }

    static func decode(_ row: any SQLRow) throws -> CaseRow {
        try row.decode(model: CaseRow.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    var value: Case {
        var c = Case(
            id: id, number: number, kind: CaseKind(rawValue: kind) ?? .appeal,
            channel: CaseChannel(rawValue: channel) ?? .web,
            status: CaseStatus(rawValue: status) ?? .submitted, title: title, description: description,
            categoryID: categoryId,
            communityID: communityId, nodeID: nodeId, reporterUserID: reporterUserId, isPublic: isPublic != 0,
            unitID: unitId,
            createdAt: Date(epochMillis: createdAt), respondBy: respondBy.map(Date.init(epochMillis:)),
            resolveBy: resolveBy.map(Date.init(epochMillis:)), closedAt: closedAt.map(Date.init(epochMillis:)),
            rating: rating.flatMap(CaseRating.init(rawValue:)), reopenCount: reopenCount)
        c.escalationLevel = escalationLevel
        c.escalatedAt = escalatedAt.map(Date.init(epochMillis:))
        c.latitude = latitude
        c.longitude = longitude
        c.disputeGrade = disputeGrade.flatMap(DisputeGrade.init(rawValue:))
        c.respondedAt = respondedAt.map(Date.init(epochMillis:))
        c.ratingComment = ratingComment
        c.mergedIntoID = mergedIntoId
        c.version = version
        return c
    }

    /// Writes the state a transition produced, only if nobody changed the case since it was read.
    static func save(_ sql: any SQLDatabase, _ c: Case, expecting version: Int, at now: Date) async throws -> Bool {
        try await sql.raw(
            """
            UPDATE cases SET status = \(bind: c.status.rawValue), category_id = \(bind: c.categoryID), unit_id = \(bind: c.unitID),
              respond_by = \(bind: c.respondBy?.epochMillis), resolve_by = \(bind: c.resolveBy?.epochMillis),
              responded_at = \(bind: c.respondedAt?.epochMillis), closed_at = \(bind: c.closedAt?.epochMillis),
              rating = \(bind: c.rating?.rawValue), rating_comment = \(bind: c.ratingComment), reopen_count = \(bind: c.reopenCount),
              escalation_level = \(bind: c.escalationLevel), escalated_at = \(bind: c.escalatedAt?.epochMillis),
              merged_into_id = \(bind: c.mergedIntoID), is_public = \(bind: c.isPublic ? 1 : 0),
              updated_at = \(bind: now.epochMillis), version = version + 1
            WHERE id = \(bind: c.id) AND version = \(bind: version) RETURNING id
            """
        ).first() != nil
    }
}
