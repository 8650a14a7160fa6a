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
    var facilityId: Int64? = nil

    /// The number a case keeps: the day it was filed and its id, e.g. "GZ20261124-000042".
    static func number(filedAt: Date, id: Int64) -> String {
        "GZ" + WorkCalendar.dayKey(filedAt).replacingOccurrences(of: "-", with: "") + String(format: "-%06d", id)
    }

    /// Column by column rather than through `Decodable` with key conversion, which cost a list of fifty cases more
    /// than its query (BENCHMARKS.md); the column names are still this struct's fields, so the list stays one.
    static func decode(_ row: any SQLRow) throws -> CaseRow {
        CaseRow(
            id: try row.decode(column: "id", as: Int64.self),
            number: try row.decode(column: "number", as: String.self),
            kind: try row.decode(column: "kind", as: String.self),
            channel: try row.decode(column: "channel", as: String.self),
            status: try row.decode(column: "status", as: String.self),
            title: try row.decode(column: "title", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            categoryId: try row.decode(column: "category_id", as: Int64?.self),
            communityId: try row.decode(column: "community_id", as: Int64.self),
            nodeId: try row.decode(column: "node_id", as: Int64.self),
            nodePath: try row.decode(column: "node_path", as: String.self),
            gridId: try row.decode(column: "grid_id", as: Int64?.self),
            reporterUserId: try row.decode(column: "reporter_user_id", as: Int64?.self),
            isPublic: try row.decode(column: "is_public", as: Int.self),
            unitId: try row.decode(column: "unit_id", as: Int64?.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            respondBy: try row.decode(column: "respond_by", as: Int64?.self),
            resolveBy: try row.decode(column: "resolve_by", as: Int64?.self),
            respondedAt: try row.decode(column: "responded_at", as: Int64?.self),
            closedAt: try row.decode(column: "closed_at", as: Int64?.self),
            rating: try row.decode(column: "rating", as: String?.self),
            ratingComment: try row.decode(column: "rating_comment", as: String?.self),
            reopenCount: try row.decode(column: "reopen_count", as: Int.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self),
            version: try row.decode(column: "version", as: Int.self),
            escalationLevel: try row.decode(column: "escalation_level", as: Int.self),
            escalatedAt: try row.decode(column: "escalated_at", as: Int64?.self),
            latitude: try row.decode(column: "latitude", as: Double?.self),
            longitude: try row.decode(column: "longitude", as: Double?.self),
            disputeGrade: try row.decode(column: "dispute_grade", as: String?.self),
            mergedIntoId: try row.decode(column: "merged_into_id", as: Int64?.self),
            facilityId: (try? row.decode(column: "facility_id", as: Int64?.self)) ?? nil)
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
        c.facilityID = facilityId
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
              facility_id = \(bind: c.facilityID),
              updated_at = \(bind: now.epochMillis), version = version + 1
            WHERE id = \(bind: c.id) AND version = \(bind: version) RETURNING id
            """
        ).first() != nil
    }
}
