import HTTPTypes
import Hummingbird

/// Security headers on every answer: a CSP with no inline script, no sniffing, no framing, and no caching of
/// anything a signed-in user sees.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let hsts: Bool
    /// Where map tiles come from, when a tile service is configured (allowed as images, nothing else).
    var tileOrigin: String? = nil

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:\(tileOrigin.map { " " + $0 } ?? ""); object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        // Pages and API answers may hold personal data: never cached. Static files set their own policy.
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if hsts { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}
