import Foundation
import GongzhiDomain
import SQLKit

extension CaseStore {
    /// Within this distance (metres) an open public case of the same category counts as "nearby".
    public static let similarRadius = 300.0

    /// Open public cases a resident about to report may be describing: of the same community, and either of the
    /// same category near the same place (within `similarRadius` of the point, or at the same building), or with a
    /// title that shares text with theirs (the search index: FTS5 trigram on SQLite, pg_trgm on PostgreSQL). Newest
    /// first, at most `limit`; the reporter's own cases are left out.
    public func similarOpen(
        communityID: Int64, categoryID: Int64?, nodeID: Int64?, point: (Double, Double)?, title: String,
        excludingReporter user: Int64?, limit: Int = 5
    ) async throws -> [PublicCase] {
        let open = CaseStatus.allCases.filter(\.isOpen).map(\.rawValue)
        var near = SQLQueryString("0 = 1")
        if let categoryID {
            var place = SQLQueryString("0 = 1")
            if let nodeID { place = "node_id = \(bind: nodeID)" }
            if let (lat, lng) = point {
                let dLat = Self.similarRadius / 111_320
                let dLng = dLat / max(cos(lat * .pi / 180), 0.01)
                place =
                    place
                    + " OR (latitude BETWEEN \(bind: lat - dLat) AND \(bind: lat + dLat) AND longitude BETWEEN \(bind: lng - dLng) AND \(bind: lng + dLng))"
            }
            near = "(category_id = \(bind: categoryID) AND (" + place + "))"
        }
        // Text: three characters in common is the least the trigram indexes can match.
        let words = title.trimmingCharacters(in: .whitespacesAndNewlines).filter { !$0.isPunctuation && $0 != "\"" }
        var text = SQLQueryString("0 = 1")
        if words.count >= 3 {
            let trigrams = Set(
                (0...(words.count - 3)).map { i in
                    String(Array(words)[i..<(i + 3)])
                }
            ).prefix(12)
            switch db.backend {
            case .sqlite:
                let match = trigrams.map { "\"\($0)\"" }.joined(separator: " OR ")
                text = "id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH \(bind: match))"
            case .postgres:
                text = "0 = 1"
                for t in trigrams { text = text + " OR title LIKE \(bind: "%" + t + "%")" }
            }
        }
        var inner = SQLQueryString(
            "SELECT * FROM cases WHERE is_public = 1 AND merged_into_id IS NULL AND community_id = \(bind: communityID) AND status IN ("
        )
        for (i, s) in open.enumerated() { inner = inner + SQLQueryString(i > 0 ? ", " : "") + "\(bind: s)" }
        inner = inner + ") AND (" + near + " OR " + text + ")"
        if let user { inner = inner + " AND (reporter_user_id IS NULL OR reporter_user_id <> \(bind: user))" }
        return try await publicRead(inner + " ORDER BY id DESC LIMIT \(bind: limit)")
    }
}
