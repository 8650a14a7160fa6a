import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// User and role administration for those who may manage users in their subtree.
struct UserPages {
    let services: AppServices
    var views: Views { services.views }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/admin/users") { request, context in try await list(request, context) }
        router.post("/admin/users") { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                guard let nodeID = form.int("node") else { throw DomainError.invalid("node_required", field: "node") }
                let user = try await services.accountCommands.createUser(
                    actor, username: form["username"], displayName: form["display_name"], password: form["password"],
                    role: try Role.parse(form["role"]), nodeID: nodeID)
                return Response.redirect(to: "/admin/users/\(user.id)")
            } catch let error as DomainError
                where error.kind == .invalid || error.kind == .conflict || error.kind == .forbidden
            {
                var extra = views.formErrors(error, context)
                extra["form_username"] = form["username"]
                extra["form_display_name"] = form["display_name"]
                return try await list(request, context, extra: extra, status: .unprocessableContent)
            }
        }
        router.get("/admin/users/:id") { request, context in try await detail(request, context) }
        router.post("/admin/users/:id/:verb") { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                switch context.parameters.get("verb") {
                case "grants":
                    guard let nodeID = form.int("node") else {
                        throw DomainError.invalid("node_required", field: "node")
                    }
                    _ = try await services.accountCommands.grantRole(
                        actor, userID: id, role: try Role.parse(form["role"]), nodeID: nodeID)
                case "revoke":
                    guard let grantID = form.int("grant") else { throw DomainError.notFound }
                    try await services.accountCommands.revokeRole(actor, grantID: grantID)
                case "password":
                    try await services.accountCommands.resetPassword(actor, userID: id, newPassword: form["password"])
                    return try await detail(
                        request, context, extra: ["notice": views.t("password_reset_done", context)])
                case "disable":
                    try await services.accountCommands.disableUser(actor, userID: id)
                case "enable":
                    try await services.accountCommands.enableUser(actor, userID: id)
                default: throw DomainError.notFound
                }
                return Response.redirect(to: "/admin/users/\(id)")
            } catch let error as DomainError
                where error.kind == .invalid || error.kind == .conflict || error.kind == .forbidden
            {
                return try await detail(
                    request, context, extra: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
    }

    /// Grants under which the actor may manage users; the list covers their subtrees.
    func adminGrants(_ actor: Actor) throws -> [RoleGrant] {
        let grants = actor.grants.filter { AccessPolicy.allows($0, .manageUsers, at: $0.nodePath) }
        guard !grants.isEmpty else { throw DomainError.forbidden }
        return grants
    }

    func list(
        _ request: Request, _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let grants = try adminGrants(actor)
        let search = request.uri.queryParameters["q"].map(String.init)
        let page = max(0, Int(request.uri.queryParameters["page"] ?? "0") ?? 0)
        var rows: [[String: Any]] = []
        var seen = Set<Int64>()
        for grant in grants {
            for (user, userGrants) in try await services.accounts.users(
                inside: grant.nodePath, search: search, limit: 51, offset: page * 50)
            where seen.insert(user.id).inserted {
                rows.append([
                    "id": user.id, "username": user.username, "display_name": user.displayName,
                    "roles": userGrants.map {
                        ["role": views.t("role_\($0.role.rawValue)", context), "node": $0.nodeName]
                    },
                    "locked": user.lockedUntil.map { $0 > services.clock.now() } ?? false,
                ])
            }
        }
        var data = extra
        data["users"] = Array(rows.prefix(50))
        data["q"] = search ?? ""
        data["next_page"] = rows.count > 50 ? page + 1 : nil
        data["prev_page"] = page > 0 ? page - 1 : nil
        data["roles"] = grantableRoles(actor, context)
        data["nodes"] = try await nodeChoices(grants)
        return views.page(
            "accounts/users", context, title: views.t("users_title", context), data: data, status: status,
            section: "users")
    }

    func detail(
        _ request: Request, _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let admin = try adminGrants(actor)
        let id = try context.parameters.require("id", as: Int64.self)
        guard let user = try await services.accounts.user(id) else { throw DomainError.notFound }
        let grants = try await services.accounts.grants(of: id)
        // Someone with no role inside the actor's subtrees is "not found", as for a missing id.
        guard grants.contains(where: { g in admin.contains { NodePath.isInside(g.nodePath, $0.nodePath) } }) else {
            throw DomainError.outsideJurisdiction
        }
        var data = extra
        data["account"] = [
            "id": user.id, "username": user.username, "display_name": user.displayName,
            "created_at": DateText.format(user.createdAt, context.language),
            "last_login_at": DateText.format(user.lastLoginAt, context.language),
            "locked_until": user.lockedUntil.flatMap {
                $0 > services.clock.now() ? DateText.format($0, context.language) : nil
            } ?? "",
            "disabled_at": DateText.format(user.disabledAt, context.language),
            "disabled": user.disabledAt != nil,
        ]
        // The button is drawn only when the command would accept it (auditors: command line only).
        data["can_disable"] =
            user.id != actor.userID
            && grants.allSatisfy { $0.role != .auditor && AccessPolicy.allows(actor, .manageUsers, at: $0.nodePath) }
        data["grants"] = grants.map { g in
            [
                "id": g.id, "role": views.t("role_\(g.role.rawValue)", context), "node": g.nodeName,
                "node_id": g.nodeID,
                "can_revoke": AccessPolicy.allows(actor, .grantRole(g.role), at: g.nodePath),
            ] as [String: Any]
        }
        data["roles"] = grantableRoles(actor, context)
        data["nodes"] = try await nodeChoices(admin)
        return views.page(
            "accounts/user", context, title: user.displayName, data: data, status: status, section: "users")
    }

    func grantableRoles(_ actor: Actor, _ context: AppRequestContext) -> [[String: String]] {
        Role.allCases.filter { role in
            actor.grants.contains { AccessPolicy.allows($0, .grantRole(role), at: $0.nodePath) }
        }
        .map { ["value": $0.rawValue, "label": views.t("role_\($0.rawValue)", context)] }
    }

    /// Nodes a role can be granted at: the admin's own nodes and the levels below, down to grids.
    func nodeChoices(_ grants: [RoleGrant]) async throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        for grant in grants {
            guard let node = try await services.jurisdiction.node(grant.nodeID) else { continue }
            out.append(["id": node.id, "label": node.name])
            for kind in [NodeKind.subdistrict, .town, .community, .village, .grid] where node.kind != kind {
                for n in try await services.jurisdiction.descendants(of: node.path, kind: kind, limit: 400) {
                    out.append(["id": n.id, "label": "\(n.name)"])
                }
            }
        }
        return out
    }
}
