import Foundation
import GongzhiDomain
import SQLKit

/// The three-rates measures kept per community, day and group (issue 11): each case adds its share to the row of
/// the work day it was reported on and to the row of that day's 16-day block, for its grid, its unit and its
/// category. Triggers on `cases` keep them on every insert, change and delete (like `case_counts`), so no writer can
/// forget them; a range of whole days then reads a few hundred rows instead of every case it covers.
enum CaseMeasureRollups {
    static let dayMillis: Int64 = 86_400_000
    /// Work days are days in Asia/Shanghai, which has kept UTC+8 without summer time since 1991: a fixed offset.
    static let zoneOffsetMillis: Int64 = 28_800_000
    /// Days per bucket, widest first. Any range of whole days is its 16-day blocks plus at most 30 days at its ends.
    static let spans: [Int64] = [16, 1]

    /// The groups a row is kept for; `member_id` holds the group's id, 0 for cases without one.
    enum Dimension: String, CaseIterable {
        case grid, unit, category
        var column: String {
            switch self {
            case .grid: "grid_id"
            case .unit: "unit_id"
            case .category: "category_id"
            }
        }
    }

    /// Each kept column with one case's share of it; `$.` stands for the row (`new.`, `old.` or a table alias).
    /// These are the conditions of `CaseStore.measures` read from the cases, and must stay equal to them.
    static let shares: [(column: String, share: String)] = [
        ("total", "1"),
        ("dispatched", "CASE WHEN $.unit_id IS NOT NULL THEN 1 ELSE 0 END"),
        (
            "responded_in_time",
            "CASE WHEN $.responded_at IS NOT NULL AND $.respond_by IS NOT NULL AND $.responded_at <= $.respond_by THEN 1 ELSE 0 END"
        ),
        ("filed", "CASE WHEN $.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END"),
        ("closed", "CASE WHEN $.status = 'closed' THEN 1 ELSE 0 END"),
        ("rated", "CASE WHEN $.rating IS NOT NULL THEN 1 ELSE 0 END"),
        ("satisfied", "CASE WHEN $.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END"),
        ("closed_with_deadline", "CASE WHEN $.status = 'closed' AND $.resolve_by IS NOT NULL THEN 1 ELSE 0 END"),
        (
            "closed_in_time",
            "CASE WHEN $.status = 'closed' AND $.resolve_by IS NOT NULL AND $.closed_at <= $.resolve_by THEN 1 ELSE 0 END"
        ),
        ("closed_timed", "CASE WHEN $.status = 'closed' AND $.closed_at IS NOT NULL THEN 1 ELSE 0 END"),
        (
            "closed_millis",
            "CASE WHEN $.status = 'closed' AND $.closed_at IS NOT NULL THEN $.closed_at - $.created_at ELSE 0 END"
        ),
    ]

    /// The case columns the shares and keys read: a change of any other column leaves the rows alone.
    static let watchedColumns = [
        "community_id", "grid_id", "unit_id", "category_id", "created_at", "status", "rating", "responded_at",
        "respond_by", "closed_at", "resolve_by",
    ]

    static func bucket(_ row: String, span: Int64) -> String {
        "(\(row)created_at + \(zoneOffsetMillis)) / \(dayMillis * span)"
    }

    static func share(_ text: String, row: String) -> String { text.replacingOccurrences(of: "$.", with: row) }

    /// Adds the case `row` (`new.`) to its row of `dimension` and `span`.
    static func add(_ dimension: Dimension, span: Int64, row: String) -> String {
        let columns = shares.map(\.column).joined(separator: ", ")
        let values = shares.map { share($0.share, row: row) }.joined(separator: ", ")
        let sums = shares.map { "\($0.column) = case_measure_rollups.\($0.column) + excluded.\($0.column)" }
            .joined(separator: ", ")
        return """
            INSERT INTO case_measure_rollups (community_id, dimension, member_id, span, bucket, \(columns))
            VALUES (\(row)community_id, '\(dimension.rawValue)', COALESCE(\(row)\(dimension.column), 0), \(span),
              \(bucket(row, span: span)), \(values))
            ON CONFLICT (dimension, span, community_id, bucket, member_id) DO UPDATE SET \(sums)
            """
    }

    /// Takes the case `row` (`old.`) out of its row of `dimension` and `span`.
    static func remove(_ dimension: Dimension, span: Int64, row: String) -> String {
        let differences = shares.map { "\($0.column) = \($0.column) - (\(share($0.share, row: row)))" }
            .joined(separator: ", ")
        return """
            UPDATE case_measure_rollups SET \(differences)
            WHERE dimension = '\(dimension.rawValue)' AND span = \(span) AND community_id = \(row)community_id
              AND bucket = \(bucket(row, span: span)) AND member_id = COALESCE(\(row)\(dimension.column), 0)
            """
    }

    static var keys: [(Dimension, Int64)] { Dimension.allCases.flatMap { d in spans.map { (d, $0) } } }

    /// Fills the rows from the cases as they are (the migration, and a repair).
    static func rebuild() -> [String] {
        let columns = shares.map(\.column).joined(separator: ", ")
        let sums = shares.map { "SUM(\(share($0.share, row: "r.")))" }.joined(separator: ", ")
        return ["DELETE FROM case_measure_rollups"]
            + keys.map { dimension, span in
                """
                INSERT INTO case_measure_rollups (community_id, dimension, member_id, span, bucket, \(columns))
                SELECT r.community_id, '\(dimension.rawValue)', COALESCE(r.\(dimension.column), 0), \(span),
                  \(bucket("r.", span: span)), \(sums)
                FROM cases r GROUP BY 1, 3, 5
                """
            }
    }

    /// The triggers that keep the rows, on each backend.
    static func triggers(_ backend: Database.Backend) -> [String] {
        let adds = keys.map { add($0.0, span: $0.1, row: "new.") }
        let removes = keys.map { remove($0.0, span: $0.1, row: "old.") }
        let watched = watchedColumns.joined(separator: ", ")
        switch backend {
        case .sqlite:
            let changed = watchedColumns.map { "old.\($0) IS NOT new.\($0)" }.joined(separator: " OR ")
            return [
                "CREATE TRIGGER case_measure_rollups_insert AFTER INSERT ON cases BEGIN "
                    + adds.map { $0 + ";" }.joined(separator: " ") + " END",
                "CREATE TRIGGER case_measure_rollups_delete AFTER DELETE ON cases BEGIN "
                    + removes.map { $0 + ";" }.joined(separator: " ") + " END",
                "CREATE TRIGGER case_measure_rollups_update AFTER UPDATE OF \(watched) ON cases WHEN \(changed) BEGIN "
                    + (removes + adds).map { $0 + ";" }.joined(separator: " ") + " END",
            ]
        case .postgres:
            let unchanged = watchedColumns.map { "old.\($0) IS NOT DISTINCT FROM new.\($0)" }
                .joined(separator: " AND ")
            return [
                """
                CREATE FUNCTION case_measure_rollups_follow() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'UPDATE' THEN
                    IF \(unchanged) THEN
                      RETURN NULL;
                    END IF;
                    \(removes.joined(separator: ";\n"));
                    \(adds.joined(separator: ";\n"));
                  ELSIF TG_OP = 'INSERT' THEN
                    \(adds.joined(separator: ";\n"));
                  ELSE
                    \(removes.joined(separator: ";\n"));
                  END IF;
                  RETURN NULL;
                END $$
                """,
                """
                CREATE TRIGGER case_measure_rollups_follow AFTER INSERT OR DELETE OR UPDATE OF \(watched)
                ON cases FOR EACH ROW EXECUTE FUNCTION case_measure_rollups_follow()
                """,
            ]
        }
    }

    /// A range of whole work days, `[first, end)` by day number, as the 16-day blocks and single days that make it up.
    static func segments(firstDay: Int64, endDay: Int64) -> [(span: Int64, from: Int64, to: Int64)] {
        guard firstDay < endDay else { return [] }
        let block = spans[0]
        let firstBlock = (firstDay + block - 1) / block
        let endBlock = endDay / block
        guard firstBlock < endBlock else { return [(1, firstDay, endDay)] }
        return [
            (1, firstDay, firstBlock * block), (block, firstBlock, endBlock), (1, endBlock * block, endDay),
        ].filter { $0.from < $0.to }
    }

    /// The work day number of the day starting at or after `date`, and of the day holding `date` (floor).
    static func day(onOrAfter date: Date) -> Int64 {
        let local = date.epochMillis + zoneOffsetMillis
        return local >= 0 ? (local + dayMillis - 1) / dayMillis : local / dayMillis
    }
    static func day(holding date: Date) -> Int64 {
        let local = date.epochMillis + zoneOffsetMillis
        return local >= 0 ? local / dayMillis : (local - dayMillis + 1) / dayMillis
    }
    static func start(ofDay day: Int64) -> Date { Date(epochMillis: day * dayMillis - zoneOffsetMillis) }
}
