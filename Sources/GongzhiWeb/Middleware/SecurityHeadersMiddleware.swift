import HTTPTypes
import Hummingbird

/// Security headers on every answer: a CSP with no inline script, no sniffing, no framing, and no caching of
/// anything a signed-in user sees.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let hsts: Bool
    /// The policy, built once: the same for every answer.
    let contentSecurityPolicy: String
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!

    /// `tileOrigin`: where map tiles come from, when a tile service is configured (allowed as images, nothing else).
    init(hsts: Bool, tileOrigin: String? = nil) {
        self.hsts = hsts
        self.contentSecurityPolicy =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:\(tileOrigin.map { " " + $0 } ?? ""); object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "same-origin"
        response.headers[Self.frameOptions] = "DENY"
        // Pages and API answers may hold personal data: never cached. Static files set their own policy.
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if hsts { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}
