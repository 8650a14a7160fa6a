import Foundation
import GongzhiDomain
import Hummingbird

/// A decoded `application/x-www-form-urlencoded` body. Reading one checks the CSRF token, so every
/// state-changing form goes through the same check.
struct Form: Sendable {
    var values: [String: [String]]

    subscript(_ key: String) -> String { values[key]?.first ?? "" }
    func all(_ key: String) -> [String] { values[key] ?? [] }
    func int(_ key: String) -> Int64? { Int64(self[key].trimmingCharacters(in: .whitespaces)) }

    static func read(_ request: Request, _ context: AppRequestContext, limit: Int = 2 * 1024 * 1024) async throws -> Form {
        let buffer = try await request.body.collect(upTo: limit)
        let form = parse(String(buffer: buffer))
        guard !context.csrfToken.isEmpty, constantTimeEqual(form["_csrf"], context.csrfToken) else {
            throw DomainError(.forbidden, "csrf_invalid")
        }
        return form
    }

    static func parse(_ body: String) -> Form {
        var values: [String: [String]] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let key = parts.first, !key.isEmpty else { continue }
            values[key, default: []].append(parts.count > 1 ? parts[1] : "")
        }
        return Form(values: values)
    }
}

func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}
