import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The jurisdiction tree and its bodies in the JSON API: the same commands as the tree pages.
struct JurisdictionAPI {
    let services: AppServices

    struct NewNode: Decodable { var kind: String; var name: String; var code: String?; var parentId: Int64? }
    struct Rename: Decodable { var name: String }
    struct Move: Decodable { var parentId: Int64 }
    struct Split: Decodable { var firstName: String; var secondName: String; var assignment: [String: String] }
    struct Merge: Decodable { var gridIds: [Int64]; var name: String }
    struct NewBody: Decodable { var kind: String; var name: String }
    struct NewDuty: Decodable { var title: String; var parentId: Int64? }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/nodes/:id") { _, context in try await visibleNode(context) }
        api.get("/nodes/:id/children") { request, context in
            let actor = try context.requireActor()
            let node = try await visibleNode(context)
            let after = request.uri.queryParameters["cursor"].flatMap { Int64($0) } ?? 0
            let limit = min(500, max(1, Int(request.uri.queryParameters["limit"] ?? "100") ?? 100))
            let all = try await services.jurisdiction.children(
                of: node.id, includeClosed: request.uri.queryParameters["closed"] == "true"
            )
            .map(\.node).filter { AccessPolicy.allows(actor, .viewTree, at: $0.path) }.sorted { $0.id < $1.id }.filter {
                $0.id > after
            }
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
            _ = try await visibleNode(context)
            let body = try await request.decode(as: Rename.self, context: context)
            return try await services.jurisdictionCommands.rename(
                try context.requireActor(), nodeID: try context.parameters.require("id", as: Int64.self),
                name: body.name)
        }
        api.post("/nodes/:id/move") { request, context in
            _ = try await visibleNode(context)
            let body = try await request.decode(as: Move.self, context: context)
            return try await services.jurisdictionCommands.move(
                try context.requireActor(), nodeID: try context.parameters.require("id", as: Int64.self),
                to: body.parentId)
        }
        api.post("/nodes/:id/close") { _, context in
            try await services.jurisdictionCommands.close(
                try context.requireActor(), nodeID: try context.parameters.require("id", as: Int64.self))
        }
        api.post("/grids/:id/split") { request, context in
            _ = try await visibleNode(context)
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
            let node = try await services.jurisdictionCommands.mergeGrids(
                try context.requireActor(), body.gridIds[0], body.gridIds[1], name: body.name)
            return EditedResponse(status: .created, response: node)
        }
        api.get("/nodes/:id/bodies") { _, context in
            let node = try await visibleNode(context)
            return Page(items: try await services.jurisdiction.bodies(of: node.id), nextCursor: nil)
        }
        api.post("/nodes/:id/bodies") { request, context in
            _ = try await visibleNode(context)
            let body = try await request.decode(as: NewBody.self, context: context)
            let created = try await services.bodyCommands.createBody(
                try context.requireActor(), communityID: try context.parameters.require("id", as: Int64.self),
                kind: try BodyKind.parse(body.kind), name: body.name)
            return EditedResponse(status: .created, response: created)
        }
        api.get("/bodies/:id") { _, context in
            let actor = try context.requireActor()
            guard let body = try await services.jurisdiction.body(try context.parameters.require("id", as: Int64.self))
            else {
                throw DomainError.notFound
            }
            try Access.requireView(actor, try await services.jurisdiction.node(body.communityID))
            let duties = try await services.jurisdiction.duties(of: body.id).map {
                BodyDetail.Duty(item: $0.major, minors: $0.minors)
            }
            return BodyDetail(body: body, duties: duties)
        }
        api.post("/bodies/:id/duties") { request, context in
            let body = try await request.decode(as: NewDuty.self, context: context)
            let item = try await services.bodyCommands.addDuty(
                try context.requireActor(), bodyID: try context.parameters.require("id", as: Int64.self),
                parentID: body.parentId, title: body.title)
            return EditedResponse(status: .created, response: item)
        }
    }

    /// The node named by the path, or 404 for a missing one and one outside the caller's jurisdiction alike. Routes that
    /// change a node ask this before reading their body, so a bad body never tells an outsider the id exists.
    func visibleNode(_ context: AppRequestContext) async throws -> Node {
        let actor = try context.requireActor()
        return try Access.requireView(
            actor, try await services.jurisdiction.node(try context.parameters.require("id", as: Int64.self)))
    }
}
