import HTTPTypes
import Hummingbird

/// Security headers on every answer: a CSP with no inline script, no sniffing, no framing, and no caching of
/// anything a signed-in user sees.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// The fields every answer carries, built (and their values checked) once, not for every answer; a route that
    /// set one of them itself (a download's own policy) keeps its own.
    let fields: [HTTPField]
    static let noStore = HTTPField(name: .cacheControl, value: "no-store")

    /// `tileOrigin`: where map tiles come from, when a tile service is configured (allowed as images, nothing else).
    init(hsts: Bool, tileOrigin: String? = nil) {
        var fields = [
            HTTPField(
                name: .contentSecurityPolicy,
                value:
                    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:\(tileOrigin.map { " " + $0 } ?? ""); object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
            ),
            HTTPField(name: .xContentTypeOptions, value: "nosniff"),
            HTTPField(name: HTTPField.Name("Referrer-Policy")!, value: "same-origin"),
            HTTPField(name: HTTPField.Name("X-Frame-Options")!, value: "DENY"),
        ]
        if hsts { fields.append(HTTPField(name: .strictTransportSecurity, value: "max-age=31536000")) }
        self.fields = fields
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        for field in fields where !response.headers.contains(field.name) { response.headers.append(field) }
        // Pages and API answers may hold personal data: never cached. Static files set their own policy.
        if !response.headers.contains(.cacheControl) { response.headers.append(Self.noStore) }
        return response
    }
}
