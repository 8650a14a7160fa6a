import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// Accounts in the JSON API: who am I, users and their roles, one route per step (the same `AccountStep.all` and
/// `perform` as the pages), and one's own API tokens.
struct AccountAPI {
    let services: AppServices

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/me") { _, context in
            let actor = try context.requireActor()
            return Me(
                user: try await services.accounts.user(actor.userID), userID: actor.userID, username: actor.username,
                grants: actor.grants)
        }
        api.get("/users") { request, context in
            let actor = try context.requireActor()
            var node: Node?
            if let raw = request.uri.queryParameters["node"] {
                guard let id = Int64(raw), let found = try await services.jurisdiction.node(id) else {
                    throw DomainError.notFound
                }
                node = found
            }
            let offset = Int(request.uri.queryParameters["cursor"] ?? "0") ?? 0
            let rows = try await services.accounts.users(
                for: actor, inside: node, search: request.uri.queryParameters["q"].map(String.init), limit: 101,
                offset: offset)
            return Page(
                items: rows.prefix(100).map { UserWithRoles(user: $0.user, grants: $0.grants) },
                nextCursor: rows.count > 100 ? "\(offset + 100)" : nil)
        }
        api.post("/users") { request, context in
            let actor = try context.requireActor()
            let body = try await request.decodeInput(NewUserInput.self, context: context)
            guard let nodeID = body.node?.value else { throw DomainError.invalid("node_required", field: "node") }
            let user = try await services.accountCommands.createUser(
                actor, username: body.username ?? "", displayName: body.displayName ?? "",
                password: body.password ?? "", role: try Role.parse(body.role ?? ""), nodeID: nodeID)
            let record = try await services.accounts.user(user.id, for: actor)
            var response = try EditedResponse(
                status: .created, response: UserWithRoles(user: record.user, grants: record.grants)
            ).response(from: request, context: context)
            response.headers[.eTag] = record.user.etag
            return response
        }
        api.get("/users/:id") { request, context in
            let record = try await services.accounts.user(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor())
            return try Self.respond(record, request, context)
        }
        for step in AccountStep.all {
            api.post(RouterPath(AccountURL.apiStepPattern(step.name))) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                // Ids outside the caller's reach answer 404 before the body is read, whatever it holds.
                _ = try await services.accounts.user(id, for: actor)
                let command = try await step.fromJSON(request, context)
                let record = try await services.accountCommands.perform(
                    actor, id, command, expectedVersion: request.ifMatchVersion)
                return try Self.respond(record, request, context)
            }
        }
        api.get("/tokens") { _, context in
            Page(items: try await services.accounts.tokens(of: try context.requireActor().userID), nextCursor: nil)
        }
        api.post("/tokens") { request, context in
            let body = try await request.decodeInput(NewTokenInput.self, context: context)
            let (token, secret) = try await services.accountCommands.createToken(
                try context.requireActor(), name: body.name ?? "")
            return EditedResponse(status: .created, response: CreatedToken(token: token, secret: secret))
        }
        api.delete("/tokens/:id") { _, context in
            try await services.accountCommands.revokeToken(
                try context.requireActor(), tokenID: try context.parameters.require("id", as: Int64.self))
            return Response(status: .noContent)
        }
    }

    /// The account with its roles, and its version as the ETag for the next `If-Match`.
    static func respond(_ record: AccountRecord, _ request: Request, _ context: AppRequestContext) throws -> Response {
        var response = try UserWithRoles(user: record.user, grants: record.grants).response(
            from: request, context: context)
        response.headers[.eTag] = record.user.etag
        return response
    }
}

extension UserWithRoles: ResponseEncodable {}
