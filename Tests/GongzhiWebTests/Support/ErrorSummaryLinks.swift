import Foundation

/// The error summary of a page: how many messages it lists, and which of its links (`#f-…`) name no element of the
/// page — a message must lead to its field.
enum ErrorSummaryLinks {
    static func summary(in html: String) -> Substring? {
        guard let start = html.range(of: #"<div class="error-summary""#) else { return nil }
        let rest = html[start.lowerBound...]
        return rest[..<(rest.range(of: "</div>")?.lowerBound ?? rest.endIndex)]
    }

    static func unresolved(in html: String) -> [String] {
        guard let summary = summary(in: html) else { return [] }
        let targets = summary.components(separatedBy: "href=\"#").dropFirst().compactMap {
            $0.split(separator: "\"").first.map(String.init)
        }
        return targets.filter { !html.contains("id=\"\($0)\"") }
    }

    static func count(in html: String) -> Int {
        (summary(in: html)?.components(separatedBy: "<li>").count ?? 1) - 1
    }
}
