import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The signed-in user's own account: password and API tokens.
struct AccountPages {
    let services: AppServices
    var views: Views { services.views }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/account") { request, context in
            try await page(
                context,
                extra: [
                    "must_change": request.uri.queryParameters["must_change"] != nil,
                    "setup_second_factor": request.uri.queryParameters["setup_second_factor"] != nil,
                ])
        }
        router.post("/account/password") { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                try await services.accountCommands.changePassword(
                    userID: actor.userID, current: form["current_password"], new: form["password"])
                return try await page(context, extra: ["notice": views.t("password_changed", context)])
            } catch let error as DomainError where error.kind == .invalid {
                return try await page(context, extra: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
        router.post("/account/second-factor/:verb") { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                switch context.parameters.get("verb") {
                case "begin":
                    let (_, url) = try await services.accountCommands.beginSecondFactor(actor)
                    // Authenticator apps take the key in base32, exactly as the otpauth URL carries it.
                    let base32 = URLComponents(string: url)?.queryItems?.first { $0.name == "secret" }?.value ?? ""
                    return try await page(context, extra: ["otp_secret": grouped(base32), "otp_url": url])
                case "confirm":
                    try await services.accountCommands.confirmSecondFactor(actor, code: form["code"])
                    return try await page(context, extra: ["notice": views.t("otp_enabled_notice", context)])
                case "disable":
                    try await services.accountCommands.disableSecondFactor(actor, code: form["code"])
                    return try await page(context, extra: ["notice": views.t("otp_disabled_notice", context)])
                default: throw DomainError.notFound
                }
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try await page(
                    context, extra: views.formErrors(DomainError(error.kind, error.key, field: "code"), context),
                    status: .unprocessableContent)
            }
        }
        router.post("/account/tokens") { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                let (_, secret) = try await services.accountCommands.createToken(actor, name: form["name"])
                return try await page(context, extra: ["new_token": secret])
            } catch let error as DomainError where error.kind == .invalid || error.key == "second_factor_required" {
                return try await page(context, extra: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
        router.post("/account/tokens/:id/revoke") { request, context in
            let actor = try context.requireActor()
            _ = try await Form.read(request, context)
            try await services.accountCommands.revokeToken(
                actor, tokenID: try context.parameters.require("id", as: Int64.self))
            return Response.redirect(to: "/account")
        }
    }

    func page(
        _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        var data = extra
        data["second_factor_on"] = context.user?.secondFactorEnabled == true
        data["second_factor_required"] = services.config.requireStaffSecondFactor
        data["grants"] = actor.grants.map {
            ["role": views.t("role_\($0.role.rawValue)", context), "node": $0.nodeName, "node_id": $0.nodeID]
        }
        data["tokens"] = try await services.accounts.tokens(of: actor.userID).map { token in
            [
                "id": token.id, "name": token.name, "prefix": token.prefix,
                "created_at": DateText.format(token.createdAt, context.language),
                "last_used_at": DateText.format(token.lastUsedAt, context.language),
                "revoked": token.revokedAt != nil,
            ] as [String: Any]
        }
        return views.page(
            "accounts/account", context, title: views.t("account_title", context), data: data, status: status,
            section: "account")
    }
}

/// "ABCD EFGH …": easier to type from a phone screen.
func grouped(_ secret: String) -> String {
    stride(from: 0, to: secret.count, by: 4).map { i in
        String(secret.dropFirst(i).prefix(4))
    }.joined(separator: " ")
}
