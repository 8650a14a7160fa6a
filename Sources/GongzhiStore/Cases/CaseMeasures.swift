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

/// The sums behind measures, which add up across days, blocks and the raw ends of a range: one value per kept
/// column, in the order of `CaseMeasureRollups.shares`.
struct CaseMeasureSums: Sendable {
    var key: Int64?
    var values: [Int64]

    init(key: Int64?, values: [Int64] = Array(repeating: 0, count: CaseMeasureRollups.shares.count)) {
        self.key = key
        self.values = values
    }

    init(_ row: any SQLRow, key: Int64?) throws {
        self.key = key
        values = try CaseMeasureRollups.shares.map { try row.decode(column: $0.column, as: Int64?.self) ?? 0 }
    }

    mutating func add(_ other: CaseMeasureSums) {
        for i in values.indices { values[i] += other.values[i] }
    }

    var measure: CaseMeasure {
        func v(_ column: String) -> Int {
            Int(values[CaseMeasureRollups.shares.firstIndex { $0.column == column }!])
        }
        let timed = v("closed_timed")
        return CaseMeasure(
            key: key, total: v("total"), dispatched: v("dispatched"), respondedInTime: v("responded_in_time"),
            filed: v("filed"), closed: v("closed"), rated: v("rated"), satisfied: v("satisfied"),
            closedWithDeadline: v("closed_with_deadline"), closedInTime: v("closed_in_time"),
            averageHours: timed == 0 ? nil : Double(v("closed_millis")) / Double(timed) / 3_600_000)
    }
}

extension CaseStore {
    /// Measures of the cases reported in [from, to) inside `scopePath`, overall (key nil, always one row) and per
    /// group (groups with cases, the largest first). Whole work days inside the range are read from the kept
    /// roll-ups when the scope is a district, sub-district, community or grid; the rest from the cases.
    public func measures(
        scopePath: String, from: Date, to: Date, groupBy: CaseMeasureGrouping?
    ) async throws -> [CaseMeasure] {
        let firstDay = CaseMeasureRollups.day(onOrAfter: from)
        let endDay = CaseMeasureRollups.day(holding: to)
        let sums = try await db.read { sql -> [CaseMeasureSums] in
            guard firstDay < endDay, let scope = try await Self.rollupScope(sql, scopePath, groupBy: groupBy) else {
                return try await Self.measureSums(sql, scopePath: scopePath, from: from, to: to, groupBy: groupBy)
            }
            var parts = try await Self.rollupSums(
                sql, scope, firstDay: firstDay, endDay: endDay, groupBy: groupBy)
            let head = CaseMeasureRollups.start(ofDay: firstDay)
            let tail = CaseMeasureRollups.start(ofDay: endDay)
            if from < head {
                parts += try await Self.measureSums(sql, scopePath: scopePath, from: from, to: head, groupBy: groupBy)
            }
            if tail < to {
                parts += try await Self.measureSums(sql, scopePath: scopePath, from: tail, to: to, groupBy: groupBy)
            }
            return parts
        }
        return Self.merged(sums, grouped: groupBy != nil).map(\.measure)
    }

    /// The same measures counted from the cases alone (what the roll-ups must equal; tests compare the two).
    func measuresFromCases(
        scopePath: String, from: Date, to: Date, groupBy: CaseMeasureGrouping?
    ) async throws -> [CaseMeasure] {
        let sums = try await db.read { sql in
            try await Self.measureSums(sql, scopePath: scopePath, from: from, to: to, groupBy: groupBy)
        }
        return Self.merged(sums, grouped: groupBy != nil).map(\.measure)
    }

    static func merged(_ parts: [CaseMeasureSums], grouped: Bool) -> [CaseMeasureSums] {
        guard grouped else {
            var all = CaseMeasureSums(key: nil)
            for part in parts { all.add(part) }
            return [all]
        }
        var byKey: [Int64?: CaseMeasureSums] = [:]
        for part in parts { byKey[part.key, default: CaseMeasureSums(key: part.key)].add(part) }
        return byKey.values.filter { $0.values[0] > 0 }.sorted {
            $0.values[0] != $1.values[0] ? $0.values[0] > $1.values[0] : ($0.key ?? 0) < ($1.key ?? 0)
        }
    }

    /// Sums over the cases reported in [from, to) inside `scopePath`.
    static func measureSums(
        _ sql: any SQLDatabase, scopePath: String, from: Date, to: Date, groupBy: CaseMeasureGrouping?
    ) async throws -> [CaseMeasureSums] {
        let column = groupBy?.column
        let sums = CaseMeasureRollups.shares.map {
            "CAST(SUM(\(CaseMeasureRollups.share($0.share, row: ""))) AS BIGINT) AS \($0.column)"
        }.joined(separator: ", ")
        let select: SQLQueryString = "SELECT \(unsafeRaw: column ?? "NULL") AS grp, \(unsafeRaw: sums) FROM cases "
        var q =
            select
                + """
                WHERE node_path >= \(bind: scopePath) AND node_path < \(bind: NodePath.upperBound(scopePath))
                AND created_at >= \(bind: from.epochMillis) AND created_at < \(bind: to.epochMillis)
                """
        if let column { q = q + " GROUP BY \(unsafeRaw: column)" }
        return try await sql.raw(q).all().map {
            try CaseMeasureSums($0, key: try $0.decode(column: "grp", as: Int64?.self))
        }
    }

    /// Where the roll-ups can answer for a scope: its communities, or one grid of one community.
    enum RollupScope {
        case within(path: String)
        case community(Int64)
        case grid(community: Int64, grid: Int64)
    }

    /// The roll-up scope of `scopePath`, or nil when only the cases can answer (a building, or a grid grouped by
    /// something the grid rows do not keep).
    static func rollupScope(
        _ sql: any SQLDatabase, _ scopePath: String, groupBy: CaseMeasureGrouping?
    ) async throws -> RollupScope? {
        guard
            let row = try await sql.raw(
                "SELECT id, kind, parent_id, community_id FROM nodes WHERE path = \(bind: scopePath)"
            ).first(),
            let kind = NodeKind(rawValue: try row.decode(column: "kind", as: String.self))
        else {
            // The root above every tree (a scope of everything) holds every community; another path that names
            // no node may cut through a community, so only the cases can answer for it.
            return scopePath == "/" ? .within(path: scopePath) : nil
        }
        let id = try row.decode(column: "id", as: Int64.self)
        switch kind {
        case .district, .subdistrict, .town: return .within(path: scopePath)
        case .community, .village: return .community(id)
        case .grid:
            guard groupBy != .unit, groupBy != .category,
                let community = try row.decode(column: "community_id", as: Int64?.self)
                    ?? (try row.decode(column: "parent_id", as: Int64?.self))
            else { return nil }
            return .grid(community: community, grid: id)
        case .building: return nil
        }
    }

    /// Sums of the kept rows for the whole days `[firstDay, endDay)`.
    static func rollupSums(
        _ sql: any SQLDatabase, _ scope: RollupScope, firstDay: Int64, endDay: Int64, groupBy: CaseMeasureGrouping?
    ) async throws -> [CaseMeasureSums] {
        let dimension: CaseMeasureRollups.Dimension =
            switch groupBy {
            case .unit: .unit
            case .category: .category
            case .community, .grid, nil: .grid
            }
        let group =
            switch groupBy {
            case .community: "community_id"
            case .grid, .unit, .category: "member_id"
            case nil: "0"
            }
        let columns = CaseMeasureRollups.shares.map(\.column)
        var union: SQLQueryString?
        for segment in CaseMeasureRollups.segments(firstDay: firstDay, endDay: endDay) {
            let select: SQLQueryString =
                "SELECT \(unsafeRaw: group) AS grp, \(unsafeRaw: columns.joined(separator: ", "))"
            var part =
                select
                    + """
                     FROM case_measure_rollups WHERE dimension = \(bind: dimension.rawValue)
                     AND span = \(bind: segment.span) AND bucket >= \(bind: segment.from) AND bucket < \(bind: segment.to)
                    """
            switch scope {
            case .within(let path):
                part =
                    part
                        + """
                         AND community_id IN (SELECT id FROM nodes WHERE kind IN ('community','village')
                         AND path >= \(bind: path) AND path < \(bind: NodePath.upperBound(path)))
                        """
            case .community(let id): part = part + " AND community_id = \(bind: id)"
            case .grid(let community, let grid):
                part = part + " AND community_id = \(bind: community) AND member_id = \(bind: grid)"
            }
            union = union.map { $0 + " UNION ALL " + part } ?? part
        }
        guard let union else { return [] }
        let sums = columns.map { "CAST(SUM(\($0)) AS BIGINT) AS \($0)" }.joined(separator: ", ")
        let head: SQLQueryString = "SELECT grp, \(unsafeRaw: sums) FROM ("
        let q = head + union + ") parts GROUP BY grp"
        return try await sql.raw(q).all().map { row in
            let key = try row.decode(column: "grp", as: Int64?.self)
            return try CaseMeasureSums(row, key: groupBy == nil || key == 0 ? nil : key)
        }
    }
}
