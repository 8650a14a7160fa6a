import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// User and role administration for those who manage users in their subtree: the list, creating accounts, a user's
/// page and one route per step (`AccountStep.all`), each calling the same `AccountCommands.perform` as the API.
struct UserPages {
    let services: AppServices
    var views: Views { services.views }
    static let pageSize = 50

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(AccountURL.list.path)) { request, context in try await list(request, context) }
        router.post(RouterPath(AccountURL.list.path)) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                let input = try form.decode(NewUserInput.self)
                guard let nodeID = input.node?.value else { throw DomainError.invalid("node_required", field: "node") }
                let user = try await services.accountCommands.createUser(
                    actor, username: input.username ?? "", displayName: input.displayName ?? "",
                    password: input.password ?? "", role: try Role.parse(input.role ?? ""), nodeID: nodeID)
                return Response.redirect(to: AccountURL.show(user.id).path)
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
        for step in AccountStep.all {
            router.post(RouterPath(AccountURL.stepPattern(step.name))) { request, context in
                try await take(request, context, step)
            }
        }
    }

    /// Takes one step from its form, with the page's version as the optimistic lock; an error shows the user's page
    /// again with the message beside the field.
    func take(_ request: Request, _ context: AppRequestContext, _ step: AccountStep) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await Form.read(request, context)
        do {
            try await services.accountCommands.perform(
                actor, id, try step.fromForm(form), expectedVersion: form.int("version").map(Int.init))
            if step.name == .resetPassword {
                return try await detail(request, context, extra: ["notice": views.t("password_reset_done", context)])
            }
            return Response.redirect(to: AccountURL.show(id).path)
        } catch let error as DomainError
            where error.kind == .invalid || error.kind == .conflict || error.kind == .forbidden
        {
            return try await detail(
                request, context, extra: views.formErrors(error, context), status: .unprocessableContent)
        }
    }

    func list(
        _ request: Request, _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        guard AccountPolicy.managesUsers(actor) else { throw DomainError.forbidden }
        let search = request.uri.queryParameters["q"].map(String.init) ?? ""
        let page = max(0, Int(request.uri.queryParameters["page"] ?? "0") ?? 0)
        let records = try await services.accounts.users(
            for: actor, search: search, limit: Self.pageSize + 1, offset: page * Self.pageSize)
        let model = AccountViews.list(
            records, pageSize: Self.pageSize, page: page, q: search,
            creatable: AccountPolicy.capabilities(of: actor, on: nil, in: AccountContext()),
            nodes: try await nodeChoices(actor), now: services.clock.now(), words: { views.t($0, context) })
        var data = extra
        data["page"] = model
        return views.page(
            "accounts/users", context, title: views.t("users_title", context), data: data, status: status,
            section: "users")
    }

    func detail(
        _ request: Request, _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        let record = try await services.accounts.user(id, for: actor)
        let model = AccountViews.detail(
            record, capabilities: AccountPolicy.capabilities(of: actor, on: record.user, in: record.context),
            nodes: try await nodeChoices(actor, search: request.uri.queryParameters["place_q"].map(String.init)),
            now: services.clock.now(), language: context.language,
            words: { views.t($0, context) })
        var data = extra
        data["page"] = model
        data["place_q"] = request.uri.queryParameters["place_q"].map(String.init) ?? ""
        data["user_path"] = AccountURL.show(id).path
        return views.page(
            "accounts/user", context, title: record.user.displayName, data: data, status: status, section: "users")
    }

    /// Nodes a role can be granted at, labelled with their full path: with a search (`place_q`), every matching node
    /// of the actor's jurisdiction down to buildings; without one, the nodes where the actor manages users and the
    /// levels below as long as the list stays short (a district's grids and buildings are reached by searching).
    func nodeChoices(_ actor: Actor, search: String? = nil) async throws -> [AccountViews.Choice] {
        let grants = AccountPolicy.managingGrants(actor)
        var nodes: [Node] = []
        if let search, !search.trimmingCharacters(in: .whitespaces).isEmpty {
            nodes = try await services.jurisdiction.search(inside: grants.map(\.nodePath), query: search)
        } else {
            for grant in grants {
                guard let node = try await services.jurisdiction.node(grant.nodeID) else { continue }
                nodes.append(node)
                for kind in [NodeKind.subdistrict, .town, .community, .village, .grid, .building]
                where kind != node.kind {
                    let found = try await services.jurisdiction.descendants(
                        of: node.path, kind: kind, limit: Self.shortList + 1)
                    guard nodes.count + found.count <= Self.shortList else { break }
                    nodes += found
                }
            }
        }
        let labels = try await services.jurisdiction.pathLabels(nodes)
        return nodes.map { .init(value: "\($0.id)", label: labels[$0.id] ?? $0.name) }
    }

    /// How many places the grant form lists before it asks for a search instead.
    static let shortList = 150
}
