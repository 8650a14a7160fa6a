import Foundation
import GongzhiDomain
import SQLKit

/// The "three rates" and more, for one group of cases. Every rate says what it divides by, so the page can
/// show the counts beside the percentage and never a rate of nothing.
public struct CaseMeasure: Codable, Equatable, Sendable {
    public var key: Int64?
    public var total: Int
    /// Dispatched cases, and those taken on before their response deadline (响应率).
    public var dispatched: Int
    public var respondedInTime: Int
    /// Filed cases (everything accepted), and those closed (解决率).
    public var filed: Int
    public var closed: Int
    /// Rated cases, and those rated satisfied or basically satisfied (满意率).
    public var rated: Int
    public var satisfied: Int
    /// Closed cases with a deadline, and those closed by it (按时办结率).
    public var closedWithDeadline: Int
    public var closedInTime: Int
    /// Mean hours from report to closing, over closed cases.
    public var averageHours: Double?

    public var responseRate: Double? { rate(respondedInTime, dispatched) }
    public var resolutionRate: Double? { rate(closed, filed) }
    public var satisfactionRate: Double? { rate(satisfied, rated) }
    public var onTimeRate: Double? { rate(closedInTime, closedWithDeadline) }

    func rate(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }
}

public enum CaseMeasureGrouping: String, CaseIterable, Sendable {
    case unit, community, grid, category
    var column: String {
        switch self {
        case .unit: "unit_id"
        case .community: "community_id"
        case .grid: "grid_id"
        case .category: "category_id"
        }
    }
}

extension CaseStore {
    /// Measures of the cases reported in [from, to) inside `scopePath`, overall (key nil) and per group.
    public func measures(
        scopePath: String, from: Date, to: Date, groupBy: CaseMeasureGrouping?
    ) async throws -> [CaseMeasure] {
        let column = groupBy?.column
        return try await db.read { sql in
            let select = column.map { "\($0) AS grp, " } ?? "NULL AS grp, "
            var q =
                SQLQueryString("SELECT ") + SQLQueryString(stringLiteral: select) + """
                    COUNT(*) AS total,
                    SUM(CASE WHEN unit_id IS NOT NULL THEN 1 ELSE 0 END) AS dispatched,
                    SUM(CASE WHEN responded_at IS NOT NULL AND respond_by IS NOT NULL AND responded_at <= respond_by THEN 1 ELSE 0 END) AS responded_in_time,
                    SUM(CASE WHEN status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END) AS filed,
                    SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END) AS closed,
                    SUM(CASE WHEN rating IS NOT NULL THEN 1 ELSE 0 END) AS rated,
                    SUM(CASE WHEN rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END) AS satisfied,
                    SUM(CASE WHEN status = 'closed' AND resolve_by IS NOT NULL THEN 1 ELSE 0 END) AS closed_with_deadline,
                    SUM(CASE WHEN status = 'closed' AND resolve_by IS NOT NULL AND closed_at <= resolve_by THEN 1 ELSE 0 END) AS closed_in_time,
                    CAST(AVG(CASE WHEN status = 'closed' THEN (closed_at - created_at) / 3600000.0 END) AS DOUBLE PRECISION) AS average_hours
                    FROM cases WHERE node_path >= \(bind: scopePath) AND node_path < \(bind: NodePath.upperBound(scopePath))
                    AND created_at >= \(bind: from.epochMillis) AND created_at < \(bind: to.epochMillis)
                    """
            if let column { q = q + SQLQueryString(stringLiteral: " GROUP BY \(column) ORDER BY COUNT(*) DESC") }
            return try await sql.raw(q).all().map { row in
                func int(_ name: String) throws -> Int { try row.decode(column: name, as: Int?.self) ?? 0 }
                return CaseMeasure(
                    key: try row.decode(column: "grp", as: Int64?.self), total: try int("total"),
                    dispatched: try int("dispatched"),
                    respondedInTime: try int("responded_in_time"), filed: try int("filed"), closed: try int("closed"),
                    rated: try int("rated"), satisfied: try int("satisfied"),
                    closedWithDeadline: try int("closed_with_deadline"),
                    closedInTime: try int("closed_in_time"),
                    averageHours: try row.decode(column: "average_hours", as: Double?.self))
            }
        }
    }
}
