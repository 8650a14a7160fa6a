import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

extension Node: ResponseEncodable {}
extension Body: ResponseEncodable {}
extension DutyItem: ResponseEncodable {}
extension RoleGrant: ResponseEncodable {}
extension APIToken: ResponseEncodable {}
extension User: ResponseEncodable {}

struct Page<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    var items: [Item]
    var nextCursor: String?
}

struct Me: ResponseEncodable { var user: User?; var userID: Int64; var username: String; var grants: [RoleGrant] }
struct BodyDetail: ResponseEncodable { var body: Body; var duties: [Duty]
    struct Duty: Codable, Sendable { var item: DutyItem; var minors: [DutyItem] }
}
struct CreatedToken: ResponseEncodable { var token: APIToken; var secret: String }
struct UserWithRoles: Codable, Sendable { var user: User; var grants: [RoleGrant] }

/// The JSON API under /api/v1. It calls the same commands as the pages, authenticates with bearer tokens,
/// and answers errors as problem+json (ErrorMiddleware).
struct APIRoutes {
    let services: AppServices

    struct NewNode: Decodable { var kind: String; var name: String; var code: String?; var parentId: Int64? }
    struct Rename: Decodable { var name: String }
    struct Move: Decodable { var parentId: Int64 }
    struct Split: Decodable { var firstName: String; var secondName: String; var assignment: [String: String] }
    struct Merge: Decodable { var gridIds: [Int64]; var name: String }
    struct NewBody: Decodable { var kind: String; var name: String }
    struct NewDuty: Decodable { var title: String; var parentId: Int64? }
    struct NewUser: Decodable { var username: String; var displayName: String; var password: String; var role: String; var nodeId: Int64 }
    struct NewGrant: Decodable { var role: String; var nodeId: Int64 }
    struct NewToken: Decodable { var name: String }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/openapi.json") { _, _ in
            let data = try Data(contentsOf: Resources.root.appendingPathComponent("openapi.json"))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        api.get("/me") { _, context in
            let actor = try context.requireActor()
            return Me(user: try await services.accounts.user(actor.userID), userID: actor.userID, username: actor.username, grants: actor.grants)
        }
        api.get("/nodes/:id") { _, context in try await visibleNode(context) }
        api.get("/nodes/:id/children") { request, context in
            let node = try await visibleNode(context)
            let after = request.uri.queryParameters["cursor"].flatMap { Int64($0) } ?? 0
            let limit = min(500, max(1, Int(request.uri.queryParameters["limit"] ?? "100") ?? 100))
            let all = try await services.jurisdiction.children(of: node.id, includeClosed: request.uri.queryParameters["closed"] == "true")
                .map(\.node).sorted { $0.id < $1.id }.filter { $0.id > after }
            let items = Array(all.prefix(limit))
            return Page(items: items, nextCursor: all.count > limit ? items.last.map { "\($0.id)" } : nil)
        }
        api.post("/nodes") { request, context in
            let actor = try context.requireActor()
            let body = try await request.decode(as: NewNode.self, context: context)
            let node = try await services.jurisdictionCommands.createNode(
                actor, kind: try NodeKind.parse(body.kind), name: body.name, code: body.code, parentID: body.parentId)
            return EditedResponse(status: .created, response: node)
        }
        api.patch("/nodes/:id") { request, context in
            let body = try await request.decode(as: Rename.self, context: context)
            return try await services.jurisdictionCommands.rename(try context.requireActor(), nodeID: try context.parameters.require("id", as: Int64.self), name: body.name)
        }
        api.post("/nodes/:id/move") { request, context in
            let body = try await request.decode(as: Move.self, context: context)
            return try await services.jurisdictionCommands.move(try context.requireActor(), nodeID: try context.parameters.require("id", as: Int64.self), to: body.parentId)
        }
        api.post("/nodes/:id/close") { _, context in
            try await services.jurisdictionCommands.close(try context.requireActor(), nodeID: try context.parameters.require("id", as: Int64.self))
        }
        api.post("/grids/:id/split") { request, context in
            let body = try await request.decode(as: Split.self, context: context)
            var assignment: [Int64: GridChange.Side] = [:]
            for (key, value) in body.assignment {
                guard let id = Int64(key), let side = GridChange.Side(rawValue: value) else {
                    throw DomainError.invalid("split_building_foreign", field: "assignment")
                }
                assignment[id] = side
            }
            let (a, b) = try await services.jurisdictionCommands.splitGrid(
                try context.requireActor(), gridID: try context.parameters.require("id", as: Int64.self),
                names: (body.firstName, body.secondName), assignment: assignment)
            return EditedResponse(status: .created, response: Page(items: [a, b], nextCursor: nil))
        }
        api.post("/grids/merge") { request, context in
            let body = try await request.decode(as: Merge.self, context: context)
            guard body.gridIds.count == 2 else { throw DomainError.invalid("merge_needs_grids", field: "gridIds") }
            let node = try await services.jurisdictionCommands.mergeGrids(try context.requireActor(), body.gridIds[0], body.gridIds[1], name: body.name)
            return EditedResponse(status: .created, response: node)
        }
        api.get("/nodes/:id/bodies") { _, context in
            let node = try await visibleNode(context)
            return Page(items: try await services.jurisdiction.bodies(of: node.id), nextCursor: nil)
        }
        api.post("/nodes/:id/bodies") { request, context in
            let body = try await request.decode(as: NewBody.self, context: context)
            let created = try await services.bodyCommands.createBody(
                try context.requireActor(), communityID: try context.parameters.require("id", as: Int64.self),
                kind: try BodyKind.parse(body.kind), name: body.name)
            return EditedResponse(status: .created, response: created)
        }
        api.get("/bodies/:id") { _, context in
            let actor = try context.requireActor()
            guard let body = try await services.jurisdiction.body(try context.parameters.require("id", as: Int64.self)) else {
                throw DomainError.notFound
            }
            try Access.requireView(actor, try await services.jurisdiction.node(body.communityID))
            let duties = try await services.jurisdiction.duties(of: body.id).map { BodyDetail.Duty(item: $0.major, minors: $0.minors) }
            return BodyDetail(body: body, duties: duties)
        }
        api.post("/bodies/:id/duties") { request, context in
            let body = try await request.decode(as: NewDuty.self, context: context)
            let item = try await services.bodyCommands.addDuty(
                try context.requireActor(), bodyID: try context.parameters.require("id", as: Int64.self), parentID: body.parentId, title: body.title)
            return EditedResponse(status: .created, response: item)
        }
        api.get("/users") { request, context in
            let actor = try context.requireActor()
            guard let nodeID = request.uri.queryParameters["node"].flatMap({ Int64($0) }) else {
                throw DomainError.invalid("node_required", field: "node")
            }
            let node = try Access.requireView(actor, try await services.jurisdiction.node(nodeID))
            try Access.require(actor, .manageUsers, at: node)
            let offset = Int(request.uri.queryParameters["cursor"] ?? "0") ?? 0
            let rows = try await services.accounts.users(inside: node.path, search: request.uri.queryParameters["q"].map(String.init), limit: 101, offset: offset)
            return Page(items: rows.prefix(100).map { UserWithRoles(user: $0.0, grants: $0.1) },
                        nextCursor: rows.count > 100 ? "\(offset + 100)" : nil)
        }
        api.post("/users") { request, context in
            let body = try await request.decode(as: NewUser.self, context: context)
            let user = try await services.accountCommands.createUser(
                try context.requireActor(), username: body.username, displayName: body.displayName, password: body.password,
                role: try Role.parse(body.role), nodeID: body.nodeId)
            return EditedResponse(status: .created, response: user)
        }
        api.post("/users/:id/roles") { request, context in
            let body = try await request.decode(as: NewGrant.self, context: context)
            let grant = try await services.accountCommands.grantRole(
                try context.requireActor(), userID: try context.parameters.require("id", as: Int64.self), role: try Role.parse(body.role), nodeID: body.nodeId)
            return EditedResponse(status: .created, response: grant)
        }
        api.post("/users/:id/disable") { _, context in
            try await services.accountCommands.disableUser(try context.requireActor(), userID: try context.parameters.require("id", as: Int64.self))
            return Response(status: .noContent)
        }
        api.post("/users/:id/enable") { _, context in
            try await services.accountCommands.enableUser(try context.requireActor(), userID: try context.parameters.require("id", as: Int64.self))
            return Response(status: .noContent)
        }
        api.delete("/roles/:id") { _, context in
            try await services.accountCommands.revokeRole(try context.requireActor(), grantID: try context.parameters.require("id", as: Int64.self))
            return Response(status: .noContent)
        }
        api.get("/tokens") { _, context in
            Page(items: try await services.accounts.tokens(of: try context.requireActor().userID), nextCursor: nil)
        }
        api.post("/tokens") { request, context in
            let body = try await request.decode(as: NewToken.self, context: context)
            let (token, secret) = try await services.accountCommands.createToken(try context.requireActor(), name: body.name)
            return EditedResponse(status: .created, response: CreatedToken(token: token, secret: secret))
        }
        api.delete("/tokens/:id") { _, context in
            try await services.accountCommands.revokeToken(try context.requireActor(), tokenID: try context.parameters.require("id", as: Int64.self))
            return Response(status: .noContent)
        }
    }

    func visibleNode(_ context: AppRequestContext) async throws -> Node {
        let actor = try context.requireActor()
        return try Access.requireView(actor, try await services.jurisdiction.node(try context.parameters.require("id", as: Int64.self)))
    }
}

extension AppRequestContext {
    /// API bodies use camelCase keys.
    public var requestDecoder: JSONDecoder { JSONDecoder() }
}
