import Foundation
import GongzhiDomain
import GongzhiStore
import HTTPTypes
import Hummingbird

/// Log-in, log-out, sign-up and the language switch.
struct SessionPages {
    let services: AppServices
    var views: Views { services.views }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/") { _, context in
            if context.actor != nil { return Response.redirect(to: "/home") }
            return views.page("home/portal", context, title: views.t("app_name", context))
        }
        router.get("/login") { request, context in
            views.page(
                "accounts/login", context, title: views.t("login_title", context),
                data: ["next": safeNext(request.uri.queryParameters["next"].map(String.init))])
        }
        router.post("/login") { request, context in try await logIn(request, context) }
        router.post("/logout") { request, context in
            _ = try await Form.read(request, context)
            if let token = context.sessionToken { try await services.accountCommands.logOut(sessionToken: token) }
            var response = Response.redirect(to: "/login")
            response.setCookie(
                Cookie(
                    name: services.config.sessionCookie, value: "", maxAge: 0, path: "/",
                    secure: services.config.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }
        router.post("/language") { request, context in
            let form = try await Form.read(request, context)
            let language = Language(rawValue: form["lang"]) ?? .zh
            var response = Response.redirect(to: safeNext(form["next"]))
            response.setCookie(
                Cookie(
                    name: WebConfig.languageCookie, value: language.rawValue, maxAge: 365 * 86400, path: "/",
                    secure: services.config.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }
        router.get("/login/otp") { request, context in
            views.page(
                "accounts/login_otp", context, title: views.t("otp_title", context),
                data: ["next": safeNext(request.uri.queryParameters["next"].map(String.init))])
        }
        router.post("/login/otp") { request, context in
            let form = try await Form.read(request, context)
            guard let token = request.cookies[services.config.sessionCookie]?.value else {
                return Response.redirect(to: "/login")
            }
            do {
                let user = try await services.accountCommands.completeSecondFactor(
                    sessionToken: token, code: form["code"])
                return Response.redirect(
                    to: user.mustChangePassword ? "/account?must_change=1" : safeNext(form["next"]))
            } catch let error as DomainError where error.kind == .invalid || error.kind == .tooManyAttempts {
                var data = views.formErrors(DomainError(error.kind, error.key, field: "code"), context)
                data["next"] = safeNext(form["next"])
                return views.page(
                    "accounts/login_otp", context, title: views.t("otp_title", context), data: data,
                    status: error.kind == .tooManyAttempts ? .tooManyRequests : .unprocessableContent)
            }
        }
        router.get("/signup") { request, context in try await signUpPage(request, context) }
        router.post("/signup") { request, context in try await signUp(request, context) }
    }

    func logIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        let address = context.remoteAddress
        do {
            let signIn = try await services.accountCommands.logIn(
                username: form["username"], password: form["password"], address: address)
            let next =
                signIn.needsSecondFactor
                ? "/login/otp?next="
                    + (safeNext(form["next"]).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                : signIn.user.mustChangePassword ? "/account?must_change=1" : safeNext(form["next"])
            var response = Response.redirect(to: next)
            response.setCookie(
                Cookie(
                    name: services.config.sessionCookie, value: signIn.sessionToken, path: "/",
                    secure: services.config.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        } catch let error as DomainError {
            var data = views.formErrors(
                DomainError(error.kind, error.key, field: "username", args: error.args), context)
            data["username"] = form["username"]
            data["next"] = safeNext(form["next"])
            let status: HTTPResponse.Status = error.kind == .tooManyAttempts ? .tooManyRequests : .unauthorized
            return views.page(
                "accounts/login", context, title: views.t("login_title", context), data: data, status: status)
        }
    }

    /// Step 1 picks the community, step 2 the building within it: one question per page, no JavaScript.
    func signUpPage(
        _ request: Request, _ context: AppRequestContext, data extra: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var data = extra
        if let communityID = request.uri.queryParameters["community"].flatMap({ Int64($0) })
            ?? (extra["community_id"] as? Int64),
            let community = try await services.jurisdiction.node(communityID), community.kind.isCommunityLevel
        {
            let buildings = try await services.jurisdiction.descendants(of: community.path, kind: .building)
            let grids = try await services.jurisdiction.descendants(of: community.path, kind: .grid)
            data["step2"] = true
            data["community"] = ["id": community.id, "name": community.name]
            data["grids"] = grids.map { grid in
                [
                    "name": grid.name,
                    "buildings": buildings.filter { $0.parentID == grid.id }.map { ["id": $0.id, "name": $0.name] },
                ]
            }
        } else {
            var groups: [[String: Any]] = []
            for root in try await services.jurisdiction.roots() {
                for sub in try await services.jurisdiction.children(of: root.id).map(\.node) {
                    let communities = try await services.jurisdiction.children(of: sub.id).map(\.node).filter(
                        \.kind.isCommunityLevel)
                    groups.append([
                        "name": sub.name, "communities": communities.map { ["id": $0.id, "name": $0.name] },
                    ])
                }
            }
            data["step1"] = true
            data["groups"] = groups
        }
        return views.page(
            "accounts/signup", context, title: views.t("signup_title", context), data: data, status: status)
    }

    func signUp(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        let communityID = form.int("community_id")
        do {
            guard let buildingID = form.int("building") else {
                throw DomainError.invalid("building_required", field: "building")
            }
            let user = try await services.accountCommands.signUpResident(
                username: form["username"], displayName: form["display_name"], password: form["password"],
                buildingID: buildingID)
            let signIn = try await services.accountCommands.logIn(
                username: user.username, password: form["password"], address: context.remoteAddress)
            var response = Response.redirect(to: "/home")
            response.setCookie(
                Cookie(
                    name: services.config.sessionCookie, value: signIn.sessionToken, path: "/",
                    secure: services.config.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        } catch let error as DomainError {
            var data = views.formErrors(error, context)
            data["username"] = form["username"]
            data["display_name"] = form["display_name"]
            data["selected_building"] = form["building"]
            if let communityID { data["community_id"] = communityID }
            return try await signUpPage(request, context, data: data, status: .unprocessableContent)
        }
    }
}

/// Only paths of this site may follow a log-in, so the form cannot send anyone to another host. The value must start
/// with one slash and hold no whitespace or control character (browsers drop tabs and newlines: `/\t/evil` is
/// `//evil`) and no backslash (`/\\evil` is `//evil` too); and however often it is percent-decoded (`/%2F%2Fevil`,
/// `/%5Cevil`) it must still start with one slash and hold no backslash or control character. Anything else goes to
/// /home.
func safeNext(_ raw: String?) -> String {
    guard let raw, raw.utf8.count <= 2048, isLocalPath(raw),
        !raw.unicodeScalars.contains(where: { $0.properties.isWhitespace })
    else { return "/home" }
    var candidate = raw
    for _ in 0..<4 {
        guard let decoded = candidate.removingPercentEncoding else { return "/home" }
        if decoded == candidate { return raw }
        guard isLocalPath(decoded) else { return "/home" }
        candidate = decoded
    }
    return "/home"
}

private func isLocalPath(_ path: String) -> Bool {
    let scalars = Array(path.unicodeScalars)
    guard scalars.first == "/" else { return false }
    if scalars.count > 1, scalars[1] == "/" || scalars[1] == "\\" { return false }
    return !scalars.contains {
        $0 == "\\" || $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
            || $0 == "\u{2028}" || $0 == "\u{2029}"
    }
}
