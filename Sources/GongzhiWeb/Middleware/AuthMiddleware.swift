import Crypto
import Foundation
import GongzhiDomain
import GongzhiStore
import HTTPTypes
import Hummingbird

/// What every request needs before routing: the language (cookie, else Accept-Language) and the client's address
/// (from `X-Forwarded-For` only when the peer is a trusted proxy).
struct RequestBasicsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let config: WebConfig

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        // A form sent with GET writes a space as `+`, which the query decoding keeps: a search for `808 901` would
        // arrive as the one word `808+901`. The query is rewritten with `%20` before any route reads it (a plus
        // meant as such arrives as `%2B`).
        var request = request
        if let query = request.uri.query, query.contains("+") {
            var head = request.head
            head.path = request.uri.path + "?" + query.replacingOccurrences(of: "+", with: "%20")
            request = Request(head: head, body: request.body)
        }
        if let lang = request.cookies[WebConfig.languageCookie]?.value, let language = Language(rawValue: lang) {
            context.language = language
        } else {
            context.language = Language.negotiate(request.headers[.acceptLanguage])
        }
        if request.method == .get {
            context.pagePath = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        } else if let referer = request.headers[.referer], let url = URL(string: referer), !url.path.isEmpty {
            // Only the path is kept: `safeNext` later refuses anything that would leave this site.
            context.pagePath = url.path + (url.query.map { "?" + $0 } ?? "")
        }
        context.remoteAddress = ClientAddress.resolve(
            peer: context.remoteAddress,
            forwardedFor: request.headers[values: AuthMiddleware.forwardedFor].joined(separator: ","),
            trusted: config.trustedProxies)
        return try await next(request, context)
    }
}

/// Finds who is asking on the API and Open311: a bearer token. Without one the request goes on anonymously (the
/// route decides whether that is enough).
struct TokenMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: AccountCommands
    let db: Database
    let views: Views

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        guard let auth = request.headers[.authorization], auth.lowercased().hasPrefix("bearer ") else {
            return try await next(request, context)
        }
        let secret = String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        let found: Actor?
        do {
            found = try await accounts.authenticateToken(secret)
        } catch let error as DomainError where error.kind == .forbidden {
            // A password still to change, or a required second factor missing: refused in the caller's language.
            await AuditLog.recordRefusal(
                db, actor: nil, at: Date(),
                AuditRecord(
                    action: "access.refused", objectType: "request", objectID: "\(request.method) \(request.uri.path)",
                    result: error.key))
            return Problem.response(
                status: .forbidden, key: error.key, domain: error, views: views, language: context.language)
        }
        guard let actor = found else { throw DomainError(.unauthenticated, "token_invalid") }
        context.actor = actor
        context.viaAPIToken = true
        return try await next(request, context)
    }
}

/// Finds who is asking on pages: the session cookie. Also prepares the CSRF token, an HMAC of the browser's CSRF
/// cookie and the session, so nothing is kept in server memory; and sends a user who must change their password or
/// set up a required second factor to their account page first.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: AccountCommands
    let config: WebConfig
    let db: Database

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let cookies = request.cookies
        let path = request.uri.path
        if let token = cookies[config.sessionCookie]?.value, !token.isEmpty,
            let (actor, user) = try await accounts.authenticateSession(token)
        {
            context.actor = actor
            context.user = user
            context.sessionToken = token
            context.unread = (try? await Notifications.unreadCount(db, userID: actor.userID)) ?? 0
        }
        var newSeed: String?
        if let seed = cookies[config.csrfCookie]?.value, seed.count >= 32 {
            context.csrfSeed = seed
        } else {
            newSeed = Secrets.token(prefix: "")
            context.csrfSeed = newSeed!
        }
        context.csrfToken = csrfToken(seed: context.csrfSeed, session: context.sessionToken)
        var response: Response
        if let user = context.user, user.mustChangePassword,
            !["/account", "/account/password", "/logout", "/language"].contains(path)
        {
            response = .redirect(to: "/account?must_change=1")
        } else if config.requireStaffSecondFactor, let user = context.user, let actor = context.actor,
            !user.secondFactorEnabled, actor.grants.contains(where: { $0.role.isStaff }),
            !["/account", "/logout", "/language"].contains(where: { path == $0 || path.hasPrefix($0 + "/") })
        {
            response = .redirect(to: "/account?setup_second_factor=1")
        } else {
            response = try await next(request, context)
        }
        if let newSeed {
            response.setCookie(
                Cookie(
                    name: config.csrfCookie, value: newSeed, path: "/", secure: config.secureCookies,
                    httpOnly: true, sameSite: .lax))
        }
        return response
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func csrfToken(seed: String, session: String?) -> String {
        let key = SymmetricKey(data: Data(config.secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data((seed + "|" + (session ?? "")).utf8), using: key)
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/", with: "_"
        )
        .replacingOccurrences(of: "=", with: "")
    }
}
