import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// Accounts in the JSON API: who am I, users and their roles, API tokens.
struct AccountAPI {
    let services: AppServices

    struct NewUser: Decodable {
        var username: String; var displayName: String; var password: String; var role: String; var nodeId: Int64
    }
    struct NewGrant: Decodable { var role: String; var nodeId: Int64 }
    struct NewToken: Decodable { var name: String }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/me") { _, context in
            let actor = try context.requireActor()
            return Me(
                user: try await services.accounts.user(actor.userID), userID: actor.userID, username: actor.username,
                grants: actor.grants)
        }
        api.get("/users") { request, context in
            let actor = try context.requireActor()
            guard let nodeID = request.uri.queryParameters["node"].flatMap({ Int64($0) }) else {
                throw DomainError.invalid("node_required", field: "node")
            }
            let node = try Access.requireView(actor, try await services.jurisdiction.node(nodeID))
            try Access.require(actor, .manageUsers, at: node)
            let offset = Int(request.uri.queryParameters["cursor"] ?? "0") ?? 0
            let rows = try await services.accounts.users(
                inside: node.path, search: request.uri.queryParameters["q"].map(String.init), limit: 101, offset: offset
            )
            return Page(
                items: rows.prefix(100).map { UserWithRoles(user: $0.0, grants: $0.1) },
                nextCursor: rows.count > 100 ? "\(offset + 100)" : nil)
        }
        api.post("/users") { request, context in
            let body = try await request.decode(as: NewUser.self, context: context)
            let user = try await services.accountCommands.createUser(
                try context.requireActor(), username: body.username, displayName: body.displayName,
                password: body.password,
                role: try Role.parse(body.role), nodeID: body.nodeId)
            return EditedResponse(status: .created, response: user)
        }
        api.post("/users/:id/roles") { request, context in
            let body = try await request.decode(as: NewGrant.self, context: context)
            let grant = try await services.accountCommands.grantRole(
                try context.requireActor(), userID: try context.parameters.require("id", as: Int64.self),
                role: try Role.parse(body.role), nodeID: body.nodeId)
            return EditedResponse(status: .created, response: grant)
        }
        api.post("/users/:id/disable") { _, context in
            try await services.accountCommands.disableUser(
                try context.requireActor(), userID: try context.parameters.require("id", as: Int64.self))
            return Response(status: .noContent)
        }
        api.post("/users/:id/enable") { _, context in
            try await services.accountCommands.enableUser(
                try context.requireActor(), userID: try context.parameters.require("id", as: Int64.self))
            return Response(status: .noContent)
        }
        api.delete("/roles/:id") { _, context in
            try await services.accountCommands.revokeRole(
                try context.requireActor(), grantID: try context.parameters.require("id", as: Int64.self))
            return Response(status: .noContent)
        }
        api.get("/tokens") { _, context in
            Page(items: try await services.accounts.tokens(of: try context.requireActor().userID), nextCursor: nil)
        }
        api.post("/tokens") { request, context in
            let body = try await request.decode(as: NewToken.self, context: context)
            let (token, secret) = try await services.accountCommands.createToken(
                try context.requireActor(), name: body.name)
            return EditedResponse(status: .created, response: CreatedToken(token: token, secret: secret))
        }
        api.delete("/tokens/:id") { _, context in
            try await services.accountCommands.revokeToken(
                try context.requireActor(), tokenID: try context.parameters.require("id", as: Int64.self))
            return Response(status: .noContent)
        }
    }
}
