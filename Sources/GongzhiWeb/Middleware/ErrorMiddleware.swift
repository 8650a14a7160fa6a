import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird
import Logging

/// Turns errors into answers: RFC 9457 problem+json on the API's route groups, a translated page on the site's.
/// Never a stack trace or SQL. Each route group carries the one it needs; the router's own (`.byPath`) answers only
/// what no group matched, such as an unknown path.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    enum Format: Sendable { case page, problem, byPath }
    let views: Views
    let db: Database
    let clock: Clock
    var format: Format = .byPath

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && request.uri.path.hasPrefix("/static/") {
            // Left for the file middleware outside, which answers static files the router does not know.
            throw error
        } catch {
            let (status, key, domain) = Self.classify(error)
            if let domain, domain.isRefusal {
                // Refusals are audited; the path is the object, the answer stays the same as for a missing id.
                await AuditLog.recordRefusal(
                    db, actor: context.actor, at: clock.now(),
                    AuditRecord(
                        action: "access.refused", objectType: "request",
                        objectID: "\(request.method) \(request.uri.path)",
                        result: domain.kind.rawValue))
            }
            if status == .internalServerError {
                context.logger.error("request failed", metadata: Self.logMetadata(error))
            }
            let path = request.uri.path
            let problem =
                switch format {
                case .page: false
                case .problem: true
                case .byPath: path.hasPrefix("/api/") || path.hasPrefix("/open311/")
                }
            if problem {
                return Problem.response(
                    status: status, key: key, domain: domain, views: views, language: context.language)
            }
            if status == .unauthorized, request.method == .get {
                return .redirect(
                    to: "/login?next="
                        + (request.uri.description.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
            }
            let message =
                domain.map { views.localizer.message($0, context.language) }
                ?? views.localizer.t("error.\(key)", context.language)
            return views.page(
                "error", context, title: views.localizer.t("error_title", context.language),
                data: ["message": message, "status": Int(status.code)], status: status)
        }
    }

    /// What the log says about an error: its type and a short description. Never `String(reflecting:)`, which for
    /// database errors holds the SQL and its bind values (personal data, tokens).
    static func logMetadata(_ error: any Error) -> Logger.Metadata {
        var description = String(describing: error)
        if description.count > 200 { description = String(description.prefix(200)) + "…" }
        return [
            "error_type": .string(String(describing: type(of: error))),
            "error": .string(RequestLogMiddleware.loggable(description)),
        ]
    }

    static func classify(_ error: any Error) -> (HTTPResponse.Status, String, DomainError?) {
        if let e = error as? DomainError {
            let status: HTTPResponse.Status =
                switch e.kind {
                case .invalid: .unprocessableContent
                case .notFound: .notFound
                case .forbidden: .forbidden
                case .conflict: .conflict
                case .unauthenticated: .unauthorized
                case .tooManyAttempts: .tooManyRequests
                }
            return (status, e.key, e)
        }
        if let e = error as? any HTTPResponseError {
            // HTTPError and the like, and NIOTooManyBytesError (a body over its limit: 413, not 500).
            switch e.status {
            case .notFound: return (.notFound, "not_found", nil)
            case .contentTooLarge: return (.contentTooLarge, "too_large", nil)
            case .methodNotAllowed: return (.methodNotAllowed, "method_not_allowed", nil)
            case .badRequest: return (.badRequest, "bad_request", nil)
            default: return (e.status, "internal", nil)
            }
        }
        if error is DecodingError { return (.badRequest, "bad_request", nil) }
        return (.internalServerError, "internal", nil)
    }
}

/// RFC 9457 problem details.
enum Problem {
    static func response(
        status: HTTPResponse.Status, key: String, domain: DomainError?, views: Views, language: Language
    ) -> Response {
        var body: [String: Any] = [
            "type": "https://gongzhi.example/problems/\(key)",
            "title": status.reasonPhrase,
            "status": Int(status.code),
            "code": key,
            "detail": domain.map { views.localizer.message($0, language) }
                ?? views.localizer.t("error.\(key)", language),
        ]
        if let field = domain?.field { body["field"] = field }
        let data =
            (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/problem+json", .contentLanguage: language.rawValue],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
